"""What every view shares: the signed-in person and a transaction on their behalf."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from flask import abort, current_app, g, request

from cosynth.domain.accounts import User
from cosynth.domain.screening.stages import Stage
from cosynth.services.workspace import Tx, Workspace


def workspace() -> Workspace:
    return cast(Workspace, current_app.extensions["cosynth.workspace"])


def current_user() -> User:
    """The signed-in person (views behind `login_required` only)."""
    return cast(User, g.user)


@contextmanager
def transaction() -> Iterator[Tx]:
    """One unit of work as the signed-in person: committed whole, or not at all."""
    with workspace().transaction(current_user().username, read_only=_reading()) as tx:
        yield tx


def _reading() -> bool:
    # GET and HEAD only read (every change is a POST that redirects: issue 5),
    # so their transactions take no write lock and may not write.
    return request.method in {"GET", "HEAD"}


@contextmanager
def anonymous_transaction(*, read_only: bool = False) -> Iterator[Tx]:
    """A unit of work before anyone has signed in (signing in, accepting an invitation)."""
    with workspace().transaction("(signing in)", read_only=read_only) as tx:
        yield tx


def stage_or_404(value: str) -> Stage:
    """The screening stage a URL names; any other word is a page that does not exist."""
    try:
        return Stage(value)
    except ValueError:
        abort(404)
