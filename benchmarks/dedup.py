"""De-duplication benchmark: cosynth's `dedup` beside bib-dedupe, on labelled record sets.

Run from the repository root:

    .venv/bin/python benchmarks/dedup.py [--sets NAME ...] [--skip-scale] [--skip-peer]
                                         [--skip-cosynth] [--timeout 900] [--sizes N ...]

For each labelled set of the shared data folder (`dedup/INVENTORY.csv`:
`record_id`, `group_id` = the truth, bibliographic columns) the runner writes a
*blinded* copy - the same rows and columns less `group_id` and the columns
that give the truth away (`asysd_truth_unique_or_duplicate`, and
`endnote_status`, whose "Duplicate_in_trash" is the labeller's decision) -
and gives that same file to both tools in the same run:

- **bib-dedupe** (PyPI `bib-dedupe` 0.11.x) runs in its own virtual
  environment, `benchmarks/.venv-bibdedupe` (made with `python3.11 -m venv`
  and `pip install` when missing), through `benchmarks/peers/bibdedupe_run.py`:
  prep -> block -> match -> cluster; its "maybe" pairs are not merged, and the
  records in them are its "records for review".
- **cosynth**, through its public command line only, in a fresh SQLite file:
  `cosynth --db DB --as bench init`, `... import FILE`, `... dedup --json`
  (a JSON summary; its `pairs_for_review`, and `records_for_review` if given,
  are recorded) and `... export records --format csv -o OUT`, whose
  `source_id` (the file's record_id) and `group_id` (the record's duplicate
  group; its own record id when it has none) columns give the grouping. While
  the command has no `dedup`, cosynth is reported "cosynth dedup not available".

Each tool runs as a child process; its wall time, CPU time and peak memory are
measured from here: peak = the larger of the child's `ru_maxrss` (the largest
single process of its tree, from wait4) and the memory of its whole process
tree (the PSS of all processes of its session, so pages that forked workers
share are counted once), sampled every 0.1 s (0.5 s after the first 10 s) -
bib-dedupe forks workers.
cosynth's figures: the sum of its four commands' times and the largest of
their peaks, with the import and dedup steps also reported alone.

Metrics: `benchmarks/dedup_metrics.py` (its docstring defines them).

Then the scaling run (`benchmarks/dedup_scale.py` builds 10k, 25k, 50k and 100k
record files from the real sets and perturbed copies): cosynth on every size;
bib-dedupe only while it can finish within `--timeout` (900 s): a size is
skipped once a smaller one did not finish, or when its time extrapolated from
this run's bib-dedupe runs of 1,000 records or more (t ~ n^k, k fitted in
log-log space and held between 1 and 3; k = 1 while the sizes seen so far are
too close together to fit) is above the timeout.

Results: `benchmarks/results/dedup.json` (machine, tool versions, per set and
tool all metrics, times, peaks) and `benchmarks/results/dedup.md` (tables).
Entries from earlier runs for sets or tools not run this time are kept
(each entry says when it was measured); `--fresh` starts from nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dedup_metrics import evaluate
from dedup_scale import (
    SIZES,
    LabelledSet,
    build_file,
    read_labelled,
    shared_dedup_data,
    write_rows,
)
from provenance import git_source, machine

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work" / "dedup"
RESULTS_JSON = HERE / "results" / "dedup.json"
RESULTS_MD = HERE / "results" / "dedup.md"
PEER_VENV = HERE / ".venv-bibdedupe"
PEER_SCRIPT = HERE / "peers" / "bibdedupe_run.py"
PEER_REQUIREMENT = "bib-dedupe>=0.11,<0.12"
COSYNTH = REPO / ".venv" / "bin" / "cosynth"

SETS = (
    "diabetes_asysd",
    "cytology_screening",
    "haematology",
    "special_cases",
    "bibdedupe_unit_test",
)
# Columns that hold the truth, or a labeller's decision that gives it away.
TRUTH_COLUMNS = ("group_id", "asysd_truth_unique_or_duplicate", "endnote_status")
DEFAULT_TIMEOUT = 900.0
SAMPLE_EVERY_S = 0.1
SAMPLE_LATER_S = 0.5
NOT_AVAILABLE = "cosynth dedup not available"
BIBDEDUPE = "bib-dedupe"
COSYNTH_TOOL = "cosynth"


# --- Measuring a child process ----------------------------------------------------


@dataclass
class Measured:
    command: list[str]
    returncode: int | None
    wall_s: float
    cpu_s: float
    maxrss_mb: float
    tree_peak_mb: float
    timed_out: bool
    stdout: str
    stderr: str
    load_before: float | None = None

    @property
    def peak_mb(self) -> float:
        return max(self.maxrss_mb, self.tree_peak_mb)

    def summary(self) -> dict[str, Any]:
        return {
            "wall_s": round(self.wall_s, 3),
            "cpu_s": round(self.cpu_s, 3),
            "peak_mb": round(self.peak_mb, 1),
            "maxrss_mb": round(self.maxrss_mb, 1),
            "tree_peak_mb": round(self.tree_peak_mb, 1),
            "returncode": self.returncode,
            "timed_out": self.timed_out,
            "load_avg_1m_before": self.load_before,
        }

    def tail(self, lines: int = 6) -> str:
        return "\n".join((self.stderr or self.stdout).strip().splitlines()[-lines:])


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def session_memory_bytes(session: int) -> int:
    """Memory of every process in `session`: the sum of their PSS (Linux /proc; 0 elsewhere).

    PSS (proportional set size) shares each page among the processes that map
    it, so forked workers that share their parent's pages are not counted
    twice, as a sum of RSS would. Where smaps_rollup cannot be read, RSS is used.
    """
    total = 0
    proc = Path("/proc")
    if not proc.is_dir():
        return 0
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rfind(")") + 2 :].split()
            # After the command name: state ppid pgrp session ...; rss is field 24 of stat.
            if len(fields) <= 21 or int(fields[3]) != session:
                continue
            total += _pss_bytes(entry) or int(fields[21]) * _PAGE
        except (OSError, ValueError):
            continue
    return total


def _pss_bytes(entry: Path) -> int | None:
    try:
        for line in (entry / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def measure(command: list[str], *, timeout: float, cwd: Path | None = None) -> Measured:
    """Run `command` in its own session; its time, CPU, peak memory and output."""
    load = round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd, start_new_session=True)
        tree_peak = 0
        timed_out = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            tree_peak = max(tree_peak, session_memory_bytes(process.pid))
            if time.perf_counter() - started > timeout:
                timed_out = True
                _kill_session(process.pid)
                pid, status, usage = os.wait4(process.pid, 0)
                break
            # Fine sampling while short commands run; coarser later, to steal less CPU.
            time.sleep(SAMPLE_EVERY_S if time.perf_counter() - started < 10 else SAMPLE_LATER_S)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        _kill_session(process.pid)  # workers it may have left behind
        out.seek(0)
        err.seek(0)
        return Measured(
            command=command,
            returncode=None if timed_out else process.returncode,
            wall_s=wall,
            cpu_s=usage.ru_utime + usage.ru_stime,
            maxrss_mb=usage.ru_maxrss / 1024,  # KiB on Linux
            tree_peak_mb=tree_peak / 2**20,
            timed_out=timed_out,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            load_before=load,
        )


def _kill_session(session: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(session, signal.SIGKILL)


# --- One tool on one file -----------------------------------------------------------


@dataclass
class ToolRun:
    tool: str
    status: str  # "ok", "not available", "failed", "did not finish", "skipped"
    note: str = ""
    wall_s: float | None = None
    dedup_s: float | None = None
    import_s: float | None = None
    cpu_s: float | None = None
    peak_mb: float | None = None
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)
    predicted: dict[str, str] | None = None
    records_for_review: int | None = None
    pairs_for_review: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


def ensure_peer_venv() -> Path:
    """bib-dedupe's own interpreter, installing it into benchmarks/.venv-bibdedupe if missing."""
    python = PEER_VENV / "bin" / "python"
    if python.exists():
        return python
    base = shutil.which("python3.11") or (
        sys.executable if sys.version_info[:2] == (3, 11) else None
    )
    if base is None:
        raise SystemExit("bib-dedupe's environment needs python3.11 on the PATH")
    print(
        f"Creating {PEER_VENV.relative_to(REPO)} and installing {PEER_REQUIREMENT} ...", flush=True
    )
    subprocess.run([base, "-m", "venv", str(PEER_VENV)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, PEER_REQUIREMENT], check=True)
    return python


