"""Comparing two records: duplicate (certain), needs a human (with the reason), or distinct.

The rules are deliberately one-sided: a false merge silently drops a study
from the review, while a missed duplicate costs a reviewer a few seconds. So
a pair is called a duplicate only on agreeing evidence and no conflict; a
near-miss goes to a human with the reason shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from cosynth.domain.dedup.keys import MatchKeys, journals_compatible, volumes_compatible


class Outcome(StrEnum):
    DUPLICATE = "duplicate"
    UNCERTAIN = "needs a human"
    DISTINCT = "distinct"


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: Outcome
    reason: str
    # How strongly the evidence agrees (0..1): used to order merges.
    strength: float = 0.0


# Title similarity (0..1) at or above which titles are "the same title".
SAME_TITLE = 0.95
# At or above this, a pair is worth a human's look when other fields agree.
CLOSE_TITLE = 0.85
# Titles shorter than this many words are too generic to merge on ("Editorial").
MIN_TITLE_WORDS = 4


def title_similarity(a: MatchKeys, b: MatchKeys) -> float:
    """How alike two normalised titles are (1.0 identical), with cheap exits first.

    This runs for every candidate pair, so it is written for speed: the
    letter-by-letter count only runs for titles of like length that share at
    least half their words.
    """
    title_a, title_b = a.title, b.title
    if title_a == title_b:
        return 1.0 if title_a else 0.0
    if not title_a or not title_b:
        return 0.0
    length_a, length_b = len(title_a), len(title_b)
    short, long = (a, b) if length_a <= length_b else (b, a)
    # Some databases drop the subtitle: "Title: subtitle" vs "Title". Count it
    # as close only when the kept part is long enough to be specific.
    dropped = 0.0
    if long.title.startswith(short.title) and len(short.title_words) >= 6:
        dropped = 0.9 if len(short.title_words) >= 8 else CLOSE_TITLE
    if len(short.title) < (CLOSE_TITLE - 0.1) * len(long.title):
        return dropped
    # Titles that share under half their words cannot be 85% alike letter by
    # letter unless words were glued together.
    shared = len(a.title_word_set & b.title_word_set)
    if 2 * shared < len(a.title_word_set) + len(b.title_word_set) - shared:
        return dropped
    return max(_aligned_ratio(a, b) or lcs_ratio(title_a, title_b), dropped)


def _aligned_ratio(a: MatchKeys, b: MatchKeys) -> float:
    """The LCS ratio when the titles differ in at most two aligned words (typos), else 0.

    Equal words are common in full, so only the differing words need the
    letter-by-letter count: a lower bound of the full LCS ratio, found faster.
    """
    if len(a.title_words) != len(b.title_words):
        return 0.0
    differing = [(x, y) for x, y in zip(a.title_words, b.title_words, strict=True) if x != y]
    if len(differing) > 2:
        return 0.0
    common = len(a.title) - sum(len(x) for x, _ in differing)
    for x, y in differing:
        common += round(lcs_ratio(x, y) * (len(x) + len(y)) / 2)
    return 2 * common / (len(a.title) + len(b.title))


def lcs_ratio(a: str, b: str) -> float:
    """2 x (longest common subsequence) / (total length): 1.0 for equal strings.

    The LCS comes from the bit-parallel algorithm of Allison and Dix (1986,
    Inf Process Lett 23:305-310), one pass over `b` with Python's big
    integers as bit vectors: tens of microseconds for two titles, where
    difflib takes hundreds.
    """
    if not a or not b:
        return 0.0
    masks: dict[str, int] = {}
    for position, char in enumerate(a):
        masks[char] = masks.get(char, 0) | (1 << position)
    all_ones = (1 << len(a)) - 1
    vector = all_ones
    for char in b:
        matches = vector & masks.get(char, 0)
        vector = ((vector + matches) | (vector - matches)) & all_ones
    common = len(a) - vector.bit_count()
    return 2 * common / (len(a) + len(b))


def compare(a: MatchKeys, b: MatchKeys) -> Verdict:
    """The verdict on whether `a` and `b` are the same work."""
    if a.kind != b.kind:
        return Verdict(Outcome.DISTINCT, f"{a.kind.value} and {b.kind.value}")
    if a.part is not None and b.part is not None and a.part != b.part:
        return Verdict(Outcome.DISTINCT, f"parts {a.part} and {b.part} of a series")
    similarity = title_similarity(a, b)
    shared_id = _shared_identifier(a, b)
    if not shared_id and _versions_of_one_review(a, b) and similarity >= CLOSE_TITLE:
        # A Cochrane update is a new version with new searches, not a copy:
        # the team decides which version the review includes.
        return Verdict(Outcome.UNCERTAIN, "two versions of one Cochrane review (.pubN DOIs)")
    if not shared_id and similarity < CLOSE_TITLE:
        # Most candidate pairs end here: different titles and nothing shared.
        return Verdict(Outcome.DISTINCT, "different titles")
    conflicts = _conflicts(a, b)

    if shared_id:
        return _with_shared_identifier(a, b, shared_id, similarity, conflicts)
    if conflicts and conflicts[0].startswith(("different DOIs", "different PMIDs")):
        if similarity == 1.0 and len(conflicts) == 1 and _same_place(a, b) and _authors_agree(a, b):
            # Same title, authors, year, volume and first page: one database
            # recorded a wrong identifier (a DOI of the neighbouring article).
            return Verdict(
                Outcome.DUPLICATE, f"same title, authors and place but {conflicts[0]}", 0.7
            )
        if similarity >= SAME_TITLE and len(conflicts) == 1 and _agreements(a, b) >= 3:
            return Verdict(Outcome.UNCERTAIN, f"same title and details but {conflicts[0]}")
        return Verdict(Outcome.DISTINCT, conflicts[0])
    return _on_metadata(a, b, similarity, conflicts)


def _with_shared_identifier(
    a: MatchKeys, b: MatchKeys, identifier: str, similarity: float, conflicts: list[str]
) -> Verdict:
    hard = _hard(conflicts)
    if a.part != b.part:
        return Verdict(Outcome.UNCERTAIN, f"same {identifier} but only one names a part")
    if similarity >= 0.9 and not hard:
        return Verdict(Outcome.DUPLICATE, f"same {identifier} and title", 1.0)
    if similarity >= SAME_TITLE and len(hard) == 1 and hard[0].startswith("pages"):
        # One DOI and one title: page numbers of abstract supplements vary by source.
        return Verdict(Outcome.DUPLICATE, f"same {identifier} and title ({hard[0]})", 0.8)
    if similarity >= SAME_TITLE and hard == ["different authors"] and _agreements(a, b) >= 3:
        # Author names mangled by one database (given and family names swapped).
        return Verdict(Outcome.DUPLICATE, f"same {identifier}, title and details", 0.85)
    if similarity < CLOSE_TITLE and a.title and b.title and hard:
        # One DOI shared by a whole supplement or book: different works.
        return Verdict(Outcome.DISTINCT, f"same {identifier} but different titles and {hard[0]}")
    if not a.title or not b.title:
        if not hard and _agreements(a, b) >= 2:
            return Verdict(Outcome.DUPLICATE, f"same {identifier}, one title missing", 0.9)
        return Verdict(Outcome.UNCERTAIN, f"same {identifier} but a title is missing")
    if similarity >= CLOSE_TITLE and not hard:
        return Verdict(Outcome.DUPLICATE, f"same {identifier}, titles nearly equal", 0.9)
    # One DOI on several works happens (a book's chapters, a supplement).
    why = "; ".join(hard) if hard else "titles differ"
    return Verdict(Outcome.UNCERTAIN, f"same {identifier} but {why}")


def _on_metadata(a: MatchKeys, b: MatchKeys, similarity: float, conflicts: list[str]) -> Verdict:
    """No shared identifier: decide on title, authors, year, volume and pages."""
    agreements = _agreements(a, b)
    generic = min(len(a.title_words), len(b.title_words)) < MIN_TITLE_WORDS
    authors_agree = _authors_agree(a, b)
    hard = _hard(conflicts)
    if (
        hard
        and hard[0].startswith("pages")
        and any(c.startswith("different issues") for c in conflicts)
    ):
        # Same volume, another issue and other pages: an erratum, a comment or a
        # reprint of the article, which are not the article itself.
        return Verdict(Outcome.DISTINCT, f"{hard[0]} in another issue")
    if hard:
        if similarity >= SAME_TITLE and authors_agree and agreements >= 2:
            return Verdict(Outcome.UNCERTAIN, f"same title and authors but {hard[0]}")
        return Verdict(Outcome.DISTINCT, hard[0])
    if conflicts:  # only soft ones: journal names or issue numbers written differently
        if similarity >= SAME_TITLE and authors_agree and not generic and agreements >= 3:
            return Verdict(
                Outcome.DUPLICATE, f"same title, authors and details ({conflicts[0]})", 0.8
            )
        if similarity >= SAME_TITLE and authors_agree:
            return Verdict(Outcome.UNCERTAIN, f"same title and authors but {conflicts[0]}")
        return Verdict(Outcome.DISTINCT, conflicts[0])
    # A short title ("ESICON 2017 Abstracts") merges only when the journal,
    # year, volume and issue all agree as well.
    short_but_complete = generic and len(a.title_words) >= 3 and agreements >= 4
    if short_but_complete and similarity == 1.0 and authors_agree and not conflicts:
        return Verdict(Outcome.DUPLICATE, "same short title and every detail", 0.7)
    enough = agreements >= 2 or (agreements >= 1 and similarity == 1.0)
    if similarity >= SAME_TITLE and authors_agree and not generic and enough:
        return Verdict(Outcome.DUPLICATE, "same title, authors and details", similarity)
    if similarity >= 0.9 and authors_agree and not generic and agreements >= 3:
        return Verdict(Outcome.DUPLICATE, "nearly the same title, same authors and details", 0.85)
    if (
        similarity >= SAME_TITLE
        and not generic
        and agreements >= 3
        and not _authors_comparable(a, b)
    ):
        # A group author in one database, the people in another: the rest must agree.
        return Verdict(Outcome.DUPLICATE, "same title and details (a group author)", 0.8)
    if similarity >= SAME_TITLE and (authors_agree or agreements >= 2):
        missing = "too short a title" if generic else _missing_evidence(a, b, authors_agree)
        return Verdict(Outcome.UNCERTAIN, f"same title but {missing}")
    if similarity >= 0.9 and authors_agree and agreements >= 1:
        return Verdict(Outcome.UNCERTAIN, "similar titles, same authors")
    return Verdict(Outcome.DISTINCT, "not enough in common")


def _shared_identifier(a: MatchKeys, b: MatchKeys) -> str:
    if a.dois & b.dois:
        return "DOI"
    if a.pmid and a.pmid == b.pmid:
        return "PMID"
    return ""


def _conflicts(a: MatchKeys, b: MatchKeys) -> list[str]:
    """Fields both records give and that disagree, strongest first."""
    found: list[str] = []
    if a.dois and b.dois and not a.dois & b.dois:
        found.append("different DOIs")
    if a.pmid and b.pmid and a.pmid != b.pmid:
        found.append("different PMIDs")
    if a.year is not None and b.year is not None and abs(a.year - b.year) > 1:
        found.append(f"years {a.year} and {b.year}")
    if not volumes_compatible(a, b):
        found.append(f"volumes {a.volume} and {b.volume}")
    if _pages_conflict(a, b):
        found.append(f"pages {a.first_page} and {b.first_page}")
    if _authors_comparable(a, b) and not _authors_agree(a, b):
        found.append("different authors")
    if a.issue and b.issue and a.issue != b.issue:
        found.append(f"different issues {a.issue} and {b.issue}")
    if not journals_compatible(a.journal, b.journal):
        found.append("different journals")
    return found


def _hard(conflicts: list[str]) -> list[str]:
    """Conflicts that rule a merge out; journal names and issues are written too variously."""
    return [c for c in conflicts if not c.startswith(("different journals", "different issues"))]


def _pages_conflict(a: MatchKeys, b: MatchKeys) -> bool:
    if not a.first_page or not b.first_page or a.first_page == b.first_page:
        return False
    # An article number ("e0123") and a printed page range are not comparable.
    if a.first_page.isdigit() != b.first_page.isdigit():
        return False
    # Some databases give a one-page record its last page ("488" for 487-488):
    # ranges that meet are the same pages.
    return not _ranges_meet(a, b)


def _ranges_meet(a: MatchKeys, b: MatchKeys) -> bool:
    bounds = []
    for keys in (a, b):
        first, last = keys.first_page, keys.last_page or keys.first_page
        if not (first.isdigit() and last.isdigit()):
            return False
        bounds.append((int(first), max(int(first), int(last))))
    (a_first, a_last), (b_first, b_last) = bounds
    return a_first <= b_last and b_first <= a_last


def _authors_comparable(a: MatchKeys, b: MatchKeys) -> bool:
    """False when either record has no authors or names a group ("ALTS Study Group")."""
    return bool(a.surnames and b.surnames) and not (a.corporate_author or b.corporate_author)


def _authors_agree(a: MatchKeys, b: MatchKeys) -> bool:
    """True when the first authors meet, or most surnames do (authors reordered)."""
    if not a.surnames or not b.surnames:
        return False
    if a.first_surnames & b.first_surnames or _names_swapped(a, b):
        return True
    if a.first_author_words and a.first_author_words == b.first_author_words:
        return True
    mine, theirs = a.all_surnames, b.all_surnames
    overlap = len(mine & theirs)
    return overlap >= 2 and overlap >= 0.6 * min(len(mine), len(theirs))


_VERSION = re.compile(r"\.pub\d+$")


def _versions_of_one_review(a: MatchKeys, b: MatchKeys) -> bool:
    """Cochrane DOIs that differ only in their version (10.1002/14651858.CD002273.pub2)."""
    if not a.dois or not b.dois or a.dois & b.dois:
        return False
    stem_a = {_VERSION.sub("", doi) for doi in a.dois}
    stem_b = {_VERSION.sub("", doi) for doi in b.dois}
    return bool(stem_a & stem_b)


def _same_place(a: MatchKeys, b: MatchKeys) -> bool:
    """The same year, volume and first page, all given."""
    return (
        a.year is not None
        and a.year == b.year
        and bool(a.volume)
        and a.volume == b.volume
        and bool(a.first_page)
        and a.first_page == b.first_page
    )


def _names_swapped(a: MatchKeys, b: MatchKeys) -> bool:
    """ "Tong, H" and "Hua, T": one database swapped given and family name."""
    mine, theirs = a.first_author_words, b.first_author_words
    if len(mine) != 2 or len(theirs) != 2:
        return False
    return mine[0][0] == theirs[1][0] and mine[1][0] == theirs[0][0] and mine[0] != theirs[0]


def _agreements(a: MatchKeys, b: MatchKeys) -> int:
    """How many of year, volume, first page, issue and journal both give and agree on."""
    count = 0
    if a.year is not None and a.year == b.year:
        count += 1
    if a.volume and a.volume == b.volume:
        count += 1
    if a.first_page and a.first_page == b.first_page:
        # An article number ("CD002273", "e0123456") names one article of a
        # journal, which a printed first page does not: it counts twice.
        count += 2 if len(a.first_page) >= 5 and not a.first_page.isdigit() else 1
    if a.issue and a.issue == b.issue:
        count += 1
    if a.journal and b.journal and journals_compatible(a.journal, b.journal):
        count += 1
    return count


def _missing_evidence(a: MatchKeys, b: MatchKeys, authors_agree: bool) -> str:
    if not authors_agree:
        return "no authors to compare" if not (a.surnames and b.surnames) else "authors differ"
    return "too little else to compare (year, journal, volume, pages)"
