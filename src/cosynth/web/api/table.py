"""The API's one table of operations: each route is declared once, and the document made from it.

`ApiTable.route` registers a view with the blueprint and records its
operation (path, parameters, body, answer) in the same step, so the OpenAPI
document cannot describe a route that does not exist. A route added to the
blueprint some other way is missing from the table, and the test that
compares the URL map with the document says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from cosynth.domain.roles import Permission
from cosynth.web.access import require_any

Json = dict[str, Any]
View = Callable[..., Any]

OPENAPI_VERSION = "3.1.0"
_VARIABLE = re.compile(r"<(?:(\w+):)?(\w+)>")
_CONVERTED = {"int": {"type": "integer", "minimum": 1}, "string": {"type": "string"}}

# Each answer an operation can give besides its own; the document's
# components.responses describe them once.
ERROR_RESPONSES = {
    "400": "The request cannot be used: a parameter or the JSON body is missing or wrong.",
    "401": "No API token was sent, or the token is unknown or revoked.",
    "403": "The token's owner may not do this in this review (or is not one of its members).",
    "404": "There is no such review, record or stage.",
    "409": "Someone changed the same thing at the same moment; this change was not made.",
}


@dataclass(frozen=True, slots=True)
class Query:
    """One query parameter of an operation."""

    name: str
    schema: Json
    description: str


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    rule: str  # the Flask rule under the blueprint's prefix, e.g. /reviews/<int:review_id>
    operation_id: str
    summary: str
    returns: str  # a schema in components.schemas
    status: int = 200
    query: tuple[Query, ...] = ()
    body: str | None = None  # a schema in components.schemas, sent as `body_media`
    public: bool = False  # answered without a token
    description: str = ""
    # Asked of the services before the request's parameters or body are read
    # (one of them is enough here; the service checks the exact one).
    permissions: tuple[Permission, ...] = (Permission.VIEW,)
    body_media: str = "application/json"  # or multipart/form-data, for a file

    @property
    def path(self) -> str:
        """The rule as an OpenAPI path template: <int:review_id> becomes {review_id}."""
        return _VARIABLE.sub(lambda found: "{" + found.group(2) + "}", self.rule)

    @property
    def path_variables(self) -> list[tuple[str, str]]:
        """(name, converter) of each variable in the rule, in order."""
        return [(name, converter or "string") for converter, name in _VARIABLE.findall(self.rule)]


class ApiTable:
    """The blueprint's operations, and the OpenAPI document that describes them."""

    def __init__(
        self,
        blueprint: Blueprint,
        *,
        title: str,
        version: str,
        description: str,
        path_parameters: Mapping[str, Json],
        schemas: Mapping[str, Json],
    ) -> None:
        self.blueprint = blueprint
        self.title = title
        self.version = version
        self.description = description
        self.path_parameters = path_parameters
        self.schemas = schemas
        self.operations: dict[str, Operation] = {}  # by endpoint name

    def route(
        self,
        method: str,
        rule: str,
        operation_id: str,
        summary: str,
        *,
        returns: str,
        status: int = 200,
        query: tuple[Query, ...] = (),
        body: str | None = None,
        public: bool = False,
        description: str = "",
        permissions: tuple[Permission, ...] = (Permission.VIEW,),
        body_media: str = "application/json",
    ) -> Callable[[View], View]:
        """Register the decorated view at `rule` and describe it; it returns JSON-able data.

        In a review's URL, the token's owner is refused without one of
        `permissions` before the view reads a parameter or the body, so the
        API teaches someone off the team nothing about what it accepts.
        """
        operation = Operation(
            method,
            rule,
            operation_id,
            summary,
            returns,
            status,
            query,
            body,
            public,
            description,
            permissions,
            body_media,
        )
        for name in (returns, body):
            if name is not None and name not in self.schemas:
                raise LookupError(f"{operation_id}: no schema called {name}")

        def register(view: View) -> View:
            @wraps(view)
            def answer(**kwargs: Any) -> tuple[Response, int]:
                if "review_id" in kwargs:
                    require_any(int(kwargs["review_id"]), *operation.permissions)
                return jsonify(view(**kwargs)), operation.status

            self.blueprint.add_url_rule(rule, view_func=answer, methods=[method])
            self.operations[f"{self.blueprint.name}.{view.__name__}"] = operation
            return view

        return register

    def is_public(self, endpoint: str | None) -> bool:
        found = self.operations.get(endpoint or "")
        return found is not None and found.public

    # -- the document

    def document(self, server_url: str) -> Json:
        paths: dict[str, Json] = {}
        for operation in self.operations.values():
            paths.setdefault(operation.path, {})[operation.method.lower()] = self._operation(
                operation
            )
        return {
            "openapi": OPENAPI_VERSION,
            "info": {"title": self.title, "version": self.version, "description": self.description},
            "servers": [{"url": server_url}],
            "security": [{"bearerToken": []}],
            "paths": dict(sorted(paths.items())),
            "components": {
                "securitySchemes": {
                    "bearerToken": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": (
                            "An API token (it starts cst_): make one with "
                            "`cosynth token new` and send it as "
                            "`Authorization: Bearer <token>`. Session cookies are not accepted."
                        ),
                    }
                },
                "schemas": dict(self.schemas),
                "responses": {
                    status: {
                        "description": words,
                        "content": {"application/json": {"schema": _ref("Error")}},
                    }
                    for status, words in ERROR_RESPONSES.items()
                },
            },
        }

    def _operation(self, operation: Operation) -> Json:
        described: Json = {"operationId": operation.operation_id, "summary": operation.summary}
        words = [operation.description] if operation.description else []
        if any(name == "review_id" for name, _ in operation.path_variables):
            words.append(_who_may(operation.permissions))
        if words:
            described["description"] = "\n\n".join(words)
        parameters = [
            self._path_parameter(name, converter) for name, converter in operation.path_variables
        ]
        parameters += [
            {
                "name": q.name,
                "in": "query",
                "required": False,
                "description": q.description,
                "schema": q.schema,
            }
            for q in operation.query
        ]
        if parameters:
            described["parameters"] = parameters
        if operation.body is not None:
            described["requestBody"] = {
                "required": True,
                "content": {operation.body_media: {"schema": _ref(operation.body)}},
            }
        answers: Json = {
            str(operation.status): {
                "description": self.schemas[operation.returns].get("description", "OK"),
                "content": {"application/json": {"schema": _ref(operation.returns)}},
            }
        }
        for status in _errors_of(operation):
            answers[status] = {"$ref": f"#/components/responses/{status}"}
        described["responses"] = answers
        if operation.public:
            described["security"] = []
        return described

    def _path_parameter(self, name: str, converter: str) -> Json:
        given = self.path_parameters.get(name, {})
        return {
            "name": name,
            "in": "path",
            "required": True,
            "description": given.get("description", name),
            "schema": given.get("schema", _CONVERTED.get(converter, {"type": "string"})),
        }


def _errors_of(operation: Operation) -> list[str]:
    errors = []
    if operation.query or operation.body or operation.path_variables:
        errors.append("400")
    if not operation.public:
        errors.append("401")
    if any(name == "review_id" for name, _ in operation.path_variables):
        errors += ["403", "404"]
    if operation.body is not None:
        errors.append("409")
    return errors


def _who_may(permissions: tuple[Permission, ...]) -> str:
    if permissions == (Permission.VIEW,):
        return "Open to every member of the review."
    return "For members who may " + " or ".join(p.value for p in permissions) + "."


def _ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}
