"""The web app's message catalogue: extract the words, update each language, compile it.

`python -m cosynth.web.catalogue` (or `make translations`) reads every
gettext call in the web package's Python and templates (`babel.cfg` says
where), writes `translations/messages.pot`, brings each language's
`messages.po` up to date with it, and compiles each to the `messages.mo` the
app reads. The compiled files are committed, so an installed cosynth needs no
build step; the tests fail when a word in the code is missing from the
catalogue or a `.mo` is older than its `.po` (tests/web/test_translations.py).

English is the source language; its catalogue translates each word to itself,
so the app reads every page's words through gettext in English too, and a new
language starts from a copy of it.
"""

from __future__ import annotations

import argparse
import io
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from cosynth import __version__

WEB = Path(__file__).resolve().parent
TRANSLATIONS = WEB / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
SOURCE_LOCALE = "en"
# gettext's own names, and the lazy ones module-level words use (translated when shown).
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def extract() -> Catalog:
    """Every word the web app translates, as a template catalogue (a .pot)."""
    with (WEB / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    template = _catalogue(None)
    for filename, lineno, message, comments, context in extract_from_dir(
        WEB, method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        template.add(
            message,
            None,
            [(filename, lineno)],
            auto_comments=comments,
            context=context,
        )
    return template


def _catalogue(locale: str | None) -> Catalog:
    return Catalog(
        locale=locale,
        project="cosynth",
        version=__version__,
        copyright_holder="The cosynth developers",
        msgid_bugs_address="",
        header_comment=(
            "# The words of cosynth's web app"
            + (f", in {locale}" if locale else ": the template every language starts from")
            + ".\n# Made by `python -m cosynth.web.catalogue` (`make translations`)."
        ),
        charset="utf-8",
        fuzzy=False,
    )


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def locales() -> list[str]:
    return sorted(path.parent.parent.name for path in TRANSLATIONS.glob("*/LC_MESSAGES/*.po"))


def read_catalogue(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locale)


def updated(catalogue: Catalog, template: Catalog) -> Catalog:
    """`catalogue` with the template's words: new ones added, gone ones dropped."""
    catalogue.update(template, no_fuzzy_matching=True)
    catalogue.obsolete.clear()  # a word the code no longer has is not kept
    if str(catalogue.locale) == SOURCE_LOCALE:
        for message in catalogue:
            if message.id and not any(message.string or ()):
                # A plural's forms are (singular, plural) in English, as in its id.
                message.string = message.id
    return catalogue


def compiled(catalogue: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalogue)
    return out.getvalue()


def _po_bytes(catalogue: Catalog) -> bytes:
    out = io.BytesIO()
    # No line numbers: moving a line of code must not change every catalogue.
    write_po(out, catalogue, include_lineno=False, sort_output=True, ignore_obsolete=True)
    return out.getvalue()


def build(extra_locales: Iterable[str] = ()) -> list[Path]:
    """Extract, update and compile every catalogue (and start any `extra_locales`)."""
    template = extract()
    if TEMPLATE.exists():
        before = read_catalogue(TEMPLATE)
        if _words(before) == _words(template):
            # The same words: the same files, so a rebuild changes nothing in git.
            template.creation_date = before.creation_date
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    TEMPLATE.write_bytes(_po_bytes(template))
    written = [TEMPLATE]
    for locale in sorted({SOURCE_LOCALE, *locales(), *extra_locales}):
        path = po_path(locale)
        catalogue = read_catalogue(path, locale) if path.exists() else _catalogue(locale)
        catalogue = updated(catalogue, template)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_po_bytes(catalogue))
        path.with_suffix(".mo").write_bytes(compiled(read_catalogue(path, locale)))
        written += [path, path.with_suffix(".mo")]
    return written


def _words(found: Catalog) -> list[tuple[str, str, tuple[str, ...]]]:
    """Each word, its context and the files it is in (line numbers are not written)."""
    return sorted(
        (repr(m.id), m.context or "", tuple(sorted({path for path, _ in m.locations})))
        for m in found
        if m.id
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m cosynth.web.catalogue", description=__doc__)
    parser.add_argument(
        "--start", action="append", default=[], metavar="LOCALE", help="start a new language"
    )
    arguments = parser.parse_args(argv)
    for path in build(arguments.start):
        print(path.relative_to(WEB.parent.parent.parent))  # noqa: T201


if __name__ == "__main__":
    main()
