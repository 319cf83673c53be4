"""The text a ranker sees for a record, and its fields back."""

from __future__ import annotations

from cosynth.ranking import document_text
from cosynth.ranking.base import FIELD_SEPARATOR, document_fields


def test_it_keeps_the_fields_apart_for_rankers_that_weigh_the_title() -> None:
    text = document_text("Insulin pumps", "A trial.", "Diabetes; Insulin")
    assert document_fields(text) == ("Insulin pumps", "A trial.", "Diabetes; Insulin")


def test_it_reads_as_plain_words_to_other_rankers() -> None:
    text = document_text("Insulin pumps", "A trial.")
    assert text.replace(FIELD_SEPARATOR, " ").split() == ["Insulin", "pumps", "A", "trial."]


def test_it_blanks_a_separator_inside_a_field() -> None:
    text = document_text(f"odd{FIELD_SEPARATOR}title", "", "")
    assert document_fields(text) == ("odd title", "", "")


def test_it_takes_plain_text_for_an_abstract() -> None:
    assert document_fields("just some words") == ("", "just some words", "")


def test_it_ranks_a_stage_of_one_record_or_of_empty_records() -> None:
    from cosynth.ranking.queue import rank_queue
    from cosynth.ranking.registry import load_ranker

    ranker = load_ranker()
    for documents in (["Co-producing care with carers"], ["", "", ""]):
        prepared = ranker.prepare(documents)
        queue = rank_queue(prepared, {}, ranker=ranker)
        assert sorted(queue.order) == list(range(len(documents)))
    prepared = ranker.prepare(["", "", ""])
    queue = rank_queue(prepared, {0: True, 1: False}, ranker=ranker)
    assert queue.order == (2,)
