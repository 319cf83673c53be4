"""`cosynth demo`: the demo team can sign in with the printed passwords, on loopback only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import argon2
import pytest
import waitress
from argon2 import PasswordHasher
from click.testing import CliRunner
from defusedxml import ElementTree

from cosynth.cli.main import cli
from cosynth.services import accounts
from cosynth.services.demo import DEMO_PASSWORDS
from cosynth.services.workspace import open_workspace


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2's cheapest parameters: these tests check the demo, not the hash's cost."""
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)
    )


def test_it_prints_the_logins_and_makes_the_accounts(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    result = CliRunner().invoke(cli, ["demo", "--out", str(folder), "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8000/" in result.output
    workspace = open_workspace(str(folder / "cosynth.db"))
    try:
        for username, password in DEMO_PASSWORDS.items():
            assert f"password: {password}" in result.output
            with workspace.transaction(username) as tx:
                user = accounts.authenticate(tx, username, password)
            assert user.adviser_mode is (username == "pat")
    finally:
        workspace.close()


def test_it_writes_the_synthesis_and_the_advisory_groups_reports(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    result = CliRunner().invoke(cli, ["demo", "--out", str(folder), "--no-serve"])
    assert result.exit_code == 0, result.output
    synthesis = folder / "synthesis"
    written = {
        path.relative_to(folder).as_posix()
        for path in (*synthesis.iterdir(), *(folder / "advisory-group").iterdir())
    }
    assert written == {
        "synthesis/theme-tree.md",
        "synthesis/theme-tree.json",
        "synthesis/concept-grid.csv",
        "synthesis/concept-grid.xlsx",
        "synthesis/figure-3-theme-map.svg",
        "synthesis/figure-4-interpretations.svg",
        "synthesis/figure-5-co-delivery-cycle.svg",
        "advisory-group/gripp2-short-form.md",
        "advisory-group/action-log.csv",
    }
    for figure in synthesis.glob("*.svg"):
        root = ElementTree.fromstring(figure.read_bytes())
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "Co-delivery by service users" in (synthesis / "theme-tree.md").read_text("utf-8")
    assert "*Not yet reported.*" not in (
        folder / "advisory-group" / "gripp2-short-form.md"
    ).read_text("utf-8")
    log = (folder / "advisory-group" / "action-log.csv").read_text("utf-8").splitlines()
    assert log[0] == "Task,Who,Phase,Due,Done" and len(log) == 7


def test_it_serves_the_demo_on_loopback_over_plain_http(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: dict[str, Any] = {}

    def fake_serve(app: Any, **options: Any) -> None:  # the real one would block until Ctrl+C
        served.update(options, app=app)

    monkeypatch.setattr(waitress, "serve", fake_serve)
    result = CliRunner().invoke(cli, ["demo", "--out", str(tmp_path / "demo"), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert (served["host"], served["port"]) == ("127.0.0.1", 8123)
    assert "http://127.0.0.1:8123/" in result.output
    app = served["app"]
    assert app.config["SESSION_COOKIE_SECURE"] is False  # plain http on loopback
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    signed = client.post("/login", data={"username": "bob", "password": DEMO_PASSWORDS["bob"]})
    assert signed.status_code == 303
    assert "Transforming integrated care" in client.get("/").get_data(as_text=True)
