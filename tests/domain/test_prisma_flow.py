"""PRISMA 2020 arithmetic: a flow that adds up checks clean; one that does not is named."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from cosynth.domain.prisma import (
    BOX_NAMES,
    Count,
    Flow,
    check_flow,
    derived_totals,
)

DATABASES = ["MEDLINE", "CINAHL", "Scopus", "PsycINFO", "ASSIA"]
REASONS = ["not co-production", "wrong setting", "not integrated care", "not in English"]
small = st.integers(min_value=0, max_value=400)


def _counts(labels: list[str], values: list[int]) -> tuple[Count, ...]:
    return tuple(Count(label, n) for label, n in zip(labels, values, strict=False))


@st.composite
def flows(draw: st.DrawFn) -> Flow:
    """A flow built by the arithmetic, bottom up, so every box is what the boxes above it leave."""
    reasons = draw(st.lists(small, min_size=1, max_size=4))
    other_reasons = draw(st.lists(small, max_size=3))
    kept, other_kept = draw(small), draw(small)
    reports = kept + other_kept
    studies = draw(st.integers(min_value=min(1, reports), max_value=reports))
    other_missing = draw(small)
    other_sought = other_kept + sum(other_reasons) + other_missing
    websites = draw(st.integers(min_value=0, max_value=other_sought))
    organisations = draw(st.integers(min_value=0, max_value=other_sought - websites))
    databases = draw(st.lists(small, min_size=1, max_size=5))
    registers = draw(small)
    updated = draw(st.booleans())
    flow = Flow(
        database_specific_results=_counts(DATABASES, databases),
        register_results=registers,
        website_results=websites,
        organisation_results=organisations,
        citations_results=other_sought - websites - organisations,
        excluded_automatic=draw(small),
        excluded_other=draw(small),
        records_excluded=draw(small),
        dbr_notretrieved_reports=draw(small),
        dbr_excluded=_counts(REASONS, reasons),
        other_sought_reports=other_sought,
        other_notretrieved_reports=other_missing,
        other_excluded=_counts(["not co-production", "wrong setting", "a protocol"], other_reasons),
        new_studies=studies,
        previous_studies=draw(st.integers(min_value=1, max_value=50)) if updated else 0,
        previous_reports=draw(st.integers(min_value=1, max_value=50)) if updated else 0,
        records_imported=0 if draw(st.booleans()) else None,
    )  # fmt: skip
    # Work upward from the reports kept: reports assessed, sought, records screened, identified.
    assessed = kept + flow.dbr_excluded_total
    sought = assessed + flow.dbr_notretrieved_reports
    screened = sought + flow.records_excluded
    identified = screened + draw(small) + flow.excluded_automatic + flow.excluded_other
    duplicates = identified - screened - flow.excluded_automatic - flow.excluded_other
    database_total = identified - registers
    if database_total < 0:  # the registers took more than there were: make them fewer
        registers, database_total = identified, 0
    parts = list(flow.database_specific_results)
    spread = [count.n for count in parts]
    scale = sum(spread)
    shares = [database_total * n // scale if scale else 0 for n in spread]
    shares[0] += database_total - sum(shares)
    flow = replace(
        flow,
        database_results=database_total,
        database_specific_results=tuple(
            Count(c.label, n) for c, n in zip(parts, shares, strict=True)
        ),
        register_results=registers,
        duplicates=duplicates,
    )  # fmt: skip
    return derived_totals(flow)


# The boxes that an equation ties to the others: changing one by any amount
# breaks a sum. (Records from other methods and the studies count only as
# upper bounds; they are tested below in the direction that breaks.)
TIED = (
    "database_results", "register_results", "duplicates", "excluded_automatic",
    "excluded_other", "records_screened", "records_excluded", "dbr_sought_reports",
    "dbr_notretrieved_reports", "dbr_assessed", "other_sought_reports",
    "other_notretrieved_reports", "other_assessed", "new_reports",
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(flows())
def test_it_checks_a_flow_built_by_the_arithmetic_clean(flow: Flow) -> None:
    assert check_flow(flow) == []


@settings(max_examples=200, deadline=None)
@given(flows(), st.sampled_from(TIED), st.integers(min_value=-30, max_value=30).filter(bool))
def test_it_names_any_one_box_changed(flow: Flow, box: str, change: int) -> None:
    changed = replace(flow, **{box: getattr(flow, box) + change})
    named = {key for problem in check_flow(changed) for key in problem.boxes}
    assert box in named


@settings(max_examples=100, deadline=None)
@given(flows(), st.integers(min_value=-30, max_value=30).filter(bool))
def test_it_names_the_imported_records_when_they_change(flow: Flow, change: int) -> None:
    if flow.records_imported is None:
        flow = replace(flow, records_imported=flow.identified - flow.excluded_other)
    changed = replace(flow, records_imported=flow.records_imported + change)  # type: ignore[operator]
    named = {key for problem in check_flow(changed) for key in problem.boxes}
    assert "records_imported" in named


@settings(max_examples=100, deadline=None)
@given(
    flows(),
    st.sampled_from(["database_specific_results", "dbr_excluded", "other_excluded"]),
    st.integers(min_value=1, max_value=30),
)
def test_it_names_a_list_whose_part_changes(flow: Flow, box: str, change: int) -> None:
    parts: tuple[Count, ...] = getattr(flow, box)
    if not parts:
        parts = (Count("not co-production", 0),)
    first = parts[0]
    moved: dict[str, object] = {box: (Count(first.label, first.n + change), *parts[1:])}
    changed = replace(flow, **moved)  # type: ignore[arg-type]
    named = {key for problem in check_flow(changed) for key in problem.boxes}
    assert box in named


@settings(max_examples=100, deadline=None)
@given(flows(), st.integers(min_value=1, max_value=30))
def test_it_names_the_totals_of_an_updated_review(flow: Flow, change: int) -> None:
    updated = replace(flow, previous_studies=flow.previous_studies + change)
    named = {key for problem in check_flow(updated) for key in problem.boxes}
    assert {"previous_studies", "total_studies"} <= named
    wrong_total = replace(flow, total_reports=flow.total_reports + change)
    assert any("total_reports" in p.boxes for p in check_flow(wrong_total))


@settings(max_examples=100, deadline=None)
@given(flows(), st.integers(min_value=1, max_value=30))
def test_it_names_other_methods_that_found_fewer_records_than_were_sought(
    flow: Flow, change: int
) -> None:
    fewer = replace(
        flow,
        website_results=0,
        organisation_results=0,
        citations_results=max(flow.other_sought_reports - change, 0),
    )
    if flow.other_sought_reports == 0:
        fewer = replace(
            fewer, other_sought_reports=change, other_assessed=flow.other_assessed + change
        )
    problems = check_flow(fewer)
    assert any(
        "citations_results" in p.boxes and "other_sought_reports" in p.boxes for p in problems
    )


@settings(max_examples=100, deadline=None)
@given(flows(), st.integers(min_value=1, max_value=30))
def test_it_names_more_studies_than_reports(flow: Flow, change: int) -> None:
    changed = replace(flow, new_studies=flow.new_reports + change)
    assert any("new_studies" in p.boxes for p in check_flow(changed))


def test_it_says_a_count_cannot_be_negative() -> None:
    flow = derived_totals(Flow(database_results=100, duplicates=10, records_excluded=-5))
    messages = [p.message for p in check_flow(flow) if p.boxes == ("records_excluded",)]
    assert messages == ['"Records excluded" is -5; a count cannot be negative.']


def test_it_explains_a_gap_with_the_numbers_and_the_box_names() -> None:
    flow = derived_totals(Flow(database_results=1_200, duplicates=200, records_excluded=900))
    flow = replace(flow, records_screened=950)
    (problem,) = [
        p for p in check_flow(flow) if "records_screened" in p.boxes and "duplicates" in p.boxes
    ]
    assert problem.message == (
        '"Records identified from databases" (1,200) less "Duplicate records removed" (200) '
        'less "Records marked as ineligible by automation tools" (0) less "Records removed for '
        'other reasons" (0) should be the "Records screened": 1,000, but 950 is reported '
        "(50 records were neither screened nor removed)."
    )


def test_it_names_every_box_in_plain_words() -> None:
    assert set(BOX_NAMES) == set(Flow.__dataclass_fields__)
