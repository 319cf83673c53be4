"""What the JSON readers of API answers share: finding the records, and skipping unusable ones.

Europe PMC, OpenAlex and Crossref answers are read by readers of their own
(`europepmc`, `openalex`, `crossref`), which know each API's documented
fields; the records are found in the answer as the generic JSON reader finds
them (with the line each starts on).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from cosynth.domain.citation import Citation
from cosynth.formats.base import Document, Entry
from cosynth.formats.fields import clean
from cosynth.formats.json_records import _Walker


def read_records(
    doc: Document, citation_of: Callable[[dict[str, Any]], Citation], api: str
) -> Iterator[Entry]:
    """Every record of an API answer as an `Entry`; unusable ones skipped with the reason."""
    for line, raw, value in _Walker(doc.text, doc.filename).records():
        if not isinstance(value, dict):
            kind = type(value).__name__
            yield Entry.skip(line, raw, f"this {api} item is a JSON {kind}, not a record")
            continue
        try:
            citation = citation_of(value)
        except (TypeError, ValueError, AttributeError) as exc:
            yield Entry.skip(line, raw, f"a field of this {api} record has an odd shape ({exc})")
            continue
        if citation.is_empty:
            yield Entry.skip(
                line, raw, f"the {api} record has no title, abstract, authors, DOI or PMID"
            )
        else:
            yield Entry(line=line, raw=raw, citation=citation)


def text(value: Any) -> str:
    """A scalar as clean text; lists give their first item (Crossref's titles are lists)."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if value is None or isinstance(value, dict | list):
        return ""
    return clean(str(value))


def texts(values: Any) -> tuple[str, ...]:
    """A list of scalars as clean texts, empty ones left out."""
    if not isinstance(values, list):
        return (text(values),) if text(values) else ()
    return tuple(t for t in (text(v) for v in values) if t)


def path(value: Any, *keys: str) -> Any:
    """`value[k1][k2]...`, or None where any step is missing."""
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def sniff_score(doc: Document, marker: str) -> int:
    """95 for a JSON object whose head carries `marker` (above the generic JSON reader's 90)."""
    head = doc.head.lstrip()
    return 95 if head.startswith("{") and marker in head else 0
