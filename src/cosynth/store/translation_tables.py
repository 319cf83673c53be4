"""The synthesis's later `*Row` tables: translations, themes, interpretations, resonance.

Kept apart from `synthesis_tables.py` (phases, concepts, codings) so that
each has one owner; `schema.py` gathers every table module for the migrations.
"""

from __future__ import annotations

from cosynth.store.tables import Base, UtcDateTime  # noqa: F401
