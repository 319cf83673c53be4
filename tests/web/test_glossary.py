"""The glossary: every term on its own page, and explained in place where a page uses it."""

from __future__ import annotations

from cosynth.services import accounts
from cosynth.web.glossary import TERMS


def test_it_lists_every_term_on_the_glossary_page(app, visit) -> None:
    page = visit("pat").get("/glossary").get_data(as_text=True)
    assert page.count("<h1>") == 1
    with app.test_request_context():
        for term in TERMS:
            assert f'<dt id="{term.key}">' in page
            # Flask-Babel's lazy strings count as safe HTML: they are the app's own words.
            assert f"<dd>{term.definition}</dd>" in page


def test_it_keeps_every_definition_short(app) -> None:
    with app.test_request_context():
        for term in TERMS:
            sentences = [s for s in str(term.definition).split(". ") if s]
            assert 1 <= len(sentences) <= 2, term.key
            assert len(str(term.definition)) <= 160, term.key


def test_it_explains_a_term_on_hover_and_on_keyboard_focus(app) -> None:
    with app.test_request_context():
        template = app.jinja_env.from_string('{{ term("kappa") }} {{ term("kappa", "κ") }}')
        rendered = template.render()
    # A link reaches it by keyboard; the tooltip describes it; each has its own id.
    assert '<a href="/glossary#kappa" aria-describedby="tip-kappa-1">kappa</a>' in rendered
    assert '<span class="tip" role="tooltip" id="tip-kappa-2">' in rendered
    assert ">κ</a>" in rendered


def test_it_asks_people_to_sign_in_first(visit, app) -> None:
    assert visit(None).get("/glossary").status_code == 303


def test_it_explains_the_dashboards_words_in_adviser_mode(visit, team, workspace) -> None:
    dashboard = f"/reviews/{team.review_id}"
    assert 'role="tooltip"' not in visit("pat").get(dashboard).get_data(as_text=True)
    with workspace.transaction("pat") as tx:
        accounts.set_preferences(tx, adviser_mode=True)
    page = visit("pat").get(dashboard).get_data(as_text=True)
    assert 'href="/glossary#kappa"' in page and 'href="/glossary#prisma"' in page
