"""Studies: what the review includes after full-text screening.

PRISMA 2020 separates *reports* (documents) from *studies*; in cosynth a study
is a screening unit (a record, or the first record of a duplicate group)
included at full text, and its reports are the full texts attached to it.
Appraisal, extraction and co-production scoring all work on studies.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from cosynth.domain.citation import Citation


@dataclass(frozen=True, slots=True)
class Study:
    """An included study, named the way a synthesis table names it ("Smith 2019")."""

    record_id: int
    label: str
    citation: Citation
    report_ids: tuple[int, ...] = ()


def author_year(citation: Citation) -> str:
    """ "Surname Year" from the first author, or the title's first words when there is none."""
    if citation.authors:
        first = citation.authors[0]
        surname = first.split(",")[0].strip() if "," in first else first.split()[-1]
    else:
        surname = " ".join(citation.title.split()[:3]) or "Untitled"
    return f"{surname} {citation.year}" if citation.year else surname


def study_labels(citations: list[tuple[int, Citation]]) -> dict[int, str]:
    """Labels for studies in the order given; two "Smith 2019" become "Smith 2019a" and "…b"."""
    plain = {record_id: author_year(citation) for record_id, citation in citations}
    clashes = Counter(plain.values())
    seen: Counter[str] = Counter()
    labels: dict[int, str] = {}
    for record_id, _ in citations:
        label = plain[record_id]
        if clashes[label] > 1:
            labels[record_id] = f"{label}{chr(ord('a') + seen[label])}"
            seen[label] += 1
        else:
            labels[record_id] = label
    return labels