def peer_versions(python: Path) -> dict[str, str]:
    script = (
        "import importlib.metadata as m, json, platform; "
        "print(json.dumps({'bib-dedupe': m.version('bib-dedupe'), 'pandas': m.version('pandas'), "
        "'numpy': m.version('numpy'), 'python': platform.python_version()}))"
    )
    done = subprocess.run([str(python), "-c", script], capture_output=True, text=True, check=True)
    versions: dict[str, str] = json.loads(done.stdout)
    return versions


def run_bibdedupe(python: Path, source: Path, work: Path, timeout: float) -> ToolRun:
    target = work / "bibdedupe_groups.csv"
    target.unlink(missing_ok=True)
    measured = measure([str(python), str(PEER_SCRIPT), str(source), str(target)], timeout=timeout)
    run = ToolRun(BIBDEDUPE, "ok", steps={"run": measured.summary()})
    run.wall_s, run.cpu_s, run.peak_mb = measured.wall_s, measured.cpu_s, measured.peak_mb
    if measured.timed_out:
        run.status, run.note = "did not finish", f"did not finish in {timeout / 60:g} min"
        run.cpu_s = None  # its killed workers' CPU time is lost with them
        return run
    if measured.returncode != 0:
        run.status, run.note = "failed", f"exit {measured.returncode}: {measured.tail()}"
        return run
    summary = last_json_object(measured.stdout)
    run.details = summary or {}
    stages = run.details.get("stages", {})
    run.dedup_s = sum(v for k, v in stages.items() if k != "read_s") if stages else None
    run.records_for_review = run.details.get("maybe_records")
    run.pairs_for_review = run.details.get("maybe_pairs")
    with target.open(newline="", encoding="utf-8") as handle:
        run.predicted = {row["record_id"]: row["predicted_group"] for row in csv.DictReader(handle)}
    return run


