"""scripts/check-package.py's own checks, on small wheels made here (make test-package runs it)."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check-package.py"


@pytest.fixture(scope="module")
def check_package() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_package", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def wheel(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr("cosynth-0.1.0.dist-info/RECORD", str(path).encode())
    return path


def test_it_passes_two_wheels_with_the_same_files(
    check_package: ModuleType, tmp_path: Path
) -> None:
    files = {"cosynth/__init__.py": b"x", "cosynth/web/static/cosynth.css": b"body {}"}
    first = check_package.wheel_contents(wheel(tmp_path / "a.whl", files))
    second = check_package.wheel_contents(wheel(tmp_path / "b.whl", files))
    assert first == second  # the .dist-info differs and is left out
    check_package.compare_wheels(first, second, ("sdist's wheel", "tree's wheel"))


def test_it_names_each_file_the_wheels_do_not_share(
    check_package: ModuleType, tmp_path: Path
) -> None:
    first = check_package.wheel_contents(
        wheel(tmp_path / "a.whl", {"cosynth/a.py": b"1", "cosynth/same.py": b"old"})
    )
    second = check_package.wheel_contents(
        wheel(tmp_path / "b.whl", {"cosynth/b.toml": b"2", "cosynth/same.py": b"new"})
    )
    with pytest.raises(check_package.CheckFailed) as failed:
        check_package.compare_wheels(first, second, ("sdist's wheel", "tree's wheel"))
    message = str(failed.value)
    assert "only in the sdist's wheel: cosynth/a.py" in message
    assert "only in the tree's wheel: cosynth/b.toml" in message
    assert "different bytes: cosynth/same.py" in message


def test_it_lists_package_files_missing_from_the_wheel(check_package: ModuleType) -> None:
    source = [
        "cosynth/__init__.py",
        "cosynth/examples/conquer2024.toml",
        "cosynth/__pycache__/x.cpython-311.pyc",
        "cosynth/web/translations/en/LC_MESSAGES/messages.mo",
    ]
    shipped = ["cosynth/__init__.py", "cosynth/examples/conquer2024.toml"]
    assert check_package.missing_from_wheel(source, shipped) == [
        "cosynth/web/translations/en/LC_MESSAGES/messages.mo"
    ]


def test_it_reads_the_version_from_the_package(check_package: ModuleType) -> None:
    import cosynth

    assert check_package.source_version(check_package.ROOT) == cosynth.__version__


def test_it_leaves_nothing_that_points_back_at_the_checkout(
    check_package: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PYTHONPATH", "/somewhere/src")
    monkeypatch.setenv("COSYNTH_DB", "/somewhere/cosynth.db")
    monkeypatch.setenv("VIRTUAL_ENV", "/somewhere/.venv")
    env = check_package.clean_environment(tmp_path / "venv")
    assert not {"PYTHONPATH", "COSYNTH_DB", "VIRTUAL_ENV"} & env.keys()
    assert env["PATH"].startswith(str(tmp_path / "venv" / "bin"))
