"""The web app under Flask's test client, with the team signed in as themselves."""

from __future__ import annotations

import re
from collections.abc import Iterator

import argon2
import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from cosynth.services import accounts
from cosynth.services.workspace import Workspace
from cosynth.web import WebSettings, create_app
from tests.conftest import Team

PASSWORD = "a long enough passphrase"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2's cheapest parameters: the tests check the flow, not the hash's cost."""
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)
    )


@pytest.fixture
def app(db_url: str, workspace: Workspace, team: Team) -> Iterator[Flask]:
    with workspace.transaction("admin") as tx:
        for name in ("alice", "bob", "carol", "pat", "mallory"):
            accounts.create_user(tx, name, PASSWORD, display_name=name.capitalize())
    made = create_app(
        WebSettings(database_url=db_url, secret_key="test", secure_cookies=False, testing=True)
    )
    yield made
    made.extensions["cosynth.workspace"].close()


class Visitor:
    """One person's browser: it keeps their cookies and posts forms with the page's CSRF token."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.token = ""

    def get(self, url: str, **kwargs: object) -> TestResponse:
        response = self.client.get(url, **kwargs)  # type: ignore[arg-type]
        found = _CSRF.search(response.get_data(as_text=True))
        if found:
            self.token = found.group(1)
        return response

    def post(self, url: str, data: dict[str, str] | None = None, **kwargs: object) -> TestResponse:
        if not self.token:
            self.get("/login")
        form = {"csrf_token": self.token, **(data or {})}
        return self.client.post(url, data=form, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def visit(app: Flask):
    """`visit("bob")`: a browser with bob signed in; `visit(None)`: nobody signed in."""

    def open_as(who: str | None) -> Visitor:
        visitor = Visitor(app.test_client())
        if who is not None:
            signed = visitor.post("/login", {"username": who, "password": PASSWORD})
            assert signed.status_code == 303, signed.get_data(as_text=True)
        return visitor

    return open_as