def cosynth_has_dedup(cosynth: Path) -> tuple[bool, str]:
    if not cosynth.exists():
        return False, f"{cosynth} not found (run `make` first)"
    command = [str(cosynth), "dedup", "--help"]
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    if done.returncode == 0:
        return True, ""
    message = (done.stderr or done.stdout).strip().splitlines()
    return False, message[-1] if message else f"exit {done.returncode}"


def split_by_search_set(source: Path, folder: Path) -> tuple[list[Path], Path | None]:
    """One CSV per `search_set` value (and one for rows without), when the file has the column."""
    with source.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        if "search_set" not in fields:
            return [], None
        parts: dict[str, list[dict[str, str]]] = {}
        for row in reader:
            parts.setdefault((row.get("search_set") or "").strip(), []).append(row)
    written: dict[str, Path] = {}
    for name, rows in parts.items():
        path = folder / f"{source.stem}-{name or 'no_set'}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
        written[name] = path
    rest = written.pop("", None)
    return list(written.values()), rest


def run_cosynth(cosynth: Path, source: Path, work: Path, timeout: float) -> ToolRun:
    run = ToolRun(COSYNTH_TOOL, "ok", details={"source": git_source()})
    exported = work / "cosynth_records.csv"
    exported.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="cosynth-dedup-") as tmp:
        base = [str(cosynth), "--db", str(Path(tmp) / "c.db"), "--as", "bench"]
        searched_sets, rest = split_by_search_set(source, Path(tmp))
        steps = {"init": [*base, "init"]}
        if searched_sets:
            # bib-dedupe never groups two records of one search set (each set
            # was de-duplicated before); cosynth is told the same thing the way
            # a team would tell it: each set imported as an already
            # de-duplicated export.
            steps["import"] = [*base, "import", "--deduplicated", *map(str, searched_sets)]
            if rest is not None:
                steps["import-rest"] = [*base, "import", str(rest)]
        else:
            steps["import"] = [*base, "import", str(source)]
        steps |= {
            "dedup": [*base, "dedup", "--json"],
            "export": [*base, "export", "records", "--format", "csv", "-o", str(exported)],
        }
        results: dict[str, Measured] = {}
        for name, command in steps.items():
            measured = measure(command, timeout=timeout)
            results[name] = measured
            run.steps[name] = measured.summary()
            if measured.timed_out:
                run.status = "did not finish"
                run.note = f"`cosynth {name}` did not finish in {timeout / 60:g} min"
                break
            if measured.returncode != 0:
                run.status = "failed"
                run.note = f"`cosynth {name}` exit {measured.returncode}: {measured.tail()}"
                break
    run.wall_s = sum(m.wall_s for m in results.values())
    run.cpu_s = sum(m.cpu_s for m in results.values())
    run.peak_mb = max(m.peak_mb for m in results.values())
    run.import_s = (
        sum(m.wall_s for name, m in results.items() if name.startswith("import"))
        if "import" in results
        else None
    )
    run.dedup_s = results["dedup"].wall_s if "dedup" in results else None
    if "import" in results:
        run.details["import_output"] = results["import"].stdout.strip()[-2000:]
    if run.status != "ok":
        return run
    summary = last_json_object(results["dedup"].stdout)
    if summary is None:
        run.status, run.note = "failed", "`cosynth dedup --json` printed no JSON object"
        return run
    run.details["dedup_summary"] = summary
    run.pairs_for_review = _int_or_none(summary.get("pairs_for_review"))
    run.records_for_review = _int_or_none(summary.get("records_for_review"))
    with exported.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"source_id", "group_id"} - set(reader.fieldnames or [])
        if missing:
            run.status = "failed"
            run.note = f"`export records --format csv` has no {', '.join(sorted(missing))} column"
            return run
        predicted: dict[str, str] = {}
        blank_ids = repeated = 0
        for row in reader:
            record = (row["source_id"] or "").strip()
            if not record:
                blank_ids += 1
                continue
            if record in predicted:
                repeated += 1
            group = (row["group_id"] or "").strip()
            predicted[record] = group or f"(alone) {record}"
    run.predicted = predicted
    run.details["export_rows_without_source_id"] = blank_ids
    run.details["export_repeated_source_ids"] = repeated
    return run


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def last_json_object(text: str) -> dict[str, Any] | None:
    """The JSON object `text` is, or else the last line of it that is one."""
    candidates = [text, *reversed(text.strip().splitlines())]
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None


