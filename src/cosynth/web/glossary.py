"""The words of a systematic review, each said in plain English (DESIGN.md rule 7).

Public and patient advisers meet terms a research team uses without thinking.
Each definition is one or two short sentences in everyday words, aimed at a
reading age of about 9 to 11 (the level the Plain English Campaign and NHS
health-information guidance ask for), so no definition leans on another term.
The terms are data: the glossary page lists them all, and `term_markup` puts
one beside a word wherever a page uses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape


@dataclass(frozen=True, slots=True)
class Term:
    """A glossary entry: `key` is its anchor on the glossary page."""

    key: str
    name: str
    definition: str


# lazy_gettext: each string is translated when shown, in the reader's language.
TERMS: tuple[Term, ...] = (
    Term(
        "abstract",
        _l("abstract"),
        _l("A short summary at the start of a research paper. It says what was done and found."),
    ),
    Term(
        "advice",
        _l("advice"),
        _l(
            "What an adviser thinks about a study. The team reads it before they decide, "
            "but it is not a vote."
        ),
    ),
    Term(
        "advisory-group",
        _l("advisory group"),
        _l(
            "A group of people who use services, carers and staff who guide the review. "
            "They say what matters to them and check the team's thinking."
        ),
    ),
    Term(
        "appraisal",
        _l("appraisal"),
        _l(
            "Checking how well a study was done, question by question. A study done too poorly "
            "may be left out, with the reason written down."
        ),
    ),
    Term(
        "blinding",
        _l("blinding"),
        _l(
            "Keeping each person's answer hidden from the others until everyone has answered. "
            "It stops people copying each other."
        ),
    ),
    Term(
        "co-production",
        _l("co-production"),
        _l(
            "Working as equals with the people a service is for. They share the power to "
            "plan, make and check it."
        ),
    ),
    Term(
        "co-production-ladder",
        _l("co-production ladder"),
        _l(
            "Steps that show how much say people had, from things done to them, to things done "
            "for them, up to things done with them as equals."
        ),
    ),
    Term(
        "conflict",
        _l("conflict"),
        _l(
            "When the people checking a study give different answers. The team then talks "
            "it through to decide."
        ),
    ),
    Term(
        "consensus",
        _l("consensus"),
        _l("When the team talks about a choice until everyone agrees."),
    ),
    Term(
        "criteria",
        _l("criteria"),
        _l(
            "The rules the team set before they started. They say which studies belong in "
            "the review and which do not."
        ),
    ),
    Term(
        "exclusion",
        _l("exclusion"),
        _l(
            "Leaving a study out of the review, because it does not fit the rules. "
            "The reason is written down."
        ),
    ),
    Term(
        "extraction",
        _l("extraction"),
        _l(
            "Copying the facts the review needs out of each study, such as where it took place "
            "and who took part, into a shared form."
        ),
    ),
    Term(
        "first-order-construct",
        _l("first-order construct"),
        _l(
            "What the people taking part in a study said about their own lives, in their own words."
        ),
    ),
    Term(
        "full-text",
        _l("full text"),
        _l("The whole research paper, not just its title and summary."),
    ),
    Term(
        "inclusion",
        _l("inclusion"),
        _l("Keeping a study in the review, because it fits the rules."),
    ),
    Term(
        "kappa",
        _l("kappa"),
        _l(
            "A number that shows how often two people gave the same answer, more than luck "
            "would. 1 means they always agreed; 0 means no better than chance."
        ),
    ),
    Term(
        "meta-ethnography",
        _l("meta-ethnography"),
        _l(
            "A way of bringing together what people said in many studies. It finds the "
            "ideas they share and builds new understanding from them."
        ),
    ),
    Term(
        "not-retrieved",
        _l("not retrieved"),
        _l(
            "The team tried to get the whole paper but could not. It is counted, "
            "so readers know it was missed."
        ),
    ),
    Term(
        "prisma",
        _l("PRISMA"),
        _l(
            "A standard way to report a review. Its chart shows how many studies were found, "
            "left out and kept at each step."
        ),
    ),
    Term(
        "qualitative",
        _l("qualitative"),
        _l(
            "Research about people's experiences and views, often in their own words, "
            "instead of numbers."
        ),
    ),
    Term(
        "quote",
        _l("quote"),
        _l(
            "Words copied exactly from a study, with the page they are on, so anyone can "
            "find them again."
        ),
    ),
    Term(
        "record",
        _l("record"),
        _l(
            "One entry found by a search: a title, the authors, and often a short summary. "
            "The same paper can turn up as more than one record."
        ),
    ),
    Term(
        "report",
        _l("report"),
        _l(
            "One written document about a study, such as a journal paper or a thesis. "
            "One study can have several reports."
        ),
    ),
    Term(
        "review",
        _l("review"),
        _l(
            "A careful search for all the research on a question, then a summary of what "
            "it found, done in a planned way."
        ),
    ),
    Term(
        "roundtable",
        _l("roundtable"),
        _l(
            "A meeting where people who use services, carers and staff talk through what "
            "the team found, all together and as equals."
        ),
    ),
    Term(
        "screening",
        _l("screening"),
        _l(
            "Checking each study found by the search against the rules. It decides which "
            "studies stay in the review."
        ),
    ),
    Term(
        "second-order-construct",
        _l("second-order construct"),
        _l(
            "What the researchers who wrote a study made of what people told them. These are the "
            "authors' ideas, not the people's own words."
        ),
    ),
    Term(
        "spectrum-of-involvement",
        _l("spectrum of involvement"),
        _l(
            "NHS England's steps of how much say people have, from being told about a service "
            "to making the decisions themselves."
        ),
    ),
    Term(
        "study",
        _l("study"),
        _l("One piece of research: what the researchers did, who took part and what they found."),
    ),
    Term(
        "theme",
        _l("theme"),
        _l("An idea that comes up again and again in what people said, across many studies."),
    ),
)

_BY_KEY = {term.key: term for term in TERMS}


def term_named(key: str) -> Term:
    """The entry for `key`; a missing key is a bug in a template, so it fails loudly."""
    return _BY_KEY[key]


def term_markup(key: str, shown: str | None, *, serial: int, href: str) -> Markup:
    """The word, linked to its glossary entry, with the definition as a tooltip.

    The tooltip shows on hover *and* on keyboard focus, stays while the pointer
    moves onto it, and Escape hides it (WCAG 2.2, 1.4.13 Content on Hover or
    Focus); `aria-describedby` gives screen readers the definition too.
    """
    term = term_named(key)
    tip = f"tip-{key}-{serial}"
    return Markup(
        '<span class="term"><a href="{href}" aria-describedby="{tip}">{shown}</a>'
        '<span class="tip" role="tooltip" id="{tip}">{definition}</span></span>'
    ).format(
        href=href,
        tip=tip,
        shown=escape(shown if shown is not None else term.name),
        definition=str(term.definition),
    )
