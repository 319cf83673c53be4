"""The advisory group's `*Row` tables: members, meetings, actions, roundtables, payments.

Kept apart from `tables.py` so that the advisory group owns its schema;
`schema.py` gathers every table module for the migrations.
"""

from __future__ import annotations

from cosynth.store.tables import Base, UtcDateTime  # noqa: F401
