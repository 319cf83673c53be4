"""A NUL character in what is typed or sent is refused before it reaches the store.

PostgreSQL's text columns cannot hold NUL (0x00), so a query, form field or
JSON value holding one would fail in the database as a server error (found by
schemathesis on PostgreSQL; issue 10). No one types it; it is refused in
plain words on both engines alike. Uploaded files are not looked at here:
their bytes (a PDF's) may hold NUL and are kept as bytes.
"""

from __future__ import annotations

from flask import Flask, request

from cosynth.errors import InputError


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul)


def refuse_nul() -> None:
    sent = [*request.args.values(), *request.form.values()]
    if request.is_json:
        body = request.get_data(cache=True)
        if b"\\u0000" in body or b"\x00" in body:
            sent.append("\x00")
    if any("\x00" in value for value in sent):
        raise InputError(
            "What was sent holds a NUL character (0x00), which cosynth cannot keep. "
            "Take it out and send it again."
        )
