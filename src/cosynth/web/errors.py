"""One place where cosynth's errors become pages: plain words, the right status, no traceback."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, flash, redirect, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from cosynth.errors import (
    ConcurrentChangeError,
    CosynthError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    SignInError,
)


def init_app(app: Flask) -> None:
    app.register_error_handler(CosynthError, _cosynth_error)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(413, _too_large)


def _cosynth_error(exc: CosynthError) -> tuple[str, int] | Response:
    if isinstance(exc, PermissionDeniedError):
        return render_template("errors/error.html", message=str(exc)), 403
    if isinstance(exc, NotFoundError):
        return render_template("errors/error.html", message=str(exc)), 404
    if (
        isinstance(exc, InputError | ConcurrentChangeError | SignInError)
        and request.method == "POST"
    ):
        # Back to the form, with the reason; what was typed is kept by the form's page.
        flash(str(exc), "error")
        return redirect(_back(), 303)
    status = 400 if isinstance(exc, InputError) else 500
    return render_template("errors/error.html", message=str(exc)), status


def _not_found(_exc: Exception) -> tuple[str, int]:
    return render_template("errors/error.html", message=_("There is no such page.")), 404


def _too_large(_exc: Exception) -> tuple[str, int]:
    return render_template("errors/error.html", message=_("That file is too large to upload.")), 413


def _back() -> str:
    """The page the form was on, if it was on this site; else the page posted to."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/"):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return request.path
