"""The connector for an API by name, with its polite client set up from the settings."""

from __future__ import annotations

import time

import httpx

from cosynth.connectors import crossref, europepmc, openalex, pubmed
from cosynth.connectors.base import Connector
from cosynth.connectors.http import Clock, PoliteClient, RetryPolicy, Sleep
from cosynth.connectors.settings import ApiSettings
from cosynth.errors import InputError

_CLASSES: dict[
    str,
    tuple[
        type[pubmed.PubMedConnector]
        | type[europepmc.EuropePmcConnector]
        | type[openalex.OpenAlexConnector]
        | type[crossref.CrossrefConnector],
        str,
    ],
] = {
    "pubmed": (pubmed.PubMedConnector, pubmed.BASE_URL),
    "europepmc": (europepmc.EuropePmcConnector, europepmc.BASE_URL),
    "openalex": (openalex.OpenAlexConnector, openalex.BASE_URL),
    "crossref": (crossref.CrossrefConnector, crossref.BASE_URL),
}

APIS = tuple(_CLASSES)


def open_connector(
    api: str,
    settings: ApiSettings | None = None,
    *,
    page_size: int | None = None,
    retry: RetryPolicy | None = None,
    sleep: Sleep = time.sleep,
    clock: Clock = time.monotonic,
    transport: httpx.BaseTransport | None = None,
    timeout: float = 60.0,
) -> Connector:
    """A client for `api` (pubmed, europepmc, openalex, crossref); settings from the environment."""
    if api not in _CLASSES:
        raise InputError(f"cosynth cannot search {api!r}; it searches {', '.join(APIS)}.")
    settings = settings or ApiSettings.from_environment()
    cls, base_url = _CLASSES[api]
    client = PoliteClient(
        cls.api,
        base_url,
        per_second=cls.per_second(settings),
        user_agent=settings.user_agent,
        timeout=timeout,
        retry=retry,
        sleep=sleep,
        clock=clock,
        transport=transport,
    )
    if page_size is None:
        return cls(settings, client)
    return cls(settings, client, page_size=page_size)
