"""Run the coverage-guided fuzzers (atheris), each for a number of seconds, and write the figures.

    python fuzz/run.py                       # every target, 600 s each (issue 10)
    python fuzz/run.py --seconds 180 ris csv # some targets, 3 minutes each
    python fuzz/run.py --cpu ris             # until ris has had 600 s of a processor

Each target's corpus (its seeds and every input that reached new code) is kept
in fuzz/corpus/<target>/, so a later run goes on from there; what crashed or
hung is in fuzz/findings/<target>/ (an input and, for an exception, its
traceback). A finding, once fixed in the reader, is copied to
fuzz/regressions/<target>/ where tests/fuzz/test_regressions.py replays it in
the suite. The figures (target, seconds, executions, findings, fixed) go to
fuzz/results/summary.json, merged with earlier runs of other targets.

A run is niced, single-process, and stops a target at its time even when it
hangs; libFuzzer's own limits catch a slow input (-timeout) and a runaway
allocation (-rss_limit_mb). Each run records its wall seconds and the processor
seconds its fuzzer used: on a shared machine a niced fuzzer gets less than the
wall clock, so `--cpu` keeps starting the target again until the processor
seconds, not the wall seconds, reach the time asked for.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import re
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FUZZ = Path(__file__).resolve().parent
REPO = FUZZ.parent
sys.path.insert(0, str(REPO))

from fuzz.targets import seeds_of, targets  # noqa: E402

SUMMARY = FUZZ / "results" / "summary.json"
# libFuzzer's limits for one input: seconds (a hang) and resident memory.
INPUT_TIMEOUT_S = 10
RSS_LIMIT_MB = 2048
# The longest input libFuzzer makes; real exports are larger, but bugs show on small ones.
MAX_LEN = 16_384
_STAT = re.compile(r"stat::number_of_executed_units:\s*(\d+)")
_PROGRESS = re.compile(r"^#(\d+)\s", re.MULTILINE)


def _executions(output: str) -> int:
    """Inputs run, from libFuzzer's final statistics, or its last progress line without them.

    (A run stopped by a hang or by the memory limit prints no final statistics.)
    """
    final = _STAT.findall(output)
    if final:
        return sum(int(found) for found in final)
    progress = _PROGRESS.findall(output)
    return int(progress[-1]) if progress else 0


def seed_corpus(name: str) -> Path:
    corpus = FUZZ / "corpus" / name
    corpus.mkdir(parents=True, exist_ok=True)
    for seed in seeds_of(name):
        (corpus / f"seed-{hashlib.sha1(seed).hexdigest()[:16]}").write_bytes(seed)
    return corpus


def findings_of(name: str, since: float = 0.0) -> list[Path]:
    """The inputs the fuzzer wrote for `name` (crash, hang, out of memory) since a time."""
    folder = FUZZ / "findings" / name
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file() and path.suffix != ".txt" and path.stat().st_mtime >= since
    )


def regressions_of(name: str) -> list[Path]:
    folder = FUZZ / "regressions" / name
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _child_cpu_seconds() -> float:
    """Processor seconds (user and system) used so far by the children this process waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fuzz(name: str, seconds: int, *, by_cpu: bool = False) -> dict[str, Any]:
    """Run one target for `seconds` (restarting it after a hang or crash); its figures.

    With `by_cpu`, the time that counts is the fuzzer's processor time.
    """
    corpus = seed_corpus(name)
    findings = FUZZ / "findings" / name
    findings.mkdir(parents=True, exist_ok=True)
    harness = FUZZ / f"fuzz_{name}.py"
    executions = 0
    started = time.monotonic()
    cpu_start = _child_cpu_seconds()
    wall_start = time.time()
    restarts = 0

    def time_left() -> float:
        if by_cpu:
            return seconds - (_child_cpu_seconds() - cpu_start)
        return seconds - (time.monotonic() - started)

    # By wall time a few seconds short is not worth a restart; by processor
    # time the target must have had all of it, so each run asks a little over.
    enough = 0 if by_cpu else 5
    while (left := time_left()) > enough and restarts < 40:
        command = [
            sys.executable,
            str(harness),
            str(corpus),
            f"-max_total_time={int(left) + (10 if by_cpu else 0)}",
            f"-timeout={INPUT_TIMEOUT_S}",
            f"-rss_limit_mb={RSS_LIMIT_MB}",
            f"-max_len={MAX_LEN}",
            f"-artifact_prefix={findings}/",
            "-print_final_stats=1",
        ]
        code: object = "killed when its time was up"
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=left + 60,
                preexec_fn=lambda: os.nice(10),
                check=False,
            )
            output = done.stdout + done.stderr
            code = done.returncode
        except subprocess.TimeoutExpired as exc:
            output = (exc.stdout or b"").decode() + (exc.stderr or b"").decode()
        logs = FUZZ / "logs"
        logs.mkdir(exist_ok=True)
        (logs / f"{name}-{restarts}.log").write_text(
            f"{command}\nexit: {code}\n{output[-200_000:]}", encoding="utf-8"
        )
        executions += _executions(output)
        for line in output.splitlines():
            if line.startswith(("FINDING", "==")) or "ERROR: libFuzzer" in line:
                print(f"  {line}", flush=True)
        restarts += 1
    return {
        "target": name,
        "seconds": round(time.monotonic() - started),
        "cpu_seconds": round(_child_cpu_seconds() - cpu_start),
        "executions": executions,
        "corpus": sum(1 for _ in corpus.iterdir()),
        # What this run found (older findings stay in the folder until someone files them).
        "findings": [path.name for path in findings_of(name, since=wall_start)],
        "fixed": [path.name for path in regressions_of(name)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("targets", nargs="*", help="targets to run (default: all)")
    parser.add_argument("--seconds", type=int, default=600, help="seconds per target")
    parser.add_argument(
        "--cpu", action="store_true", help="count the fuzzer's processor seconds, not wall seconds"
    )
    args = parser.parse_args()
    names = args.targets or sorted(targets())
    unknown = set(names) - set(targets())
    if unknown:
        parser.error(f"no such target: {', '.join(sorted(unknown))}")
    for name in names:
        print(f"{name}: {args.seconds} s{' of a processor' if args.cpu else ''}", flush=True)
        row = fuzz(name, args.seconds, by_cpu=args.cpu)
        row["ran_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        print(f"  {row['executions']} executions, findings: {row['findings']}", flush=True)
        record(row)


def record(row: dict[str, Any]) -> None:
    """Put one target's figures into the summary, keeping the other targets' rows.

    Runs add up: a target's seconds, executions and findings are every run's
    together, and each run is listed under "runs". Two runs (one a processor
    each) may finish at once, so the summary is read and written under a lock.
    """
    SUMMARY.parent.mkdir(parents=True, exist_ok=True)
    with (SUMMARY.parent / ".summary.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _merge(row)


def _merge(row: dict[str, Any]) -> None:
    results: dict[str, dict[str, Any]] = {}
    header: dict[str, Any] = {}
    if SUMMARY.exists():
        header = json.loads(SUMMARY.read_text())
        results = {entry["target"]: entry for entry in header.pop("targets")}
    earlier = results.get(str(row["target"]), {})
    runs: list[dict[str, Any]] = [
        *earlier.get("runs", []),
        {
            key: row[key]
            for key in ("seconds", "cpu_seconds", "executions", "findings", "ran_at")
            if key in row
        },
    ]
    results[str(row["target"])] = {
        **row,
        "seconds": sum(int(run["seconds"]) for run in runs),
        "cpu_seconds": sum(int(run.get("cpu_seconds", 0)) for run in runs),
        "executions": sum(int(run["executions"]) for run in runs),
        "findings": sorted({name for run in runs for name in run["findings"]}),
        "runs": runs,
    }
    rows = [results[key] for key in sorted(results)]
    SUMMARY.write_text(json.dumps({**header, "targets": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
