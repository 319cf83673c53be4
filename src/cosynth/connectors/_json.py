"""Reading an API's JSON answer, with a plain error when it is not what the API documents."""

from __future__ import annotations

import json
from typing import Any

import httpx

from cosynth.errors import SearchApiError


def answer(api: str, response: httpx.Response) -> dict[str, Any]:
    """The JSON object the API answered with; `SearchApiError` for anything else."""
    try:
        value = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        start = " ".join(response.text.split())[:120]
        raise SearchApiError(
            api, f"the answer was not JSON (it starts: {start!r}); try the run again later"
        ) from None
    if not isinstance(value, dict):
        raise SearchApiError(api, "the answer was not a JSON object; try the run again later")
    return value


def field(api: str, value: dict[str, Any], *path: str) -> Any:
    """`value[path[0]][path[1]]...`, or `SearchApiError` naming the missing field."""
    here: Any = value
    for depth, key in enumerate(path):
        if not isinstance(here, dict) or key not in here:
            name = ".".join(path[: depth + 1])
            raise SearchApiError(
                api,
                f'the answer has no "{name}" field, which the API documents: its format may '
                "have changed, or the service answered with an error page. Nothing from this "
                "page was kept; resume the run later.",
            )
        here = here[key]
    return here


def one_per_line(prefix: str, raw_records: list[str], suffix: str) -> bytes:
    """A JSON file with each record's own text on a line of its own (so lines name records)."""
    body = ",\n".join(" ".join(raw.split("\n")) for raw in raw_records)
    return f"{prefix}\n{body}\n{suffix}\n".encode()