# --- Sets, results ------------------------------------------------------------------------


def blind(labelled: LabelledSet, target: Path) -> Path:
    """The labelled file less the truth columns: what both tools are given."""
    columns = [c for c in labelled.columns if c not in TRUTH_COLUMNS]
    write_rows(target, columns, labelled.rows)
    return target


def data_checks(labelled: LabelledSet) -> list[str]:
    """What is odd about a labelled file (reported, not fixed)."""
    notes: list[str] = []
    empty = [key for key in labelled.order if key.startswith("(row ")]
    if empty:
        notes.append(f"{len(empty)} row(s) without record_id ({', '.join(empty)}), keyed by row")
    odd = [
        (row["record_id"], row["group_id"])
        for row in labelled.rows
        if row["group_id"].startswith("s_") and row["group_id"] != f"s_{row['record_id']}"
    ]
    if odd:
        notes.append(f"singleton group id not s_<record_id>: {odd[:3]}")
    blank = [
        row
        for row in labelled.rows
        if not any(v.strip() for k, v in row.items() if k not in TRUTH_COLUMNS and k != "record_id")
    ]
    if blank:
        notes.append(f"{len(blank)} row(s) with no bibliographic data at all")
    if "asysd_truth_unique_or_duplicate" in labelled.columns:
        uniques: dict[str, int] = {}
        for key, row in zip(labelled.order, labelled.rows, strict=True):
            group = labelled.truth[key]
            uniques[group] = uniques.get(group, 0) + (
                row["asysd_truth_unique_or_duplicate"] == "unique"
            )
        disagree = sorted(g for g, n in uniques.items() if n != 1)
        if disagree:
            notes.append(
                f"{len(disagree)} group(s) where asysd_truth_unique_or_duplicate does not mark "
                f"exactly one record 'unique': {', '.join(disagree)}"
            )
    shared = shared_titles(labelled)
    if shared:
        examples = "; ".join(f"{title!r}: {', '.join(groups)}" for title, groups in shared[:3])
        notes.append(
            f"{len(shared)} title(s) shared by records of different true groups (a labelling "
            f"slip, or distinct works with one title), e.g. {examples}"
        )
    if labelled.order != sorted(labelled.order):
        notes.append("rows are not in record_id order (the first row of a group is the one kept)")
    return notes


