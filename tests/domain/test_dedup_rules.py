"""What makes two records one work, and what never does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cosynth.domain.citation import Citation
from cosynth.domain.dedup.compare import Outcome, compare
from cosynth.domain.dedup.groups import Decision, find_duplicates
from cosynth.domain.dedup.keys import journal_words, journals_compatible, match_keys, pages
from cosynth.domain.dedup.kinds import Kind, part_of
from cosynth.domain.dedup.representative import representative

ARTICLE = Citation(
    title="Co-production with service users in integrated care: a meta-ethnography",
    authors=("Conquer, Susan", "Iles, Richard", "Windle, Karen"),
    year=2024,
    journal="International Journal of Integrated Care",
    volume="24",
    issue="1",
    pages="17-29",
    doi="10.5334/ijic.7603",
)


def verdict(a: Citation, b: Citation) -> Outcome:
    return compare(match_keys(0, a), match_keys(1, b)).outcome


def test_it_merges_the_same_article_exported_by_two_databases() -> None:
    medline = ARTICLE.with_changes(
        title="Co-production with service users in integrated care: A meta-ethnography.",
        authors=("Conquer S", "Iles R", "Windle K"),
        journal="Int J Integr Care",
        pages="17-29",
        doi="https://doi.org/10.5334/IJIC.7603",
    )
    assert verdict(ARTICLE, medline) is Outcome.DUPLICATE
    assert verdict(ARTICLE, medline.with_changes(doi="")) is Outcome.DUPLICATE


@pytest.mark.parametrize(
    ("other", "kind"),
    [
        (ARTICLE.with_changes(title="Erratum: " + ARTICLE.title, pages="30"), Kind.ERRATUM),
        (ARTICLE.with_changes(title="Correction to: " + ARTICLE.title), Kind.ERRATUM),
        (
            ARTICLE.with_changes(title="Comment on: " + ARTICLE.title, authors=("Smith, J",)),
            Kind.COMMENT,
        ),
        (ARTICLE.with_changes(title="Reply to: " + ARTICLE.title), Kind.REPLY),
        (ARTICLE.with_changes(title="Retraction notice: " + ARTICLE.title), Kind.RETRACTION),
        (ARTICLE.with_changes(journal="medRxiv", doi="10.1101/2023.01.01.23284000"), Kind.PREPRINT),
        (
            ARTICLE.with_changes(publication_type="Conference Abstract", doi=""),
            Kind.CONFERENCE_ABSTRACT,
        ),
        (ARTICLE.with_changes(title=ARTICLE.title + " (vol 24, pg 17, 2024)"), Kind.ERRATUM),
    ],
)
def test_it_never_merges_an_article_with_what_only_shares_its_title(
    other: Citation, kind: Kind
) -> None:
    assert match_keys(1, other).kind is kind
    assert verdict(ARTICLE, other) is Outcome.DISTINCT


def test_it_keeps_the_parts_of_a_series_apart() -> None:
    part_one = ARTICLE.with_changes(
        title="Co-production in integrated care. Part 1: design", doi=""
    )
    part_two = part_one.with_changes(title="Co-production in integrated care. Part 2: design")
    assert verdict(part_one, part_two) is Outcome.DISTINCT
    assert part_of("co-production in integrated care: ii") == 2
    assert part_of("outcomes in type ii diabetes") is None


def test_it_never_auto_merges_on_too_little_evidence() -> None:
    editorial = Citation(title="Editorial", year=2020)
    assert verdict(editorial, editorial) is not Outcome.DUPLICATE
    untitled = Citation(authors=("Smith, J",), year=2020, journal="BMJ")
    assert verdict(untitled, untitled) is not Outcome.DUPLICATE
    short = Citation(title="Peer support", authors=("Smith, J",), year=2020)
    assert verdict(short, short) is not Outcome.DUPLICATE


def test_it_sends_a_near_miss_to_a_person_with_the_reason() -> None:
    later = ARTICLE.with_changes(doi="", volume="25", pages="1-12")
    found = compare(match_keys(0, ARTICLE.with_changes(doi="")), match_keys(1, later))
    assert found.outcome is Outcome.UNCERTAIN
    assert "volumes 24 and 25" in found.reason


def test_it_reads_page_ranges_and_journal_abbreviations_as_people_do() -> None:
    assert pages("288-97") == pages("288-297") == ("288", "297")
    assert pages("pp. 12-15") == ("12", "15")
    assert pages("11-Sep") == ("", "")
    assert journals_compatible(
        journal_words("J Clin Epidemiol"), journal_words("Journal of Clinical Epidemiology")
    )
    assert journals_compatible(
        journal_words("Curr Opin Lipidol"), journal_words("Current Opinion in Lipidology")
    )
    assert not journals_compatible(journal_words("Lancet"), journal_words("BMJ"))


def test_it_does_not_chain_weak_links_into_a_mega_group() -> None:
    titles = [
        "Editorial introduction to the special issue on integrated care",
        "Editorial introduction to the special issue on integrated care in Wales",
        "Editorial introduction to the special issue on integrated care in Wales and Scotland",
    ]
    citations = [
        Citation(title=t, authors=("Smith, J",), year=2020, journal="IJIC", volume="20", pages=p)
        for t, p in zip(titles, ("1", "2", "3"), strict=True)
    ]
    grouping = find_duplicates(citations)
    assert grouping.groups == ()


def test_it_handles_ten_thousand_identical_records() -> None:
    grouping = find_duplicates([ARTICLE] * 10_000)
    assert len(grouping.groups) == 1
    assert len(grouping.groups[0]) == 10_000
    assert grouping.pairs_compared < 10


def test_it_survives_odd_records() -> None:
    odd = [
        Citation(title="Ἀρχαῖα ἑλληνικά: μελέτη", authors=("Παπαδόπουλος, Γ",), year=2019),
        Citation(title="护理中的共同生产研究", authors=("王, 伟",), year=2021),
        Citation(title="A study", year=99999),
        Citation(title="", doi="https://doi.org/10.1000/a 10.1000/b"),
        Citation(title="x" * 5000, year=-4),
        Citation(),
    ]
    grouping = find_duplicates(odd + odd)
    assert all(len(group) == 2 for group in grouping.groups)
    for group in grouping.groups:
        first, second = group
        assert odd[first % len(odd)] == odd[second % len(odd)]


def test_it_follows_peoples_decisions_both_ways() -> None:
    twin = ARTICLE.with_changes(doi="")
    assert find_duplicates([ARTICLE, twin]).groups == ((0, 1),)
    assert find_duplicates([ARTICLE, twin], [Decision(0, 1, duplicate=False)]).groups == ()
    unrelated = Citation(title="Something else entirely about co-delivery", year=2001)
    forced = find_duplicates([ARTICLE, unrelated], [Decision(1, 0, duplicate=True)])
    assert forced.groups == ((0, 1),)


def test_it_builds_the_representative_from_the_most_complete_fields() -> None:
    short = ARTICLE.with_changes(abstract="Short.", journal="Int J Integr Care")
    full = ARTICLE.with_changes(abstract="A much longer abstract.", journal="")
    merged, given_by = representative([(7, short), (9, full)])
    assert merged.abstract == "A much longer abstract."
    assert merged.journal == "Int J Integr Care"
    assert given_by["abstract"] == 9
    assert given_by["journal"] == 7


VOCABULARY = ("care", "peer", "support", "design", "co", "production", "service", "users")
words = st.lists(st.sampled_from(VOCABULARY), min_size=5, max_size=12)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.builds(
            lambda title, year, volume, page, author: Citation(
                title=" ".join(title), year=year, volume=volume, pages=page, authors=(author,)
            ),
            words,
            st.integers(2010, 2014),
            st.sampled_from(["1", "2", ""]),
            st.sampled_from(["10", "11", ""]),
            st.sampled_from(["Smith, J", "Jones, K"]),
        ),
        min_size=2,
        max_size=25,
    )
)
def test_it_only_forms_groups_whose_members_are_pairwise_compatible(
    citations: list[Citation],
) -> None:
    grouping = find_duplicates(citations)
    keys = [match_keys(i, c) for i, c in enumerate(citations)]
    for group in grouping.groups:
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                assert compare(keys[a], keys[b]).outcome is not Outcome.DISTINCT


@given(st.text(alphabet="abcde ", max_size=30), st.text(alphabet="abcde ", max_size=30))
def test_it_measures_title_likeness_as_the_longest_common_subsequence(a: str, b: str) -> None:
    from difflib import SequenceMatcher

    from cosynth.domain.dedup.compare import lcs_ratio

    ratio = lcs_ratio(a, b)
    if not a or not b:
        assert ratio == 0.0
        return
    assert 0.0 <= ratio <= 1.0
    assert ratio == lcs_ratio(b, a)
    assert (ratio == 1.0) == (a == b)
    # difflib's matching blocks are a common subsequence, so never longer than the LCS.
    assert ratio >= SequenceMatcher(None, a, b, autojunk=False).ratio() - 1e-9


def test_it_matches_what_databases_write_differently() -> None:
    base = ARTICLE.with_changes(doi="")
    variants = [
        # a group author in one database, the people in the other
        base.with_changes(authors=("ALTS Study Group",)),
        # a one-page record given its last page only
        base.with_changes(pages="29"),
        # name particles kept, dropped or moved
        base.with_changes(authors=("de Conquer, S.", "Iles, R")),
        # a leading article dropped, a translated-title bracket, a trailing note
        base.with_changes(title="[" + ARTICLE.title + "]. [Review] [33 refs]"),
        # one database recorded the neighbouring article's DOI
        base.with_changes(doi="10.5334/ijic.9999"),
    ]
    for variant in variants:
        assert verdict(base.with_changes(doi="10.5334/ijic.7603"), variant) is Outcome.DUPLICATE, (
            variant
        )


def test_it_keeps_apart_same_titled_items_elsewhere_in_the_volume() -> None:
    later_issue = ARTICLE.with_changes(doi="", issue="5", pages="1223")
    assert verdict(ARTICLE.with_changes(doi=""), later_issue) is Outcome.DISTINCT


def test_it_asks_a_person_about_two_versions_of_one_cochrane_review() -> None:
    first = Citation(
        title="Air versus oxygen for resuscitation of infants at birth",
        authors=("Tan, A",),
        year=2004,
        journal="Cochrane Database Syst Rev",
        pages="CD002273",
        doi="10.1002/14651858.CD002273.pub2",
    )
    update = first.with_changes(year=2005, doi="10.1002/14651858.CD002273.pub3")
    found = compare(match_keys(0, first), match_keys(1, update))
    assert found.outcome is Outcome.UNCERTAIN
    assert "Cochrane" in found.reason
