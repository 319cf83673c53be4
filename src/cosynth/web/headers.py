"""Security headers on every answer the web app gives (issue 10, "Security").

Pages load scripts and styles only from this site's /static folder, so the
policy allows no inline script at all: a piece of text someone managed to get
into a page (a record's title, a note) cannot run even if escaping were
missed somewhere. No page may be framed by another site (clickjacking), no
answer may be read as another type than it says (MIME sniffing), and a link
to another site does not tell it which page of a review it came from.

A view that serves a file sets a tighter policy of its own (a study's PDF, a
figure, the report); that is kept, with `frame-ancestors` added where it says
nothing about framing. An SVG is a document that could hold a script, so it
is always sandboxed: opened on its own it may draw itself and do nothing
else (OWASP Secure Headers; CSP Level 3 `sandbox`).
"""

from __future__ import annotations

from flask import Flask
from werkzeug.wrappers import Response

# htmx 2 adds a <style> for its loading indicators; the policy keeps it out, and the
# stylesheet styles them instead (the page works the same either way).
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def init_app(app: Flask) -> None:
    app.after_request(secure)


def secure(response: Response) -> Response:
    """Add the headers the view did not set itself."""
    policy = response.headers.get("Content-Security-Policy")
    if policy is None:
        policy = PAGE_POLICY
    elif "frame-ancestors" not in policy:
        policy += "; frame-ancestors 'none'"
    if response.mimetype == "image/svg+xml" and "sandbox" not in policy:
        policy += "; sandbox"
    response.headers["Content-Security-Policy"] = policy
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response
