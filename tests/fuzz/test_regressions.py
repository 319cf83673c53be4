"""Every input the fuzzers found a crash or a hang with, replayed: now only cosynth's errors.

fuzz/regressions/<target>/<file> holds the input as the fuzzer wrote it
(fuzz/findings/<target>/); its target in fuzz/targets.py reads it the way
the product does. Once a reader is fixed its finding is copied here, so the
fix stays fixed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fuzz.targets import targets

from cosynth.errors import CosynthError
from tests.fuzz.timebox import only_cosynth_errors

REGRESSIONS = Path(__file__).resolve().parents[2] / "fuzz" / "regressions"


def found() -> list[Path]:
    return sorted(
        path
        for path in REGRESSIONS.glob("*/*")
        if path.is_file() and path.suffix not in (".txt", ".md")
    )


def test_it_keeps_the_regressions_under_known_targets() -> None:
    folders = {path.parent.name for path in found()}
    assert folders, "fuzz/regressions/ holds no finding to replay"
    assert folders <= set(targets()), f"unknown targets: {sorted(folders - set(targets()))}"


@pytest.mark.parametrize("path", found(), ids=lambda path: f"{path.parent.name}/{path.name}")
def test_it_gives_only_cosynth_errors_for_what_the_fuzzer_found(path: Path) -> None:
    only_cosynth_errors(targets()[path.parent.name].run, path.read_bytes(), path.parent.name)


@pytest.mark.parametrize(
    ("finding", "message"),
    [
        ("encrypted-member", "'manifest.json' is encrypted; export it without a password"),
        ("unknown-compression-method", "'manifest.json' is compressed in a way cosynth cannot"),
        ("corrupt-deflate-stream", "'manifest.json' is damaged"),
    ],
)
def test_it_says_what_is_wrong_with_a_damaged_archive_member(finding: str, message: str) -> None:
    data = (REGRESSIONS / "review_archive" / finding).read_bytes()
    with pytest.raises(CosynthError, match=re.escape(message)):
        targets()["review_archive"].run(data)