def shared_titles(labelled: LabelledSet) -> list[tuple[str, list[str]]]:
    """Titles (20+ letters and digits, case and punctuation aside) found in several true groups."""
    groups: dict[str, set[str]] = {}
    first: dict[str, str] = {}
    for key, row in zip(labelled.order, labelled.rows, strict=True):
        normal = "".join(ch for ch in row.get("title", "").casefold() if ch.isalnum())
        if len(normal) >= 20:
            groups.setdefault(normal, set()).add(labelled.truth[key])
            first.setdefault(normal, row["title"].strip())
    return [(first[t], sorted(g)) for t, g in groups.items() if len(g) > 1]


def set_summary(labelled: LabelledSet) -> dict[str, Any]:
    sizes: dict[str, int] = {}
    for key in labelled.order:
        sizes[labelled.truth[key]] = sizes.get(labelled.truth[key], 0) + 1
    return {
        "records": len(labelled.order),
        "entities": len(sizes),
        "duplicates_to_remove": len(labelled.order) - len(sizes),
        "duplicate_pairs": sum(n * (n - 1) // 2 for n in sizes.values()),
        "largest_group": max(sizes.values(), default=0),
    }


def tool_entry(run: ToolRun, labelled: LabelledSet) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "status": run.status,
        "note": run.note,
        "measured": datetime.now(UTC).isoformat(timespec="seconds"),
        "wall_s": _round(run.wall_s),
        "dedup_s": _round(run.dedup_s),
        "import_s": _round(run.import_s),
        "cpu_s": _round(run.cpu_s),
        "peak_mb": _round(run.peak_mb, 1),
        "steps": run.steps,
        "details": run.details,
    }
    if run.predicted is not None:
        metrics = evaluate(
            labelled.order,
            labelled.truth,
            run.predicted,
            records_for_review=run.records_for_review,
            pairs_for_review=run.pairs_for_review,
        )
        entry["metrics"] = {
            k: _round(v, 4) if isinstance(v, float) else v for k, v in metrics.as_dict().items()
        }
    return entry


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def cosynth_version(cosynth: Path) -> str | None:
    if not cosynth.exists():
        return None
    command = [str(cosynth), "--version"]
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    words = done.stdout.split()
    return words[-1] if words else None  # "cosynth, version 0.1.0"


def load_results(fresh: bool) -> dict[str, Any]:
    if not fresh and RESULTS_JSON.exists():
        try:
            results: dict[str, Any] = json.loads(RESULTS_JSON.read_text(encoding="utf-8"))
            results.setdefault("sets", {})
            return results
        except ValueError:
            pass
    return {"benchmark": "dedup", "sets": {}}


def save(results: dict[str, Any]) -> None:
    RESULTS_JSON.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_JSON.write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    RESULTS_MD.write_text(markdown(results), encoding="utf-8")


# --- Markdown ------------------------------------------------------------------------------

