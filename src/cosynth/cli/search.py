"""`cosynth search`: the question by framework, the strategy's blocks and terms, its
translation into each database's syntax, and the search log."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from cosynth.cli.context import Context
from cosynth.cli.output import out
from cosynth.domain.search import (
    DEFAULT_FIELDS,
    Database,
    Field,
    Severity,
    TermKind,
    Translation,
    Vocabulary,
    database_named,
)
from cosynth.services import question as question_service
from cosynth.services import search_log as log_service
from cosynth.services import strategy as strategy_service


def _context(ctx: click.Context) -> Context:
    found = ctx.find_object(Context)
    assert found is not None
    return found


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2022-03-31.") from None


def _database(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Database | None:
    return database_named(value) if value else None


@click.group()
def search() -> None:
    """The question, the search strategy, its strings for each database, the search log."""


# --- the question


@search.group("question")
def question() -> None:
    """The review's question, built with a framework (SPICE, SPICES, SPIDER, PICO, PICo, PEO)."""


@question.command("frameworks")
def frameworks() -> None:
    """The frameworks cosynth knows, with their elements."""
    for framework in question_service.available_frameworks():
        out.print(f"[bold]{escape(framework.id)}[/]: {escape(framework.title)}")
        for element in framework.elements:
            searched = "" if element.searched else " (not searched)"
            out.print(
                f"  {element.key}: {escape(element.name)}{searched} - {escape(element.prompt)}"
            )


@question.command("set")
@click.option(
    "--framework",
    "framework_id",
    default="spices",
    show_default=True,
    help="The question framework (see `cosynth search question frameworks`).",
)
@click.option(
    "--framework-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The review's own framework (a TOML file laid out like the built-in ones).",
)
@click.option(
    "--element",
    "elements",
    multiple=True,
    metavar="KEY=TEXT",
    help='One element\'s answer, e.g. --element setting="Integrated care" (repeat).',
)
@click.option("--question", "text", required=True, help="The research question itself.")
@click.pass_context
def set_question(
    ctx: click.Context,
    framework_id: str,
    framework_file: Path | None,
    elements: tuple[str, ...],
    text: str,
) -> None:
    """Set the question (a new version; the earlier ones are kept)."""
    answers: dict[str, str] = {}
    for element in elements:
        key, sep, value = element.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{element!r} should look like setting='Integrated care'.")
        answers[key.strip()] = value
    own = (framework_file.name, framework_file.read_bytes()) if framework_file else None
    with _context(ctx).review_tx() as (tx, review):
        set_ = question_service.set_question(
            tx, review.id, framework_id, answers, text=text, framework_file=own
        )
    out.print(f"Question version {set_.version} set with {escape(set_.framework_name)}.")


@question.command("show")
@click.pass_context
def show_question(ctx: click.Context) -> None:
    """The question and its framework as the paper's Table 1."""
    with _context(ctx).review_tx() as (tx, review):
        table = question_service.table_one(tx, review.id)
        current = question_service.current_question(tx, review.id)
    assert current is not None
    grid = Table(title=table.caption)
    grid.add_column(table.heading_label)
    grid.add_column(table.concept_label)
    for row in table.rows:
        grid.add_row(escape(row.heading), escape(row.concept))
    out.print(grid)
    out.print(f"Research question: {escape(table.question)}")
    out.print(f"(version {current.version}, set by {escape(current.set_by)})")


# --- blocks and terms


@search.group("block")
def block() -> None:
    """Concept blocks: their terms are OR'd, the blocks AND'ed, an exclusion NOT'ed."""


@block.command("add")
@click.argument("label")
@click.option("--element", default="", help="The framework element it searches (e.g. setting).")
@click.option("--exclude", is_flag=True, help="Exclude what it finds (NOT): use with care.")
@click.pass_context
def add_block(ctx: click.Context, label: str, element: str, exclude: bool) -> None:
    """Add a block called LABEL."""
    with _context(ctx).review_tx() as (tx, review):
        added = strategy_service.add_block(
            tx, review.id, label, element_key=element, exclude=exclude
        )
    out.print(f"Block {added.id} added: {escape(added.label)}.")


