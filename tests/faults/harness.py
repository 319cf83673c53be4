"""Killing a real process in the middle of the team's work, and checking what is left.

Each operation (an import, a de-duplication run, votes, merges, a report
build, a migration) is a list of steps, each one unit of work that commits
or does not. A child process (`python -m tests.faults.driver`) runs the
steps against a store and prints `COMMITTED <n>` after each commit; the
parent kills it with SIGKILL at a random moment. Afterwards the store must
open, hold exactly the state after the steps it reported committed (or one
more: the kill may land between a commit and its line), and running the
steps again must end where an uninterrupted run ends (DESIGN.md rule 4:
nothing half-written).

The same code drives the suite's few repetitions (tests/faults/test_kill.py)
and the many of benchmarks/faults.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from cosynth.domain.roles import Role
from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.errors import AlreadyImportedError, InputError
from cosynth.services import screening
from cosynth.services.dedup import decide_pair, run_dedup
from cosynth.services.imports import import_file
from cosynth.services.reviews import add_member, create_review
from cosynth.services.workspace import Workspace, open_workspace
from cosynth.store.engine import alembic_config, make_engine, resolve_url, upgrade

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ("import", "dedup", "vote", "merge", "report", "migration")
REVIEW = 1  # every store here holds one review, the first

Snapshot = Any  # JSON-like: what the store (or the report folder) holds


# --- the data ------------------------------------------------------------------------

_WORDS = (
    "co-production",
    "integrated",
    "care",
    "carers",
    "peer",
    "support",
    "community",
    "health",
    "social",
    "hub",
    "person-centred",
    "planning",
    "older",
    "adults",
    "mental",
    "services",
    "experience",
    "design",
    "voluntary",
    "sector",
    "commissioning",
    "partnership",
    "primary",
    "nursing",
    "outcomes",
    "qualitative",
    "evaluation",
)


def big_ris(records: int, *, seed: int, tag: str) -> bytes:
    """A database export of `records` distinct citations (about 600 bytes each)."""
    rng = random.Random(seed)
    chunks = []
    for i in range(records):
        title = " ".join(rng.choice(_WORDS) for _ in range(9)).capitalize()
        abstract = " ".join(rng.choice(_WORDS) for _ in range(50))
        chunks.append(
            f"TY  - JOUR\nTI  - {title} ({tag} {i})\nAU  - Author{i}, A.\nAU  - Writer, B.\n"
            f"PY  - {2012 + i % 10}\nAB  - {abstract}.\nJO  - Journal of Integrated Care\n"
            f"VL  - {i % 30}\nSP  - {i % 200}\nDO  - 10.5555/{tag}.{i}\nER  - \n"
        )
    return "\n".join(chunks).encode()


def twin_ris(pairs: int) -> bytes:
    """An export where each work appears twice (as two databases would both find it)."""
    chunks = []
    rng = random.Random(7)
    for i in range(pairs):
        title = " ".join(rng.choice(_WORDS) for _ in range(8)).capitalize() + f" study {i}"
        for copy in range(2):
            chunks.append(
                f"TY  - JOUR\nTI  - {title}\nAU  - Author{i}, A.\nPY  - {2013 + i % 9}\n"
                f"JO  - Journal of Integrated Care\nVL  - {i}\nSP  - {copy + 1}\nER  - \n"
            )
    return "\n".join(chunks).encode()


# --- the operations ------------------------------------------------------------------

Step = Callable[[], None]


@dataclass(frozen=True)
class Operation:
    """One fault scenario: how to set the store up, the steps, and what to compare."""

    name: str
    setup: Callable[[str, Path], None]
    steps: Callable[[str, Path], list[Step]]
    snapshot: Callable[[str, Path], Snapshot]


_OPEN: dict[str, Workspace] = {}


def _workspace(url: str) -> Workspace:
    """One workspace per store for all the steps (opening one checks the schema: slow)."""
    if url not in _OPEN:
        _OPEN[url] = open_workspace(url)
    return _OPEN[url]


def open_for_steps(url: str) -> None:
    _workspace(url)


def close_workspaces() -> None:
    while _OPEN:
        _OPEN.popitem()[1].close()


def _team(url: str) -> None:
    with _workspace(url).transaction("alice") as tx:
        review = create_review(tx, "Co-production in integrated care")
        assert review.id == REVIEW
        add_member(tx, review.id, "bob", Role.REVIEWER)
        add_member(tx, review.id, "carol", Role.REVIEWER)
        add_member(tx, review.id, "pat", Role.ADVISER)


def _import(url: str, filename: str, data: bytes) -> None:
    try:
        with _workspace(url).transaction("alice") as tx:
            import_file(tx, REVIEW, filename, data, database="CINAHL")
    except AlreadyImportedError:
        pass  # the step was done before the kill: running it again changes nothing


# The benchmark works on more (COSYNTH_FAULT_SCALE=3: two imports of 4,500 records, ...).
SCALE = int(os.environ.get("COSYNTH_FAULT_SCALE", "1"))
IMPORT_FILES = (("cinahl.ris", 1_500 * SCALE, 1), ("scopus.ris", 1_500 * SCALE, 2))


def _import_big(url: str, name: str, records: int, seed: int) -> None:
    _import(url, name, big_ris(records, seed=seed, tag=name))


def _import_steps(url: str, _work: Path) -> list[Step]:
    return [partial(_import_big, url, name, n, seed) for name, n, seed in IMPORT_FILES]


def _records(connection: Any) -> dict[int, tuple[str, int]]:
    rows = connection.execute(
        text(
            "SELECT r.id, s.filename, r.position FROM records r JOIN sources s "
            "ON s.id = r.source_id"
        )
    )
    return {row[0]: (row[1], row[2]) for row in rows}


def _import_snapshot(url: str, _work: Path) -> Snapshot:
    with _connected(url) as connection:
        sources = connection.execute(
            text("SELECT filename, records_imported, records_read, sha256 FROM sources ORDER BY 1")
        ).all()
        per_file = connection.execute(
            text(
                "SELECT s.filename, count(r.id), min(r.position), max(r.position), "
                "count(DISTINCT r.title) FROM sources s LEFT JOIN records r "
                "ON r.source_id = s.id GROUP BY s.filename ORDER BY 1"
            )
        ).all()
        logged = connection.execute(
            text("SELECT count(*) FROM audit_events WHERE action = 'file imported'")
        ).scalar_one()
    return {"sources": [list(s) for s in sources], "records": [list(p) for p in per_file],
            "logged": logged}  # fmt: skip


def _dedup_setup(url: str, _work: Path) -> None:
    _team(url)
    _import(url, "cinahl.ris", big_ris(500 * SCALE, seed=3, tag="x"))
    _import(
        url, "scopus.ris", big_ris(500 * SCALE, seed=3, tag="x") + b"\n"
    )  # the same works, another file


def _dedup_steps(url: str, _work: Path) -> list[Step]:
    def step() -> None:
        with _workspace(url).transaction("alice") as tx:
            run_dedup(tx, REVIEW)

    return [step]


def _current_groups(connection: Any) -> list[list[tuple[str, int]]]:
    where = _records(connection)
    rows = connection.execute(
        text(
            "SELECT m.group_id, m.record_id FROM duplicate_group_members m WHERE m.group_id "
            "NOT IN (SELECT group_id FROM duplicate_group_dissolutions)"
        )
    )
    groups: dict[int, list[tuple[str, int]]] = {}
    for group_id, record_id in rows:
        groups.setdefault(group_id, []).append(where[record_id])
    return sorted(sorted(members) for members in groups.values())


def _dedup_snapshot(url: str, _work: Path) -> Snapshot:
    with _connected(url) as connection:
        groups = _current_groups(connection)
        where = _records(connection)
        pairs = sorted(
            sorted([where[a], where[b]])
            for a, b in connection.execute(
                text(
                    "SELECT record_a, record_b FROM dedup_review_pairs WHERE run_id = "
                    "(SELECT max(id) FROM dedup_runs)"
                )
            )
        )
    return {"groups": groups, "pairs": pairs}


_VOTED_RECORDS = 10 * SCALE


def _vote_setup(url: str, _work: Path) -> None:
    _team(url)
    _import(url, "cinahl.ris", big_ris(_VOTED_RECORDS, seed=5, tag="v"))


def _vote_steps(url: str, _work: Path) -> list[Step]:
    def step(who: str, position: int) -> None:
        # Each reviewer votes on each record in turn; bob includes the even ones.
        include = (position % 2 == 0) == (who == "bob")
        with _workspace(url).transaction(who) as tx:
            record_id = _record_at(tx.session, "cinahl.ris", position)
            screening.cast_vote(
                tx,
                REVIEW,
                record_id,
                Decision.INCLUDE if include else Decision.EXCLUDE,
                stage=Stage.TITLE_ABSTRACT,
                reason="" if include else "wrong phenomenon of interest",
            )

    return [
        partial(step, who, position)
        for position in range(_VOTED_RECORDS)
        for who in ("bob", "carol")
    ]


def _record_at(session: Any, filename: str, position: int) -> int:
    return int(
        session.execute(
            text(
                "SELECT r.id FROM records r JOIN sources s ON s.id = r.source_id "
                "WHERE s.filename = :f AND r.position = :p"
            ),
            {"f": filename, "p": position},
        ).scalar_one()
    )


def _vote_snapshot(url: str, _work: Path) -> Snapshot:
    with _connected(url) as connection:
        where = _records(connection)
        votes = sorted(
            [row[0], list(where[row[1]]), row[2], row[3]]
            for row in connection.execute(
                text("SELECT reviewer, record_id, decision, sequence FROM screening_votes")
            )
        )
        logged = connection.execute(
            text("SELECT count(*) FROM audit_events WHERE action = 'vote cast'")
        ).scalar_one()
    return {"votes": votes, "logged": logged}


_TWINS = 8 * SCALE


def _merge_setup(url: str, _work: Path) -> None:
    _team(url)
    _import(url, "cinahl.ris", twin_ris(_TWINS))


def _merge_steps(url: str, _work: Path) -> list[Step]:
    def step(pair: int) -> None:
        try:
            with _workspace(url).transaction("alice") as tx:
                a = _record_at(tx.session, "cinahl.ris", 2 * pair)
                b = _record_at(tx.session, "cinahl.ris", 2 * pair + 1)
                # As from the queue of pairs waiting for a person: a pair decided
                # before the kill is refused, not decided twice.
                decide_pair(tx, REVIEW, a, b, duplicate=True, waiting=True)
        except InputError as exc:
            assert "already decided" in str(exc), exc

    return [partial(step, pair) for pair in range(_TWINS)]


def _merge_snapshot(url: str, _work: Path) -> Snapshot:
    with _connected(url) as connection:
        where = _records(connection)
        decisions = sorted(
            [*sorted([where[a], where[b]]), bool(d)]
            for a, b, d in connection.execute(
                text("SELECT record_a, record_b, duplicate FROM pair_decisions")
            )
        )
        groups = _current_groups(connection)
    return {"decisions": decisions, "groups": groups}


def _report_setup(url: str, _work: Path) -> None:
    _vote_setup(url, _work)
    for step in _vote_steps(url, _work)[:20]:
        step()


REPORT_FORMATS = ("html", "md", "docx")


def _report_steps(url: str, work: Path) -> list[Step]:
    def step() -> None:
        # The command the team runs, writing the files as it writes them.
        from cosynth.cli.main import cli  # only here: the other operations need no CLI

        cli.main(
            ["--db", url, "--as", "alice", "report", "build", "--out", str(work / "report"),
             "--format", ",".join(REPORT_FORMATS)],
            prog_name="cosynth",
            standalone_mode=False,
        )  # fmt: skip

    return [step]


def _report_snapshot(_url: str, work: Path) -> Snapshot:
    folder = work / "report"
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        # A ".name.partial" file is the command's own scratch copy, never the report's
        # file: a kill may leave one, as it may leave any temporary file.
        if path.is_file() and not path.name.endswith(".partial")
    }


def _migration_setup(_url: str, _work: Path) -> None:
    pass  # an empty database


def _migration_steps(url: str, _work: Path) -> list[Step]:
    def step() -> None:
        engine = make_engine(url)
        try:
            upgrade(engine)  # base to head, as `cosynth init` does
        finally:
            engine.dispose()

    return [step]


def _migration_snapshot(url: str, _work: Path) -> Snapshot:
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return {"revision": None, "tables": {}}
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = inspect(connection)
            tables = {
                name: sorted(column["name"] for column in found.get_columns(name))
                for name in found.get_table_names()
                if name != "alembic_version"
            }
            revision = None
            if "alembic_version" in found.get_table_names():
                revision = connection.execute(
                    text("SELECT version_num FROM alembic_version")
                ).scalar_one_or_none()
    finally:
        engine.dispose()
    return {"revision": revision, "tables": tables}


def migration_states(url: str) -> list[Snapshot]:
    """The schema after each migration, applied one at a time on an empty database."""
    engine = make_engine(url)
    states = [_migration_snapshot(url, Path())]
    try:
        config = alembic_config(engine)
        while states[-1]["revision"] is None or states[-1]["revision"] != _head(engine):
            command.upgrade(config, "+1")
            states.append(_migration_snapshot(url, Path()))
    finally:
        engine.dispose()
    return states


def _head(engine: Any) -> str:
    from cosynth.store.engine import head_revision

    return head_revision(engine)


OPERATION = {
    op.name: op
    for op in (
        Operation("import", lambda url, _w: _team(url), _import_steps, _import_snapshot),
        Operation("dedup", _dedup_setup, _dedup_steps, _dedup_snapshot),
        Operation("vote", _vote_setup, _vote_steps, _vote_snapshot),
        Operation("merge", _merge_setup, _merge_steps, _merge_snapshot),
        Operation("report", _report_setup, _report_steps, _report_snapshot),
        Operation("migration", _migration_setup, _migration_steps, _migration_snapshot),
    )
}


@contextmanager
def _connected(url: str) -> Iterator[Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


# --- stores --------------------------------------------------------------------------


class Stores:
    """Fresh stores on one engine: SQLite files, or databases on a PostgreSQL server."""

    def __init__(self, engine: str, folder: Path) -> None:
        self.engine = engine
        self.folder = folder
        self._made: list[str] = []
        self._template: str | None = None

    def fresh(self, *, empty: bool = False) -> str:
        """The URL of a new store at head (or, `empty`, of an empty database)."""
        name = f"cosynth_fault_{uuid.uuid4().hex[:10]}"
        if self.engine == "sqlite":
            path = self.folder / f"{name}.db"
            if not empty:
                shutil.copy(self._sqlite_template(), path)
            return f"sqlite:///{path}"
        template = "template0" if empty else self._pg_template()
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        self._made.append(name)
        return str(self._server().set(database=name).render_as_string(hide_password=False))

    def _sqlite_template(self) -> Path:
        path = self.folder / "template.db"
        if not path.exists():
            engine = make_engine(f"sqlite:///{path}")
            upgrade(engine)
            engine.dispose()
        return path

    def _pg_template(self) -> str:
        if self._template is None:
            self._template = f"cosynth_fault_template_{uuid.uuid4().hex[:8]}"
            self._admin(f'CREATE DATABASE "{self._template}"')
            self._made.append(self._template)
            url = self._server().set(database=self._template)
            engine = make_engine(url.render_as_string(hide_password=False))
            upgrade(engine)
            engine.dispose()
        return self._template

    def _server(self) -> Any:
        return make_url(resolve_url(self.engine))

    def _admin(self, statement: str) -> None:
        admin = create_engine(self._server(), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(statement))
        finally:
            admin.dispose()

    def drop(self, url: str) -> None:
        close_workspaces()
        if self.engine == "sqlite":
            path = Path(url.removeprefix("sqlite:///"))
            for leftover in path.parent.glob(path.name + "*"):
                leftover.unlink()
            return
        name = make_url(url).database
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._made.remove(str(name))

    def close(self) -> None:
        for name in reversed(self._made):
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._made.clear()


# --- the runs ------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """An uninterrupted run: the state after each step, and how long the steps took."""

    states: list[Snapshot]
    seconds: float


def reference(op: Operation, stores: Stores, work: Path) -> Reference:
    url = stores.fresh(empty=op.name == "migration")
    work.mkdir(parents=True, exist_ok=True)
    try:
        op.setup(url, work)
        states = [op.snapshot(url, work)]
        seconds = 0.0
        for step in op.steps(url, work):
            started = time.monotonic()
            step()
            seconds += time.monotonic() - started
            states.append(op.snapshot(url, work))
    finally:
        stores.drop(url)
        shutil.rmtree(work, ignore_errors=True)
    if op.name == "migration":
        url = stores.fresh(empty=True)
        try:
            states = migration_states(url)
        finally:
            stores.drop(url)
    return Reference(states=states, seconds=seconds)


@dataclass(frozen=True)
class Outcome:
    operation: str
    killed_after: float  # seconds into the steps
    committed: int  # steps the child reported committed before it died
    state_index: int  # which reference state the store was found in
    finished_before_kill: bool


class FaultFound(AssertionError):
    """What was left after the kill is not what was committed, or the re-run differs."""


def kill_and_check(
    op: Operation, ref: Reference, stores: Stores, work: Path, rng: random.Random
) -> Outcome:
    """Run `op` in a child, SIGKILL it at a random moment, and check the store and a re-run."""
    url = stores.fresh(empty=op.name == "migration")
    work.mkdir(parents=True, exist_ok=True)
    try:
        op.setup(url, work)
        child = _driver(op, url, work)
        assert child.stdout is not None
        ready = child.stdout.readline()
        if ready.strip() != "READY":
            child.kill()
            raise FaultFound(f"the driver did not start: {ready!r} {child.communicate()[1]}")
        # A random point: after a random number of commits, then a random
        # fraction of one step's time (of the whole run, for one-step work).
        steps = len(ref.states) - 1
        wait_for = rng.randrange(steps)
        seen: list[str] = []
        started = time.monotonic()
        while sum(line.startswith("COMMITTED") for line in seen) < wait_for:
            line = child.stdout.readline()
            if not line:
                break
            seen.append(line)
        time.sleep(rng.uniform(0, ref.seconds / steps * 1.2))
        child.send_signal(signal.SIGKILL)
        delay = time.monotonic() - started
        out, err = child.communicate()
        out = "".join(seen) + out
        finished = "DONE" in out
        committed = out.count("COMMITTED")
        if child.returncode not in (-signal.SIGKILL, 0):
            raise FaultFound(f"the driver failed before the kill: {err}")
        index = _check_left(op, ref, url, work, committed)
        # The store opens; one a migration was killed in is brought to head as it
        # opens. A kill before the first migration committed leaves the database
        # empty, and the user runs `cosynth init` again.
        open_workspace(url, create=op.name == "migration" and index == 0).close()
        if op.name != "migration":
            for step in op.steps(url, work):
                step()
        again = op.snapshot(url, work)
        if again != ref.states[-1]:
            raise FaultFound(
                f"{op.name}: running the work again after a kill {delay:.2f}s in "
                f"did not end where an uninterrupted run ends:\n{_differ(again, ref.states[-1])}"
            )
        return Outcome(op.name, delay, committed, index, finished)
    finally:
        stores.drop(url)
        shutil.rmtree(work, ignore_errors=True)


def kill_while_writing(op: Operation, ref: Reference, stores: Stores, work: Path) -> int:
    """Kill a report build the moment its first file has bytes on disk; the files left.

    A kill at a random moment rarely lands in the few milliseconds the files
    take to write; this one always does.
    """
    url = stores.fresh()
    work.mkdir(parents=True, exist_ok=True)
    try:
        op.setup(url, work)
        child = _driver(op, url, work)
        assert child.stdout is not None
        child.stdout.readline()
        folder = work / "report"
        deadline = time.monotonic() + 300
        while not any(p.is_file() and p.stat().st_size for p in _files(folder)):
            if child.poll() is not None or time.monotonic() > deadline:
                raise FaultFound(f"the report build ended before it wrote: {child.communicate()}")
            time.sleep(0.0005)
        child.send_signal(signal.SIGKILL)
        child.communicate()
        return _check_left(op, ref, url, work, 0)
    finally:
        stores.drop(url)
        shutil.rmtree(work, ignore_errors=True)


def _files(folder: Path) -> list[Path]:
    return list(folder.rglob("*")) if folder.exists() else []


def _driver(op: Operation, url: str, work: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.faults.driver", op.name, url, str(work)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _check_left(op: Operation, ref: Reference, url: str, work: Path, committed: int) -> int:
    left = op.snapshot(url, work)
    if op.name == "report":
        # Nothing in the store changes; each file in the folder is whole or absent.
        whole = ref.states[-1]
        broken = sorted(name for name, digest in left.items() if whole.get(name) != digest)
        if broken:
            raise FaultFound(f"report: a kill left files half-written: {', '.join(broken)}")
        return len(left)
    # The kill may fall between a commit and its line (one more step done
    # than reported); a migration's line is printed as its commit begins.
    allowed = range(max(0, committed - 1), committed + 2)
    if op.name != "migration":
        allowed = range(committed, committed + 2)
    for index in allowed:
        if index < len(ref.states) and left == ref.states[index]:
            return index
    nearest = ref.states[min(committed, len(ref.states) - 1)]
    raise FaultFound(
        f"{op.name}: after {committed} steps reported committed the store holds something "
        f"else:\n{_differ(left, nearest)}"
    )


def _differ(found: Snapshot, wanted: Snapshot) -> str:
    a, b = json.dumps(found, sort_keys=True), json.dumps(wanted, sort_keys=True)
    return f"  found:  {a[:600]}\n  wanted: {b[:600]}"
