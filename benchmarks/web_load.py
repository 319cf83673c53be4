"""Web load: reviewers screening a 100,000-record review at once, over real HTTP on loopback.

Run from the repository root (it takes a while; each server is niced):

    nice .venv/bin/python benchmarks/web_load.py [--records 100000] [--seconds 60]

One review of `--records` synthetic records (titles, abstracts and keywords
written from a health-services vocabulary, so the ranker has real words to
learn from) is imported through `import_file`, the services' bulk path, into
a throw-away store on each engine:

- SQLite with 20 reviewers against one waitress process (8 threads), as
  `cosynth serve` runs on a laptop;
- PostgreSQL with 50 reviewers against gunicorn with 2 worker processes of 8
  threads each, as `cosynth serve --workers 2` runs for a team (a database
  created for the run and dropped after it).

Each simulated reviewer is a thread with its own keep-alive connection and
cookies. It signs in (not timed), then loops for `--seconds`: GET the next
record (`/screen/title-abstract`, answered 303 to the record), GET the record
page (the form and its CSRF token), POST a vote (303 back to the next
record), exactly as a browser without JavaScript does. Between the record
page and the vote the reviewer reads for `--reading` seconds on average (5 s:
several times faster than people screen). A warm-up of ranked screening, not
measured, comes first, so that each server process's background retrainer is
already at work when measuring starts; it lasts until a 15-second round has no
page slower than 1 s (`warm_up` in the results: how long, and the slowest page).
Each order is then measured in its own phase: `ranked`
(the default; on a stage this big the model retrains in the background after
votes) and `random`; then a stress phase votes without pausing at all.

Server time is measured inside the app by a tiny WSGI middleware (from the
call to the app until it starts its response; Flask has rendered the whole
page by then) and sent back in a `Server-Timing` header; the client's
round trip on loopback is reported beside it. Afterwards every vote the
clients saw accepted is looked up in the store: none may be missing and no
person may have two current votes on one record.

Results: `benchmarks/results/web_load.json`, and a profile of the next-record
redirect and the record page in each order (one request each, in-process, on
the SQLite store) in `benchmarks/results/web_load_profile.txt`
(`--profile-only` writes just that).
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import json
import logging
import os
import platform
import pstats
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"
PASSWORD = "benchmark passphrase"
TARGET_P95_MS = 100.0
THREADS = 8  # `cosynth serve`'s default
SERVER_START_SECONDS = 300  # a worker prepares nothing at start, but imports take a while
STAGE = "title-abstract"
REASON = "wrong setting"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_VOTE_FORM = re.compile(r'<form method="post" id="vote-form" action="([^"]+)"')
_TIMING = re.compile(r"app;dur=([0-9.]+)")


# --- the corpus ---------------------------------------------------------------

DESIGNS = (
    "A qualitative study", "A mixed-methods evaluation", "A realist evaluation",
    "A cluster randomised trial", "A cohort study", "A process evaluation",
    "An ethnographic study", "A cross-sectional survey", "A case study",
    "A participatory action research study", "A stepped-wedge trial",
)  # fmt: skip
TOPICS = (
    "co-production", "integrated care", "discharge planning", "peer support",
    "care coordination", "shared decision making", "social prescribing",
    "experience-based co-design", "self-management support", "telehealth",
    "multidisciplinary team working", "personal health budgets", "advance care planning",
    "community mental health services", "reablement", "carer involvement",
)  # fmt: skip
PEOPLE = (
    "unpaid carers", "older adults", "people living with dementia", "service users",
    "people with multiple long-term conditions", "young people with mental health problems",
    "care home residents", "frontline staff", "general practitioners", "community nurses",
    "people experiencing homelessness", "family members", "social workers",
)  # fmt: skip
PLACES = (
    "in Scotland", "in rural Wales", "in Ontario", "in New South Wales", "in the Netherlands",
    "in Denmark", "in New Zealand", "in an English integrated care system",
    "in primary care", "in acute hospitals", "across health and social care",
)  # fmt: skip
FINDINGS = (
    "trust between partners grew over time", "power stayed with professionals",
    "shared goals were hard to agree", "time and funding limited involvement",
    "staff valued lived experience", "communication across services improved",
    "readmissions fell modestly", "satisfaction rose but costs were unchanged",
    "tokenism was a recurring concern", "relationships mattered more than structures",
)  # fmt: skip
METHODS = (
    "semi-structured interviews", "focus groups", "observation of meetings",
    "document analysis", "routinely collected data", "questionnaires", "workshops",
)  # fmt: skip


def synthetic_ris(n: int, seed: int = 7) -> bytes:
    """`n` records as a RIS export: varied, plausible titles, abstracts and keywords."""
    rng = random.Random(seed)
    out = io.StringIO()
    for i in range(n):
        topic, people, place = rng.choice(TOPICS), rng.choice(PEOPLE), rng.choice(PLACES)
        finding, also = rng.sample(FINDINGS, 2)
        title = f"{rng.choice(DESIGNS)} of {topic} with {people} {place}"
        abstract = (
            f"Background: {topic.capitalize()} is promoted as a way to improve care for "
            f"{people}, yet evidence on how it works {place} is limited. "
            f"Methods: We used {rng.choice(METHODS)} and {rng.choice(METHODS)} with "
            f"{rng.randint(8, 400)} participants between {rng.randint(2005, 2020)} and "
            f"{rng.randint(2021, 2024)}. Results: We found that {finding}, and that {also}. "
            f"Conclusions: {rng.choice(TOPICS).capitalize()} and {topic} need sustained "
            "commitment from organisations and from the people who use services."
        )
        out.write(
            f"TY  - JOUR\nTI  - {title}\nAU  - Author{i % 997}, A.\nAU  - Writer{i % 449}, B.\n"
            f"PY  - {2000 + i % 25}\nJO  - {rng.choice(('Int J Integr Care', 'BMJ Open'))}\n"
            f"AB  - {abstract}\nKW  - {topic}\nKW  - {people}\nER  - \n\n"
        )
    return out.getvalue().encode()


# --- the store ----------------------------------------------------------------


@dataclass(frozen=True)
class Store:
    url: str
    review_id: int
    reviewers: tuple[str, ...]


def populate(url: str, ris: bytes, reviewers: int) -> Store:
    """A review with the records and a team: alice leads, r01..rNN review; accounts for all."""
    from cosynth.domain.roles import Role
    from cosynth.services import accounts
    from cosynth.services.imports import import_file
    from cosynth.services.reviews import add_member, create_review
    from cosynth.services.workspace import open_workspace

    names = tuple(f"r{i:02d}" for i in range(1, reviewers + 1))
    workspace = open_workspace(url, create=True)
    try:
        started = time.perf_counter()
        with workspace.transaction("alice") as tx:
            review = create_review(tx, "Co-production in integrated care (load test)")
            for name in names:
                add_member(tx, review.id, name, Role.REVIEWER)
            report = import_file(tx, review.id, "search.ris", ris, database="Synthetic")
        log(f"imported {report.records_imported} records in {time.perf_counter() - started:.0f} s")
        with workspace.transaction("admin") as tx:
            for name in ("alice", *names):
                accounts.create_user(tx, name, PASSWORD)
    finally:
        workspace.close()
    return Store(url, review.id, names)


def stored_votes(store: Store) -> list[tuple[str, int]]:
    """(reviewer, record) of every vote row at the stage, history included, read from the store.

    Straight from the store, not through a service: every service shows a
    person only the votes blinding lets them see, and this count needs all.
    """
    from cosynth.domain.screening.stages import Stage
    from cosynth.services.workspace import open_workspace
    from cosynth.store import screening as screening_store

    workspace = open_workspace(store.url)
    try:
        with workspace.transaction("alice") as tx:
            votes = screening_store.stage_votes(tx.session, store.review_id, Stage.TITLE_ABSTRACT)
    finally:
        workspace.close()
    return [(vote.reviewer, vote.record_id) for vote in votes]


@contextmanager
def postgres_database(server: str) -> Iterator[str]:
    """A throw-away database on `server`, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from cosynth.store.engine import resolve_url

    base = make_url(resolve_url(server))
    name = f"cosynth_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- the server ---------------------------------------------------------------


