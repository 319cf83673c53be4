"""The usual exclusion reasons said in plain English, for the adviser's questions.

A team's reasons are its own words ("wrong phenomenon of interest"); an
adviser is asked the same thing in everyday words. A reason a team wrote
itself, with no plain version here, is shown as the team wrote it.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Keyed by the default reasons of `cosynth.domain.screening.stages.DEFAULT_REASONS`.
_PLAIN = {
    "wrong setting": _l("It is about a different kind of place or service."),
    "wrong population or perspective": _l(
        "It is about different people, or not from the point of view we are asking about."
    ),
    "wrong phenomenon of interest": _l("It is about a different topic from our question."),
    "wrong study design": _l("It is not the kind of study we are looking for."),
    "wrong publication type": _l(
        "It is not a research study (for example, a news story or someone's opinion)."
    ),
    "no qualitative data": _l(
        "It does not say what people told the researchers in their own words."
    ),
    "outside the date limits": _l("It came out before or after the years we are looking at."),
    "not in a language the team reads": _l("It is written in a language the team cannot read."),
    "duplicate report of an included study": _l("It is about a study we already have."),
}


def plain_reason(reason: str) -> str:
    """The reason in everyday words, or as the team wrote it when there is no plain version."""
    plain = _PLAIN.get(" ".join(reason.split()).casefold())
    return str(plain) if plain is not None else reason
