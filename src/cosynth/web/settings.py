"""The web app's settings: read from the environment, with safe defaults for a laptop."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cosynth.services.workspace import database_url

MAX_UPLOAD_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class WebSettings:
    """Everything `create_app` needs. `from_environment` fills it from `COSYNTH_*` variables."""

    database_url: str
    secret_key: str
    # Cookies only over HTTPS: on for a team server behind TLS, off for a laptop demo on http.
    secure_cookies: bool = True
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    testing: bool = False

    @classmethod
    def from_environment(cls, database: str | None = None) -> WebSettings:
        url = database_url(database)
        return cls(
            database_url=url,
            secret_key=os.environ.get("COSYNTH_SECRET_KEY") or _secret_beside(url),
            secure_cookies=os.environ.get("COSYNTH_INSECURE_COOKIES", "") != "1",
        )


def _secret_beside(url: str) -> str:
    """A secret kept in a file beside a SQLite store, so sessions outlive a restart.

    A team server sets COSYNTH_SECRET_KEY instead (every worker must share it).
    """
    if not url.startswith("sqlite:///"):
        raise RuntimeError(
            "Set COSYNTH_SECRET_KEY for a server on PostgreSQL: every worker must share it."
        )
    path = Path(url.removeprefix("sqlite:///")).with_suffix(".secret")
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