class ServerTiming:
    """WSGI middleware: how long the app took, in a Server-Timing header (milliseconds)."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        started = time.perf_counter()

        def timed(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            spent = (time.perf_counter() - started) * 1000
            headers.append(("Server-Timing", f"app;dur={spent:.2f}"))
            return start_response(status, headers, exc_info)

        return self.app(environ, timed)


def serve(url: str, port: int, workers: int) -> None:
    """What `cosynth serve` runs (waitress, or gunicorn workers), with the timing middleware."""
    from cosynth.web import WebSettings, create_app

    settings = WebSettings(database_url=url, secret_key="load test", secure_cookies=False)
    if workers == 1:
        from waitress import serve as waitress_serve

        # Not a line per queued request ("Task queue depth is N"): the figures say it.
        logging.getLogger("waitress.queue").setLevel(logging.ERROR)

        waitress_serve(ServerTiming(create_app(settings)), host="127.0.0.1", port=port,
                       threads=THREADS, connection_limit=1000, _quiet=True)  # fmt: skip
        return
    from gunicorn.app.base import BaseApplication

    class Application(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options = {"bind": f"127.0.0.1:{port}", "workers": workers, "threads": THREADS,
                       "loglevel": "warning", "timeout": 600, "keepalive": 30}  # fmt: skip
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return ServerTiming(create_app(settings))

    Application().run()


@contextmanager
def server(url: str, workers: int, folder: Path) -> Iterator[int]:
    """The app served by a process of its own (niced), on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        # The job queue's files go in the run's folder, not the working directory.
        "COSYNTH_HUEY_FILE": str(folder / "cosynth.huey.db"),
        "COSYNTH_UPLOADS": str(folder / "uploads"),
    }
    env.pop("COSYNTH_REDIS_URL", None)
    command = ["nice", "-n", "10", sys.executable, __file__, "--serve", url,
               "--port", str(port), "--workers", str(workers)]  # fmt: skip
    process = subprocess.Popen(command, env=env)
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/login")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.5)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- the reviewers ------------------------------------------------------------