@block.command("from-question")
@click.pass_context
def blocks_from_question(ctx: click.Context) -> None:
    """One block for each searched element of the question."""
    with _context(ctx).review_tx() as (tx, review):
        added = strategy_service.blocks_from_question(tx, review.id)
    for found in added:
        out.print(f"Block {found.id} added: {escape(found.label)}.")
    if not added:
        out.print("Every searched element has a block already.")


@block.command("remove")
@click.argument("block_id", type=int)
@click.pass_context
def remove_block(ctx: click.Context, block_id: int) -> None:
    """Remove block BLOCK_ID (kept in the history)."""
    with _context(ctx).review_tx() as (tx, review):
        strategy_service.remove_block(tx, review.id, block_id)
    out.print(f"Block {block_id} removed.")


@search.group("term")
def term() -> None:
    """Terms of a block: keywords, phrases and headings, with who suggested them."""


@term.command("add")
@click.argument("block_id", type=int)
@click.argument("text")
@click.option("--phrase", is_flag=True, help="Search the words together, as a phrase.")
@click.option(
    "--heading",
    type=click.Choice([v.name for v in Vocabulary], case_sensitive=False),
    help="A controlled heading from MESH or CINAHL (Subject Headings).",
)
@click.option("--no-explode", is_flag=True, help="A heading without the narrower ones under it.")
@click.option("--truncate", is_flag=True, help="Any ending of the last word (coproduc*).")
@click.option("--near", type=int, help="The words within N words of each other.")
@click.option(
    "--field",
    "fields",
    multiple=True,
    type=click.Choice([f.value for f in Field]),
    help="Where to search (repeat); title and abstract when not given.",
)
@click.option("--suggested-by-member", type=int, help="The advisory-group member who suggested it.")
@click.option("--suggested-by", default="", help="The team member (username) who suggested it.")
@click.option("--note", default="", help="A note kept with the term.")
@click.pass_context
def add_term(
    ctx: click.Context,
    block_id: int,
    text: str,
    phrase: bool,
    heading: str | None,
    no_explode: bool,
    truncate: bool,
    near: int | None,
    fields: tuple[str, ...],
    suggested_by_member: int | None,
    suggested_by: str,
    note: str,
) -> None:
    """Add TEXT to block BLOCK_ID."""
    if heading:
        kind = TermKind.HEADING
    elif phrase or near is not None:
        kind = TermKind.PHRASE
    else:
        kind = TermKind.KEYWORD
    with _context(ctx).review_tx() as (tx, review):
        added = strategy_service.add_term(
            tx,
            review.id,
            block_id,
            text,
            kind=kind,
            truncated=truncate,
            proximity=near,
            fields=frozenset(Field(f) for f in fields) or DEFAULT_FIELDS,
            vocabulary=Vocabulary[heading.upper()] if heading else None,
            explode=not no_explode,
            suggested_by_member=suggested_by_member,
            suggested_by_username=suggested_by,
            note=note,
        )
    out.print(f"Term {added.id} added: {escape(added.describe())}.")


@term.command("remove")
@click.argument("term_id", type=int)
@click.option("--reason", default="", help="Why it is taken out (kept in the history).")
@click.pass_context
def remove_term(ctx: click.Context, term_id: int, reason: str) -> None:
    """Take term TERM_ID out of its block (kept in the history)."""
    with _context(ctx).review_tx() as (tx, review):
        strategy_service.remove_term(tx, review.id, term_id, reason=reason)
    out.print(f"Term {term_id} removed.")


