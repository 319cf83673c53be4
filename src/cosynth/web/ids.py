"""Ids in URLs: `<int:...>` matches only numbers an id column can hold.

Werkzeug's `int` converter takes any number of digits. A URL with an id
beyond the store's integer range (2**31 - 1 on PostgreSQL's INTEGER) would
reach the database and fail there as a server error (found by schemathesis;
issue 10). No row can have such an id, so the URL is a page that does not
exist: 404, like any other unknown id.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

# PostgreSQL's INTEGER, the narrowest id column cosynth has on either engine.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`int` with a ceiling: the id columns' range, so a larger number matches no route."""

    def __init__(self, url_map: Map, fixed_digits: int = 0, **bounds: int | bool | None) -> None:
        bounds.setdefault("max", MAX_ID)
        super().__init__(url_map, fixed_digits, **bounds)  # type: ignore[arg-type]
