"""How fast cosynth reads a 100,000-record RIS file, and how much memory it needs, beside rispy.

Run from the repository root:

    .venv/bin/python benchmarks/import_speed.py [--records 100000] [--repeat 5]

The script builds one large RIS file by concatenating the real RIS exports in
the shared data folder (repeating the set until there are enough records), then
parses it several times with cosynth's `RisReader` and with `rispy.load`. Each
run is a fresh Python process, so that its peak resident memory
(`ru_maxrss`) is its own; the same process started without parsing gives the
baseline (the interpreter and the imports), and both the gross peak and the
peak less that baseline (net) are reported.

Both parsers do the same work: read the file and hold every record in a list
(cosynth: `Citation` objects; rispy: dicts). cosynth's streaming mode, in
which each record is dropped once seen (how an import into the store consumes
the reader), is measured too and reported under its own name.

Figures go to `benchmarks/results/import_speed.json`. The `sqlite_import`
section is filled by `import_into_sqlite` once the store can import a file.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work"
RESULTS = HERE / "results" / "import_speed.json"

# What the RIS reader is held to: at least twice rispy's records per second at no
# more than half its peak memory.
TARGET_SPEEDUP = 2.0
TARGET_MEMORY_SHARE = 0.5

# Files rispy cannot split into the same records as cosynth, left out so that
# both parsers are timed on the same records: rispy needs a TY line to start a
# record (the two CiteSource exports have none), drops a record whose ER is
# missing (colrev/ris_data.ris), and stops with KeyError('access_date') when the
# "Provider:" header of colrev/psycinfo_ris.ris follows another file's last record.
EXCLUDED = {
    "citesource/vignettes_vignette_exports/analysis_across_phases_shiny_export.ris",
    "citesource/vignettes_vignette_exports/citesource_benchmark_export.ris",
    "colrev/ris_data.ris",
    "colrev/psycinfo_ris.ris",
}


def shared_imports() -> Path:
    configured = os.environ.get("COSYNTH_SHARED_DATA")
    data = Path(configured) if configured else REPO.parent / "shared" / "data"
    return data / "imports"


# Run in a fresh process: `cosynth init` then `cosynth import` of the corpus into
# a new SQLite file, timed end to end (reading, parsing, inserting, committing).
_SQLITE_IMPORT = """
import json, resource, sys, tempfile, time
from pathlib import Path
from cosynth.services.imports import import_file
from cosynth.services.reviews import create_review
from cosynth.services.workspace import open_workspace

path = Path(sys.argv[1])
folder = tempfile.mkdtemp()
workspace = open_workspace(f"{folder}/bench.db", create=True)
with workspace.transaction("bench") as tx:
    review = create_review(tx, "Import benchmark")
started = time.perf_counter()
with workspace.transaction("bench") as tx:
    report = import_file(tx, review.id, path.name, path.read_bytes())
