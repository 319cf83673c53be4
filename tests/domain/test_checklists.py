"""A checklist item's status from the evidence a review holds, and when it is flagged."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cosynth.domain.checklists import (
    MAX_WHERE,
    ChecklistDataError,
    ChecklistItem,
    Evidence,
    EvidenceKind,
    FilledItem,
    ItemStatus,
    ReportedAt,
    checklist_from_dict,
    clean_where,
    status_of,
)
from cosynth.errors import InputError

TRANSLATING = ChecklistItem(
    number="13",
    section="Phase 5",
    title="Process of translating studies",
    explanation="How the studies were translated into one another.",
    evidence=(EvidenceKind.TRANSLATION_ORDER, EvidenceKind.TRANSLATIONS),
)
REGISTRATION = ChecklistItem(number="24a", section="Other", title="Registration", explanation="")


def found(kind: EvidenceKind) -> Evidence:
    return Evidence(kind, True, "kept")


def missing(kind: EvidenceKind) -> Evidence:
    return Evidence(kind, False, "nothing yet", kind.to_add)


def test_it_is_found_partly_found_or_missing_by_the_evidence_kept() -> None:
    order, made = EvidenceKind.TRANSLATION_ORDER, EvidenceKind.TRANSLATIONS
    assert status_of(TRANSLATING, [found(order), found(made)]) is ItemStatus.FOUND
    assert status_of(TRANSLATING, [found(order), missing(made)]) is ItemStatus.PARTIAL
    assert status_of(TRANSLATING, [missing(order), missing(made)]) is ItemStatus.MISSING
    assert status_of(REGISTRATION, []) is ItemStatus.MANUSCRIPT


def test_it_says_what_to_add_for_the_missing_pieces_only() -> None:
    partly = FilledItem(
        TRANSLATING,
        ItemStatus.PARTIAL,
        (found(EvidenceKind.TRANSLATION_ORDER), missing(EvidenceKind.TRANSLATIONS)),
    )
    assert partly.flagged
    assert partly.to_add == (EvidenceKind.TRANSLATIONS.to_add,)


def test_it_flags_a_manuscript_only_item_until_the_lead_says_where_it_is_reported() -> None:
    unplaced = FilledItem(REGISTRATION, ItemStatus.MANUSCRIPT, ())
    assert unplaced.flagged
    note = ReportedAt(
        "prisma-2020", "24a", "Methods, p. 3", "alice", datetime(2026, 1, 5, tzinfo=UTC)
    )
    placed = FilledItem(REGISTRATION, ItemStatus.MANUSCRIPT, (), note)
    assert not placed.flagged
    assert placed.to_add == ()


def test_it_counts_sub_items_under_their_item() -> None:
    assert REGISTRATION.top == 24
    assert TRANSLATING.top == 13


def test_it_keeps_the_note_on_one_line_and_refuses_an_essay() -> None:
    assert clean_where("  Methods,\n  Search strategy, p. 4 ") == "Methods, Search strategy, p. 4"
    with pytest.raises(InputError, match=f"at most {MAX_WHERE} characters"):
        clean_where("p. 4 " * 200)


def test_it_names_the_key_at_fault_in_a_checklist_table() -> None:
    table = {
        "format": 1,
        "id": "mini",
        "name": "Mini",
        "version": "1",
        "source": {"citation": "A checklist.", "licence": "CC BY 4.0"},
        "items": [{"number": "1", "title": "Title", "evidence": ["flow", "flow"]}],
    }
    with pytest.raises(ChecklistDataError, match='"flow" is named twice') as refused:
        checklist_from_dict(table)
    assert refused.value.path == ("items", 0, "evidence")
