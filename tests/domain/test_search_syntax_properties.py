"""Whatever strategy alice builds, each database gets a string its validator passes, or
errors in words and no string at all: never a string that does not parse."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from cosynth.domain.search import (
    Block,
    Database,
    DateLimits,
    Field,
    Severity,
    Strategy,
    Term,
    TermKind,
    Vocabulary,
    check_term,
)
from cosynth.domain.search_syntax import TRANSLATORS, translate, validate
from cosynth.errors import InputError

# Words a searcher might type, operator words and punctuated ones included.
WORDS = st.sampled_from(
    ["care", "and", "OR", "not", "near", "co-design", "adj3", "N3", "user's", "2022",
     "âge", "w/3", "staff", "with", "integrated"]
)  # fmt: skip
TI_AB = frozenset({Field.TITLE, Field.ABSTRACT})
# Stems one can truncate anywhere (Europe PMC truncates plain single words only).
STEMS = {"care", "staff", "integrated"}
# Headings come from a thesaurus, spelt as it spells them.
HEADINGS = st.sampled_from(
    ["Delivery of Health Care, Integrated", "Health Services Needs and Demand",
     "Patient Participation", "Caregivers", "Qualitative Research", "Self-Help Groups"]
)  # fmt: skip
FIELDS = st.frozensets(st.sampled_from(list(Field)), min_size=1)


@st.composite
def terms(draw: st.DrawFn) -> Term | None:
    kind = draw(st.sampled_from(list(TermKind)))
    words = draw(st.lists(WORDS, min_size=1, max_size=3))
    text = draw(HEADINGS) if kind is TermKind.HEADING else " ".join(words)
    truncated = draw(st.booleans()) and kind is not TermKind.HEADING
    proximity = (
        draw(st.none() | st.integers(0, 10)) if kind is TermKind.PHRASE and len(words) > 1 else None
    )
    fields = frozenset() if kind is TermKind.HEADING else draw(FIELDS)
    vocabulary = draw(st.sampled_from(list(Vocabulary))) if kind is TermKind.HEADING else None
    if kind is TermKind.KEYWORD and len(words) > 1:
        kind = TermKind.PHRASE
    try:
        text = check_term(
            text, kind, truncated=truncated, proximity=proximity, fields=fields,
            vocabulary=vocabulary,
        )  # fmt: skip
    except InputError:
        return None
    return Term(
        0, 0, text, kind, truncated=truncated, proximity=proximity, fields=fields,
        vocabulary=vocabulary, explode=draw(st.booleans()),
    )  # fmt: skip


@st.composite
def strategies(draw: st.DrawFn) -> Strategy:
    blocks = []
    for index in range(draw(st.integers(1, 4))):
        found = [t for t in draw(st.lists(terms(), min_size=1, max_size=4)) if t is not None]
        blocks.append(
            Block(index + 1, f"Block {index + 1}", exclude=index > 0 and draw(st.booleans()),
                  terms=tuple(found))
        )  # fmt: skip
    start = draw(st.none() | st.dates(date(1990, 1, 1), date(2010, 12, 31)))
    end = draw(st.none() | st.dates(date(2011, 1, 1), date(2024, 12, 31)))
    return Strategy(1, blocks=tuple(blocks), limits=DateLimits(start, end))


@settings(max_examples=200, deadline=None)
@given(strategies())
def test_it_writes_a_string_the_validator_passes_or_says_why_not(strategy: Strategy) -> None:
    for database in Database:
        written = TRANSLATORS[database](strategy)  # before translate()'s own check
        if not written.ok:
            assert written.string == ""
            assert all(message.strip() for message in written.errors)
            continue
        errors = [
            p.message for p in validate(database, written.string) if p.severity is Severity.ERROR
        ]
        assert errors == [], (database, written.string)


@st.composite
def everyday(draw: st.DrawFn) -> Strategy:
    """Words and phrases in title and abstract (and keywords), truncated single words,
    untruncated proximity: what every one of the six databases can search."""
    blocks = []
    for index in range(draw(st.integers(1, 4))):
        found = []
        for _ in range(draw(st.integers(1, 4))):
            words = draw(st.lists(WORDS, min_size=1, max_size=3))
            fields = draw(st.sampled_from([TI_AB, TI_AB | {Field.KEYWORDS}]))
            if len(words) == 1:
                found.append(
                    Term(0, 0, words[0], TermKind.KEYWORD, fields=fields,
                         truncated=draw(st.booleans()) and words[0] in STEMS)
                )  # fmt: skip
            else:
                proximity = draw(st.none() | st.integers(0, 10))
                found.append(
                    # PubMed's proximity searches the title and abstract only.
                    Term(
                        0,
                        0,
                        " ".join(words),
                        TermKind.PHRASE,
                        proximity=proximity,
                        fields=TI_AB if proximity is not None else fields,
                    )
                )
        blocks.append(Block(index + 1, f"Block {index + 1}", terms=tuple(found)))
    return Strategy(1, blocks=tuple(blocks), limits=DateLimits(date(2012, 3, 1), date(2022, 3, 31)))


@settings(max_examples=200, deadline=None)
@given(everyday())
def test_it_writes_an_everyday_strategy_for_every_database(strategy: Strategy) -> None:
    for database in Database:
        translation = translate(strategy, database)
        assert translation.errors == (), (database, strategy)
