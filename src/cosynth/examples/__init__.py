"""Worked examples shipped as data: reviews cosynth can rebuild through its own services."""
