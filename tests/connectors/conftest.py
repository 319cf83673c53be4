from __future__ import annotations

import pytest

from tests.network import FakeTime, no_network

__all__ = ["no_network"]


@pytest.fixture(autouse=True)
def _offline(no_network: None) -> None:
    """Every connector test runs with the network refused."""


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()
