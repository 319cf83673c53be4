"""`cosynth extract`: the extraction form, each extractor's values, comparison and consensus."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from cosynth.cli.context import Context
from cosynth.cli.output import out
from cosynth.domain.extraction import (
    ExtractionForm,
    FieldKind,
    FormFeedback,
    FormField,
    StudyExtraction,
    format_value,
)
from cosynth.errors import InputError
from cosynth.services import extraction as extraction_service
from cosynth.services.studies import included_studies
from cosynth.services.workspace import Tx


def _context(ctx: click.Context) -> Context:
    found = ctx.find_object(Context)
    assert found is not None
    return found


def study_id(tx: Tx, review_id: int, reference: str) -> int:
    """A study named by record id or by its label ("Smith 2019")."""
    if reference.strip().isdigit():
        return int(reference)
    studies = included_studies(tx, review_id)
    for study in studies:
        if study.label.casefold() == reference.strip().casefold():
            return study.record_id
    labels = ", ".join(study.label for study in studies) or "none yet"
    raise InputError(f"No included study is labelled {reference!r} (the studies: {labels}).")


def _write(text: str, output: Path | None, what: str) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    out.print(f"Wrote {what} to {output}.")


@click.group()
def extract() -> None:
    """Data extraction: the form, your values per study, comparison, consensus, export."""


# The form


@extract.group()
def form() -> None:
    """The extraction form: show, import, export; comment, propose, accept, decline."""


@form.command("show")
@click.option("--version", "version", type=int, help="An earlier version (default: the latest).")
@click.pass_context
def show_form(ctx: click.Context, version: int | None) -> None:
    """The form's fields, with the comments and proposals made on it."""
    with _context(ctx).review_tx() as (tx, review):
        shown = (
            extraction_service.current_form(tx, review.id)
            if version is None
            else extraction_service.form_version(tx, review.id, version)
        )
        feedback = extraction_service.form_feedback(tx, review.id)
    _print_form(shown)
    if feedback:
        out.print("")
        out.print("Comments and proposals:")
        for item in feedback:
            out.print("  " + _feedback_line(item), markup=False)


def _print_form(shown: ExtractionForm) -> None:
    saved = f", saved by {shown.saved_by}" if shown.saved_by else ""
    out.print(f"{shown.title} (version {shown.version}{saved})", markup=False)
    table = Table("key", "question", "kind", "required", "choices / sub-fields", "proposed by")
    for f in shown.fields:
        table.add_row(
            f.key,
            escape(f.label) + (f"\n[dim]{escape(f.help)}[/]" if f.help else ""),
            f.kind.label,
            "yes" if f.required else "",
            escape(_choices(f)),
            escape(f.proposed_by),
        )
    out.print(table)


def _choices(f: FormField) -> str:
    if f.kind is FieldKind.GROUP:
        return "; ".join(f"{sub.key} ({sub.kind.label})" for sub in f.fields)
    return "; ".join(f.choices)


def _feedback_line(item: FormFeedback) -> str:
    about = f" on {item.field_key!r}" if item.field_key else " on the form"
    text = f": {item.text}" if item.text else ""
    if item.decision is None:
        state = " [open]" if item.open else ""
    elif item.decision.accepted:
        state = f" [accepted into version {item.decision.form_version}]"
    else:
        state = f" [declined: {item.decision.reason}]"
    return f"#{item.id} {item.by}, {item.kind.value}{about}{text}{state}"


@form.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--note", default="", help="What changed, kept with the version.")
@click.pass_context
def import_form(ctx: click.Context, file: Path, note: str) -> None:
    """Save the form in FILE (TOML) as the next version (the lead)."""
    text = file.read_text(encoding="utf-8-sig")
    with _context(ctx).review_tx() as (tx, review):
        saved = extraction_service.import_form(tx, review.id, text, file.name, note=note)
    out.print(f"Saved the extraction form as version {saved.version}: {len(saved.fields)} fields.")