seconds = time.perf_counter() - started
workspace.close()
print(json.dumps({
    "records": report.records_imported,
    "skipped": len(report.skipped),
    "seconds": round(seconds, 3),
    "records_per_s": round(report.records_imported / seconds),
    "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    "database_mb": round(Path(folder, "bench.db").stat().st_size / 1024**2, 1),
}))
"""


def import_into_sqlite(path: Path) -> dict[str, Any] | None:
    """Time importing `path` into a fresh SQLite store through the import service."""
    done = subprocess.run(
        [sys.executable, "-c", _SQLITE_IMPORT, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["target_seconds"] = 20
    figures["meets_target"] = figures["seconds"] < 20
    figures["note"] = "one transaction: parse, insert every record and the file's bytes, commit"
    return figures


# --- The corpus --------------------------------------------------------------


def ris_files(imports: Path) -> list[Path]:
    with (imports / "INVENTORY.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        imports / row["file"]
        for row in rows
        if row["format"] in ("RIS", "RIS (no TY tag)") and row["file"] not in EXCLUDED
    ]


def build_corpus(imports: Path, target: int) -> tuple[Path, dict[str, Any]]:
    """Concatenate the real RIS files, as UTF-8 with `\\n` endings, until `target` records."""
    from cosynth.formats.base import Document
    from cosynth.formats.ris import RisReader

    reader = RisReader()
    texts: list[str] = []
    records_per_set = 0
    for path in ris_files(imports):
        doc = Document(path.name, path.read_bytes())
        records_per_set += sum(1 for _ in reader.read(doc))
        texts.append(doc.text.rstrip("\n") + "\n\n")
    one_set = "".join(texts).encode("utf-8")
    repeats = -(-target // records_per_set)
    WORK.mkdir(exist_ok=True)
    corpus = WORK / f"corpus_{repeats * records_per_set}.ris"
    if not corpus.exists() or corpus.stat().st_size != len(one_set) * repeats:
        with corpus.open("wb") as out:
            for _ in range(repeats):
                out.write(one_set)
    info = {
        "file": str(corpus.relative_to(REPO)),
        "bytes": corpus.stat().st_size,
        "records": repeats * records_per_set,
        "source_files": len(texts),
        "records_per_set": records_per_set,
        "sets": repeats,
        "excluded_files": sorted(EXCLUDED),
    }
    return corpus, info


# --- One measured run, in a child process -------------------------------------


def child(mode: str, path: Path) -> None:
    """Parse `path` one way and print records, seconds and peak memory as JSON."""
    if mode.startswith("rispy"):
        import rispy
    else:
        from cosynth.formats.base import Document
        from cosynth.formats.ris import RisReader
    records = 0
    started = time.perf_counter()
    if mode == "rispy":
        entries = rispy.load(path, encoding="utf-8")
        records = len(entries)
    elif mode == "rispy-text":
        entries = rispy.loads(path.read_text(encoding="utf-8"))
        records = len(entries)
    elif mode == "cosynth":
        doc = Document(path.name, path.read_bytes())
        citations = [entry.citation for entry in RisReader().read(doc)]
        records = len(citations)
    elif mode == "cosynth-streaming":
        doc = Document(path.name, path.read_bytes())
        for _entry in RisReader().read(doc):
            records += 1
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"records": records, "seconds": seconds, "peak_kb": peak_kb}))


def run_child(mode: str, path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# What each measured mode is compared against for its baseline memory.
MODES = {
    "cosynth": "cosynth-baseline",
    "rispy": "rispy-baseline",
    "rispy-text": "rispy-baseline",
    "cosynth-streaming": "cosynth-baseline",
}


def measure_all(path: Path, repeat: int) -> dict[str, dict[str, Any]]:
    """Run every mode `repeat` times, interleaved so that a change in the machine's
    load touches all of them alike."""
    runs: dict[str, list[dict[str, Any]]] = {mode: [] for mode in MODES}
    for _ in range(repeat):
        for mode in MODES:
            runs[mode].append(run_child(mode, path))
    baselines = {
        baseline: min(run_child(baseline, path)["peak_kb"] for _ in range(3))
        for baseline in set(MODES.values())
    }
    return {mode: summary(runs[mode], baselines[MODES[mode]]) for mode in MODES}


def summary(runs: list[dict[str, Any]], baseline_kb: int) -> dict[str, Any]:
    records = runs[0]["records"]
    seconds = [run["seconds"] for run in runs]
    peak_mb = max(run["peak_kb"] for run in runs) / 1024
    baseline_mb = baseline_kb / 1024
    best, median = min(seconds), statistics.median(seconds)
    return {
        "records": records,
        "seconds": {"best": round(best, 3), "median": round(median, 3), "all": seconds},
        "records_per_s": {"best": round(records / best), "median": round(records / median)},
        "peak_mb": {
            "gross": round(peak_mb, 1),
            "baseline": round(baseline_mb, 1),
            "net": round(peak_mb - baseline_mb, 1),
        },
    }


def compare(cosynth: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    speed = cosynth["records_per_s"]["median"] / other["records_per_s"]["median"]
    net = cosynth["peak_mb"]["net"] / other["peak_mb"]["net"]
    gross = cosynth["peak_mb"]["gross"] / other["peak_mb"]["gross"]
    return {
        "speed_cosynth_over_other_median": round(speed, 2),
        "peak_memory_net_cosynth_over_other": round(net, 2),
        "peak_memory_gross_cosynth_over_other": round(gross, 2),
        "targets_met": speed >= TARGET_SPEEDUP and net <= TARGET_MEMORY_SHARE,
    }


# --- The whole benchmark ------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    if args.build:
        corpus, corpus_info = build_corpus(shared_imports(), args.records)
        print(json.dumps({"path": str(corpus), "info": corpus_info}))
        return

    # The corpus is built in a child process too: on Linux a child's ru_maxrss
    # starts from its parent's resident size when it was forked, so the parent
    # that starts the measured runs must stay small.
    built = json.loads(
        subprocess.run(
            [sys.executable, __file__, "--build", "--records", str(args.records)],
            check=True,
            capture_output=True,
            text=True,
            cwd=REPO,
        ).stdout
    )
    corpus, corpus_info = Path(built["path"]), built["info"]
    print(f"corpus: {corpus_info['records']} records, {corpus_info['bytes'] / 1e6:.0f} MB")
    measured = measure_all(corpus, args.repeat)
    parsers = {
        "cosynth": measured["cosynth"],
        "rispy": measured["rispy"],
        "rispy_text": measured["rispy-text"],
        "cosynth_streaming": measured["cosynth-streaming"],
    }
    parsers["cosynth"]["note"] = (
        "RisReader over Document(path.read_bytes()), every record kept as a Citation"
    )
    parsers["rispy"]["note"] = "rispy.load(path): reads the file line by line, keeps every record"
    parsers["rispy_text"]["note"] = (
        "rispy.loads(path.read_text()): the whole text in memory first, as cosynth's "
        "Document holds the whole file"
    )
    parsers["cosynth_streaming"]["note"] = (
        "records read one at a time and dropped (how an import consumes the reader); "
        "not comparable with rispy, which holds every record"
    )
    results = {
        "benchmark": "RIS parse speed and peak memory, cosynth RisReader against rispy",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
        },
        "versions": {"rispy": _version("rispy")},
        "corpus": corpus_info,
        "repetitions": args.repeat,
        "parsers": parsers,
        "against_rispy": compare(parsers["cosynth"], parsers["rispy"]),
        "against_rispy_text": compare(parsers["cosynth"], parsers["rispy_text"]),
        "targets": {"speed_at_least": TARGET_SPEEDUP, "net_memory_at_most": TARGET_MEMORY_SHARE},
        "sqlite_import": import_into_sqlite(corpus),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for name, figures in parsers.items():
        print(
            f"{name:18} {figures['records_per_s']['median']:>8} records/s (median), "
            f"{figures['records_per_s']['best']:>8} best; peak {figures['peak_mb']['gross']} MB "
            f"gross, {figures['peak_mb']['net']} MB net"
        )
    for name in ("against_rispy", "against_rispy_text"):
        print(name, results[name])
    print(f"-> {RESULTS.relative_to(REPO)}")


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


if __name__ == "__main__":
    main()
