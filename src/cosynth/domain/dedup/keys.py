"""What de-duplication compares: each record's fields reduced to canonical match keys."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cosynth.domain import identifiers
from cosynth.domain.citation import Citation
from cosynth.domain.dedup.kinds import Kind, kind_of, part_of
from cosynth.domain.dedup.text import fold, title_words, words

# Words too common in journal names to tell two apart ("Journal of the ...").
_JOURNAL_STOP = frozenset(
    {
        "the", "of", "and", "for", "in", "on", "de", "la", "le", "les", "des", "du",
        "der", "die", "und", "et", "y", "a", "an", "journal", "j",
    }
)  # fmt: skip
_INITIALS = re.compile(r"^(?:[A-Z]\.?\s?-?){1,4}$")
_PAGE = re.compile(r"[A-Za-z]*\d+[A-Za-z]*")
_PAGE_PREFIX = re.compile(r"^\s*(?:pp?\.?|pages?)\s*", re.IGNORECASE)
# "t-20" or "Suppl-6": a page range whose start was lost in some export.
_DAMAGED_PAGES = re.compile(r"^\s*[A-Za-z]+[^A-Za-z0-9]")
_MONTH = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")


@dataclass(frozen=True, slots=True)
class MatchKeys:
    """The canonical fields of one record that matching looks at."""

    index: int
    title: str  # folded words joined by one space
    title_words: tuple[str, ...]
    title_word_set: frozenset[str]
    surnames: tuple[frozenset[str], ...]  # per author: the possible surnames
    first_author_words: tuple[str, ...]  # every folded word of the first author's name
    corporate_author: bool  # the first author is a group, not a person
    year: int | None
    journal: tuple[str, ...]  # significant folded words
    volume: str
    issue: str
    issue_numbers: frozenset[str]  # every number in the issue field ("10 SUPPL. 1")
    first_page: str
    last_page: str
    dois: frozenset[str]
    pmid: str
    isbns: frozenset[str]
    kind: Kind
    part: int | None

    @property
    def first_surnames(self) -> frozenset[str]:
        return self.surnames[0] if self.surnames else frozenset()

    @property
    def all_surnames(self) -> frozenset[str]:
        return frozenset().union(*self.surnames) if self.surnames else frozenset()


def match_keys(index: int, citation: Citation) -> MatchKeys:
    """Reduce a citation to the keys matching compares (`index` identifies it in a run)."""
    tokens = tuple(title_words(citation.title))
    title = " ".join(tokens)
    doi_values = identifiers.dois(citation.doi) or identifiers.dois(citation.url)
    first_page, last_page = pages(citation.pages)
    folded_title = fold(citation.title)
    return MatchKeys(
        index=index,
        title=title,
        title_words=tokens,
        title_word_set=frozenset(tokens),
        surnames=tuple(author_surnames(author) for author in citation.authors),
        first_author_words=tuple(words(citation.authors[0])) if citation.authors else (),
        corporate_author=bool(citation.authors) and is_corporate(citation.authors[0]),
        year=citation.year,
        journal=journal_words(citation.journal),
        volume=_number(citation.volume),
        issue=_number(citation.issue),
        issue_numbers=frozenset(n.lstrip("0") for n in re.findall(r"\d+", citation.issue)),
        first_page=first_page,
        last_page=last_page,
        dois=frozenset(doi_values),
        pmid=identifiers.pmid(citation.pmid),
        isbns=frozenset(identifiers.isbn13s(citation.isbn)),
        kind=kind_of(citation, doi_values[0] if doi_values else "", folded_title),
        part=part_of(folded_title),
    )


def author_surnames(author: str) -> frozenset[str]:
    """The folded surname(s) an author string may carry.

    "Smith, John", "Smith J", "Smith JA", "J. A. Smith" and "John Smith" all give
    {"smith"}; "John Smith" could be either order, so both words are kept and
    two records agree when their sets meet.
    """
    text = author.strip()
    if not text:
        return frozenset()
    if "," in text:
        family, given = text.split(",", 1)
        # "Le, Quintrec M.": the family part was only a particle.
        return frozenset(_surname_words(family) or _surname_words(given))
    parts = text.split()
    if len(parts) == 1:
        return frozenset(_surname_words(text))
    if _INITIALS.match(" ".join(parts[1:])):  # "Smith JA", "Smith J. A."
        return frozenset(_surname_words(" ".join(parts[:1])))
    if _INITIALS.match(" ".join(parts[:-1])):  # "J. A. Smith"
        return frozenset(_surname_words(parts[-1]))
    return frozenset(_surname_words(parts[0]) + _surname_words(parts[-1]))


_CORPORATE = re.compile(
    r"\b(?:group|collaborat\w*|consortium|committee|investigators|network|trial|study|"
    r"society|association|organi[sz]ation|institute|working|panel|task force|anonymous|"
    r"council|department|ministry|agency|foundation|centre|center|inc|ltd)\b",
    re.IGNORECASE,
)


def is_corporate(author: str) -> bool:
    """True for a group author ("ALTS Study Group", "World Health Organization")."""
    return bool(_CORPORATE.search(author))


# Name particles that databases keep, drop or move ("de Jorge" / "Jorge, E. de").
_PARTICLES = frozenset(
    {"de", "del", "della", "der", "den", "di", "da", "dos", "du", "la", "le", "van", "von", "st"}
)


def _surname_words(text: str) -> list[str]:
    # "van der Berg" and "Berg" should meet: keep the words that are not
    # particles, unless the particle is all there is ("Le M. N.").
    found = [word for word in words(text) if len(word) > 1]
    return [word for word in found if word not in _PARTICLES] or found


def volumes_compatible(a: MatchKeys, b: MatchKeys) -> bool:
    """Equal volumes, or one "volume" that is really the other's supplement number."""
    if not a.volume or not b.volume or a.volume == b.volume:
        return True
    if not (a.volume.isdigit() and b.volume.isdigit()):
        return True  # "A)" is a supplement letter, not a volume number
    return a.volume in b.issue_numbers or b.volume in a.issue_numbers


def journal_words(journal: str) -> tuple[str, ...]:
    return tuple(word for word in words(journal) if word not in _JOURNAL_STOP)


def journals_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """True when one journal name could abbreviate the other (ISO 4 style).

    Each word of the shorter name must begin the next matching word of the
    longer one, in order: "J Clin Epidemiol" ~ "Journal of Clinical Epidemiology".
    """
    if not a or not b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    position = 0
    for word in short:
        while position < len(long) and not long[position].startswith(word):
            position += 1
        if position == len(long):
            return False
        position += 1
    return True


def pages(text: str) -> tuple[str, str]:
    """The first and last page: "288-97" gives ("288", "297"), "e1234" gives ("e1234", "").

    Pages a spreadsheet turned into dates ("11-Sep" for 9-11) are not pages.
    """
    text = _PAGE_PREFIX.sub("", text or "")
    if _MONTH.search(text) or _DAMAGED_PAGES.match(text):
        return "", ""
    found = _PAGE.findall(text)
    if not found:
        return "", ""
    first = found[0].lower().lstrip("0") or "0"
    if len(found) == 1:
        return first, ""
    last = found[1].lower().lstrip("0") or "0"
    # MEDLINE abbreviates the last page: 288-97 means 288-297.
    if first.isdigit() and last.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return first, last


def _number(text: str) -> str:
    found = re.search(r"\d+", text or "")
    return found.group(0).lstrip("0") if found else fold(text).strip()
