"""The polite client: rate limits, retries with back-off, Retry-After, timeouts, refusals."""

from __future__ import annotations

import socket

import httpx
import pytest
import respx

from cosynth.connectors import ApiSettings, RetryPolicy, open_connector
from cosynth.connectors.http import PoliteClient
from cosynth.errors import SearchApiError
from tests.network import FakeTime, NetworkAccessError, api_file

SEARCH = "https://www.ebi.ac.uk/europepmc/webservices/rest/search"
ALICE = ApiSettings(contact_email="alice@example.org")


def client(fake_time: FakeTime, *, per_second: float = 5.0, attempts: int = 6) -> PoliteClient:
    return PoliteClient(
        "Europe PMC",
        "https://www.ebi.ac.uk/europepmc/webservices/rest/",
        per_second=per_second,
        user_agent=ALICE.user_agent,
        retry=RetryPolicy(attempts=attempts),
        sleep=fake_time.sleep,
        clock=fake_time.clock,
    )


def test_it_refuses_any_real_network_access() -> None:
    with pytest.raises(NetworkAccessError):
        socket.create_connection(("192.0.2.1", 443), timeout=1)


@respx.mock
def test_it_says_who_is_asking_in_the_user_agent(fake_time: FakeTime) -> None:
    route = respx.get(SEARCH).mock(return_value=httpx.Response(200, json={}))
    client(fake_time).get("search", {"query": "carers"})
    agent = route.calls.last.request.headers["User-Agent"]
    assert agent.startswith("cosynth/")
    assert "mailto:alice@example.org" in agent


def test_it_reads_the_contact_and_keys_from_the_environment() -> None:
    settings = ApiSettings.from_environment(
        {"COSYNTH_CONTACT_EMAIL": " alice@example.org ", "COSYNTH_NCBI_API_KEY": "k3y"}
    )
    assert settings.contact_email == "alice@example.org"
    assert settings.ncbi_api_key == "k3y"
    assert settings.openalex_api_key == ""


@respx.mock
def test_it_keeps_to_the_rate_limit_between_requests(fake_time: FakeTime) -> None:
    respx.get(SEARCH).mock(return_value=httpx.Response(200, json={}))
    polite = client(fake_time, per_second=3.0)
    for _ in range(3):
        polite.get("search", {"query": "carers"})
    # The first request goes at once; each later one waits a third of a second.
    assert fake_time.sleeps == pytest.approx([1 / 3, 1 / 3])


@respx.mock
def test_it_waits_as_long_as_retry_after_says_then_succeeds(fake_time: FakeTime) -> None:
    route = respx.get(SEARCH).mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "7"}, text="Too Many Requests"),
            httpx.Response(200, json={"ok": True}),
        ]
    )
    answer = client(fake_time).get("search", {"query": "carers"})
    assert answer.json() == {"ok": True}
    assert route.call_count == 2
    assert fake_time.sleeps == [7.0]


@respx.mock
def test_it_backs_off_longer_after_each_server_error(fake_time: FakeTime) -> None:
    route = respx.get(SEARCH).mock(
        side_effect=[
            httpx.Response(500),
            httpx.Response(503),
            httpx.Response(502),
            httpx.Response(200, json={"ok": True}),
        ]
    )
    client(fake_time).get("search", {"query": "carers"})
    assert route.call_count == 4
    first, second, third = fake_time.sleeps
    assert 1.0 <= first < second < third
    assert third >= 4.0


@respx.mock
def test_it_gives_up_after_its_attempts_with_a_plain_message(fake_time: FakeTime) -> None:
    route = respx.get(SEARCH).mock(return_value=httpx.Response(503))
    with pytest.raises(SearchApiError) as caught:
        client(fake_time, attempts=3).get("search", {"query": "carers"})
    assert route.call_count == 3
    assert "HTTP 503" in caught.value.message
    assert "3 times" in caught.value.message
    assert "resume" in caught.value.message


@respx.mock
def test_it_tries_again_after_a_timeout(fake_time: FakeTime) -> None:
    route = respx.get(SEARCH).mock(
        side_effect=[httpx.ReadTimeout("slow"), httpx.Response(200, json={"ok": True})]
    )
    assert client(fake_time).get("search", {"query": "carers"}).json() == {"ok": True}
    assert route.call_count == 2


@respx.mock
def test_it_says_the_server_did_not_answer_in_time(fake_time: FakeTime) -> None:
    respx.get(SEARCH).mock(side_effect=httpx.ConnectTimeout("no answer"))
    with pytest.raises(SearchApiError, match="did not answer in time"):
        client(fake_time, attempts=2).get("search", {"query": "carers"})


@respx.mock
def test_it_reports_a_refused_query_at_once(fake_time: FakeTime) -> None:
    route = respx.get(SEARCH).mock(
        return_value=httpx.Response(400, text="Syntax error in query near ')'")
    )
    with pytest.raises(SearchApiError) as caught:
        client(fake_time).get("search", {"query": "carers)"})
    assert route.call_count == 1
    assert "HTTP 400" in caught.value.message
    assert "Syntax error in query" in caught.value.message


@respx.mock
def test_it_tells_the_person_to_come_back_when_asked_to_wait_an_hour(fake_time: FakeTime) -> None:
    respx.get(SEARCH).mock(return_value=httpx.Response(429, headers={"Retry-After": "3600"}))
    with pytest.raises(SearchApiError, match="60 minutes"):
        client(fake_time).get("search", {"query": "carers"})
    assert fake_time.sleeps == []


@respx.mock
def test_it_reads_a_page_that_is_not_json_as_a_plain_error(fake_time: FakeTime) -> None:
    respx.get(SEARCH).mock(
        return_value=httpx.Response(200, text="<html><body>Service unavailable</body></html>")
    )
    connector = open_connector("europepmc", ALICE, sleep=fake_time.sleep, clock=fake_time.clock)
    with pytest.raises(SearchApiError, match="not JSON"):
        connector.fetch("carers", "*")


@respx.mock
def test_it_names_a_documented_field_the_answer_lacks(fake_time: FakeTime) -> None:
    respx.get(SEARCH).mock(
        return_value=httpx.Response(200, content=api_file("europepmc/not-a-search.json"))
    )
    connector = open_connector("europepmc", ALICE, sleep=fake_time.sleep, clock=fake_time.clock)
    with pytest.raises(SearchApiError, match='"resultList" field'):
        connector.fetch("carers", "*")
