"""The appraisal instruments cosynth ships, as TOML data files (METHODS.md §3).

Each file registers through the `cosynth.instruments` entry-point group as
`<id> = "cosynth.instruments:<file>.toml"`. Other packages register their own
instruments the same way, and a review can add its own file
(`cosynth appraise add-instrument`).
"""
