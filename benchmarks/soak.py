"""Soak: a team screening for minutes on end while a large import and a retrain run.

Run from the repository root (it takes `--warm-up` and `--minutes` plus the set-up; the
servers are niced):

    nice .venv/bin/python benchmarks/soak.py [--minutes 10] [--reviewers 50]
        [--records 20000] [--import-records 100000]

What runs, all on this machine, each in a process of its own (issue 10, "Load"):

- PostgreSQL: a throw-away database on `--pg`, created for the run and
  dropped after it, holding one review of `--records` synthetic records
  (benchmarks/web_load.py's corpus) and its team;
- a private Redis (`redis-server` on a free port, in the run's folder, no
  persistence), the team queue (`COSYNTH_REDIS_URL`);
- the web app under gunicorn, `--web-workers` processes of 8 threads, as
  `cosynth serve --workers 2` runs for a team (web_load.py's server, with
  its Server-Timing middleware);
- `--queue-workers` queue workers, each `cosynth worker` (RedisHuey);
- `--reviewers` simulated reviewers (web_load.py's `Reviewer`: a browser
  without JavaScript, keep-alive, cookies, CSRF), each reading a record for
  `--reading` seconds on average before voting, through the whole run.

The run has two parts, and the reviewers screen through both:

- the warm-up: after `--import-at` seconds a `--import-records` import into
  the same review is queued through the job queue (as the import page queues
  a large upload: `services.jobs.queue_import`, then the queue is told).
  When it is done, one ranking retrain per queue worker is queued at once
  (`services.jobs.queue_ranking`), so that each worker has ranked the grown
  review. The warm-up ends when those retrains are done, and not before
  `--warm-up` seconds;
- `--minutes` of screening after it, with a retrain queued every
  `--retrain-every` seconds.

Measured:

- errors: any request a reviewer saw fail or refused, any job that failed,
  any server process that died;
- votes: every vote a client saw accepted is looked up in the store (all
  vote rows at the stage, history included): none lost, none doubled, none
  the clients did not send (web_load.py's `vote_check`);
- latency: p50/p95/p99 server time (inside the app) and round trip per
  minute of the run, per operation (next record, record page, vote);
- memory: the RSS of every server process (gunicorn's master and workers,
  each queue worker, Redis) read from /proc every `--sample-every` seconds.
  "Flat" is judged after the warm-up: the median of the last minute's
  samples is within 10% of the median of the first minute after the warm-up.
  The review grows sixfold during the warm-up, and each process's memory
  grows once with it, the first time it handles the grown review (its
  features, its stage state): that is why the warm-up lasts until every
  queue worker has ranked the grown review. The samples of the whole run
  are kept, so the step can be seen.

Figures go to `benchmarks/results/soak.json` (`--out`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Run as a script, this folder is on the path: the load benchmark's machinery is reused whole.
import web_load
from web_load import Reviewer, Store, log, percentiles, postgres_database, synthetic_ris

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"
FLAT_GROWTH = 0.10  # issue 10: no growth beyond 10% after warm-up
START_SECONDS = 300


# --- the processes ------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def redis_server(folder: Path) -> Iterator[tuple[str, int]]:
    """A private Redis on a free port (never the shared one on 6379), stopped afterwards."""
    port = free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no", "--dir", str(folder)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.2)
        yield f"redis://127.0.0.1:{port}/0", process.pid
    finally:
        stop(process, signal.SIGTERM, wait=30)


def stop(process: subprocess.Popen[bytes], how: signal.Signals, *, wait: float) -> None:
    if process.poll() is None:
        process.send_signal(how)
    try:
        process.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Team:
    """The server processes of one team installation, by role."""

    web: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]]
    redis_pid: int
    port: int

    def processes(self) -> dict[int, str]:
        """pid -> role of every server process now (gunicorn restarts a worker it lost)."""
        found = {self.web.pid: "web master", self.redis_pid: "redis"}
        for index, child in enumerate(children(self.web.pid), start=1):
            found[child] = f"web worker {index}"
        for index, process in enumerate(self.workers, start=1):
            found[process.pid] = f"queue worker {index}"
        return found

    def dead(self) -> list[str]:
        gone = [f"queue worker {i}" for i, p in enumerate(self.workers, 1) if p.poll() is not None]
        return gone + (["web server"] if self.web.poll() is not None else [])


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return sorted(found)


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


@contextmanager
def team_servers(
    url: str, redis: tuple[str, int], args: argparse.Namespace, folder: Path
) -> Iterator[Team]:
    """gunicorn (web_load.py's server, on the Redis queue) and the queue workers."""
    redis_url, redis_pid = redis
    env = {
        **os.environ,
        "COSYNTH_REDIS_URL": redis_url,
        "COSYNTH_UPLOADS": str(folder / "uploads"),
        "COSYNTH_QUEUE": "soak",
    }
    port = free_port()
    web = subprocess.Popen(
        ["nice", "-n", "10", sys.executable, str(Path(web_load.__file__)), "--serve", url,
         "--port", str(port), "--workers", str(args.web_workers)],
        env=env,
    )  # fmt: skip
    cosynth = str(Path(sys.executable).with_name("cosynth"))
    workers = [
        subprocess.Popen(
            ["nice", "-n", "10", cosynth, "--db", url, "worker", "--threads", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(args.queue_workers)
    ]
    try:
        deadline = time.monotonic() + START_SECONDS
        while not web_ready(port):
            if web.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the web server did not start")
            time.sleep(0.5)
        yield Team(web=web, workers=workers, redis_pid=redis_pid, port=port)
    finally:
        # Ctrl+C lets a queue worker finish the job it runs; gunicorn stops on SIGTERM.
        for process in workers:
            stop(process, signal.SIGINT, wait=60)
        stop(web, signal.SIGTERM, wait=30)


def web_ready(port: int) -> bool:
    import http.client

    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/login")
        return connection.getresponse().status == 200
    except OSError:
        return False


# --- the reviewers, timed -----------------------------------------------------


@dataclass
class TimedReviewer(Reviewer):
    """web_load.py's reviewer, noting when each timed request ended."""

    ended: list[float] = field(default_factory=list)

    def request(self, op: str | None, method: str, path: str, form: dict[str, str] | None = None,
                referer: str = "") -> tuple[int, str, str]:  # fmt: skip
        before = len(self.samples)
        answer = super().request(op, method, path, form, referer)
        if len(self.samples) > before:
            self.ended.append(time.monotonic())
        return answer


# --- the background work ------------------------------------------------------


@dataclass
class JobWatch:
    """The jobs the soak queued, and what became of them."""

    queued: dict[int, dict[str, Any]] = field(default_factory=dict)

    def note(self, job_id: int, kind: str, at: float) -> None:
        self.queued[job_id] = {"kind": kind, "queued_at_s": round(at, 1), "status": "queued"}


def queue_jobs(
    store: Store, redis_url: str, folder: Path, data: bytes | None, *, stage: str, rankings: int
) -> list[tuple[int, str]]:
    """Queue (the import and) retrains as the import page and the ranking button do."""
    from cosynth.domain.screening.stages import Stage
    from cosynth.services import jobs as job_service
    from cosynth.web.jobs import JobQueue, JobSettings

    settings = JobSettings(
        database_url=store.url, uploads=folder / "uploads", huey_file=folder / "unused.huey",
        redis_url=redis_url, queue="soak",
    )  # fmt: skip
    queue = JobQueue(settings)
    queued: list[tuple[int, str]] = []
    try:
        if data is not None:
            with queue.workspace.transaction("alice") as tx:
                job = job_service.queue_import(
                    tx, store.review_id, "living-update.ris", data, uploads=settings.uploads,
                    database="Synthetic",
                )  # fmt: skip
            queue.enqueue(job.id)
            queued.append((job.id, "import"))
        for _ in range(rankings):
            with queue.workspace.transaction(store.reviewers[0]) as tx:
                job = job_service.queue_ranking(tx, store.review_id, stage=Stage(stage))
            queue.enqueue(job.id)
            queued.append((job.id, "ranking"))
    finally:
        queue.close()
    return queued


def job_states(url: str, ids: list[int]) -> dict[int, tuple[str, str]]:
    """(status, message) of each job, straight from the jobs table."""
    from cosynth.services.workspace import open_workspace
    from cosynth.store import jobs as job_store

    workspace = open_workspace(url)
    try:
        with workspace.transaction("alice", read_only=True) as tx:
            found = {job_id: job_store.get_job(tx.session, job_id) for job_id in ids}
    finally:
        workspace.close()
    return {
        job_id: (job.status.value, job.progress.message)
        for job_id, job in found.items()
        if job is not None
    }


# --- the run ------------------------------------------------------------------


@dataclass
class Soak:
    args: argparse.Namespace
    store: Store
    team: Team
    redis_url: str
    folder: Path
    import_data: bytes
    started: float = 0.0
    memory: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    jobs: JobWatch = field(default_factory=JobWatch)
    errors: list[str] = field(default_factory=list)
    warm_up_jobs: list[int] = field(default_factory=list)
    warmed_at: float | None = None  # when the last warm-up retrain was done

    def at(self) -> float:
        return time.monotonic() - self.started

    def monitor(self, until: float, done: threading.Event) -> None:
        """Every `--sample-every` s: each process's RSS, the jobs, deaths; jobs queued on time."""
        next_retrain: float | None = None
        while not done.is_set():
            now = self.at()
            for pid, role in self.team.processes().items():
                rss = rss_mb(pid)
                if rss is not None:
                    self.memory.setdefault(f"{role} (pid {pid})", []).append((round(now, 1), rss))
            for gone in self.team.dead():
                if not any(gone in error for error in self.errors):
                    self.errors.append(f"{gone} died at {now:.0f} s")
            self.check_jobs()
            if not self.jobs.queued and now >= self.args.import_at:
                self.queue(self.import_data, rankings=0)
            elif not self.warm_up_jobs and self.status_of("import") == "done":
                self.warm_up_jobs = self.queue(None, rankings=self.args.queue_workers)
            elif (
                self.warmed_at is None
                and self.warm_up_jobs
                and all(
                    self.jobs.queued[job_id]["status"] == "done" for job_id in self.warm_up_jobs
                )
            ):
                self.warmed_at = round(now, 1)
                next_retrain = now + self.args.retrain_every
                log(f"  every queue worker has ranked the grown review at {now:.0f} s")
            elif next_retrain is not None and now >= next_retrain and time.monotonic() < until:
                self.queue(None, rankings=1)
                next_retrain = now + self.args.retrain_every
            done.wait(self.args.sample_every)

    def queue(self, data: bytes | None, *, rankings: int) -> list[int]:
        now = self.at()
        queued = queue_jobs(
            self.store, self.redis_url, self.folder, data, stage=web_load.STAGE, rankings=rankings
        )
        for job_id, kind in queued:
            self.jobs.note(job_id, kind, now)
            log(f"  queued {kind} job {job_id} at {now:.0f} s")
        return [job_id for job_id, _kind in queued]

    def status_of(self, kind: str) -> str | None:
        found = [job["status"] for job in self.jobs.queued.values() if job["kind"] == kind]
        return found[0] if found else None

    def judged_from(self) -> float | None:
        """Where the warm-up ended: its seconds, or later if the retrains took longer."""
        if self.warmed_at is None:
            return None
        return max(float(self.args.warm_up), self.warmed_at)

    def check_jobs(self) -> None:
        if not self.jobs.queued:
            return
        for job_id, (status, message) in job_states(self.store.url, list(self.jobs.queued)).items():
            job = self.jobs.queued[job_id]
            if status != job["status"]:
                job["status"] = status
                job[f"{status}_at_s"] = round(self.at(), 1)
                if status == "failed":
                    job["message"] = message
                    self.errors.append(f"{job['kind']} job {job_id} failed: {message}")
                log(f"  {job['kind']} job {job_id} {status} at {self.at():.0f} s")

    def run(self) -> list[TimedReviewer]:
        import random

        people = [
            TimedReviewer(
                name,
                self.team.port,
                self.store.review_id,
                "ranked",
                random.Random(f"soak:{name}"),
                self.args.reading,
            )
            for name in self.store.reviewers
        ]
        together(people, lambda person: person.sign_in())
        together(people, lambda person: person.choose_order())
        self.started = time.monotonic()
        until = self.started + self.args.warm_up + self.args.minutes * 60
        done = threading.Event()
        watcher = threading.Thread(target=self.monitor, args=(until, done))
        watcher.start()
        try:
            together(people, lambda person: person.run(until))
        finally:
            done.set()
            watcher.join()
        # The jobs may still be running: wait a little for them, then say where they stood.
        deadline = time.monotonic() + self.args.wait_for_jobs
        while time.monotonic() < deadline and any(
            job["status"] in {"queued", "running"} for job in self.jobs.queued.values()
        ):
            time.sleep(2)
            self.check_jobs()
        return people


def together(people: list[TimedReviewer], work: Any) -> None:
    threads = [threading.Thread(target=work, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# --- the figures --------------------------------------------------------------


def per_minute(people: list[TimedReviewer], started: float) -> list[dict[str, Any]]:
    """p50/p95/p99 server time and round trip of each operation, minute by minute."""
    by_minute: dict[int, list[web_load.Sample]] = {}
    for person in people:
        for sample, ended in zip(person.samples, person.ended, strict=True):
            by_minute.setdefault(int((ended - started) // 60), []).append(sample)
    minutes = []
    for minute in sorted(by_minute):
        samples = by_minute[minute]
        ops = {}
        for op in ("next", "record", "vote"):
            mine = [s for s in samples if s.op == op]
            ops[op] = {
                "server_ms": percentiles(s.server_ms for s in mine if s.server_ms is not None),
                "round_trip_ms": percentiles(s.client_ms for s in mine),
            }
        minutes.append(
            {
                "minute": minute + 1,
                "requests": len(samples),
                "statuses": dict(Counter(str(s.status) for s in samples)),
                "p95_server_ms": {op: ops[op]["server_ms"]["p95"] for op in ops},
                "operations": ops,
            }
        )
    return minutes


def memory_figures(
    memory: dict[str, list[tuple[float, float]]], warm_up: float | None, end: float
) -> dict[str, Any]:
    """Per process: baseline (first minute after warm-up) and end (last minute), medians.

    With no end of the warm-up (the import or its retrains never finished),
    nothing is judged.
    """
    out: dict[str, Any] = {}
    for name, samples in sorted(memory.items()):
        if warm_up is None:
            out[name] = {"samples_mb": [[at, mb] for at, mb in samples], "flat": None}
            continue
        after = [(at, mb) for at, mb in samples if at >= warm_up]
        first = [mb for at, mb in after if at < warm_up + 60]
        last = [mb for at, mb in after if at >= max(end - 60, warm_up)]
        figures: dict[str, Any] = {
            "samples_mb": [[at, mb] for at, mb in samples],
            "peak_mb": max((mb for _at, mb in samples), default=None),
        }
        if end - 60 < warm_up + 60:
            # The two minutes overlap: a run this short cannot show growth.
            figures["flat"] = None
        elif first and last:
            baseline, final = statistics.median(first), statistics.median(last)
            growth = final / baseline - 1
            figures |= {
                "baseline_mb": baseline,
                "end_mb": final,
                "growth_pct": round(100 * growth, 1),
                "flat": growth <= FLAT_GROWTH,
            }
        else:
            figures["flat"] = None  # too few samples after the warm-up to judge
        out[name] = figures
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--reviewers", type=int, default=50)
    parser.add_argument("--records", type=int, default=20_000, help="in the review at the start")
    parser.add_argument("--import-records", type=int, default=100_000,
                        help="imported through the job queue during the soak")  # fmt: skip
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--queue-workers", type=int, default=2)
    parser.add_argument("--reading", type=float, default=5.0,
                        help="mean seconds a reviewer reads a record before voting")  # fmt: skip
    parser.add_argument("--import-at", type=float, default=30.0,
                        help="seconds of screening before the import is queued")  # fmt: skip
    parser.add_argument(
        "--warm-up", type=float, default=180.0,
        help="seconds of screening at least before memory is judged; the warm-up also "
        "lasts until the import and one retrain per queue worker are done",
    )  # fmt: skip
    parser.add_argument("--retrain-every", type=float, default=120.0)
    parser.add_argument("--sample-every", type=float, default=10.0)
    parser.add_argument("--wait-for-jobs", type=float, default=600.0,
                        help="seconds to wait after screening for queued jobs to end")  # fmt: skip
    parser.add_argument("--pg", default=os.environ.get(
        "COSYNTH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres"))  # fmt: skip
    parser.add_argument("--out", type=Path, default=RESULTS / "soak.json")
    args = parser.parse_args()
    began = time.perf_counter()
    ris = synthetic_ris(args.records)
    more = synthetic_ris(args.import_records, seed=11)
    log(f"wrote {args.records} + {args.import_records} records of RIS")
    folder = Path(tempfile.mkdtemp(prefix="cosynth-soak-"))
    try:
        with (
            postgres_database(args.pg) as url,
            redis_server(folder) as redis,
        ):
            log(f"postgresql: importing {args.records} records, {args.reviewers} reviewers")
            store = web_load.populate(url, ris, args.reviewers)
            with team_servers(url, redis, args, folder) as team:
                log(f"soak: {args.reviewers} reviewers for {args.minutes:g} min")
                soak = Soak(args, store, team, redis[0], folder, more)
                people = soak.run()
                end = soak.at()
            clients: list[Reviewer] = [*people]
            votes = web_load.vote_check(store, [clients])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    overall = web_load.summary(clients, end)
    errors = soak.errors + [error for person in people for error in person.errors]
    judged_from = soak.judged_from()
    memory = memory_figures(soak.memory, judged_from, end)
    judged = [figures["flat"] for figures in memory.values() if figures["flat"] is not None]
    unfinished = [j for j in soak.jobs.queued.values() if j["status"] in {"queued", "running"}]
    report = {
        "benchmark": "soak: reviewers screening over HTTP on PostgreSQL for minutes on end, "
        "with gunicorn web workers and Redis queue workers, while a large import and ranking "
        "retrains run through the job queue",
        "minutes": args.minutes,
        "reviewers": args.reviewers,
        "records_at_start": args.records,
        "records_imported_by_job": args.import_records,
        "web_workers": args.web_workers,
        "threads_per_web_worker": web_load.THREADS,
        "queue_workers": args.queue_workers,
        "reading_seconds": args.reading,
        "import_queued_at_s": args.import_at,
        "warm_up_seconds": args.warm_up,
        "every_queue_worker_ranked_grown_review_at_s": soak.warmed_at,
        "memory_judged_from_s": judged_from,
        "screening_seconds": round(end, 1),
        "errors": len(errors),
        "error_examples": errors[:20],
        "votes": votes,
        "jobs": {str(job_id): job for job_id, job in soak.jobs.queued.items()},
        "jobs_unfinished_at_end": len(unfinished),
        "overall": overall,
        "per_minute": per_minute(people, soak.started),
        "memory": memory,
        "memory_rule": "flat: median RSS over the last minute within 10% of the median over "
        "the first minute after the warm-up, per process (RSS from /proc every "
        f"{args.sample_every:g} s); the warm-up lasts at least {args.warm_up:g} s and until "
        "the import and one retrain per queue worker on the grown review are done",
        "passed": {
            "zero_errors": not errors,
            "zero_lost_or_doubled_votes": votes["lost"] == 0
            and votes["duplicated"] == 0
            and votes["unexpected"] == 0,
            # None: the run was too short to judge (it needs the warm-up and two minutes).
            "memory_flat": all(judged) if judged else None,
            "jobs_done": not unfinished and bool(soak.jobs.queued),
        },
        "machine": {
            "cpu_count": os.cpu_count(),
            "load_average_at_end": round(os.getloadavg()[0], 2),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "note": "client, servers, Redis and the database share this machine",
        },
        "total_seconds": round(time.perf_counter() - began),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    log(f"errors {len(errors)}, votes {votes}, passed {report['passed']}")
    log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