@search.command("limits")
@click.option("--from", "start", callback=_date, help="Published on or after (YYYY-MM-DD).")
@click.option("--to", "end", callback=_date, help="Published on or before (YYYY-MM-DD).")
@click.pass_context
def limits(ctx: click.Context, start: date | None, end: date | None) -> None:
    """Set the publication dates searched (the paper: --from 2012-03-01 --to 2022-03-31)."""
    with _context(ctx).review_tx() as (tx, review):
        found = strategy_service.set_date_limits(tx, review.id, start, end)
    out.print(f"Date limits: {found.describe()}.")


@search.command("show")
@click.pass_context
def show(ctx: click.Context) -> None:
    """The strategy: blocks, their terms and who suggested them, the date limits."""
    with _context(ctx).review_tx() as (tx, review):
        found = strategy_service.get_strategy(tx, review.id)
    if not found.blocks:
        out.print(
            "No blocks yet: `cosynth search block from-question` or `cosynth search block add`."
        )
    for number, shown in enumerate(found.blocks, 1):
        how = "NOT" if shown.exclude else ("AND" if number > 1 else "")
        out.print(
            f"[bold]{how} Block {shown.id}: {escape(shown.label)}[/]".replace("[bold] ", "[bold]")
        )
        for index, item in enumerate(shown.terms):
            who = f" (suggested by {escape(item.suggested_by.label)})" if item.suggested_by else ""
            joiner = "OR " if index else "   "
            out.print(f"  {joiner}#{item.id} {escape(item.describe())}{who}")
    out.print(f"Date limits: {found.limits.describe()}.")


# --- translation


def _print_translation(translation: Translation) -> None:
    out.print(f"[bold]{escape(translation.database.label)}[/]")
    if translation.ok:
        out.print(escape(translation.string))
    for limiter in translation.limiters:
        out.print(f"[cyan]Set the limiter[/] {escape(limiter)}")
    for warning in translation.warnings:
        out.print(f"[yellow]Warning:[/] {escape(warning)}")
    for problem in translation.errors:
        out.print(f"[red]Cannot write it:[/] {escape(problem)}")


@search.command("translate")
@click.argument("databases", nargs=-1)
@click.pass_context
def translate(ctx: click.Context, databases: tuple[str, ...]) -> None:
    """The strategy in the syntax of DATABASES (all six when none are named):
    pubmed, ovid-medline, cinahl, wos, scopus, europepmc."""
    wanted = [database_named(name) for name in databases] or list(Database)
    with _context(ctx).review_tx() as (tx, review):
        found = [strategy_service.translate_strategy(tx, review.id, d) for d in wanted]
    for index, translation in enumerate(found):
        if index:
            out.print()
        _print_translation(translation)
    if not all(t.ok for t in found):
        sys.exit(1)


@search.command("check")
@click.argument("database")
@click.argument("string")
def check(database: str, string: str) -> None:
    """Check STRING as a search of DATABASE: brackets, quotes, operators, limits."""
    found = strategy_service.validate_string(database_named(database), string)
    for problem in found:
        colour = "red" if problem.severity is Severity.ERROR else "yellow"
        out.print(f"[{colour}]{problem.severity.value.capitalize()}:[/] {escape(problem.message)}")
    if not found:
        out.print("No problems found.")
    if any(p.severity is Severity.ERROR for p in found):
        sys.exit(1)


# --- the search log


@search.group("log")
def log() -> None:
    """The search log: each search as run, per database (PRISMA-S)."""


