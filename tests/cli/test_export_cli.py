"""`cosynth export set` and `cosynth archive`, as alice uses them from a terminal."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from click.testing import CliRunner

from cosynth.cli.main import cli

SAMPLES = Path(str(files("cosynth") / "samples"))


def cosynth(db: str, *args: str, who: str = "alice") -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", db, "--as", who, *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_it_exports_a_set_and_moves_the_review_to_another_store(
    db_url: str, tmp_path: Path
) -> None:
    assert cosynth(db_url, "init", "--title", "Co-production in integrated care")[0] == 0
    assert cosynth(db_url, "import", str(SAMPLES / "WoS_ciw_example.ciw"))[0] == 0

    code, said = cosynth(db_url, "export", "set", "all", "--format", "csv",
                         "--out", str(tmp_path / "all.csv"))  # fmt: skip
    assert code == 0 and "Wrote 5 records (every record imported)" in said
    assert (tmp_path / "all.csv").read_text(encoding="utf-8").startswith("record_id,")

    archive = tmp_path / "review.cosynth"
    code, said = cosynth(db_url, "archive", "export", str(archive))
    assert code == 0 and archive.exists(), said

    code, said = cosynth(db_url, "archive", "show", str(archive))
    assert code == 0 and "Co-production in integrated care" in said
    assert "archived by alice" in said and "5  records" in said

    elsewhere = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    code, said = cosynth(elsewhere, "archive", "import", str(archive), who="dora")
    assert code == 0, said
    assert "Co-production in integrated care (5 records, 2 members)" in said
    code, said = cosynth(elsewhere, "status", "--json", who="dora")
    assert code == 0 and '"records": 5' in said


def test_it_says_plainly_what_is_wrong_with_a_damaged_archive(db_url: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken.cosynth"
    broken.write_bytes(b"not a zip at all")
    code, said = cosynth(f"sqlite:///{tmp_path / 'new.db'}", "archive", "import", str(broken))
    assert code == 1
    assert "broken.cosynth: the ZIP archive is damaged or incomplete" in said