HEADER = (
    "| set | records | tool | TP | FP | FN | TN | sensitivity | specificity | false merges "
    "| pairwise P | pairwise R | for review (pairs / records) "
    "| total s | dedup s | import s | CPU s | peak MB |"
)


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _row(name: str, info: dict[str, Any], tool: str, entry: dict[str, Any]) -> str:
    m = entry.get("metrics")
    records = _fmt(info.get("records"))
    timing = [
        _fmt(entry.get("wall_s"), 1),
        _fmt(entry.get("dedup_s"), 1),
        _fmt(entry.get("import_s"), 1),
        _fmt(entry.get("cpu_s"), 1),
        _fmt(entry.get("peak_mb"), 0),
    ]
    if m is None:
        note = entry.get("note") or ""
        status = (
            note if note.startswith(entry["status"]) else f"{entry['status']}: {note}".rstrip(": ")
        )
        status = status.replace("|", "\\|").replace("\n", " ")
        if len(status) > 160:
            status = status[:157] + "..."
        if entry["status"] in ("skipped", "not available"):
            timing = ["–"] * len(timing)
        elif entry["status"] == "did not finish":
            timing[3] = "–"  # the CPU time of its killed workers is lost with them
        return "| " + " | ".join([name, records, tool, status, *[""] * 9, *timing]) + " |"
    review = f"{_fmt(m.get('pairs_for_review'))} / {_fmt(m.get('records_for_review'))}"
    cells = [
        name,
        records,
        tool,
        *(_fmt(m[k]) for k in ("tp", "fp", "fn", "tn")),
        _fmt(m["sensitivity"]),
        _fmt(m["specificity"]),
        _fmt(m["false_merges"]),
        _fmt(m["pairwise_precision"]),
        _fmt(m["pairwise_recall"]),
        review,
        *timing,
    ]
    return "| " + " | ".join(cells) + " |"


def _set_order(name: str) -> tuple[int, int, str]:
    """Labelled sets in the inventory's order, scaling sets by size."""
    if name in SETS:
        return (SETS.index(name), 0, name)
    size = name.removeprefix("scale_")
    return (len(SETS), int(size) if size.isdigit() else 0, name)


def _about(name: str, about: dict[str, str]) -> str:
    others = ", ".join(f"{k} {v}" for k, v in about.items() if k not in (name, "version"))
    version = about.get(name) or about.get("version", "?")
    return f"{name} {version}" + (f" ({others})" if others else "")


def _peer_scaling(results: dict[str, Any]) -> list[str]:
    sets = results.get("sets", {})
    runs = [
        (name, sets[name]["tools"][BIBDEDUPE])
        for name in sorted(sets, key=_set_order)
        if sets[name].get("kind") == "scale" and BIBDEDUPE in sets[name].get("tools", {})
    ]
    if not runs:
        return []
    said = []
    for name, entry in runs:
        what = f"ran, {entry['wall_s']:.0f} s" if entry["status"] == "ok" else entry["note"]
        said.append(f"{sets[name]['records']:,} records: {what} ({entry['measured'][:16]})")
    timeout = results.get("peer_timeout_s", DEFAULT_TIMEOUT)
    return [
        "## bib-dedupe on the scaling sets",
        "",
        f"Timeout {timeout:.0f} s. " + "; ".join(said) + ". A size is skipped once a smaller one "
        "did not finish, or when its time extrapolated from the same run's bib-dedupe times "
        "(t ~ n^k, k fitted on runs of 1,000+ records, held between 1 and 3) is above the "
        "timeout.",
        "",
    ]


