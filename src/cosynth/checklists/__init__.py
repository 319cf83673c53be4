"""The reporting checklists cosynth ships, as TOML data files (METHODS.md §5, §6).

eMERGe (France et al. 2019), ENTREQ (Tong et al. 2012), PRISMA 2020 (Page et
al. 2021) and the GRIPP2 short form (Staniszewska et al. 2017). Each file
registers through the `cosynth.checklists` entry-point group as
`<id> = "cosynth.checklists:<file>.toml"`, the way appraisal instruments do;
other packages register their own checklists the same way.

Item numbers and short titles are the guidelines' own; each item's
explanation is written for cosynth in its own words (read the source for the
guideline's wording), and what could not be confirmed against the source is
said in a `check` note beside it.
"""
