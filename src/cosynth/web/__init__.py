"""The team web app: server-rendered pages over the same services as the command line.

Every action is a real form POST answered with 303 See Other, so each page
works without JavaScript; htmx only makes some of them quicker.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from cosynth.services.workspace import open_workspace
from cosynth.web import api, auth, errors, headers, i18n, ids, inputs, jobs, kept
from cosynth.web.settings import WebSettings
from cosynth.web.views import (
    account,
    advice,
    advisory,
    appraisal,
    audit,
    checklists,
    conflicts,
    coproduction,
    dedup,
    exports,
    extraction,
    findings,
    fulltext,
    glossary,
    imports,
    invitations,
    members,
    prisma,
    quotes,
    report,
    reviews,
    screening,
    search,
    synthesis,
    synthesis_reading,
    synthesis_themes,
    tables,
)
from cosynth.web.views import jobs as job_pages

__all__ = ["WebSettings", "create_app"]


def create_app(settings: WebSettings | None = None) -> Flask:
    settings = settings or WebSettings.from_environment()
    app = Flask(__name__)
    app.url_map.converters["int"] = ids.IdConverter  # before any route is added
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        MAX_CONTENT_LENGTH=settings.max_upload_bytes,
        TESTING=settings.testing,
        WTF_CSRF_TIME_LIMIT=None,  # a form left open over lunch still posts
    )
    app.extensions["cosynth.workspace"] = open_workspace(settings.database_url)
    # Who is signed in is known before CSRF is checked, so a refused form's page can say.
    auth.init_app(app)
    csrf = CSRFProtect(app)
    csrf.exempt(api.blueprint)  # token auth only, never cookies: no forged form can ride it
    i18n.init_app(app)
    errors.init_app(app)
    headers.init_app(app)
    inputs.init_app(app)
    kept.init_app(app)
    jobs.init_app(app, settings)
    for blueprint in (
        auth.blueprint,
        api.blueprint,
        reviews.blueprint,
        screening.blueprint,
        conflicts.blueprint,
        imports.blueprint,
        dedup.blueprint,
        members.blueprint,
        invitations.blueprint,
        audit.blueprint,
        job_pages.blueprint,
        fulltext.blueprint,
        advice.blueprint,
        account.blueprint,
        glossary.blueprint,
        appraisal.blueprint,
        coproduction.blueprint,
        tables.blueprint,
        prisma.blueprint,
        checklists.blueprint,
        report.blueprint,
        extraction.blueprint,
        quotes.blueprint,
        advisory.blueprint,
        synthesis.blueprint,
        synthesis_reading.blueprint,
        synthesis_themes.blueprint,
        findings.blueprint,
        exports.blueprint,
        search.blueprint,
    ):
        app.register_blueprint(blueprint)
    return app