@form.command("export")
@click.option("--version", "version", type=int, help="An earlier version (default: the latest).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write it to this file (default: print it).",
)
@click.pass_context
def export_form(ctx: click.Context, version: int | None, output: Path | None) -> None:
    """The form as TOML (to edit and import again)."""
    with _context(ctx).review_tx() as (tx, review):
        text = extraction_service.form_toml(tx, review.id, version)
    _write(text, output, "the form")


@form.command("comment")
@click.argument("field_key")
@click.argument("text")
@click.pass_context
def comment(ctx: click.Context, field_key: str, text: str) -> None:
    """Comment on the field FIELD_KEY ("-" for the form as a whole)."""
    key = "" if field_key == "-" else field_key
    with _context(ctx).review_tx() as (tx, review):
        made = extraction_service.comment_on_field(tx, review.id, key, text)
    out.print(f"Comment #{made.id} kept; the lead will read it.")


@form.command("propose")
@click.argument("key")
@click.option("--label", required=True, help="The question, as people will read it.")
@click.option(
    "--kind",
    type=click.Choice([kind.value for kind in FieldKind if kind is not FieldKind.GROUP]),
    default=FieldKind.TEXT.value,
    show_default=True,
    help="What kind of answer the field takes.",
)
@click.option("--choice", "choices", multiple=True, help="A choice (repeat for each).")
@click.option("--help-text", default="", help="Guidance for the extractors.")
@click.option("--required", is_flag=True, help="Propose that every extraction must fill the field.")
@click.option("--why", default="", help="Why the field is needed.")
@click.pass_context
def propose(
    ctx: click.Context,
    key: str,
    label: str,
    kind: str,
    choices: tuple[str, ...],
    help_text: str,
    required: bool,
    why: str,
) -> None:
    """Propose a new field KEY (or a change to the field KEY)."""
    proposed = FormField(
        key=key,
        label=label,
        kind=FieldKind(kind),
        help=help_text,
        required=required,
        choices=choices,
    )
    with _context(ctx).review_tx() as (tx, review):
        made = extraction_service.propose_field(tx, review.id, proposed, why=why)
    out.print(f"Proposal #{made.id} ({made.kind.value} {key!r}) kept; the lead will answer it.")


@form.command("accept")
@click.argument("proposal_id", type=int)
@click.option("--note", default="", help="A note for the new version of the form (what changed).")
@click.pass_context
def accept(ctx: click.Context, proposal_id: int, note: str) -> None:
    """Accept proposal PROPOSAL_ID into a new version of the form (the lead)."""
    with _context(ctx).review_tx() as (tx, review):
        saved = extraction_service.accept_proposal(tx, review.id, proposal_id, note=note)
    out.print(f"Accepted: the form is now version {saved.version}.")


@form.command("decline")
@click.argument("proposal_id", type=int)
@click.option("--reason", required=True, help="Why; the proposer will read it.")
@click.pass_context
def decline(ctx: click.Context, proposal_id: int, reason: str) -> None:
    """Decline proposal PROPOSAL_ID, saying why (the lead)."""
    with _context(ctx).review_tx() as (tx, review):
        extraction_service.decline_proposal(tx, review.id, proposal_id, reason=reason)
    out.print(f"Declined proposal #{proposal_id}.")


# Values


@extract.command("set")
@click.argument("study")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def set_values(ctx: click.Context, study: str, file: Path) -> None:
    """Enter your values for STUDY (record id or label) from FILE (.toml or .csv)."""
    data = file.read_bytes()
    with _context(ctx).review_tx() as (tx, review):
        record_id = study_id(tx, review.id, study)
        added = extraction_service.set_values_from_file(tx, review.id, record_id, data, file.name)
    if added:
        out.print(f"Kept {len(added)} values: {', '.join(v.field_key for v in added)}.")
    else:
        out.print("Nothing changed: every value was already as given.")


