"""One strategy in the syntax of each database, and a validator for any string.

`translate(strategy, database)` writes the strategy for one database;
`validate(database, string)` checks a string (written by cosynth or by hand).
Each database has a module of its own (pubmed, ovid, cinahl, wos, scopus,
europepmc) whose docstring says which documented syntax it follows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from cosynth.domain.search import Database, Problem, Severity, Strategy, Translation
from cosynth.domain.search_syntax import cinahl, europepmc, ovid, pubmed, scopus, wos
from cosynth.domain.search_syntax.common import Rules
from cosynth.domain.search_syntax.validator import check_string

_MODULES = {
    Database.PUBMED: pubmed,
    Database.OVID_MEDLINE: ovid,
    Database.CINAHL: cinahl,
    Database.WOS: wos,
    Database.SCOPUS: scopus,
    Database.EUROPE_PMC: europepmc,
}

TRANSLATORS: dict[Database, Callable[[Strategy], Translation]] = {
    database: module.translate for database, module in _MODULES.items()
}
RULES: dict[Database, Rules] = {database: module.RULES for database, module in _MODULES.items()}


def validate(database: Database, string: str) -> tuple[Problem, ...]:
    """The problems in `string` as a search of `database`, errors first."""
    return check_string(RULES[database], string)


def translate(strategy: Strategy, database: Database) -> Translation:
    """The strategy in `database`'s syntax, checked by the validator before it is given."""
    translation = TRANSLATORS[database](strategy)
    if not translation.ok:
        return translation
    problems = validate(database, translation.string)
    errors = tuple(p.message for p in problems if p.severity is Severity.ERROR)
    warnings = tuple(p.message for p in problems if p.severity is Severity.WARNING)
    if errors:
        return replace(translation, string="", errors=errors, limiters=())
    return replace(translation, warnings=translation.warnings + warnings)


__all__ = ["RULES", "TRANSLATORS", "translate", "validate"]
