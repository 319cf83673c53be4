"""`cosynth synthesis`: the meta-ethnography's phase log, concepts, coding, relating and grid."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from cosynth.cli import synthesis_themes
from cosynth.cli.context import Context
from cosynth.cli.extract import study_id
from cosynth.cli.output import out
from cosynth.domain.synthesis import (
    Coding,
    ConceptSource,
    ConstructOrder,
    OrderBasis,
    PassageKind,
    Phase,
    PhaseEventKind,
    Relation,
)
from cosynth.errors import InputError
from cosynth.services import coding as coding_service
from cosynth.services import concepts as concept_service
from cosynth.services import phases as phase_service
from cosynth.services import relating
from cosynth.services.studies import included_studies

PHASE = click.IntRange(1, 7)


def _context(ctx: click.Context) -> Context:
    found = ctx.find_object(Context)
    assert found is not None
    return found


@click.group()
def synthesis() -> None:
    """The meta-ethnography: phases, concepts, coding, how the studies relate, the grid."""


# -- phases


@synthesis.group()
def phase() -> None:
    """Noblit & Hare's seven phases (1-7): what each produced, when, by whom."""


def _log_phase(ctx: click.Context, number: int, kind: PhaseEventKind, text: str) -> None:
    with _context(ctx).review_tx() as (tx, review):
        event = phase_service.log_phase(tx, review.id, Phase(number), kind, text)
    out.print(f"Phase {event.phase.value} ({event.phase.title}): {kind.value}.")


@phase.command("start")
@click.argument("number", type=PHASE)
@click.option("--note", default="", help="What starting it involved.")
@click.pass_context
def phase_start(ctx: click.Context, number: int, note: str) -> None:
    """Start phase NUMBER."""
    _log_phase(ctx, number, PhaseEventKind.STARTED, note)


@phase.command("produce")
@click.argument("number", type=PHASE)
@click.argument("text")
@click.pass_context
def phase_produce(ctx: click.Context, number: int, text: str) -> None:
    """Log TEXT as something phase NUMBER produced (a note, a file, a decision)."""
    _log_phase(ctx, number, PhaseEventKind.PRODUCED, text)


@phase.command("complete")
@click.argument("number", type=PHASE)
@click.option("--note", default="", help="What completing it involved.")
@click.pass_context
def phase_complete(ctx: click.Context, number: int, note: str) -> None:
    """Complete phase NUMBER."""
    _log_phase(ctx, number, PhaseEventKind.COMPLETED, note)


@phase.command("reopen")
@click.argument("number", type=PHASE)
@click.option("--note", default="", help="Why it is reopened.")
@click.pass_context
def phase_reopen(ctx: click.Context, number: int, note: str) -> None:
    """Reopen completed phase NUMBER."""
    _log_phase(ctx, number, PhaseEventKind.REOPENED, note)


@phase.command("log")
@click.pass_context
def phase_log(ctx: click.Context) -> None:
    """Where each phase stands, and everything logged in it."""
    with _context(ctx).review_tx() as (tx, review):
        states = phase_service.phase_states(tx, review.id)
    table = Table("phase", "status", "when", "who", "what")
    for state in states:
        table.add_row(f"{state.phase.value}. {state.phase.title}", state.status.value, "", "", "")
        for event in state.events:
            table.add_row(
                "",
                event.kind.value,
                f"{event.at:%Y-%m-%d %H:%M}",
                escape(event.actor),
                escape(event.text),
            )
    out.print(table)


# -- concepts


@synthesis.group()
def concept() -> None:
    """Concepts in their source's own terms: a study's, the roundtable's, the team's own."""


@concept.command("add")
@click.argument("name")
@click.option(
    "--order",
    type=click.Choice([order.value for order in ConstructOrder]),
    help="first-order: participants' accounts; second-order: the authors'; third-order: "
    "the team's own (the default without --study or --roundtable).",
)
@click.option("--study", default=None, help="The study it is read in (record id or label).")
@click.option("--roundtable", "roundtable_id", type=int, help="The roundtable it is read in.")
@click.option("--description", default="", help="What the concept means, in a sentence or two.")
@click.pass_context
def concept_add(
    ctx: click.Context,
    name: str,
    order: str | None,
    study: str | None,
    roundtable_id: int | None,
    description: str,
) -> None:
    """Note a concept called NAME."""
    source = ConceptSource.REVIEW
    if study is not None:
        source = ConceptSource.STUDY
    elif roundtable_id is not None:
        source = ConceptSource.ROUNDTABLE
    if order is None and source is not ConceptSource.REVIEW:
        raise InputError("Say whether the concept is --order first-order or second-order.")
    with _context(ctx).review_tx() as (tx, review):
        added = concept_service.add_concept(
            tx,
            review.id,
            name,
            order=ConstructOrder(order or ConstructOrder.THIRD.value),
            source=source,
            description=description,
            record_id=study_id(tx, review.id, study) if study is not None else None,
            roundtable_id=roundtable_id,
        )
    out.print(f"Concept #{added.id} {escape(added.name)!r} ({added.order.value}) noted.")


