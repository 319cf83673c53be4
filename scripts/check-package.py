"""Build cosynth's sdist and wheel, install the wheel in a fresh venv, and use it.

`make test-package` runs this; run it by hand the same way:

    .venv/bin/python scripts/check-package.py [--python python3.11] [--keep]

It proves what a newcomer's `pip install cosynth-X.whl` gets:

1. From a clean copy of the tree (the files git tracks or would track, so
   nothing ignored and no stale `build/` leaks in), `python -m build` makes
   the sdist and, from the sdist, the wheel: the release command. A second
   wheel is built straight from the tree; the two must hold the same files
   with the same bytes, so a file the sdist forgets cannot hide.
2. Every file under src/cosynth (templates, static files, translations,
   migrations, instruments, scales, checklists, frameworks, fonts, samples,
   the worked example) must be in the wheel.
3. A fresh virtual environment (no system site-packages) made with --python
   gets the bare wheel, no extras: dependencies come from the package index,
   or pip's cache when it has them. psycopg, redis, gunicorn and mkdocs must
   be absent, so what follows is the laptop path without any extra.
4. From a folder outside the checkout (nothing is read from the source tree):
   `cosynth --version` prints the version of src/cosynth/__init__.py, the
   installed metadata agrees, `cosynth demo --out DIR --no-serve` builds the
   worked example and its report, and `cosynth serve` answers the sign-in
   page and its static files on a loopback port.

The output is a line a step; a failure says what is wrong in plain words,
with the end of the failing command's output, and keeps the work folder.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from importlib.util import find_spec
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "cosynth"
# The extras a laptop never needs: none of them may come with the bare wheel.
EXTRA_MODULES = {"psycopg": "postgres", "redis": "team", "gunicorn": "team", "mkdocs": "docs"}
# What `cosynth demo --out DIR --no-serve` must leave in DIR (each non-empty).
DEMO_OUTPUTS = (
    "cosynth.db",
    "report/report.html",
    "report/report.docx",
    "report/report.md",
    "report/prisma/prisma-flow.svg",
    "report/prisma/prisma-flow.png",
    "report/figures/figure-1-prisma-flow.svg",
    "synthesis/theme-tree.md",
    "synthesis/concept-grid.xlsx",
    "synthesis/figure-3-theme-map.svg",
    "advisory-group/action-log.csv",
    "table-2-included-studies.csv",
)
# Pages `cosynth serve` must answer from the installed package's templates and static files.
SERVED = ("/login", "/static/cosynth.css", "/static/htmx-2.0.4.min.js")
# Files under src/cosynth that the wheel may leave out (compiled caches only).
NOT_SHIPPED_SUFFIXES = (".pyc", ".pyo")
# Variables that would point an installed cosynth back at this checkout or at someone's data.
DROPPED_ENV_PREFIXES = ("COSYNTH_", "PYTHON", "VIRTUAL_ENV", "CONDA_")


class CheckFailed(Exception):
    """A check did not hold; the message says which and why, in plain words."""


def say(line: str) -> None:
    print(line, flush=True)  # noqa: T201 - a script that reports to its terminal


def run(
    command: Sequence[str | Path],
    *,
    what: str,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 900,
) -> str:
    """Run a command; its output, or CheckFailed naming `what` with the output's end."""
    try:
        done = subprocess.run(  # noqa: S603 - our own commands, no shell
            [str(part) for part in command],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise CheckFailed(f"{what}: still running after {timeout:.0f} s.") from None
    except OSError as exc:
        raise CheckFailed(f"{what}: could not start {command[0]} ({exc}).") from None
    output = done.stdout + done.stderr
    if done.returncode != 0:
        raise CheckFailed(f"{what} failed (exit {done.returncode}).\n{tail(output)}")
    return output


def seconds(since: float) -> str:
    return f"{time.monotonic() - since:.0f} s"


def tail(text: str, lines: int = 25) -> str:
    kept = text.rstrip().splitlines()[-lines:]
    return "\n".join(f"    | {line}" for line in kept)


def source_version(root: Path) -> str:
    """`__version__` as written in src/cosynth/__init__.py: the one place it is set."""
    init = root / "src" / PACKAGE / "__init__.py"
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    raise CheckFailed(f"{init} sets no __version__ = '...' string.")


def copy_tree(root: Path, to: Path) -> int:
    """Copy the files git tracks or would track (not ignored ones); the number copied."""
    git = shutil.which("git")
    try:
        if git is None:
            raise OSError("git is not installed")
        listed = subprocess.run(  # noqa: S603 - git, no shell
            [git, "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True,
            check=True,
        ).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        # Not a git checkout (an unpacked sdist): what the build reads, less caches.
        shutil.copytree(
            root,
            to,
            ignore=shutil.ignore_patterns(
                ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "*.py[co]"
            ),
        )
        return sum(1 for path in to.rglob("*") if path.is_file())
    count = 0
    for name in filter(None, listed.split("\0")):
        source = root / name
        if source.is_file():  # a file deleted but not yet committed is still listed
            (to / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, to / name)
            count += 1
    return count


def wheel_contents(wheel: Path) -> dict[str, str]:
    """Each file of a wheel, less its .dist-info, with the SHA-256 of its bytes."""
    with zipfile.ZipFile(wheel) as archive:
        return {
            info.filename: hashlib.sha256(archive.read(info)).hexdigest()
            for info in archive.infolist()
            if not info.is_dir() and ".dist-info/" not in info.filename
        }


def compare_wheels(
    first: Mapping[str, str], second: Mapping[str, str], names: tuple[str, str]
) -> None:
    """CheckFailed naming each file only one wheel has, or that differs between them."""
    only_first = sorted(first.keys() - second.keys())
    only_second = sorted(second.keys() - first.keys())
    differ = sorted(name for name in first.keys() & second.keys() if first[name] != second[name])
    problems = [
        *(f"only in the {names[0]}: {name}" for name in only_first),
        *(f"only in the {names[1]}: {name}" for name in only_second),
        *(f"different bytes: {name}" for name in differ),
    ]
    if problems:
        raise CheckFailed(
            f"The {names[0]} and the {names[1]} do not hold the same files "
            "(a file missing from the sdist? see MANIFEST.in and package-data):\n"
            + "\n".join(f"    {line}" for line in problems[:40])
        )


def missing_from_wheel(source_files: Iterable[str], wheel_files: Iterable[str]) -> list[str]:
    """Files of the source package (paths like 'cosynth/web/static/x.css') the wheel lacks."""
    shipped = set(wheel_files)
    return sorted(
        name
        for name in source_files
        if name not in shipped
        and "__pycache__/" not in name
        and not name.endswith(NOT_SHIPPED_SUFFIXES)
    )


def package_files(tree: Path) -> list[str]:
    src = tree / "src"
    return [
        path.relative_to(src).as_posix() for path in (src / PACKAGE).rglob("*") if path.is_file()
    ]


def clean_environment(venv: Path) -> dict[str, str]:
    """This process's environment with the venv first on PATH and nothing pointing back here."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(DROPPED_ENV_PREFIXES)
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONNOUSERSITE"] = "1"
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - loopback http only
            return int(answer.status), answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def check_serve(cosynth: Path, database: Path, env: Mapping[str, str], cwd: Path) -> None:
    """`cosynth serve` (waitress, one process: the laptop path) answers its pages."""
    port = free_port()
    log = cwd / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(  # noqa: S603 - our own command, no shell
            [
                str(cosynth),
                "--db",
                str(database),
                "serve",
                "--port",
                str(port),
                "--insecure-cookies",
            ],
            cwd=cwd,
            env=dict(env),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _ = fetch(base + SERVED[0])
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise CheckFailed(
                        f"cosynth serve did not answer on {base}.\n"
                        + tail(log.read_text(errors="replace"))
                    ) from None
                time.sleep(0.3)
        for path in SERVED:
            status, body = fetch(base + path)
            if status != 200 or not body:
                raise CheckFailed(
                    f"cosynth serve answered {status} for {path} (a template or static "
                    "file missing from the wheel?).\n" + tail(log.read_text(errors="replace"))
                )
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def check(python: str, work: Path) -> None:
    started = time.monotonic()
    if find_spec("build") is None:
        raise CheckFailed(
            f"{sys.executable} has no `build` package: it comes with the dev extra "
            "(.venv/bin/pip install -e '.[dev]', or make test-package)."
        )
    version = source_version(ROOT)
    tree = work / "tree"
    copied = copy_tree(ROOT, tree)

    # 1. The release build (sdist, then the wheel from the sdist) and a wheel from the tree.
    step = time.monotonic()
    dist, direct = work / "dist", work / "from-tree"
    run(
        [sys.executable, "-m", "build", "--outdir", dist, tree],
        what="Building the sdist and its wheel",
    )
    run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", direct, tree],
        what="Building the wheel from the tree",
    )
    sdists = sorted(dist.glob("*.tar.gz"))
    wheels = sorted(dist.glob("*.whl"))
    tree_wheels = sorted(direct.glob("*.whl"))
    if len(sdists) != 1 or len(wheels) != 1 or len(tree_wheels) != 1:
        raise CheckFailed(
            f"Expected one sdist and one wheel in {dist}, found {sorted(dist.iterdir())}."
        )
    sdist, wheel = sdists[0], wheels[0]
    expected = f"{PACKAGE}-{version}"
    if not sdist.name.startswith(expected + ".") or not wheel.name.startswith(expected + "-"):
        raise CheckFailed(
            f"The files built are {sdist.name} and {wheel.name}, but src/cosynth/__init__.py "
            f"says __version__ = {version!r}: the version is not single-sourced."
        )
    say(f"  built {sdist.name} and {wheel.name} from {copied} files ({seconds(step)})")

    contents = wheel_contents(wheel)
    compare_wheels(
        contents,
        wheel_contents(tree_wheels[0]),
        ("wheel built from the sdist", "wheel built from the tree"),
    )
    missing = missing_from_wheel(package_files(tree), contents)
    if missing:
        raise CheckFailed(
            "The wheel lacks files of src/cosynth (add them to package-data in pyproject.toml):\n"
            + "\n".join(f"    {name}" for name in missing)
        )
    with tarfile.open(sdist) as archive:
        for carried in ("CHANGELOG.md", "LICENSE"):
            if f"{expected}/{carried}" not in archive.getnames():
                raise CheckFailed(f"{sdist.name} lacks {carried} (see MANIFEST.in).")
    # The MIT licence asks that its notice go with every copy (PEP 639 puts it here).
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    if not any(name.endswith(".dist-info/licenses/LICENSE") for name in names):
        raise CheckFailed(f"{wheel.name} lacks the LICENSE (license-files in pyproject.toml).")
    say(
        f"  the wheels from the sdist and from the tree hold the same {len(contents)} files,"
        " every file of src/cosynth among them"
    )

    # 2. A fresh venv, the bare wheel, no extras.
    step = time.monotonic()
    venv = work / "venv"
    run([python, "-m", "venv", venv], what=f"Making a virtual environment with {python}")
    env = clean_environment(venv)
    bin_ = venv / "bin"
    # --no-compile: pip would byte-compile all of numpy, scipy and scikit-learn (half the
    # install's time); the commands below compile only the modules they import.
    run(
        [bin_ / "python", "-m", "pip", "install", "--quiet", "--no-compile", wheel],
        what=f"pip install {wheel.name}",
        env=env,
        cwd=work,
    )
    say(
        f"  installed {wheel.name} (no extras) in a fresh venv made with {python} ({seconds(step)})"
    )

    # 3. Used from a folder outside the checkout.
    outside = work / "elsewhere"
    outside.mkdir()
    probe = (
        "import importlib.metadata as m, importlib.util as u, cosynth\n"
        "print(cosynth.__file__)\n"
        "print(cosynth.__version__)\n"
        "print(m.version('cosynth'))\n"
        f"print(' '.join(n for n in {sorted(EXTRA_MODULES)!r} if u.find_spec(n) is not None))\n"
    )
    found = run(
        [bin_ / "python", "-c", probe], what="Importing the installed cosynth", env=env, cwd=outside
    )
    where, module_version, metadata_version, extras = [*found.splitlines(), ""][:4]
    if not Path(where).resolve().is_relative_to(venv.resolve()):
        raise CheckFailed(f"cosynth was imported from {where}, not from the fresh venv.")
    if module_version != version or metadata_version != version:
        raise CheckFailed(
            f"Installed cosynth says __version__ {module_version!r} and its metadata "
            f"{metadata_version!r}; src/cosynth/__init__.py says {version!r}."
        )
    if extras.strip():
        named = ", ".join(f"{name} (the {EXTRA_MODULES[name]} extra)" for name in extras.split())
        raise CheckFailed(f"The bare wheel brought in {named}: a dependency pulls it in.")
    printed = run(
        [bin_ / "cosynth", "--version"], what="cosynth --version", env=env, cwd=outside
    ).strip()
    if printed != f"cosynth, version {version}":
        raise CheckFailed(
            f"cosynth --version printed {printed!r}, not 'cosynth, version {version}'."
        )
    say(f"  {printed}; the installed metadata agrees; no psycopg, redis, gunicorn or mkdocs")

    step = time.monotonic()
    demo = outside / "demo"
    run(
        [bin_ / "cosynth", "demo", "--out", demo, "--no-serve"],
        what="cosynth demo --out DIR --no-serve",
        env=env,
        cwd=outside,
        timeout=600,
    )
    absent = [
        name
        for name in DEMO_OUTPUTS
        if not (demo / name).is_file() or not (demo / name).stat().st_size
    ]
    if absent:
        raise CheckFailed("cosynth demo did not write: " + ", ".join(absent))
    say(
        "  cosynth demo --no-serve wrote the report, the PRISMA flow and the synthesis"
        f" ({seconds(step)})"
    )

    check_serve(bin_ / "cosynth", demo / "cosynth.db", env, outside)
    say(f"  cosynth serve answered {', '.join(SERVED)}")
    say(f"check-package: ok ({seconds(started)})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--python",
        default=shutil.which("python3.11") or shutil.which("python3") or sys.executable,
        help="the Python that makes the fresh venv (default: python3.11, else python3)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the work folder (else removed on success)"
    )
    options = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="cosynth-package-"))
    say(f"check-package: building and installing cosynth in {work}")
    try:
        check(options.python, work)
    except CheckFailed as failed:
        say(f"check-package: FAILED: {failed}")
        say(f"  (the work folder is kept: {work})")
        return 1
    if options.keep:
        say(f"  (the work folder is kept: {work})")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
