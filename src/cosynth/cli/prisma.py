"""`cosynth prisma`: the review's PRISMA 2020 flow, drawn and written; `check` for one typed in."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.table import Table

from cosynth.cli.context import Context
from cosynth.cli.output import out
from cosynth.domain.prisma import BOX_NAMES, LISTS, check_flow
from cosynth.errors import InputError
from cosynth.services import prisma as prisma_service

_FILE = click.Path(dir_okay=False, path_type=Path)


class _DrawByDefault(click.Group):
    """`cosynth prisma [REVIEW] --svg F` draws; `check` and `template` are commands of their own."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["draw", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DrawByDefault)
def prisma() -> None:
    """The PRISMA 2020 flow: drawn from the review's data, or checked when typed by hand.

    \b
    cosynth prisma [REVIEW] --svg flow.svg --png flow.png --html flow.html --csv flow.csv
    cosynth prisma check reported.csv     # each sum that does not add up, one a line
    cosynth prisma template -o flow.csv   # the PRISMA2020 template to fill in
    """


@prisma.command("draw", hidden=True)
@click.argument("review_id", metavar="[REVIEW]", type=int, required=False)
@click.option("--svg", "svg_path", type=_FILE, help="Write the diagram as SVG (words outlined).")
@click.option("--png", "png_path", type=_FILE, help="Write the diagram as PNG.")
@click.option(
    "--html", "html_path", type=_FILE, help="Write the page where each box opens its records."
)
@click.option("--csv", "csv_path", type=_FILE, help="Write the numbers in the PRISMA2020 template.")
@click.pass_context
def draw(
    ctx: click.Context,
    review_id: int | None,
    svg_path: Path | None,
    png_path: Path | None,
    html_path: Path | None,
    csv_path: Path | None,
) -> None:
    """The review's flow, every number counted from its data; shown, or written to files."""
    context = ctx.find_object(Context)
    assert context is not None
    if review_id is not None:
        context.review_id = review_id
    given = (("svg", svg_path), ("png", png_path), ("html", html_path), ("csv", csv_path))
    wanted = {name: path for name, path in given if path is not None}
    with context.review_tx() as (tx, review):
        flow = prisma_service.prisma_flow(tx, review.id)
        written = prisma_service.prisma_files(tx, review.id, list(wanted)) if wanted else {}
    for name, path in wanted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(written[name])
        out.print(f"Wrote {path}")
    if wanted:
        return
    table = Table(title=f"PRISMA 2020 flow of review {review.id}: {review.title}")
    table.add_column("Box")
    table.add_column("n", justify="right")
    for key, name in BOX_NAMES.items():
        value = getattr(flow, key)
        if key in LISTS:
            for count in value:
                table.add_row(f"  {count.label or '(reason not given)'}", f"{count.n:,}")
        elif value is not None and (value or not key.startswith(("previous", "total"))):
            table.add_row(name, f"{value:,}")
    out.print(table)
    problems = check_flow(flow)
    if problems:
        out.print("The flow does not add up yet:")
        for problem in problems:
            out.print(f"  {problem.message}", markup=False)


@prisma.command("check")
@click.argument("flow_file", metavar="FLOW.csv", type=click.Path(dir_okay=False, path_type=Path))
def check(flow_file: Path) -> None:
    """Check a flow typed into the PRISMA2020 template: exit 1, naming each sum that fails."""
    if not flow_file.exists():
        raise InputError(f"{flow_file}: there is no such file.")
    _, problems = prisma_service.check_flow_file(flow_file.name, flow_file.read_bytes())
    if not problems:
        out.print(f"{flow_file.name}: every box adds up.")
        return
    for problem in problems:
        click.echo(problem.message)
    sys.exit(1)


@prisma.command("template")
@click.option("-o", "--out", "path", type=_FILE, required=True, help="Where to write it.")
def template(path: Path) -> None:
    """Write the PRISMA2020 template with every box 0, to fill in and `cosynth prisma check`."""
    path.write_bytes(prisma_service.flow_template())
    out.print(f"Wrote {path}")
