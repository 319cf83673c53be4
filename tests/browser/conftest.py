"""Debian's Chromium, driven by Playwright, against the app served on a loopback port.

No browser is ever downloaded: Playwright launches the `chromium` on the path.
A developer without it gets a skip that says how to install it; CI (`CI=true`)
must have it, so there a missing browser fails instead of passing unseen.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import argon2
import pytest
from argon2 import PasswordHasher
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from cosynth.services import accounts
from cosynth.services.workspace import Workspace
from cosynth.web import WebSettings, create_app
from tests.conftest import Team

PASSWORD = "a long enough passphrase"
PEOPLE = ("alice", "bob", "carol", "pat", "mallory")
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")


def chromium_executable() -> str:
    """Debian's chromium; skip without it on a laptop, fail without it in CI."""
    found = shutil.which("chromium") or (str(DEBIAN_CHROMIUM) if DEBIAN_CHROMIUM.exists() else "")
    if found:
        return found
    problem = "Debian's chromium is not installed (sudo apt-get install chromium)."
    if os.environ.get("CI", "").lower() in {"true", "1", "yes"}:
        pytest.fail(f"{problem} CI must run the browser tests.", pytrace=False)
    pytest.skip(f"{problem} The browser tests need it.")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_executable()
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2's cheapest parameters: these tests check pages, not the hash's cost."""
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)
    )


@dataclass(frozen=True)
class Site:
    """The app on a loopback port: `site("/login")` is a full URL."""

    base: str
    app: Flask

    def __call__(self, path: str) -> str:
        return self.base + path

    def path_of(self, url: str) -> str:
        return url.removeprefix(self.base)


class _QuietHandler(WSGIRequestHandler):
    """No line per request: pytest would print hundreds of them beside a failure."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@pytest.fixture
def site(db_url: str, workspace: Workspace, team: Team) -> Iterator[Site]:
    """The team's accounts, and the app served by a threaded WSGI server of its own."""
    with workspace.transaction("admin") as tx:
        for name in PEOPLE:
            accounts.create_user(tx, name, PASSWORD, display_name=name.capitalize())
    app = create_app(
        WebSettings(database_url=db_url, secret_key="browser tests", secure_cookies=False)
    )
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="cosynth-web", daemon=True)
    thread.start()
    try:
        yield Site(base=f"http://127.0.0.1:{server.server_port}", app=app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.extensions["cosynth.workspace"].close()


SignIn = Callable[[str], Page]


@pytest.fixture
def sign_in(browser: Browser, site: Site) -> Iterator[SignIn]:
    """`sign_in("bob")`: a page in a browser context of bob's own (his cookies only), signed in."""
    contexts: list[BrowserContext] = []

    def open_as(who: str) -> Page:
        context = browser.new_context(base_url=site.base)
        context.set_default_timeout(30_000)  # generous: CI machines can be busy
        contexts.append(context)
        page = context.new_page()
        page.goto("/login")
        page.fill("#username", who)
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.press("#password", "Enter")
        assert not re.search(r"/login", page.url), f"{who} could not sign in"
        return page

    yield open_as
    for context in contexts:
        context.close()