def markdown(results: dict[str, Any]) -> str:
    info = results.get("machine", {})
    tools = results.get("tools", {})
    lines = [
        "# De-duplication benchmark: cosynth and bib-dedupe",
        "",
        f"Written by `benchmarks/dedup.py` on {info.get('date', '?')}: "
        f"{info.get('cpu_count', '?')} CPUs ({info.get('cpu_model') or 'unknown model'}), "
        f"{info.get('ram_gib', '?')} GiB RAM, Python {info.get('python', '?')}, "
        f"{info.get('platform', '?')}.",
        "",
        "Tools: " + "; ".join(_about(name, about) for name, about in tools.items()) + ".",
        "",
        "Both tools get the same blinded copy of each labelled file (no `group_id`, no column "
        "that gives the truth away). Definitions: `benchmarks/dedup_metrics.py`. In short: a "
        "record is a duplicate-to-remove when it is not the first (file order) of its true group, "
        "and predicted removed when it is not the first of its predicted group; TP/FP/FN/TN "
        "compare the two. "
        "*False merges* are record pairs put in one predicted group that belong to different true "
        'groups; pairwise P/R are over all within-group pairs. *For review*: bib-dedupe\'s "maybe" '
        "pairs between two different clusters and the records in them (not merged); cosynth's "
        "`pairs_for_review` (and `records_for_review` where it reports it). *total s*: the whole "
        "tool (cosynth: init + import + dedup + export; bib-dedupe: its process, interpreter start "
        "included); *dedup s*: cosynth's `dedup` command, bib-dedupe's prep to cluster; *CPU s*: "
        "user + system time of the whole tool, its workers included (less disturbed than wall "
        "time by other work on the machine, whose load average before each command is in the "
        "JSON file); *peak MB*: "
        "the largest resident memory of the tool's process tree (cosynth: the largest of its "
        "commands). Each entry was measured at the time its JSON entry gives.",
        "",
    ]
    sets = results.get("sets", {})
    for title, kind in (("Labelled sets", "labelled"), ("Scaling sets (generated)", "scale")):
        names = sorted((n for n, s in sets.items() if s.get("kind") == kind), key=_set_order)
        if not names:
            continue
        lines += [f"## {title}", "", HEADER, "|" + "---|" * 18]
        for name in names:
            data = sets[name]
            for tool in (COSYNTH_TOOL, BIBDEDUPE):
                if tool in data.get("tools", {}):
                    lines.append(_row(name, data, tool, data["tools"][tool]))
        lines.append("")
        if kind == "scale":
            lines.append(
                "Scaling sets: the real sets plus perturbed copies and new entities made by "
                "`benchmarks/dedup_scale.py` (seeded); what each holds is in the JSON file."
            )
            lines.append("")
    # The scaling sets inherit the real sets' oddities: their notes stay in the JSON file.
    labelled = [n for n in sorted(sets, key=_set_order) if sets[n].get("kind") == "labelled"]
    notes = [(n, sets[n]["data_notes"]) for n in labelled if sets[n].get("data_notes")]
    if notes:
        lines += ["## Data notes", ""]
        lines += [f"- **{name}**: " + "; ".join(items) for name, items in notes]
        lines.append("")
    lines += _peer_scaling(results)
    return "\n".join(lines)


# --- The run -------------------------------------------------------------------------------


def extrapolate(history: list[tuple[int, float]], size: int) -> tuple[float, float] | None:
    """(seconds, exponent) expected at `size` from (records, seconds) runs, or None if none."""
    points = [(n, t) for n, t in history if n >= 1000 and t > 0]
    if not points:
        return None
    largest_n, largest_t = max(points)
    exponent = 1.0
    ns = [n for n, _ in points]
    if len(points) >= 2 and max(ns) / min(ns) >= 1.5:
        xs = [math.log(n) for n, _ in points]
        ys = [math.log(t) for _, t in points]
        mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
        slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
            (x - mean_x) ** 2 for x in xs
        )
        exponent = min(3.0, max(1.0, slope))
    return largest_t * (size / largest_n) ** exponent, exponent


def run_set(
    name: str,
    kind: str,
    labelled: LabelledSet,
    results: dict[str, Any],
    args: argparse.Namespace,
    peer: Path | None,
    cosynth_ready: tuple[bool, str],
    *,
    peer_skip: str | None = None,
    extra: dict[str, Any] | None = None,
) -> ToolRun | None:
    work = WORK / name
    source = blind(labelled, work / "input.csv")
    entry = results["sets"].setdefault(name, {})
    entry.update({"kind": kind, **set_summary(labelled), "data_notes": data_checks(labelled)})
    entry["file"] = str(
        labelled.path.relative_to(REPO) if labelled.path.is_relative_to(REPO) else labelled.path
    )
    if extra:
        entry.update(extra)
    tools = entry.setdefault("tools", {})
    peer_run: ToolRun | None = None

    if not args.skip_cosynth:
        ready, why = cosynth_ready
        if ready:
            print(f"  cosynth on {name} ({len(labelled.order)} records) ...", flush=True)
            run = run_cosynth(args.cosynth, source, work, args.timeout)
        else:
            run = ToolRun(COSYNTH_TOOL, "not available", note=f"{NOT_AVAILABLE} ({why})")
        tools[COSYNTH_TOOL] = tool_entry(run, labelled)
        _say(name, run)
        save(results)

    if peer is not None:
        if peer_skip:
            peer_run = ToolRun(BIBDEDUPE, "skipped", note=peer_skip)
        else:
            print(f"  bib-dedupe on {name} ({len(labelled.order)} records) ...", flush=True)
            peer_run = run_bibdedupe(peer, source, work, args.timeout)
        tools[BIBDEDUPE] = tool_entry(peer_run, labelled)
        _say(name, peer_run)
        save(results)
    return peer_run


