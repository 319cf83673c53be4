"""kill -9 at many random points in each operation, on SQLite and PostgreSQL.

    PYTHONPATH=. python benchmarks/faults.py --repetitions 20 \\
        --engine sqlite --engine postgresql://postgres@127.0.0.1:5432/postgres

For each operation (an import of two large RIS files, a de-duplication run,
votes, merges, a report build, a migration from base to head) a child process
runs the work against a fresh store and is killed with SIGKILL at a random
point (tests/faults/harness.py); the store must hold exactly what was
reported committed, and the work run again must end where an uninterrupted
run ends. Figures go to benchmarks/results/faults.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from tests.faults.harness import (
    OPERATION,
    OPERATIONS,
    SCALE,
    FaultFound,
    Stores,
    kill_and_check,
    reference,
)

RESULTS = Path(__file__).parent / "results" / "faults.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=20)
    parser.add_argument("--engine", action="append", default=[])
    parser.add_argument("--operation", action="append", choices=OPERATIONS, default=[])
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    engines = args.engine or ["sqlite"]
    operations = args.operation or list(OPERATIONS)
    rng = random.Random(args.seed)
    figures: dict[str, dict[str, object]] = {}
    failures = 0
    for engine in engines:
        label = "sqlite" if engine == "sqlite" else "postgresql"
        with tempfile.TemporaryDirectory() as folder:
            stores = Stores(engine, Path(folder))
            try:
                for name in operations:
                    op = OPERATION[name]
                    ref = reference(op, stores, Path(folder) / "reference")
                    passed, found, states = 0, [], Counter[str]()
                    finished = 0
                    started = time.monotonic()
                    for i in range(args.repetitions):
                        try:
                            outcome = kill_and_check(op, ref, stores, Path(folder) / f"k{i}", rng)
                        except FaultFound as exc:
                            found.append(str(exc)[:2000])
                            print(f"{label} {name} #{i}: {exc}", file=sys.stderr, flush=True)
                            continue
                        passed += 1
                        finished += outcome.finished_before_kill
                        states[str(outcome.state_index)] += 1
                    figures.setdefault(label, {})[name] = {
                        "repetitions": args.repetitions,
                        "passed": passed,
                        "faults_found": found,
                        "steps": len(ref.states) - 1,
                        "uninterrupted_seconds": round(ref.seconds, 2),
                        "killed_mid_work": args.repetitions - finished - len(found),
                        "finished_before_kill": finished,
                        "state_found_after_kill": dict(sorted(states.items())),
                        "wall_seconds": round(time.monotonic() - started, 1),
                    }
                    failures += len(found)
                    print(f"{label} {name}: {passed}/{args.repetitions} passed", flush=True)
            finally:
                stores.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "benchmark": "kill -9 at random points of each operation (tests/faults/harness.py)",
                "date": datetime.now(UTC).isoformat(timespec="seconds"),
                "command": " ".join(["python", *sys.argv]),
                "machine": {
                    "cpu_count": __import__("os").cpu_count(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                },
                "scale": SCALE,
                "seed": args.seed,
                "results": figures,
                "all_passed": failures == 0,
            },
            indent=2,
        )
        + "\n"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
