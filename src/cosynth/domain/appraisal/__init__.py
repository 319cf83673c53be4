"""Critical appraisal: instruments held as data, the review's scoring rule, and judgements.

The paper's review tried CASP and TAPUPAS, kept TAPUPAS, and excluded studies
scoring below 7 (one of eleven). METHODS.md §3 lists the instruments shipped.
"""