def _say(name: str, run: ToolRun) -> None:
    timing = (
        f"{run.wall_s:.1f} s, {run.peak_mb:.0f} MB"
        if run.wall_s is not None and run.peak_mb
        else ""
    )
    print(f"    {run.tool} on {name}: {run.status} {run.note} {timing}".rstrip(), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sets",
        nargs="*",
        choices=SETS,
        default=list(SETS),
        metavar="NAME",
        help=f"labelled sets to run (default: all: {', '.join(SETS)}); none with a bare --sets",
    )
    parser.add_argument("--skip-scale", action="store_true", help="no scaling run")
    parser.add_argument("--skip-peer", action="store_true", help="no bib-dedupe")
    parser.add_argument("--skip-cosynth", action="store_true", help="no cosynth")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help="seconds a tool (cosynth: each command) may take (default 900)",
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="scaling sizes")
    parser.add_argument("--seed", type=int, default=None, help="seed of the scaling sets")
    parser.add_argument("--cosynth", type=Path, default=COSYNTH, help="the cosynth command")
    parser.add_argument("--fresh", action="store_true", help="drop the results of earlier runs")
    args = parser.parse_args(argv)

    results = load_results(args.fresh)
    results["machine"] = machine()
    results["updated"] = results["machine"]["date"]
    results.setdefault("tools", {})
    peer = None if args.skip_peer else ensure_peer_venv()
    if peer is not None:
        results["tools"][BIBDEDUPE] = peer_versions(peer)
    cosynth_ready = (False, "skipped") if args.skip_cosynth else cosynth_has_dedup(args.cosynth)
    if not args.skip_cosynth:
        results["tools"][COSYNTH_TOOL] = {
            "version": cosynth_version(args.cosynth) or "?",
            **git_source(),
        }
        if not cosynth_ready[0]:
            print(f"{NOT_AVAILABLE}: {cosynth_ready[1]}", flush=True)

    history: list[tuple[int, float]] = []
    data = shared_dedup_data()
    for name in args.sets:
        print(f"{name}:", flush=True)
        labelled = read_labelled(data / f"{name}.csv", name)
        peer_run = run_set(name, "labelled", labelled, results, args, peer, cosynth_ready)
        if peer_run and peer_run.status == "ok" and peer_run.wall_s:
            history.append((len(labelled.order), peer_run.wall_s))

    if not args.skip_scale:
        stopped: str | None = None
        if peer is not None:
            results["peer_timeout_s"] = args.timeout
        for size in sorted(args.sizes):
            name = f"scale_{size}"
            print(f"{name}: building ...", flush=True)
            seed_args = {} if args.seed is None else {"seed": args.seed}
            path, stats = build_file(size, **seed_args)
            labelled = read_labelled(path, name)
            skip = stopped
            if skip is None and peer is not None:
                guess = extrapolate(history, size)
                if guess and guess[0] > args.timeout:
                    skip = (
                        f"not run: extrapolated {guess[0]:.0f} s (t ~ n^{guess[1]:.2f} from "
                        f"this run's bib-dedupe times) > {args.timeout:.0f} s"
                    )
            peer_run = run_set(
                name,
                "scale",
                labelled,
                results,
                args,
                peer,
                cosynth_ready,
                peer_skip=skip,
                extra={"generated": stats},
            )
            if peer_run is None:
                continue
            if peer_run.status == "ok" and peer_run.wall_s:
                history.append((size, peer_run.wall_s))
            elif peer_run.status != "skipped":
                stopped = f"not run: a smaller size ({size:,}) {peer_run.status}"
    save(results)
    print(f"Wrote {RESULTS_JSON.relative_to(REPO)} and {RESULTS_MD.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
