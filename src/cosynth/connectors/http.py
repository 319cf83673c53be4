"""One polite HTTP client for every API: a rate limit, retries with back-off, a contact address.

Politeness as each API asks for it: NCBI allows 3 requests a second without
an API key and 10 with one (E-utilities, "Usage Guidelines and Requirements");
OpenAlex and Crossref ask callers to give a contact address and to back off
when told to (HTTP 429 with Retry-After). Failures that may pass (429, 5xx, a
timeout, a dropped connection) are retried with exponential back-off and
jitter, waiting at least as long as Retry-After says; failures that will not
pass (400, 404) are reported at once, in words a reviewer can act on.

The clock and `sleep` are injected so that the tests wait for nothing.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from cosynth.errors import SearchApiError

Sleep = Callable[[float], None]
Clock = Callable[[], float]

# Status codes worth trying again: the server is busy, overloaded or restarting.
_RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to try again (the n-th wait is base * 2**n, plus jitter, capped)."""

    attempts: int = 6
    base_delay: float = 1.0
    max_delay: float = 120.0
    # Longest Retry-After honoured before giving up and telling the person.
    max_retry_after: float = 600.0

    def delay(self, attempt: int, jitter: float) -> float:
        """The wait before retry `attempt` (0-based); `jitter` in [0, 1) spreads callers out."""
        return float(min(self.max_delay, self.base_delay * 2**attempt) * (1 + jitter / 2))


class PoliteClient:
    """GET requests to one API, no faster than `per_second`, retried when that may help."""

    def __init__(
        self,
        api: str,
        base_url: str,
        *,
        per_second: float,
        user_agent: str,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        sleep: Sleep = time.sleep,
        clock: Clock = time.monotonic,
        jitter: Callable[[], float] = random.random,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.api = api
        self.interval = 1.0 / per_second
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._jitter = jitter
        self._last: float | None = None
        self._http = httpx.Client(
            base_url=base_url,
            headers={"User-Agent": user_agent},
            timeout=timeout,
            transport=transport,
            follow_redirects=True,
        )

    def get(self, path: str, params: Mapping[str, Any]) -> httpx.Response:
        """The answer to one request, after any retries; `SearchApiError` when none came."""
        problem = ""
        for attempt in range(self.retry.attempts):
            self._wait_turn()
            wait: float | None = None
            try:
                response = self._http.get(path, params=dict(params))
            except httpx.TimeoutException:
                problem = "the server did not answer in time"
            except httpx.TransportError as exc:
                problem = f"the connection failed ({type(exc).__name__}: {exc})"
            else:
                if response.is_success:
                    return response
                if response.status_code not in _RETRYABLE:
                    raise SearchApiError(self.api, _refusal(response))
                problem = _busy(response)
                wait = _retry_after(response, datetime.now(UTC))
                if wait is not None and wait > self.retry.max_retry_after:
                    raise SearchApiError(
                        self.api,
                        f"{problem}; it asks us to wait {wait / 60:.0f} minutes. "
                        "What was downloaded is kept: resume the run later.",
                    )
            if attempt + 1 < self.retry.attempts:
                backoff = self.retry.delay(attempt, self._jitter())
                self._sleep(max(backoff, wait or 0.0))
        raise SearchApiError(
            self.api,
            f"{problem}, {self.retry.attempts} times in a row. What was downloaded "
            "before is kept: resume the run when the service is back.",
        )

    def _wait_turn(self) -> None:
        """Sleep until `interval` has passed since the last request began."""
        now = self._clock()
        if self._last is not None:
            ahead = self._last + self.interval - now
            if ahead > 0:
                self._sleep(ahead)
                now += ahead
        self._last = now

    def close(self) -> None:
        self._http.close()


def _retry_after(response: httpx.Response, now: datetime) -> float | None:
    """Seconds the server asks us to wait (Retry-After: seconds or a date; RFC 9110 §10.2.3)."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _busy(response: httpx.Response) -> str:
    if response.status_code == 429:
        return "the service says we asked too often (HTTP 429)"
    return f"the service had a problem (HTTP {response.status_code})"


def _refusal(response: httpx.Response) -> str:
    text = " ".join(response.text.split())[:300]
    said = f" It said: {text}" if text else ""
    if response.status_code in (401, 403):
        return (
            f"the service refused the request (HTTP {response.status_code}): check the API key "
            f"in the environment.{said}"
        )
    return (
        f"the service refused the request (HTTP {response.status_code}): check the query's "
        f"syntax for this database.{said}"
    )
