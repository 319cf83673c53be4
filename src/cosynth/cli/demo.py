"""`cosynth demo`: build the demo review in a folder of its own, then serve it on loopback."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from cosynth.cli.context import Context, pass_context
from cosynth.cli.output import out
from cosynth.errors import CosynthError, InputError
from cosynth.services.demo import (
    LEAD,
    DemoLogin,
    build_demo_review,
    build_worked_example_review,
    create_demo_accounts,
)
from cosynth.services.report import report_files as full_report_files
from cosynth.services.report_tables import report_files
from cosynth.services.reviews import review_status
from cosynth.services.worked_example import build_worked_example, load_worked_example
from cosynth.services.worked_synthesis import (
    build_worked_synthesis,
    load_worked_synthesis,
    worked_synthesis_files,
)
from cosynth.services.workspace import open_workspace

# Loopback only, always: the demo passwords are printed and written in the README.
DEMO_HOST = "127.0.0.1"
REPORT_FOLDER = "report"


@click.command()
@click.option(
    "--out",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo"),
    show_default=True,
    help="Folder for the demo database.",
)
@click.option(
    "--serve/--no-serve",
    default=True,
    show_default=True,
    help="Serve the web app on 127.0.0.1 once the demo is built.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="The port to serve the demo on.",
)
@pass_context
def demo(context: Context, folder: Path, serve: bool, port: int) -> None:
    """Build the demo review (the paper's question, a team, sample exports) in --out; serve it."""
    database = folder / "cosynth.db"
    if database.exists():
        raise InputError(
            f"{database} already exists. Remove the folder or choose another with --out."
        )
    folder.mkdir(parents=True, exist_ok=True)
    workspace = open_workspace(str(database), create=True)
    try:
        with workspace.transaction(LEAD) as tx:
            review, reports = build_demo_review(tx)
            status = review_status(tx, review.id)
            finished = build_worked_example_review(tx)
        # The worked example, in a review of its own: the paper's ten included
        # studies taken through screening, extraction and co-production scoring
        # by the demo team, so its flow is the example's alone.
        example = load_worked_example()
        studies = build_worked_example(workspace, finished.id, example, lead=LEAD)
        # Its synthesis: the advisory group, the translations, the theme tree and
        # the three new interpretations (conquer2024_synthesis.toml).
        synthesis = load_worked_synthesis(example)
        build_worked_synthesis(workspace, finished.id, studies, synthesis, lead=LEAD)
        with workspace.transaction(LEAD) as tx:
            written = report_files(tx, finished.id)
            synthesised = worked_synthesis_files(tx, finished.id, synthesis)
            # The whole report (HTML, Word, Markdown, the figures, the PRISMA flow) in report/.
            reported = {
                f"{REPORT_FOLDER}/{name}": data
                for name, data in full_report_files(tx, finished.id).items()
            }
        for name, data in {**written, **synthesised, **reported}.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        logins = create_demo_accounts(workspace)
    finally:
        workspace.close()
    out.print(f"[bold]Demo review built[/] in {database}")
    out.print(f"  {review.title}")
    for report in reports:
        out.print(
            f"  imported {report.records_imported:>3} records from {report.source.filename}"
            f" ({report.source.database}, {report.reader})"
        )
    out.print(f"  {status.records} records to screen, {status.members} team members (alice leads).")
    out.print(f"\n[bold]The worked example[/] (Conquer et al. 2024), review {finished.id}:")
    out.print(
        f"  {finished.title}: {len(studies)} included studies, "
        "screened, extracted, scored for co-production and synthesised by the team."
    )
    out.print(
        f"  Tables 2-5 and the link analysis written to {folder}: {', '.join(sorted(written))}"
    )
    out.print(
        "  Its synthesis (themes, translations, the advisory group and its roundtable), "
        f"written to {folder}: {', '.join(sorted(synthesised))}"
    )
    _print_command_line_tour(database, review.id, finished.id)
    _print_report(folder / REPORT_FOLDER)
    _print_logins(logins, f"http://{DEMO_HOST}:{port}/")
    if serve:
        _serve(context, database, port)


def _path_hint() -> str:
    """How to put `cosynth` on the path, when it is not there (as after `make demo`).

    Named from the interpreter running now, so it is right for a clone's
    .venv and for any other virtual environment the wheel went into.
    """
    if shutil.which("cosynth"):
        return ""
    activate = Path(sys.executable).parent / "activate"
    if activate.exists():
        return f"Put cosynth on your path first: . {_shown(activate)}"
    return f"Put cosynth on your path first: add {_shown(activate.parent)} to PATH"


def _shown(path: Path) -> str:
    """`path` relative to the working folder when it is inside it (.venv/bin/activate)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _print_command_line_tour(database: Path, demo_id: int, finished_id: int) -> None:
    out.print("\nLook around (the team: alice leads; bob and carol review; pat advises).")
    hint = _path_hint()
    if hint:
        out.print(hint)
    db = f"--db {database}"
    demo = f"{db} --review {demo_id}"
    done = f"{db} --review {finished_id}"
    out.print(f"  cosynth {demo} --as alice status")
    out.print(f"  cosynth {demo} --as alice records --search vole")
    out.print(f"  cosynth {demo} --as alice records show 1 --raw")
    out.print(f"  cosynth {demo} --as alice sources")
    out.print(f"  cosynth {demo} --as bob dedup")
    out.print(f"  cosynth {done} --as alice score")
    out.print(f"  cosynth {done} --as alice report tables --out demo/tables --format md")
    out.print(f"  cosynth {done} --as alice report build --out demo/my-report --format html")
    out.print(f"  cosynth {demo} --as alice export records --format csv -o demo/records.csv")


def _print_report(folder: Path) -> None:
    out.print(f"\n[bold]The worked example's full report[/] is in {folder}:")
    out.print(f"  {folder / 'report.html'}  (open it in a browser)")
    out.print(f"  {folder / 'report.docx'}  {folder / 'report.md'}")
    out.print(f"  {folder / 'prisma'}/  (the PRISMA flow: SVG, PNG, interactive HTML, CSV)")
    out.print(f"  {folder / 'figures'}/  (every figure as SVG and PNG)")


def _print_logins(logins: list[DemoLogin], url: str) -> None:
    out.print(f"\n[bold]The web app[/]: {url}")
    out.print("Sign in as (two browsers side by side, or a private window, for two people):")
    for login in logins:
        out.print(f"  {login.username:<6} {login.role.value:<9} password: {login.password}")


def _serve(context: Context, database: Path, port: int) -> None:
    """Run `cosynth serve` on the demo database: the web app is a plugin the CLI never imports."""
    click_context = click.get_current_context()
    root = click_context.find_root()
    assert isinstance(root.command, click.Group)
    serve = root.command.get_command(root, "serve")
    if serve is None:
        raise CosynthError(
            "The web app is not installed, so the demo cannot be served. "
            "Reinstall cosynth (pip install -e .) and run the demo again."
        )
    context.db = str(database)
    out.print("Plain http on loopback only, so the session cookies are sent without TLS.\n")
    click_context.invoke(serve, host=DEMO_HOST, port=port, insecure_cookies=True)