@log.command("add")
@click.argument("database")
@click.option("--run-on", callback=_date, required=True, help="The date it was run (YYYY-MM-DD).")
@click.option("--string", "string", default=None, help="The exact string as run.")
@click.option(
    "--string-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file holding the exact string (an Ovid strategy's lines).",
)
@click.option("--platform", default="", help="The platform it was run on, e.g. Ovid, EBSCOhost.")
@click.option("--limits", default="", help="The limits applied, in words.")
@click.option("--hits", type=int, help="The number of records the database reported.")
@click.option(
    "--source", "source_id", type=int, help="The import of its records (see `cosynth sources`)."
)
@click.option("--note", default="", help="A note kept with the search.")
@click.pass_context
def add_log(
    ctx: click.Context,
    database: str,
    run_on: date,
    string: str | None,
    string_file: Path | None,
    platform: str,
    limits: str,
    hits: int | None,
    source_id: int | None,
    note: str,
) -> None:
    """Log a search of DATABASE (one of cosynth's six, or any other by name)."""
    text = string_file.read_text(encoding="utf-8") if string_file else (string or "")
    with _context(ctx).review_tx() as (tx, review):
        entry = log_service.log_search(
            tx, review.id, database, run_on=run_on, string=text, platform=platform,
            limits=limits, hits=hits, source_id=source_id, note=note,
        )  # fmt: skip
    out.print(f"Search {entry.id} logged: {escape(entry.database)}, {entry.run_on.isoformat()}.")
    for warning in entry.warnings:
        out.print(f"[yellow]Check:[/] {escape(warning)}")


@log.command("link")
@click.argument("entry_id", type=int)
@click.argument("source_id", type=int)
@click.pass_context
def link(ctx: click.Context, entry_id: int, source_id: int) -> None:
    """Link logged search ENTRY_ID to the import SOURCE_ID of its records."""
    with _context(ctx).review_tx() as (tx, review):
        log_service.link_source(tx, review.id, entry_id, source_id)
    out.print(f"Search {entry_id} linked to source {source_id}.")


@log.command("export")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The CSV file to write.",
)
@click.pass_context
def export_log(ctx: click.Context, output: Path) -> None:
    """Write the search log as CSV (one row per search, PRISMA-S's columns)."""
    with _context(ctx).review_tx() as (tx, review):
        data = log_service.search_log_csv(tx, review.id)
    output.write_bytes(data)
    out.print(f"The search log is written to {escape(str(output))}.")


@block.command("revise")
@click.argument("block_id", type=int)
@click.option("--label", default=None, help="A new name for the block.")
@click.option("--exclude/--include", default=None, help="Make it an exclusion (NOT), or not.")
@click.option("--position", type=int, default=None, help="Where it stands among the blocks.")
@click.pass_context
def revise_block(
    ctx: click.Context,
    block_id: int,
    label: str | None,
    exclude: bool | None,
    position: int | None,
) -> None:
    """Rename, move or (un)exclude block BLOCK_ID (the old details are kept)."""
    with _context(ctx).review_tx() as (tx, review):
        found = strategy_service.revise_block(
            tx, review.id, block_id, label=label, exclude=exclude, position=position
        )
    out.print(f"Block {found.id}: {escape(found.label)}{' (excluded)' if found.exclude else ''}.")


@log.command("list")
@click.option("--strings", is_flag=True, help="Show each exact string too.")
@click.pass_context
def list_log(ctx: click.Context, strings: bool) -> None:
    """Every logged search, by date, with the counts per database."""
    with _context(ctx).review_tx() as (tx, review):
        entries = log_service.search_log(tx, review.id)
        counts = log_service.database_counts(tx, review.id)
    if not entries:
        out.print("No searches logged yet.")
        return
    grid = Table()
    for column in ("#", "Database", "Platform", "Run on", "Limits", "Hits", "Sources"):
        grid.add_column(column)
    for entry in entries:
        grid.add_row(
            str(entry.id), escape(entry.database), escape(entry.platform),
            entry.run_on.isoformat(), escape(entry.limits),
            "" if entry.hits is None else f"{entry.hits:,}",
            ", ".join(map(str, entry.source_ids)),
        )  # fmt: skip
    out.print(grid)
    if strings:
        for entry in entries:
            out.print(f"[bold]#{entry.id} {escape(entry.database)}[/]\n{escape(entry.string)}")
    totals = Table(title="Per database")
    for column in ("Database", "Searches", "Hits reported", "Records imported"):
        totals.add_column(column)
    for count in counts:
        totals.add_row(
            escape(count.database), str(count.searches),
            "" if count.hits is None else f"{count.hits:,}", f"{count.records_imported:,}",
        )  # fmt: skip
    out.print(totals)
