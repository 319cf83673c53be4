"""Every word of the web app goes through gettext, and the shipped catalogue is complete.

The catalogue is built by `python -m cosynth.web.catalogue` (`make
translations`); these tests fail when a word in the code or the templates is
missing from it, or when a compiled `.mo` is older than its `.po`. A
pseudo-language made in the test shows the pages really read their words
through the catalogue.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from flask import Flask
from flask_babel import get_babel

from cosynth.web import catalogue
from tests.conftest import Team

TEMPLATES = catalogue.WEB / "templates"
# Words that are the same in every language: the product's name.
UNTRANSLATED = {"cosynth"}
# Attributes a person reads or hears (a screen reader speaks aria-label and title).
_SPOKEN = re.compile(r'\b(?:title|alt|placeholder|aria-label)="([^"]*)"')
_JINJA = re.compile(r"\{#.*?#\}|\{\{.*?\}\}|\{%-?\s*trans\b.*?endtrans\s*-?%\}|\{%.*?%\}", re.S)
_CODE = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>", re.S)
_ENTITY = re.compile(r"&[a-z]+;|&#\d+;")


def ids(found: Catalog) -> set[str]:
    return {str(message.id) for message in found if message.id}


def visible_words_outside_gettext(template: str) -> list[str]:
    """Text a person would see that no gettext call or {% trans %} block holds."""
    text = _CODE.sub(" ", _JINJA.sub(" ", template))
    found = [value for value in _SPOKEN.findall(text) if re.search(r"[A-Za-z]", value)]
    for piece in _ENTITY.sub(" ", _TAG.sub("\n", text)).splitlines():
        words = piece.strip()
        if re.search(r"[A-Za-z]{2,}", " ".join(set(words.split()) - UNTRANSLATED)):
            found.append(words)
    return found


def test_it_can_tell_a_word_outside_gettext() -> None:
    assert visible_words_outside_gettext("<p>Include</p>") == ["Include"]
    assert visible_words_outside_gettext('<a title="Help">{{ _("Go") }}</a>') == ["Help"]
    assert visible_words_outside_gettext("<p>{{ _('Include') }} · {{ n }}</p>") == []
    assert visible_words_outside_gettext("{% trans %}Hello{% endtrans %} <b>cosynth</b>") == []
    assert visible_words_outside_gettext("<script>let words = 'not shown';</script>") == []


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda path: str(path.relative_to(TEMPLATES))
)
def test_it_finds_no_word_outside_gettext_in_the_templates(template: Path) -> None:
    assert visible_words_outside_gettext(template.read_text(encoding="utf-8")) == []


def test_it_flashes_and_raises_only_translated_words_in_the_pages() -> None:
    # The API speaks English to scripts; the pages speak the reader's language.
    literal = re.compile(
        r"(?:flash|InputError|NotFoundError|PermissionDeniedError|ConcurrentChangeError)"
        r"\(\s*f?[\"']"
    )
    found = [
        f"{path.relative_to(catalogue.WEB)}: {line.strip()}"
        for path in sorted(catalogue.WEB.rglob("*.py"))
        if "api" not in path.parts
        for line in path.read_text(encoding="utf-8").splitlines()
        if literal.search(line)
    ]
    assert found == []


def test_it_has_every_word_of_the_code_in_the_catalogue() -> None:
    shipped = ids(catalogue.read_catalogue(catalogue.TEMPLATE))
    in_code = ids(catalogue.extract())
    assert not in_code - shipped, "run `make translations`: messages.pot lacks these words"
    assert not shipped - in_code, "run `make translations`: messages.pot has words no code uses"
    assert len(in_code) > 300  # the extraction saw the views and the templates


@pytest.mark.parametrize("locale", catalogue.locales())
def test_it_ships_each_language_whole_and_compiled(locale: str) -> None:
    path = catalogue.po_path(locale)
    po = catalogue.read_catalogue(path, locale)
    assert ids(po) == ids(catalogue.read_catalogue(catalogue.TEMPLATE))
    assert path.with_suffix(".mo").read_bytes() == catalogue.compiled(po), (
        f"{path.with_suffix('.mo').name} is older than its .po: run `make translations`"
    )
    if locale == catalogue.SOURCE_LOCALE:
        assert all(message.string == message.id for message in po if message.id)


def test_it_ships_english() -> None:
    assert catalogue.SOURCE_LOCALE in catalogue.locales()


def pseudo_language(folder: Path, locale: str = "eo") -> None:
    """Every word of the catalogue wrapped in ⟦ ⟧, compiled into `folder` as `locale`."""
    template = catalogue.read_catalogue(catalogue.TEMPLATE)
    pseudo = Catalog(locale=locale, fuzzy=False)
    for message in template:
        if message.id and isinstance(message.id, str):
            pseudo.add(message.id, f"⟦{message.id}⟧", flags=message.flags)
    mo = folder / locale / "LC_MESSAGES" / "messages.mo"
    mo.parent.mkdir(parents=True)
    mo.write_bytes(catalogue.compiled(pseudo))


def test_it_speaks_the_readers_language(app: Flask, visit, team: Team, tmp_path: Path) -> None:
    pseudo_language(tmp_path)
    get_babel(app).translation_directories.append(str(tmp_path))
    reader = app.test_client()
    page = reader.get("/login", headers={"Accept-Language": "eo, en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="eo">' in page
    assert "<h1>⟦Sign in⟧</h1>" in page and "⟦Skip to the main content⟧" in page
    english = reader.get("/login", headers={"Accept-Language": "fr, en;q=0.5"}).get_data(
        as_text=True
    )
    assert '<html lang="en">' in english and "<h1>Sign in</h1>" in english
    assert "⟦" not in english

    # Flashed words and the words a view puts together are translated too.
    alice = visit("alice")
    alice.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "eo"
    alice.get("/")
    alice.post("/logout")
    assert "⟦You have signed out.⟧" in alice.get("/login").get_data(as_text=True)
    missing = reader.get("/no/such/page", headers={"Accept-Language": "eo"})
    assert "⟦There is no such page.⟧" in missing.get_data(as_text=True)