@extract.command("done")
@click.argument("study")
@click.pass_context
def done(ctx: click.Context, study: str) -> None:
    """Mark your extraction of STUDY done (other extractors' values show once both are done)."""
    with _context(ctx).review_tx() as (tx, review):
        found = extraction_service.mark_done(tx, review.id, study_id(tx, review.id, study))
    out.print(f"Marked {found.label} done.")
    if not found.complete:
        out.print("The other extractor's values stay hidden until they have marked it done too.")


@extract.command("show")
@click.argument("study")
@click.pass_context
def show(ctx: click.Context, study: str) -> None:
    """STUDY's values as you may see them (yours; others' once both are done)."""
    with _context(ctx).review_tx() as (tx, review):
        found = extraction_service.study_extraction(tx, review.id, study_id(tx, review.id, study))
    _print_extraction(found, only_differing=False)


@extract.command("compare")
@click.argument("study")
@click.option("--all", "show_all", is_flag=True, help="Every field, not only those that differ.")
@click.pass_context
def compare(ctx: click.Context, study: str, show_all: bool) -> None:
    """The two extractors' values on STUDY side by side: the fields where they differ."""
    with _context(ctx).review_tx() as (tx, review):
        found = extraction_service.compare_extractions(
            tx, review.id, study_id(tx, review.id, study)
        )
    _print_extraction(found, only_differing=not show_all)


def _print_extraction(found: StudyExtraction, *, only_differing: bool) -> None:
    shown = [name for name in found.extractors if name not in found.hidden]
    done = ", ".join(found.done_by) or "no one"
    out.print(f"{found.label} (record {found.record_id}); done: {done}", markup=False)
    if found.hidden:
        out.print(f"[dim]Hidden until both are done: {', '.join(found.hidden)}.[/]")
    fields = found.differing if only_differing else found.fields
    if only_differing:
        out.print(f"{len(fields)} of {len(found.fields)} fields differ.")
    table = Table("field", *shown, "consensus")
    for f in fields:
        values = dict(f.values)
        agreed = ""
        if f.consensus is not None:
            value = escape(format_value(f.field, f.consensus.value))
            agreed = f"{value} [dim]({f.consensus.method})[/]"
        table.add_row(
            f.field.key,
            *(escape(format_value(f.field, values[name])) for name in shown),
            agreed,
        )
    out.print(table)


@extract.command("agree")
@click.argument("study")
@click.argument("field_key")
@click.argument("value")
@click.option("--note", default="", help="How the value was settled.")
@click.pass_context
def agree(ctx: click.Context, study: str, field_key: str, value: str, note: str) -> None:
    """Record the consensus VALUE of FIELD_KEY for STUDY (the lead)."""
    with _context(ctx).review_tx() as (tx, review):
        made = extraction_service.record_consensus(
            tx, review.id, study_id(tx, review.id, study), field_key, value, note=note
        )
    out.print(f"Consensus on {made.field_key!r} recorded.")


@extract.command("status")
@click.pass_context
def status(ctx: click.Context) -> None:
    """Each included study: who has extracted it, who is done, how many fields differ."""
    with _context(ctx).review_tx() as (tx, review):
        studies = extraction_service.extraction_overview(tx, review.id)
    table = Table("record", "study", "extractors", "done", "differ", "agreed")
    for found in studies:
        agreed = sum(1 for f in found.fields if f.consensus is not None)
        differ = str(len(found.differing)) if found.complete and not found.hidden else ""
        table.add_row(
            str(found.record_id),
            escape(found.label),
            ", ".join(found.extractors),
            ", ".join(found.done_by),
            differ,
            f"{agreed}/{len(found.fields)}",
        )
    out.print(table)


@extract.command("export")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write it to this file (default: print it).",
)
@click.pass_context
def export(ctx: click.Context, output: Path | None) -> None:
    """The consensus values as CSV: one row per study, one column per field."""
    with _context(ctx).review_tx() as (tx, review):
        text = extraction_service.consensus_csv(tx, review.id)
    _write(text, output, "the consensus extraction table")
