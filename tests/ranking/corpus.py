"""A small synthetic corpus where the relevant records are obvious to any sensible ranker."""

from __future__ import annotations

import random

_RELEVANT_WORDS = ["insulin", "glucose", "diabetes", "glycaemic", "metformin", "hba1c"]
_OTHER_WORDS = [
    "fracture", "knee", "cartilage", "asthma", "inhaler", "bronchial", "migraine", "aura",
    "tumour", "chemotherapy", "dental", "caries", "retina", "glaucoma", "tendon", "sleep",
]  # fmt: skip
_COMMON = ["patients", "study", "trial", "outcome", "randomised", "results", "group", "years"]


def corpus(n_relevant: int = 12, n_other: int = 88, seed: int = 3) -> tuple[list[str], list[bool]]:
    """Texts and labels: relevant texts share a vocabulary the others never use."""
    rng = random.Random(seed)
    texts, labels = [], []
    for _ in range(n_relevant):
        texts.append(" ".join(rng.choices(_RELEVANT_WORDS, k=8) + rng.choices(_COMMON, k=3)))
        labels.append(True)
    for _ in range(n_other):
        texts.append(" ".join(rng.choices(_OTHER_WORDS, k=8) + rng.choices(_COMMON, k=3)))
        labels.append(False)
    order = list(range(len(texts)))
    rng.shuffle(order)
    return [texts[i] for i in order], [labels[i] for i in order]
