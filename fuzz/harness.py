"""The body of every fuzz/fuzz_<target>.py: atheris drives one target of fuzz/targets.py.

A cosynth error is the reader refusing bad input, as it should. Any other
exception is a finding: the harness writes the input and its traceback to
fuzz/findings/<target>/ once per distinct place it was raised, and goes on
fuzzing (libFuzzer would stop at the first), so one run finds several. A
hang or a runaway allocation is caught by libFuzzer itself (-timeout,
-rss_limit_mb, set by fuzz/run.py), which writes the input under the same
folder and stops; run.py then starts the target again for the time left.
"""

from __future__ import annotations

import hashlib
import sys
import traceback
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
REPO = FUZZ.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# The libraries whose Python code the readers lean on are instrumented too, so
# coverage guides the fuzzer through them (python-docx, openpyxl; the stdlib
# parsers csv, json, tomllib, zipfile and sqlite3 are C or left out for speed).
INSTRUMENTED = ["cosynth", "docx", "openpyxl"]


def signature(exc: BaseException) -> str:
    """Where an exception came from: its type and the innermost cosynth frame (file:line)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [frame for frame in frames if "/cosynth/" in frame.filename]
    place = ours[-1] if ours else (frames[-1] if frames else None)
    where = f"{Path(place.filename).name}:{place.lineno}" if place else "?"
    return f"{type(exc).__name__}@{where}"


def main(name: str) -> None:
    import atheris  # type: ignore[import-untyped]  # it ships no types

    with atheris.instrument_imports(include=INSTRUMENTED):
        from cosynth.formats.registry import readers
        from fuzz.targets import ALLOWED, targets

        # The bibliographic readers are plugins loaded on first use: load them here,
        # inside the block, or their code is not instrumented and guides nothing.
        readers()

    target = targets()[name]
    findings = FUZZ / "findings" / name
    seen: set[str] = set()

    def one_input(data: bytes) -> None:
        try:
            target.run(data)
        except ALLOWED:
            return
        except Exception as exc:  # the finding: anything but a cosynth error
            key = signature(exc)
            if key in seen:
                return
            seen.add(key)
            findings.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha1(key.encode()).hexdigest()[:12]
            (findings / f"exception-{digest}").write_bytes(data)
            (findings / f"exception-{digest}.txt").write_text(
                f"{key}\n\n{''.join(traceback.format_exception(exc))}", encoding="utf-8"
            )
            print(f"FINDING {name} {key}", file=sys.stderr, flush=True)

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
