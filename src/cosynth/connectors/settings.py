"""Who is asking, and with which keys: read from the environment, never written in the code.

Every API asks callers to say who they are: NCBI wants `tool` and `email` on
each E-utilities request (and gives 10 requests a second instead of 3 to a
caller with an API key); OpenAlex and Crossref serve a "polite pool" to
callers who give a contact address (`mailto`, or in the User-Agent).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from cosynth import __version__

CONTACT_EMAIL = "COSYNTH_CONTACT_EMAIL"
NCBI_API_KEY = "COSYNTH_NCBI_API_KEY"
OPENALEX_API_KEY = "COSYNTH_OPENALEX_API_KEY"


@dataclass(frozen=True, slots=True)
class ApiSettings:
    """The contact e-mail and API keys sent with every request (empty: not given)."""

    contact_email: str = ""
    ncbi_api_key: str = ""
    openalex_api_key: str = ""
    tool: str = "cosynth"

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> ApiSettings:
        """Settings from $COSYNTH_CONTACT_EMAIL, _NCBI_API_KEY and _OPENALEX_API_KEY."""
        env = os.environ if environ is None else environ
        return cls(
            contact_email=env.get(CONTACT_EMAIL, "").strip(),
            ncbi_api_key=env.get(NCBI_API_KEY, "").strip(),
            openalex_api_key=env.get(OPENALEX_API_KEY, "").strip(),
        )

    @property
    def user_agent(self) -> str:
        """Crossref's recommended form: name/version (site; mailto:address)."""
        contact = f"; mailto:{self.contact_email}" if self.contact_email else ""
        return f"{self.tool}/{__version__} (https://pypi.org/project/cosynth/{contact})"
