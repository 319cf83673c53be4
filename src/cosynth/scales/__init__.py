"""Co-production scales shipped with cosynth, as TOML data files.

Each file is registered in the `cosynth.scales` entry-point group as
`name = "package:file.toml"`, the same way a plugin registers its own scale;
`cosynth.services.scales` reads them. No code lives here.
"""
