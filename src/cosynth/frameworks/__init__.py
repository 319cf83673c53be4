"""The question frameworks cosynth ships, as TOML data files (METHODS.md §2).

Each file registers through the `cosynth.frameworks` entry-point group as
`<id> = "cosynth.frameworks:<file>.toml"`. Other packages register their own
frameworks the same way, and a review can use its own file (`cosynth search
question --framework-file`).
"""
