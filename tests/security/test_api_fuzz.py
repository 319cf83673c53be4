"""The JSON API's OpenAPI document, fuzzed with schemathesis: no answer is a server error.

schemathesis reads /api/v1/openapi.json from the app in-process (WSGI) and
sends each operation requests generated from the document's own schemas,
valid and not, with bob's token on a review that has records, votes and a
source, so that some generated ids are real. Any 5xx fails, naming the
request. A bounded number of examples per operation keeps the suite quick;
`COSYNTH_FUZZ_EXAMPLES` raises it for a longer run.
"""

from __future__ import annotations

import os

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings

from cosynth.domain.screening.votes import Decision
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import import_search, vote
from tests.web.api_helpers import PREFIX, issue_token
from tests.web.conftest import app, cheap_hashing  # noqa: F401  (fixtures)

EXAMPLES = int(os.environ.get("COSYNTH_FUZZ_EXAMPLES", "8"))


def test_it_answers_every_generated_api_request_without_a_server_error(
    app: Flask,  # noqa: F811
    workspace: Workspace,
    team: Team,
) -> None:
    ids = import_search(workspace, team)
    vote(workspace, "bob", team, ids[0], Decision.INCLUDE)
    headers = {"Authorization": f"Bearer {issue_token(workspace, 'bob')}"}
    schema = schemathesis.openapi.from_wsgi(f"{PREFIX}/openapi.json", app)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 15

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
            answer = case.call(headers=headers)
            if answer.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {answer.status_code}: "
                                f"{answer.text[:300]}")  # fmt: skip

        fuzz()
    assert not failures, "\n".join(failures)


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
