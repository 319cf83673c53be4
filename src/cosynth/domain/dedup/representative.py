"""A group's representative: the most complete value of each field, with where it came from.

Derived whenever it is shown (never stored), so undoing a merge needs nothing
but dissolving the group; every source record keeps its own fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields

from cosynth.domain.citation import Citation

_SKIP = {"extra", "label", "source_id"}


def representative(members: Sequence[tuple[int, Citation]]) -> tuple[Citation, dict[str, int]]:
    """The merged citation and, per field, the record id that gave it.

    The longest value wins (a full abstract over a truncated one, a full
    journal name over an abbreviation); ties go to the earlier record.
    """
    if not members:
        raise ValueError("a group has at least one record")
    chosen: dict[str, object] = {}
    given_by: dict[str, int] = {}
    for field in fields(Citation):
        if field.name in _SKIP:
            continue
        best_id, best_value, best_size = members[0][0], getattr(members[0][1], field.name), -1
        for record_id, citation in members:
            value = getattr(citation, field.name)
            size = _size(value)
            if size > best_size:
                best_id, best_value, best_size = record_id, value, size
        chosen[field.name] = best_value
        if best_size > 0:
            given_by[field.name] = best_id
    return members[0][1].with_changes(**chosen), given_by


def _size(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, tuple):  # more authors, then fuller names, win
        return len(value) * 10_000 + sum(len(str(item)) for item in value)
    if isinstance(value, int):
        return 1
    return len(str(value))
