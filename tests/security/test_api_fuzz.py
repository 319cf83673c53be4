"""The JSON API's OpenAPI document, fuzzed with schemathesis: no answer is a server error.

schemathesis reads /api/v1/openapi.json, from the app in-process (WSGI), and
from `cosynth serve` running in a child process over real HTTP, and
sends each operation requests generated from the document's own schemas,
valid and not, with bob's token on a review that has records, votes and a
source, so that some generated ids are real. Any 5xx fails, naming the
request. A bounded number of examples per operation keeps the suite quick;
`COSYNTH_FUZZ_EXAMPLES` raises it for a longer run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings

from cosynth.domain.screening.votes import Decision
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.faults.servers import free_port, wait_for_port
from tests.services.screening_helpers import import_search, vote
from tests.web.api_helpers import PREFIX, issue_token
from tests.web.conftest import app, cheap_hashing  # noqa: F401  (fixtures)

EXAMPLES = int(os.environ.get("COSYNTH_FUZZ_EXAMPLES", "8"))


def fuzz_every_operation(
    schema: Any, call: Callable[[schemathesis.Case], Any], at_least: int = 15
) -> list[str]:
    """Each operation of `schema`, sent generated requests through `call`: the 5xx answers."""
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > at_least

    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            # The same examples each run in the suite (CI stays repeatable); a longer run
            # asked for by COSYNTH_FUZZ_EXAMPLES searches afresh.
            derandomize="COSYNTH_FUZZ_EXAMPLES" not in os.environ,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def fuzz(case: schemathesis.Case) -> None:
            answer = call(case)
            if answer.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {answer.status_code}: "
                                f"{answer.text[:300]}")  # fmt: skip

        fuzz()
    return failures


@pytest.fixture
def bobs_headers(app: Flask, workspace: Workspace, team: Team) -> dict[str, str]:  # noqa: F811
    """A review with records, bob's vote and a source; bob's token, as a request header."""
    ids = import_search(workspace, team)
    vote(workspace, "bob", team, ids[0], Decision.INCLUDE)
    return {"Authorization": f"Bearer {issue_token(workspace, 'bob')}"}


def test_it_answers_every_generated_api_request_without_a_server_error(
    app: Flask,  # noqa: F811
    bobs_headers: dict[str, str],
) -> None:
    headers = bobs_headers
    schema = schemathesis.openapi.from_wsgi(f"{PREFIX}/openapi.json", app)
    failures = fuzz_every_operation(schema, lambda case: case.call(headers=headers))
    assert not failures, "\n".join(failures)


def test_it_answers_a_running_server_without_a_server_error(
    bobs_headers: dict[str, str], db_url: str, tmp_path: Path
) -> None:
    """The same, over HTTP to `cosynth serve` (waitress) in a process of its own."""
    headers = bobs_headers
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "cosynth", "--db", db_url, "serve", "--port", str(port)],
        env={**os.environ, "COSYNTH_SECRET_KEY": "fuzz-test", "COSYNTH_HUEY_FILE":
             str(tmp_path / "jobs.huey.db"), "COSYNTH_UPLOADS": str(tmp_path / "uploads")},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        wait_for_port(port, up=True, seconds=120)
        base = f"http://127.0.0.1:{port}"
        schema = schemathesis.openapi.from_url(f"{base}{PREFIX}/openapi.json")
        failures = fuzz_every_operation(
            schema, lambda case: case.call(base_url=f"{base}{PREFIX}", headers=headers, timeout=60)
        )
    finally:
        server.terminate()
        said, _ = server.communicate(timeout=30)
    assert not failures, "\n".join(failures) + "\n" + said[-3000:]
    assert "Traceback" not in said, said[-3000:]


def test_it_refuses_a_nul_character_in_plain_words(
    app: Flask,  # noqa: F811
    workspace: Workspace,
    team: Team,
) -> None:
    """Found by schemathesis on PostgreSQL, whose text cannot hold NUL: a 500 before."""
    ids = import_search(workspace, team)
    headers = {"Authorization": f"Bearer {issue_token(workspace, 'bob')}"}
    client = app.test_client()
    review = f"{PREFIX}/reviews/{team.review_id}"
    searched = client.get(f"{review}/records?search=a%00b", headers=headers)
    voted = client.post(
        f"{review}/screening/title-abstract/records/{ids[0]}/votes",
        json={"decision": "include", "note": "a\x00b"},
        headers=headers,
    )
    for answer in (searched, voted):
        assert answer.status_code == 400, answer.get_data(as_text=True)
        assert "NUL" in answer.get_json()["error"]["message"]
