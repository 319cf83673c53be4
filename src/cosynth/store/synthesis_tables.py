"""The meta-ethnography's `*Row` tables: phases, concepts, codings, translations, themes.

Kept apart from `tables.py` so that the synthesis owns its schema; `schema.py`
gathers every table module for the migrations.
"""

from __future__ import annotations

from cosynth.store.tables import Base, UtcDateTime  # noqa: F401
