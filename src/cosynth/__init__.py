"""cosynth: a workbench for systematic reviews that end in a meta-ethnography."""

__version__ = "0.1.0"
