"""Run bib-dedupe's standard pipeline on one labelled CSV (runs INSIDE benchmarks/.venv-bibdedupe).

    benchmarks/.venv-bibdedupe/bin/python benchmarks/peers/bibdedupe_run.py IN.csv OUT.csv

`IN.csv` is a record table with a `record_id` column and bibliographic
columns (the benchmark's "blinded" copy of a labelled set: the truth columns
are already gone). The script

1. maps the columns to the names bib-dedupe reads (`record_id` -> `ID`,
   `issue` -> `number` where there is no `number`; `ENTRYTYPE`, `author`,
   `title`, `year`, `journal`, `booktitle`, `series`, `volume`, `pages`,
   `abstract`, `doi` and `search_set` keep their names; every other column is
   left out, as bib-dedupe's own prep keeps only these),
2. runs prep -> block -> match -> cluster, as bib-dedupe's documentation
   shows; `cluster` joins the pairs labelled "duplicate" only, so the pairs
   labelled "maybe" (for a person to check) are NOT merged,
3. writes `OUT.csv` with `record_id,predicted_group` for every input row
   (a record in no cluster is its own group: its own record id), and
4. prints ONE JSON line to stdout: timings per stage, the whole wall time,
   peak resident memory (`ru_maxrss` of this process and of its largest
   worker process: bib-dedupe forks workers for prep, block and match),
   and the "maybe" pairs left for review.

A row with an empty `record_id` is keyed `(row N)` (N = 1-based data row),
the same key the benchmark's truth loader gives it.

bib-dedupe prints progress to stdout; it is sent to stderr here so that
stdout carries the JSON line only. This file imports neither cosynth nor the
benchmark package: it runs with the peer's own interpreter and packages.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import resource
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

# Where a bib-dedupe field is taken from, first match wins.
FIELD_SOURCES: dict[str, tuple[str, ...]] = {
    "ENTRYTYPE": ("ENTRYTYPE", "entrytype", "type"),
    "author": ("author", "authors"),
    "title": ("title",),
    "year": ("year",),
    "journal": ("journal",),
    "booktitle": ("booktitle",),
    "series": ("series",),
    "volume": ("volume",),
    "number": ("number", "issue"),
    "pages": ("pages",),
    "abstract": ("abstract",),
    "doi": ("doi",),
    "search_set": ("search_set",),
}


def row_key(record_id: str, row_number: int) -> str:
    """The record's key: its record_id, or `(row N)` where the cell is empty."""
    record_id = record_id.strip()
    return record_id if record_id else f"(row {row_number})"


def _peak_mb(who: int) -> float:
    # Linux reports ru_maxrss in KiB.
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def run(source: Path, target: Path, cpu: int) -> dict[str, Any]:
    import bib_dedupe
    import pandas as pd
    from bib_dedupe import bib_dedupe as api
    from bib_dedupe.constants.fields import DUPLICATE_LABEL, MAYBE

    bib_dedupe.verbose_print.verbosity_level = 0
    started = time.perf_counter()
    stages: dict[str, float] = {}

    with source.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    columns = list(rows[0].keys()) if rows else ["record_id"]
    keys = [row_key(row.get("record_id") or "", n) for n, row in enumerate(rows, start=1)]
    if len(set(keys)) != len(keys):
        raise SystemExit(f"{source}: record_id is not unique")
    frame: dict[str, list[str]] = {"ID": keys}
    mapping: dict[str, str] = {}
    for field, candidates in FIELD_SOURCES.items():
        column = next((c for c in candidates if c in columns), None)
        if column is not None:
            mapping[field] = column
            frame[field] = [row.get(column) or "" for row in rows]
    records_df = pd.DataFrame(frame, dtype=str)
    stages["read_s"] = time.perf_counter() - started

    with contextlib.redirect_stdout(sys.stderr):
        mark = time.perf_counter()
        prepped = api.prep(records_df, cpu=cpu)
        stages["prep_s"] = time.perf_counter() - mark
        mark = time.perf_counter()
        blocked = api.block(prepped, cpu=cpu)
        stages["block_s"] = time.perf_counter() - mark
        mark = time.perf_counter()
        matched = api.match(blocked, cpu=cpu)
        stages["match_s"] = time.perf_counter() - mark
        mark = time.perf_counter()
        clusters = api.cluster(matched)  # the "duplicate" pairs only
        stages["cluster_s"] = time.perf_counter() - mark

    group_of = {key: key for key in keys}
    for component in clusters:
        members = [str(member) for member in component]
        label = members[0]
        for member in members:
            group_of[member] = label

    # The maybe pairs as bib-dedupe's export_maybe shows them: between two
    # different clusters (a maybe pair inside one cluster asks nothing).
    maybe_pairs: set[tuple[str, str]] = set()
    maybe_records: set[str] = set()
    maybes = matched[matched[DUPLICATE_LABEL] == MAYBE] if len(matched) else matched
    for first, second in zip(maybes.get("ID_1", []), maybes.get("ID_2", []), strict=True):
        a, b = group_of[str(first)], group_of[str(second)]
        if a != b:
            maybe_pairs.add((min(a, b), max(a, b)))
            maybe_records.update((str(first), str(second)))

    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["record_id", "predicted_group"])
        for key in keys:
            writer.writerow([key, group_of[key]])

    return {
        "tool": "bib-dedupe",
        "version": metadata.version("bib-dedupe"),
        "pandas": metadata.version("pandas"),
        "records": len(keys),
        "columns_used": mapping,
        "cpu": cpu,
        "wall_s": round(time.perf_counter() - started, 3),
        "stages": {name: round(seconds, 3) for name, seconds in stages.items()},
        "peak_mb": _peak_mb(resource.RUSAGE_SELF),
        "worker_peak_mb": _peak_mb(resource.RUSAGE_CHILDREN),
        "blocked_pairs": len(blocked),
        "duplicate_pairs": len(matched) - len(maybes),
        "clusters": sum(1 for component in clusters if len(component) > 1),
        "maybe_pairs": len(maybe_pairs),
        "maybe_records": len(maybe_records),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the record table (CSV, with record_id)")
    parser.add_argument("target", type=Path, help="where to write record_id,predicted_group")
    parser.add_argument("--cpu", type=int, default=-1, help="bib-dedupe's cpu (-1: all cores)")
    args = parser.parse_args(argv)
    summary = run(args.source, args.target, args.cpu)
    sys.stdout.write(json.dumps(summary) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