@dataclass
class Sample:
    op: str  # "next", "record" or "vote"
    status: int
    server_ms: float | None
    client_ms: float


@dataclass
class Reviewer:
    """One person's browser: a keep-alive connection, their cookies, what they did."""

    name: str
    port: int
    review_id: int
    order: str
    rng: random.Random
    reading: float = 0.0
    samples: list[Sample] = field(default_factory=list)
    voted: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cookies: dict[str, str] = field(default_factory=dict)
    connection: http.client.HTTPConnection | None = None

    def request(self, op: str | None, method: str, path: str, form: dict[str, str] | None = None,
                referer: str = "") -> tuple[int, str, str]:  # fmt: skip
        """(status, Location, body). `op` None: not timed."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if referer:
            headers["Referer"] = f"http://127.0.0.1:{self.port}{referer}"
        for attempt in range(2):  # a keep-alive connection the server closed: open another
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode()
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = None
                if attempt or method == "POST":  # never send a vote twice by ourselves
                    raise
                continue
            spent = (time.perf_counter() - started) * 1000
            break
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        if op is not None:
            timing = _TIMING.search(response.headers.get("Server-Timing", ""))
            server_ms = float(timing.group(1)) if timing else None
            self.samples.append(Sample(op, response.status, server_ms, spent))
        location = urlsplit(response.headers.get("Location", ""))
        where = location.path + (f"?{location.query}" if location.query else "")
        return response.status, where, text

    def sign_in(self) -> None:
        _status, _where, page = self.request(None, "GET", "/login")
        token = _CSRF.search(page)
        assert token, "no CSRF token on the sign-in page"
        form = {"csrf_token": token.group(1), "username": self.name, "password": PASSWORD}
        status, _where, _page = self.request(None, "POST", "/login", form)
        assert status == 303, f"{self.name} could not sign in ({status})"

    def choose_order(self) -> None:
        """Untimed: the order goes into the session, and each server process warms up
        (the ranker prepares its features for the review on its first ranked queue)."""
        self.request(None, "GET", f"/reviews/{self.review_id}/screen/{STAGE}?order={self.order}")

    def screen(self, until: float) -> None:
        """Next record, record page, vote; again and again until `until`."""
        next_url = f"/reviews/{self.review_id}/screen/{STAGE}"
        while time.monotonic() < until:
            status, record_url, page = self.request("next", "GET", next_url)
            if status == 200:
                return  # nothing is waiting: the done page
            if status != 303 or "/records/" not in record_url:
                self.errors.append(f"next record: {status} {why(page)}")
                continue
            status, _where, page = self.request("record", "GET", record_url)
            token, form = _CSRF.search(page), _VOTE_FORM.search(page)
            if status != 200 or not token or not form:
                self.errors.append(f"record page {record_url}: {status} {why(page)}")
                continue
            if self.reading:
                # A person reads the title and abstract before voting.
                time.sleep(self.rng.uniform(0.5, 1.5) * self.reading)
            decision = self.rng.choices(("include", "exclude", "unsure"), (1, 8, 1))[0]
            vote = {"csrf_token": token.group(1), "decision": decision}
            if decision == "exclude":
                vote["reason"] = REASON
            status, where, page = self.request("vote", "POST", form.group(1), vote, record_url)
            if status == 303 and where == next_url:
                self.voted.append(int(record_url.rsplit("/", 1)[1]))
            elif status == 303:  # refused: back to the record, with the reason on it
                _status, _where, page = self.request(None, "GET", where)
                self.errors.append(f"vote on {record_url} refused: {flashed(page)}")
            else:
                self.errors.append(f"vote on {record_url}: {status} {why(page)}")

    def run(self, until: float) -> None:
        try:
            self.screen(until)
        except Exception as exc:  # a benchmark reports what went wrong and goes on
            self.errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            if self.connection is not None:
                self.connection.close()


def why(page: str) -> str:
    """The message of an error page (its first paragraph after the heading)."""
    found = re.search(r"</h1>\s*<p>(.*?)</p>", page, re.DOTALL)
    return " ".join(found.group(1).split())[:300] if found else page[:120]


def flashed(page: str) -> str:
    found = re.search(r'class="flash flash-error"[^>]*>(.*?)</p>', page, re.DOTALL)
    return " ".join(found.group(1).split())[:300] if found else "(no message)"


def phase(port: int, store: Store, order: str, seconds: float, seed: int,
          reading: float) -> list[Reviewer]:  # fmt: skip
    """Every reviewer signs in and chooses the order, then all screen at once for `seconds`."""
    people = [
        Reviewer(name, port, store.review_id, order, random.Random(f"{seed}:{name}"), reading)
        for name in store.reviewers
    ]
    with _threads(people, lambda person: person.sign_in()):
        pass
    with _threads(people, lambda person: person.choose_order()):
        pass
    until = time.monotonic() + seconds
    with _threads(people, lambda person: person.run(until)):
        pass
    return people


# Each process prepares the review's features while the reviewers choose the
# ranked order (`Reviewer.choose_order`, not timed). The warm-up then screens
# until the background retrainers are running and no page is slow, so that the
# measured phases are of screening in its steady state.
WARM_UP_WINDOW = 15.0  # seconds of ranked screening per warm-up round
WARM_UP_SLOW_MS = 1000.0  # a page slower than this means a process was still preparing
WARM_UP_ROUNDS = 40


def warm_up(
    port: int, store: Store, phases: list[list[Reviewer]], reading: float
) -> dict[str, Any]:
    """Ranked screening, not measured, in rounds until a whole round has no slow page."""
    started = time.monotonic()
    slowest = 0.0
    rounds = 0
    while rounds < WARM_UP_ROUNDS:
        rounds += 1
        people = phase(port, store, "ranked", WARM_UP_WINDOW, seed=len(phases), reading=reading)
        phases.append(people)  # their votes are real: the vote check counts them
        times = [s.server_ms for person in people for s in person.samples if s.server_ms]
        round_slowest = max(times, default=0.0)
        slowest = max(slowest, round_slowest)
        if round_slowest < WARM_UP_SLOW_MS:
            break
    return {
        "seconds": round(time.monotonic() - started, 1),
        "slowest_server_ms": round(slowest, 1),
        "rounds": rounds,
    }


@contextmanager
def _threads(people: list[Reviewer], work: Callable[[Reviewer], None]) -> Iterator[None]:
    threads = [threading.Thread(target=work, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    yield
    for thread in threads:
        thread.join()


# --- the figures --------------------------------------------------------------


def percentiles(values: Iterable[float]) -> dict[str, float | int | None]:
    data = sorted(values)
    if not data:
        return {"n": 0, "p50": None, "p95": None, "p99": None, "max": None}
    cuts = statistics.quantiles(data, n=100, method="inclusive") if len(data) > 1 else data * 99
    return {
        "n": len(data),
        "p50": round(cuts[49], 1),
        "p95": round(cuts[94], 1),
        "p99": round(cuts[98], 1),
        "max": round(data[-1], 1),
    }


def summary(people: list[Reviewer], seconds: float) -> dict[str, Any]:
    samples = [sample for person in people for sample in person.samples]
    ops: dict[str, Any] = {}
    for op in ("next", "record", "vote"):
        mine = [sample for sample in samples if sample.op == op]
        ops[op] = {
            "server_ms": percentiles(s.server_ms for s in mine if s.server_ms is not None),
            "round_trip_ms": percentiles(s.client_ms for s in mine),
            "statuses": dict(Counter(str(s.status) for s in mine)),
        }
    worst_p95 = max((ops[op]["server_ms"]["p95"] or 0.0) for op in ops)
    votes = sum(len(person.voted) for person in people)
    errors = [error for person in people for error in person.errors]
    return {
        "requests": len(samples),
        "votes_accepted": votes,
        "votes_per_second": round(votes / seconds, 2),
        "operations": ops,
        "worst_p95_server_ms": worst_p95,
        "meets_target": bool(samples) and worst_p95 < TARGET_P95_MS and not errors,
        "errors": len(errors),
        "error_examples": errors[:10],
    }


def vote_check(store: Store, phases: list[list[Reviewer]]) -> dict[str, Any]:
    """Every vote a client saw accepted is in the store, once; nothing else is."""
    accepted = Counter(
        (person.name, record) for people in phases for person in people for record in person.voted
    )
    stored = Counter(stored_votes(store))
    return {
        "accepted_by_clients": sum(accepted.values()),
        "votes_in_store": sum(stored.values()),
        "lost": sum((accepted - stored).values()),
        "unexpected": sum((stored - accepted).values()),
        "duplicated": sum(n - 1 for n in stored.values() if n > 1),
    }


def profile_pages(url: str, store: Store, orders: list[str]) -> str:
    """cProfile of the next-record redirect and the record page per order, in-process, warm."""
    from cosynth.web import WebSettings, create_app

    app = create_app(WebSettings(database_url=url, secret_key="profile", secure_cookies=False))
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    client.post("/login", data={"username": store.reviewers[0], "password": PASSWORD})
    out = io.StringIO()
    out.write(f"{len(store.reviewers)} reviewers in the review; cumulative time, top 40 calls\n\n")
    for order in orders:
        next_url = f"/reviews/{store.review_id}/screen/{STAGE}"
        record = client.get(f"{next_url}?order={order}").headers.get("Location", "")
        for label, path in (("next record", next_url), ("record page", record)):
            for _ in range(2):  # the second call is the warm one (features cached)
                profiler = cProfile.Profile()
                started = time.perf_counter()
                profiler.enable()
                client.get(path)
                profiler.disable()
                spent = time.perf_counter() - started
            out.write(f"=== {label}: GET {path}, order={order}: {spent * 1000:.0f} ms ===\n")
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(40)
    app.extensions["cosynth.workspace"].close()
    return out.getvalue()


def profile_only(ris: bytes, args: argparse.Namespace, folder: Path) -> None:
    """Just the profile, on a fresh SQLite store with the SQLite run's team."""
    store = populate(f"sqlite:///{folder / 'cosynth.db'}", ris, args.sqlite_reviewers)
    (RESULTS / "web_load_profile.txt").write_text(profile_pages(store.url, store, args.orders))


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the run ------------------------------------------------------------------


