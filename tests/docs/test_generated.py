"""The methods pages' tables are those docs/generate.py writes from the TOML files."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

DOCS = Path(__file__).resolve().parents[2] / "docs"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_generate", DOCS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("docs_generate", module)
    spec.loader.exec_module(module)
    return module


def test_it_keeps_the_generated_tables_current() -> None:
    stale = generator().stale()
    assert not stale, (
        f"docs/methods/generated is out of date ({', '.join(stale)}): "
        "run `python docs/generate.py` and commit the pages."
    )


def test_it_tables_every_builtin_instrument_and_scale_with_its_source() -> None:
    pages = generator().pages()
    for name in ("tapupas", "casp-qualitative-2018", "jbi-qualitative", "aacods", "hawker"):
        assert f"Id: `{name}`" in pages["instruments.md"]
    assert "Id: `tlap-ladder`" in pages["scales.md"]
    assert "Pawson R" in pages["instruments.md"]  # TAPUPAS's source
    assert "Think Local Act Personal" in pages["scales.md"]
    assert "France EF" in pages["checklists.md"]  # eMERGe's source


def test_it_notices_a_stale_page(tmp_path: Path) -> None:
    module = generator()
    for filename, text in module.pages().items():
        (tmp_path / filename).write_text(text, encoding="utf-8")
    assert module.stale(tmp_path) == []
    (tmp_path / "scales.md").write_text("an old table\n", encoding="utf-8")
    assert module.stale(tmp_path) == ["scales.md"]