@concept.command("list")
@click.option("--study", default=None, help="Only this study's (record id or label).")
@click.pass_context
def concept_list(ctx: click.Context, study: str | None) -> None:
    """The concepts noted so far."""
    with _context(ctx).review_tx() as (tx, review):
        record_id = study_id(tx, review.id, study) if study is not None else None
        found = concept_service.concepts(tx, review.id, record_id=record_id)
        coded = coding_service.codings(tx, review.id, record_id=record_id)
    if not found:
        out.print("No concepts yet.")
        return
    counts = {c.id: sum(1 for coding in coded if coding.concept_id == c.id) for c in found}
    table = Table("id", "concept", "order", "source", "codings")
    for item in found:
        source = item.source.value
        if item.record_id is not None:
            source = f"study {item.record_id}"
        elif item.roundtable_id is not None:
            source = f"roundtable {item.roundtable_id}"
        table.add_row(
            str(item.id), escape(item.name), item.order.value, source, str(counts[item.id])
        )
    out.print(table)


# -- coding


@synthesis.group()
def code() -> None:
    """Code a passage (a quote, a full text's page, pasted words) to a concept."""


def _coded(coding: Coding) -> None:
    page = f", page {coding.passage.page_label}" if coding.passage.page_label else ""
    out.print(
        f"Coding #{coding.id}: {escape(coding.passage.excerpt)!r} "
        f"({coding.passage.kind.value} {coding.passage.source_id}{escape(page)}) "
        f"to concept #{coding.concept_id}."
    )


@code.command("quote")
@click.argument("concept_id", type=int)
@click.argument("quote_id", type=int)
@click.option("--start", type=int, default=0, help="First character of the quote to code.")
@click.option("--end", type=int, default=None, help="Character after the last (default: all).")
@click.option("--note", default="", help="A note kept with the coding.")
@click.pass_context
def code_quote(
    ctx: click.Context, concept_id: int, quote_id: int, start: int, end: int | None, note: str
) -> None:
    """Code quote QUOTE_ID (or part of it) to concept CONCEPT_ID."""
    with _context(ctx).review_tx() as (tx, review):
        coded = coding_service.code_quote(
            tx, review.id, concept_id, quote_id, start=start, end=end, note=note
        )
    _coded(coded)


@code.command("page")
@click.argument("concept_id", type=int)
@click.argument("report_id", type=int)
@click.option("--pdf-page", type=int, required=True, help="The page's number in the PDF.")
@click.option("--start", type=int, required=True, help="First character on the page.")
@click.option("--end", type=int, required=True, help="Character after the last.")
@click.option("--note", default="", help="A note kept with the coding.")
@click.pass_context
def code_page(
    ctx: click.Context,
    concept_id: int,
    report_id: int,
    pdf_page: int,
    start: int,
    end: int,
    note: str,
) -> None:
    """Code characters START to END of a full text's page to concept CONCEPT_ID."""
    with _context(ctx).review_tx() as (tx, review):
        coded = coding_service.code_report_page(
            tx, review.id, concept_id, report_id, pdf_page=pdf_page, start=start, end=end, note=note
        )
    _coded(coded)


@code.command("excerpt")
@click.argument("concept_id", type=int)
@click.argument("words")
@click.option("--quote", "quote_id", type=int, help="Find the words in this quote.")
@click.option("--report", "report_id", type=int, help="Find them in this full text.")
@click.option("--transcript", "transcript_id", type=int, help="Find them in this transcript.")
@click.option("--page", type=int, help="Only on this PDF page (or transcript segment).")
@click.option("--note", default="", help="A note kept with the coding.")
@click.pass_context
def code_excerpt(
    ctx: click.Context,
    concept_id: int,
    words: str,
    quote_id: int | None,
    report_id: int | None,
    transcript_id: int | None,
    page: int | None,
    note: str,
) -> None:
    """Code WORDS, found in a quote, a full text or a transcript, to concept CONCEPT_ID."""
    given = [
        (kind, source)
        for kind, source in (
            (PassageKind.QUOTE, quote_id),
            (PassageKind.REPORT, report_id),
            (PassageKind.TRANSCRIPT, transcript_id),
        )
        if source is not None
    ]
    if len(given) != 1:
        raise InputError("Say where the words are: one of --quote, --report or --transcript.")
    kind, source_id = given[0]
    with _context(ctx).review_tx() as (tx, review):
        coded = coding_service.code_excerpt(
            tx,
            review.id,
            concept_id,
            kind=kind,
            source_id=source_id,
            excerpt=words,
            page=page,
            note=note,
        )
    _coded(coded)


