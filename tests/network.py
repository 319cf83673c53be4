"""No test touches the network: a fixture that fails any connection beyond this machine.

The connector tests answer every request from recorded responses (respx);
should one slip past them, the socket refuses it here, loudly, instead of
asking a real API. Loopback addresses (the PostgreSQL and Redis the suite
uses) and Unix sockets stay open.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

API_DATA = Path(__file__).parent / "data" / "api"


class NetworkAccessError(AssertionError):
    """A test tried to reach the network."""


def _local(address: Any) -> bool:
    if not isinstance(address, tuple):
        return True  # a Unix socket path
    host = str(address[0])
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%", maxsplit=1)[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        if not _local(address):
            raise NetworkAccessError(f"a test tried to connect to {address!r}")
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if not _local(address):
            raise NetworkAccessError(f"a test tried to connect to {address!r}")
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in (None, "localhost") and not _local((str(host), 0)):
            raise NetworkAccessError(f"a test tried to look up {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield


class FakeTime:
    """A clock that moves only when slept on: the connectors wait, the tests do not."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def api_file(name: str) -> bytes:
    """A recorded answer from tests/data/api/."""
    return (API_DATA / name).read_bytes()
