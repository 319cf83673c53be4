"""The JSON API under /api/v1, for scripts: API tokens, never cookies.

A request is made as the person whose token it sends (`Authorization: Bearer
cst_...`, RFC 6750). The session cookie is never a credential here, so a page
on another site cannot make a signed-in browser call the API; that is also why
the blueprint is exempt from CSRF, which guards cookie-authenticated forms.

Every error is answered as `{"error": {"type": ..., "message": ...}}` by one
handler, with the status a script can act on.
"""

from __future__ import annotations

import re

from flask import g, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from cosynth.errors import (
    ConcurrentChangeError,
    CosynthError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    SignInError,
    ThrottledError,
)
from cosynth.services import accounts
from cosynth.web.api import intake  # noqa: F401  (registers its operations)
from cosynth.web.api.views import PREFIX, api, blueprint
from cosynth.web.context import anonymous_transaction

__all__ = ["api", "blueprint"]

# Most specific first: a ThrottledError is a CosynthError too.
_STATUS: tuple[tuple[type[CosynthError], int, str], ...] = (
    (PermissionDeniedError, 403, "permission_denied"),
    (NotFoundError, 404, "not_found"),
    (ConcurrentChangeError, 409, "concurrent_change"),
    (InputError, 400, "invalid_input"),
    (ThrottledError, 429, "throttled"),
    (SignInError, 401, "unauthorized"),
)
_CHALLENGE = 'Bearer realm="cosynth API"'


class TokenRequired(HTTPException):
    code = 401
    description = (
        "Send an API token as `Authorization: Bearer <token>`; make one with "
        "`cosynth token new`. Session cookies are not accepted here."
    )


@blueprint.before_request
def _authenticate() -> None:
    g.user = None  # whoever the session cookie names, the API acts only for a token's owner
    if api.is_public(request.endpoint):
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenRequired()
    with anonymous_transaction() as tx:
        user = accounts.user_for_api_token(tx, token)
    if user is None:
        raise TokenRequired(
            "That API token is not known, or it has been revoked. "
            "`cosynth token list` shows your tokens."
        )
    g.user = user


@blueprint.after_request
def _not_stored(response: Response) -> Response:
    # Answers hold a review's records and votes: no cache on the way may keep them.
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.before_app_request
def _unrouted() -> Response | None:
    """A mistyped API URL or method: answered in JSON like every other API error.

    Routing failures never reach the blueprint's own handlers (Flask cannot
    tell which blueprint a URL that matches nothing belongs to), so this runs
    for every request and answers only those under the API's prefix.
    """
    failed = request.routing_exception
    under_api = request.path == PREFIX or request.path.startswith(PREFIX + "/")
    if isinstance(failed, HTTPException) and under_api:
        return _answer(failed)
    return None


@blueprint.errorhandler(CosynthError)
@blueprint.errorhandler(HTTPException)
def _answer(exc: CosynthError | HTTPException) -> Response:
    if isinstance(exc, HTTPException):
        status = exc.code or 500
        kind = _snake(exc.name)
        message = exc.description or exc.name
    else:
        status, kind = next(
            ((code, name) for cls, code, name in _STATUS if isinstance(exc, cls)),
            (500, "server_error"),
        )
        message = str(exc)
    response = jsonify({"error": {"type": kind, "message": message}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = _CHALLENGE
    if isinstance(exc, HTTPException) and status == 405:
        allowed = exc.get_response().headers.get("Allow")
        if allowed:
            response.headers["Allow"] = allowed
    if isinstance(exc, ThrottledError) and exc.retry_after:
        response.headers["Retry-After"] = str(exc.retry_after)
    response.headers["Cache-Control"] = "no-store"
    return response


def _snake(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
