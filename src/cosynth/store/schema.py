"""Every table of the store. Import `Base` from here for the complete metadata.

`tables.py` holds the tables of the earlier steps; later steps keep theirs in
modules of their own, and this module imports them all so that the migrations
(and the tests that compare them with the models) see every table.
"""

from __future__ import annotations

from cosynth.store import (
    advisory_tables,
    checklist_tables,
    password_resets,
    search_run_tables,
    search_tables,
    synthesis_tables,
    translation_tables,
)
from cosynth.store.tables import Base

__all__ = [
    "Base",
    "advisory_tables",
    "checklist_tables",
    "password_resets",
    "search_run_tables",
    "search_tables",
    "synthesis_tables",
    "translation_tables",
]
