"""The glossary: every term on one page, and `term()` for templates to explain a word in place."""

from __future__ import annotations

from flask import Blueprint, g, render_template, url_for
from markupsafe import Markup

from cosynth.web.auth import login_required
from cosynth.web.glossary import TERMS, term_markup

blueprint = Blueprint("glossary", __name__)


@blueprint.route("/glossary")
@login_required
def index() -> str:
    terms = sorted(TERMS, key=lambda term: str(term.name).casefold())
    return render_template("glossary/index.html", terms=terms)


@blueprint.app_template_global("term")
def term(key: str, shown: str | None = None) -> Markup:
    """`{{ term("kappa") }}` in any template: the word, explained on hover and on focus."""
    # Each tooltip needs an id of its own, even when a page uses a term twice.
    g.term_serial = getattr(g, "term_serial", 0) + 1
    return term_markup(
        key, shown, serial=g.term_serial, href=url_for("glossary.index", _anchor=key)
    )
