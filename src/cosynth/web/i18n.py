"""The pages' language: every word through gettext (Flask-Babel), English shipped.

The catalogues live in `translations/<locale>/LC_MESSAGES/messages.po` (and the
compiled `.mo` beside it); `python -m cosynth.web.catalogue` (`make
translations`) extracts the words from the code and templates, updates each
catalogue and compiles it. A reader gets the language their browser asks for
(Accept-Language) among those shipped, else English.
"""

from __future__ import annotations

from flask import Flask, request
from flask_babel import Babel, get_babel, get_locale

DEFAULT_LOCALE = "en"


def init_app(app: Flask) -> None:
    Babel(app, default_locale=DEFAULT_LOCALE, locale_selector=_reader_locale)
    app.context_processor(lambda: {"locale": str(get_locale() or DEFAULT_LOCALE)})


def shipped_locales() -> list[str]:
    """The locales with a catalogue in the app's translation folders, English first."""
    found = {str(locale) for locale in get_babel().instance.list_translations()}
    return [DEFAULT_LOCALE, *sorted(found - {DEFAULT_LOCALE})]


def _reader_locale() -> str:
    chosen = request.accept_languages.best_match(shipped_locales(), default=DEFAULT_LOCALE)
    return chosen or DEFAULT_LOCALE
