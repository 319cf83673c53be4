"""The README's commands are ones cosynth runs.

- Every `cosynth ...` line of the README's shell blocks is parsed by the real
  command line: the command must exist, and so must each option and choice it
  names, with the right number of arguments. Only a file the reader brings
  (their own export, a PDF) may be missing here.
- Every `cosynth ...` the README's prose names inline is a command that exists,
  with options that exist.
- The "Two commands": `make demo` runs `cosynth demo --out demo`; here the
  README's `cosynth demo --out DIR --no-serve` builds the demo, the README's
  `cosynth --db demo/cosynth.db serve --insecure-cookies` serves it (on a free
  port), and each login of the README's table signs in.
"""

from __future__ import annotations

import html
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click
import httpx
import pytest

from cosynth.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def shell_lines() -> list[str]:
    """The README's shell blocks, a command a line (continuations joined)."""
    lines: list[str] = []
    for block in re.findall(r"^```sh\n(.*?)^```", README, re.M | re.S):
        lines += [line.strip() for line in re.sub(r"\\\n\s*", " ", block).splitlines()]
    return [line for line in lines if line]


def cosynth_lines() -> list[str]:
    return [line for line in shell_lines() if line.startswith("cosynth ")]


def inline_commands() -> list[str]:
    """`cosynth ...` in the README's prose (not `cosynth[team]`, an extra)."""
    spans = re.findall(r"`(cosynth [^`]+)`", README)
    return [" ".join(span.split()) for span in spans]


def words(line: str) -> list[str]:
    return shlex.split(line, comments=True)[1:]


def parse(args: list[str], *, complete: bool) -> None:
    """Parse `cosynth ARGS` as the command line would, invoking nothing.

    complete: the line is a whole command (a missing argument is an error); else a
    name in prose, which need only exist with the options it shows."""
    command: click.Command = cli
    ctx = cli.make_context("cosynth", list(args), resilient_parsing=not complete)
    while isinstance(command, click.Group):
        rest = [*ctx._protected_args, *ctx.args]
        if not rest:
            break
        _, found, rest = command.resolve_command(ctx, rest)
        assert found is not None
        command = found
        ctx = command.make_context(command.name, rest, parent=ctx, resilient_parsing=False)


def reader_brings_it(problem: click.BadParameter) -> bool:
    """The one error a line may give here: a file of the reader's own is not in this folder."""
    return "does not exist" in problem.format_message()


@pytest.mark.parametrize("line", cosynth_lines())
def test_it_runs_each_readme_command_line_through_the_real_parser(line: str) -> None:
    try:
        parse(words(line), complete=True)
    except click.BadParameter as problem:
        assert reader_brings_it(problem), f"{line}\n{problem.format_message()}"
    except click.ClickException as problem:
        pytest.fail(f"The README's line does not parse: {line}\n{problem.format_message()}")


@pytest.mark.parametrize("named", inline_commands())
def test_it_names_only_commands_and_options_that_exist(named: str) -> None:
    # A placeholder in prose (`--member ID`, `cosynth user add NAME`) stands for a value.
    args = ["1" if re.fullmatch(r"[A-Z]+", word) else word for word in words(named)]
    try:
        parse(args, complete=False)
    except click.MissingParameter:
        pass  # prose may name a command without its arguments
    except click.BadParameter as problem:
        assert reader_brings_it(problem), f"{named}\n{problem.format_message()}"
    except click.ClickException as problem:
        pytest.fail(f"The README names a command that does not parse: {named}\n{problem}")


def test_it_finds_the_commands_it_checks() -> None:
    assert len(cosynth_lines()) > 60
    assert "cosynth demo --out DIR --no-serve" in inline_commands()
    assert "cosynth --db demo/cosynth.db serve --insecure-cookies" in inline_commands()


def test_it_catches_an_option_that_does_not_exist() -> None:
    with pytest.raises(click.NoSuchOption):
        parse(words("cosynth screen vote 17 exclude --raeson x"), complete=True)
    with pytest.raises(click.UsageError):
        parse(words("cosynth dedup undoo 17"), complete=True)


def test_it_makes_the_demo_as_the_readme_says() -> None:
    """`make demo` is the README's first command: it builds with the same `cosynth demo`."""
    assert "make demo" in shell_lines()[0]
    recipe = re.search(r"^demo:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text("utf-8"), re.M)
    assert recipe and "cosynth demo --out demo" in recipe.group(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def logins() -> Iterator[tuple[str, str]]:
    """The README's table of demo logins: (username, password)."""
    yield from re.findall(r"^\| (\w+) \| [^|]+ \| `([^`]+)` \|$", README, re.M)


def wait_for(url: str, server: subprocess.Popen[str]) -> None:
    """Until the server answers (or has died); the test never asserts on how long it took."""
    for _ in range(600):
        assert server.poll() is None, server.communicate()[0]
        try:
            httpx.get(url, timeout=5)
            return
        except httpx.TransportError:
            time.sleep(0.5)
    pytest.fail(f"{url} never answered")


def sign_in(base: str, name: str, password: str) -> httpx.Response:
    with httpx.Client(base_url=base, timeout=60) as browser:
        form = browser.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token, "the sign-in form carries a CSRF token"
        sent = browser.post(
            "/login",
            data={
                "csrf_token": html.unescape(token.group(1)),
                "username": name,
                "password": password,
            },
        )
        assert sent.status_code == 303, f"{name} could not sign in with the README's password"
        return browser.get("/")


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("COSYNTH_TEST_DB", "sqlite").startswith("postgresql"),
    reason="the demo is a SQLite file of its own; run once, in the SQLite pass",
)
def test_it_builds_and_serves_the_demo_and_lets_each_readme_login_in(tmp_path: Path) -> None:
    cosynth = shutil.which("cosynth", path=str(Path(sys.executable).parent))
    assert cosynth, "the cosynth command is installed beside this Python"
    env = {key: value for key, value in os.environ.items() if not key.startswith("COSYNTH_")}
    built = subprocess.run(
        [cosynth, *(w.replace("DIR", "demo") for w in words("cosynth demo --out DIR --no-serve"))],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    assert (tmp_path / "demo" / "report" / "report.html").exists()
    for name, password in logins():
        assert name in built.stdout and password in built.stdout, "the demo prints its logins"

    port = free_port()
    serve = [cosynth, *words("cosynth --db demo/cosynth.db serve --insecure-cookies")]
    server = subprocess.Popen(
        [*serve, "--port", str(port)], cwd=tmp_path, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/login", server)
        people = dict(logins())
        assert set(people) == {"alice", "bob", "carol", "pat"}
        for name, password in people.items():
            home = sign_in(base, name, password)
            assert home.status_code == 200 and "My reviews" in home.text
            assert "(the worked example, finished)" in home.text
        pat = sign_in(base, "pat", people["pat"])
        assert 'class="adviser-mode"' in pat.text, "pat has adviser mode on, as the README says"
    finally:
        server.terminate()
        server.wait(timeout=60)
