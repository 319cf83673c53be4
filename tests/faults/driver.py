"""The child process the fault tests kill: `python -m tests.faults.driver OP URL FOLDER`.

It prints READY once imported, then runs the operation's steps against the
store at URL, printing `COMMITTED <n>` after each step's commit, then DONE.
The store was set up beforehand by the parent (tests/faults/harness.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.faults.harness import OPERATION, open_for_steps


def main(name: str, url: str, folder: str) -> None:
    op = OPERATION[name]
    steps = op.steps(url, Path(folder))
    if name == "migration":
        # Each migration commits on its own: say so as each commit begins.
        count = iter(range(1, 1000))

        @event.listens_for(Engine, "commit")
        def _committed(_connection: object) -> None:
            print(f"COMMITTED {next(count)}", flush=True)

    if name != "migration":
        open_for_steps(url)  # opened before the clock starts, as in the reference run
    print("READY", flush=True)
    for n, step in enumerate(steps, start=1):
        step()
        if name != "migration":
            print(f"COMMITTED {n}", flush=True)
    print("DONE", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
