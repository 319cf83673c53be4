"""What a ranker is: features prepared once per corpus, a score per record after each decision."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

Scores = npt.NDArray[np.float64]


@dataclass(frozen=True)
class PreparedCorpus:
    """A corpus turned into a ranker's features, reused for every retrain.

    `features` belongs to the ranker that made it (`ranker`) and is opaque to
    everyone else; `size` is the number of documents, in the order given.
    """

    ranker: str
    size: int
    features: object


@runtime_checkable
class Ranker(Protocol):
    """A model that orders unscreened records by how likely they are to be relevant.

    `prepare` runs once per corpus (or whenever records are added); `score`
    runs after every decision, with at least one relevant and one irrelevant
    label, and returns one score per document (higher: more likely relevant).
    Scores only order records; they are not probabilities. `labels` (document
    index -> relevant) iterate in the order the decisions were made, oldest
    first; a ranker may read runs of decisions from that order.
    """

    name: str
    label: str

    def prepare(self, documents: Sequence[str]) -> PreparedCorpus: ...

    def score(self, prepared: PreparedCorpus, labels: Mapping[int, bool]) -> Scores: ...


# Between the fields of a document's text: a control character no field keeps
# (`document_text` blanks it out), which tokenisers take for white space.
FIELD_SEPARATOR = "\x1f"


def document_text(title: str, abstract: str, keywords: str = "") -> str:
    """The one text a ranker sees for a record: title, abstract and keywords.

    The fields are joined with `FIELD_SEPARATOR`, so a ranker that weighs the
    title apart can split them (`document_fields`); to any other ranker the
    text reads as the fields with spaces between. Keywords (e.g. MeSH
    headings) are short and precise; an empty field costs nothing.
    """
    return FIELD_SEPARATOR.join(
        (field or "").replace(FIELD_SEPARATOR, " ") for field in (title, abstract, keywords)
    )


def document_fields(text: str) -> tuple[str, str, str]:
    """(title, abstract, keywords) of a `document_text`; plain text counts as an abstract."""
    parts = text.split(FIELD_SEPARATOR)
    if len(parts) != 3:
        return "", text.replace(FIELD_SEPARATOR, " "), ""
    return parts[0], parts[1], parts[2]
