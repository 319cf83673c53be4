"""The Python in the developers' pages runs as written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from cosynth.formats.base import Document, Reader
from cosynth.ranking.base import Ranker

ROOT = Path(__file__).resolve().parents[2]
DEVELOPERS = ROOT / "docs" / "developers"


def python_blocks(page: str) -> list[str]:
    text = (DEVELOPERS / page).read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, re.M | re.S)


def test_it_runs_the_python_api_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(
        ROOT / "src" / "cosynth" / "samples" / "PubMed_example.txt", tmp_path / "medline.nbib"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COSYNTH_DB", raising=False)
    (example,) = python_blocks("python-api.md")
    exec(compile(example, "python-api.md", "exec"), {})  # the page's own code
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "3 records"
    assert len(printed) == 4  # the three records, each with its id and title


def test_it_runs_the_plugin_examples() -> None:
    reader_code, ranker_code = python_blocks("plugins.md")
    names: dict[str, object] = {}
    exec(compile(reader_code, "plugins.md", "exec"), names)
    reader = names["PipeReader"]()
    assert isinstance(reader, Reader)
    doc = Document("list.psv", b"Peer support in integrated care|2019|10.1/x\nnot a record\n")
    assert reader.sniff(doc) > 0
    entries = list(reader.read(doc))
    assert entries[0].citation is not None and entries[0].citation.year == 2019
    assert entries[1].skipped == "expected Title|Year|DOI"

    exec(compile(ranker_code, "plugins.md", "exec"), names)
    ranker = names["ShortestFirst"]()
    assert isinstance(ranker, Ranker)
    scores = ranker.score(ranker.prepare(["a long record", "short"]), {0: True, 1: False})
    assert list(scores.argsort()[::-1]) == [1, 0]