@dataclass(frozen=True)
class Setup:
    engine: str
    reviewers: int
    workers: int


def run_engine(setup: Setup, url: str, ris: bytes, args: argparse.Namespace,
               folder: Path) -> dict[str, Any]:  # fmt: skip
    log(f"{setup.engine}: importing {args.records} records, {setup.reviewers} reviewers")
    store = populate(url, ris, setup.reviewers)
    phases: list[list[Reviewer]] = []
    results: dict[str, Any] = {
        "engine": setup.engine,
        "server": "waitress, 1 process" if setup.workers == 1 else "gunicorn",
        "worker_processes": setup.workers,
        "threads_per_process": THREADS,
        "reviewers": setup.reviewers,
        "orders": {},
    }
    plan = [(order, order, args.reading) for order in args.orders]
    if args.stress:
        plan.append(("ranked, no pause (stress)", "ranked", 0.0))
    with server(url, setup.workers, folder) as port:
        results["warm_up"] = warm_up(port, store, phases, args.reading)
        log(f"  warmed up in {results['warm_up']['seconds']} s; slowest page "
            f"{results['warm_up']['slowest_server_ms']} ms")  # fmt: skip
        for name, order, reading in plan:
            log(f"{setup.engine}: {setup.reviewers} reviewers screening, {name}")
            people = phase(port, store, order, args.seconds, seed=len(phases), reading=reading)
            phases.append(people)
            results["orders"][name] = summary(people, args.seconds)
            results["orders"][name]["reading_seconds"] = reading
            figures = results["orders"][name]
            log(f"  {figures['votes_accepted']} votes, worst p95 "
                f"{figures['worst_p95_server_ms']} ms, {figures['errors']} errors")  # fmt: skip
    results["vote_check"] = vote_check(store, phases)
    log(f"  votes: {results['vote_check']}")
    if setup.engine == "sqlite" and args.profile:
        (RESULTS / "web_load_profile.txt").write_text(profile_pages(url, store, args.orders))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=60.0, help="per order and engine")
    parser.add_argument("--orders", default="ranked,random")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--sqlite-reviewers", type=int, default=20)
    parser.add_argument("--pg-reviewers", type=int, default=50)
    parser.add_argument("--pg-workers", type=int, default=2)
    parser.add_argument("--pg", default=os.environ.get(
        "COSYNTH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres"))  # fmt: skip
    parser.add_argument(
        "--reading",
        type=float,
        default=5.0,
        help=("mean seconds a reviewer reads a record before voting (uniform, 0.5x to 1.5x)"),
    )
    parser.add_argument(
        "--no-stress",
        dest="stress",
        action="store_false",
        help=("leave out the extra phase in which reviewers vote without pausing"),
    )
    parser.add_argument("--no-profile", dest="profile", action="store_false")
    parser.add_argument("--profile-only", action="store_true", help="only write the profile")
    parser.add_argument("--out", type=Path, default=RESULTS / "web_load.json")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.workers)
        return
    args.orders = args.orders.split(",")
    engines = args.engines.split(",")
    started = time.perf_counter()
    ris = synthetic_ris(args.records)
    log(f"wrote {args.records} records ({len(ris) / 1e6:.0f} MB of RIS)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    runs = []
    folder = Path(tempfile.mkdtemp(prefix="cosynth-load-"))
    if args.profile_only:
        try:
            profile_only(ris, args, folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    try:
        if "sqlite" in engines:
            url = f"sqlite:///{folder / 'cosynth.db'}"
            runs.append(run_engine(Setup("sqlite", args.sqlite_reviewers, 1), url, ris, args,
                                   folder))  # fmt: skip
        if "postgresql" in engines:
            with postgres_database(args.pg) as url:
                setup = Setup("postgresql", args.pg_reviewers, args.pg_workers)
                runs.append(run_engine(setup, url, ris, args, folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report = {
        "benchmark": "reviewers screening at once over HTTP on loopback: next record, "
        "record page, vote",
        "records": args.records,
        "seconds_per_phase": args.seconds,
        "measured": "server time inside the app (WSGI middleware, Server-Timing header: from "
        "the call until the response starts; the page is rendered by then); the client's "
        "round trip on loopback beside it",
        "target": f"p95 server time < {TARGET_P95_MS:.0f} ms for next record + vote, no "
        "errors, no lost or duplicated votes",
        "pace": f"each reviewer reads a record for {args.reading:g} s on average (0.5x to "
        "1.5x, uniform) before voting, much less than it takes a person to read a title "
        "and abstract and decide. The 'no pause' phase is a stress test of what the server "
        "can serve, not of reviewers.",
        "meets_target": all(
            figures["meets_target"]
            for run in runs
            for figures in run["orders"].values()
            if figures["reading_seconds"] > 0
        ),
        "runs": runs,
        "machine": {
            "cpu_count": os.cpu_count(),
            "load_average_at_end": round(os.getloadavg()[0], 2),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "note": "client, servers and database share this machine",
        },
        "total_seconds": round(time.perf_counter() - started),
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