@code.command("withdraw")
@click.argument("coding_id", type=int)
@click.option("--reason", default="", help="Why it is taken back (kept in the history).")
@click.pass_context
def code_withdraw(ctx: click.Context, coding_id: int, reason: str) -> None:
    """Take coding CODING_ID back (it stays in the history)."""
    with _context(ctx).review_tx() as (tx, review):
        coding_service.withdraw_coding(tx, review.id, coding_id, reason=reason)
    out.print(f"Coding #{coding_id} withdrawn.")


# -- relating, order, grid


@synthesis.command("relate")
@click.argument("relation", type=click.Choice([relation.value for relation in Relation]))
@click.argument("rationale")
@click.option("--study", "studies", multiple=True, help="A study it is about (default: all).")
@click.pass_context
def relate(ctx: click.Context, relation: str, rationale: str, studies: tuple[str, ...]) -> None:
    """Record how the studies relate (RELATION), and why (RATIONALE)."""
    with _context(ctx).review_tx() as (tx, review):
        judged = relating.judge_relation(
            tx,
            review.id,
            Relation(relation),
            rationale,
            record_ids=[study_id(tx, review.id, study) for study in studies],
        )
    which = "all the included studies" if not judged.record_ids else "the studies named"
    out.print(f"Judgement #{judged.id}: {which} relate as {judged.relation.value}.")


@synthesis.command("order")
@click.argument("basis", required=False, type=click.Choice([b.value for b in OrderBasis]))
@click.option("--index", "index_study", default=None, help="The index paper (translated first).")
@click.option("--study", "studies", multiple=True, help="By hand: every study, in order.")
@click.option("--why", default="", help="Why this order (it is reported).")
@click.pass_context
def order(
    ctx: click.Context,
    basis: str | None,
    index_study: str | None,
    studies: tuple[str, ...],
    why: str,
) -> None:
    """Set the order of translation by BASIS, or show it (without BASIS)."""
    with _context(ctx).review_tx() as (tx, review):
        if basis is not None:
            relating.set_translation_order(
                tx,
                review.id,
                OrderBasis(basis),
                index_record_id=study_id(tx, review.id, index_study) if index_study else None,
                record_ids=[study_id(tx, review.id, study) for study in studies],
                rationale=why,
            )
        current = relating.translation_order(tx, review.id)
        labels = {study.record_id: study.label for study in included_studies(tx, review.id)}
    out.print(f"The order of translation, by {current.basis.value}:")
    for position, record_id in enumerate(current.record_ids, start=1):
        index = " (index paper)" if record_id == current.index_record_id else ""
        out.print(f"  {position}. {escape(labels[record_id])}{index}")


@synthesis.command("grid")
@click.option(
    "--csv",
    "csv_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the grid to this CSV file.",
)
@click.option(
    "--xlsx",
    "xlsx_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the grid to this Excel file.",
)
@click.pass_context
def grid(ctx: click.Context, csv_file: Path | None, xlsx_file: Path | None) -> None:
    """The concept x study grid: shown, or written to a CSV or Excel file."""
    with _context(ctx).review_tx() as (tx, review):
        if csv_file is not None:
            csv_file.write_text(relating.concept_grid_csv(tx, review.id), encoding="utf-8")
        if xlsx_file is not None:
            xlsx_file.write_bytes(relating.concept_grid_xlsx(tx, review.id))
        shown = relating.concept_grid(tx, review.id)
    for written in (csv_file, xlsx_file):
        if written is not None:
            out.print(f"Wrote the concept grid to {written}.")
    if csv_file is not None or xlsx_file is not None:
        return
    if not shown.rows:
        out.print("No concepts yet.")
        return
    table = Table("concept", *(escape(label) for _, label in shown.studies))
    for row in shown.rows:
        table.add_row(
            escape(row.concept.name),
            *(
                escape("; ".join(cell.term for cell in row.cells.get(record_id, ())))
                for record_id, _ in shown.studies
            ),
        )
    out.print(table)


# Phases 5 and 6: translating, the theme tree, interpretations, resonance (cli/synthesis_themes.py).
synthesis.add_command(synthesis_themes.translate)
synthesis.add_command(synthesis_themes.theme)
synthesis.add_command(synthesis_themes.interpretation)
synthesis.add_command(synthesis_themes.resonance)
