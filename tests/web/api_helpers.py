"""A script's view of the JSON API: a token, and every answer checked against the OpenAPI document.

`ApiClient` checks each response it gets: the status must be one the document
lists for that operation, and the body must match the document's schema for
it. So every test that uses the API also tests that the document tells the
truth.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from flask import Flask
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from werkzeug.exceptions import HTTPException
from werkzeug.test import TestResponse

from cosynth.services import accounts
from cosynth.services.workspace import Workspace

PREFIX = "/api/v1"
_BASE = "urn:cosynth-api"


def issue_token(workspace: Workspace, who: str, label: str = "tests") -> str:
    with workspace.transaction(who) as tx:
        _token, secret = accounts.issue_api_token(tx, label)
    return secret


def openapi_path(rule: str) -> str:
    """/api/v1/reviews/<int:review_id> -> /reviews/{review_id}"""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.removeprefix(PREFIX))


class ApiClient:
    """One script, with one token (or none), on the app under test."""

    def __init__(self, app: Flask, token: str | None = None) -> None:
        self.app = app
        self.client = app.test_client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._document: dict[str, Any] | None = None

    @property
    def document(self) -> dict[str, Any]:
        if self._document is None:
            answer = self.app.test_client().get(f"{PREFIX}/openapi.json")
            assert answer.status_code == 200
            self._document = answer.get_json()
        return self._document

    def get(self, path: str, **params: object) -> TestResponse:
        answer = self.client.get(PREFIX + path, query_string=params, headers=self.headers)
        return self.checked("GET", PREFIX + path, answer)

    def post(self, path: str, body: object) -> TestResponse:
        answer = self.client.post(PREFIX + path, json=body, headers=self.headers)
        return self.checked("POST", PREFIX + path, answer)

    def upload(self, path: str, files: dict[str, tuple[bytes, str]], **fields: str) -> TestResponse:
        """POST a multipart/form-data body: `files` by field, as (bytes, file name)."""
        data: dict[str, object] = dict(fields)
        data.update(
            {name: (BytesIO(content), filename) for name, (content, filename) in files.items()}
        )
        answer = self.client.post(
            PREFIX + path, data=data, headers=self.headers, content_type="multipart/form-data"
        )
        return self.checked("POST", PREFIX + path, answer)

    def checked(self, method: str, url: str, answer: TestResponse) -> TestResponse:
        """Fail unless the answer is one the document describes for this operation."""
        assert answer.mimetype == "application/json", (url, answer.status_code)
        body = answer.get_json()
        adapter = self.app.url_map.bind("localhost")
        try:
            rule, _args = adapter.match(url.partition("?")[0], method=method, return_rule=True)
        except HTTPException:
            # No such route: still an error object, as every API error is.
            self.validate(body, {"$ref": f"{_BASE}#/components/schemas/Error"})
            return answer
        operation = self.document["paths"][openapi_path(rule.rule)][method.lower()]
        status = str(answer.status_code)
        assert status in operation["responses"], (
            f"{method} {url} answered {status}, which the document does not list: {body}"
        )
        described = operation["responses"][status]
        if "$ref" in described:
            described = self.document["components"]["responses"][described["$ref"].split("/")[-1]]
        schema = described["content"]["application/json"]["schema"]
        self.validate(body, {"$ref": _BASE + schema["$ref"]})
        return answer

    def validate(self, body: object, schema: dict[str, Any]) -> None:
        registry: Registry[Any] = Registry().with_resource(
            _BASE, Resource.from_contents(self.document, default_specification=DRAFT202012)
        )
        Draft202012Validator(
            schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
        ).validate(body)
