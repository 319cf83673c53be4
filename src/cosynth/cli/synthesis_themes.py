"""`cosynth synthesis translate, theme, interpretation, resonance`: phases 5 and 6.

Translating the studies into one another, building the theme hierarchy and
the new interpretations, and recording how the findings resonate with the
advisory group (Noblit & Hare 1988; the paper's "Data translation and
synthesis"). Each command parses, calls one service, and prints.
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from cosynth.cli.context import Context
from cosynth.cli.output import out
from cosynth.domain.synthesis import (
    Explanation,
    FindingKind,
    Resonance,
    ThemeLevel,
    ThemeNode,
    Translation,
)
from cosynth.services import concepts as concept_service
from cosynth.services import resonance as resonance_service
from cosynth.services import themes as theme_service
from cosynth.services import translation as translation_service
from cosynth.services.studies import included_studies


def _context(ctx: click.Context) -> Context:
    found = ctx.find_object(Context)
    assert found is not None
    return found


def _into(value: str) -> str | int:
    """An existing concept's id, or the name of a (new) third-order concept."""
    return int(value) if value.strip().isdigit() else value


INTO_HELP = "The third-order concept: its id, or a name (a new concept is made if none has it)."


# --- translate ---


@click.group()
def translate() -> None:
    """Translate the studies into one another (phase 5)."""


@translate.command("reciprocal")
@click.argument("concept_ids", nargs=-1, type=int, required=True)
@click.option("--into", "into", required=True, help=INTO_HELP)
@click.option("--account", default="", help="Why these concepts say the same thing.")
@click.pass_context
def reciprocal(ctx: click.Context, concept_ids: tuple[int, ...], into: str, account: str) -> None:
    """Merge similar CONCEPT_IDS of different studies into one third-order concept."""
    with _context(ctx).review_tx() as (tx, review):
        made = translation_service.translate_reciprocally(
            tx, review.id, concept_ids, into=_into(into), account=account
        )
        _said(made, concept_service.get_concept(tx, review.id, made.into_concept_id or 0).name)


@translate.command("refute")
@click.argument("concept_ids", nargs=-1, type=int, required=True)
@click.option(
    "--explanation",
    type=click.Choice([e.name.lower().replace("_", "-") for e in Explanation]),
    required=True,
    help="Why they contradict each other.",
)
@click.option("--account", required=True, help="The contradiction explained in your words.")
@click.pass_context
def refute(
    ctx: click.Context, concept_ids: tuple[int, ...], explanation: str, account: str
) -> None:
    """Record that CONCEPT_IDS of different studies contradict one another, and why."""
    with _context(ctx).review_tx() as (tx, review):
        made = translation_service.translate_refutationally(
            tx,
            review.id,
            concept_ids,
            explanation=Explanation[explanation.upper().replace("-", "_")],
            account=account,
        )
    _said(made, "")


@translate.command("line")
@click.argument("concept_ids", nargs=-1, type=int, required=True)
@click.option("--into", "into", required=True, help=INTO_HELP)
@click.option("--account", default="", help="How the parts make a new whole.")
@click.pass_context
def line(ctx: click.Context, concept_ids: tuple[int, ...], into: str, account: str) -> None:
    """Put CONCEPT_IDS that each describe an aspect into a new whole (a line of argument)."""
    with _context(ctx).review_tx() as (tx, review):
        made = translation_service.argue_line(
            tx, review.id, concept_ids, into=_into(into), account=account
        )
        _said(made, concept_service.get_concept(tx, review.id, made.into_concept_id or 0).name)


@translate.command("list")
@click.pass_context
def list_translations(ctx: click.Context) -> None:
    """The translations made so far, and the alternative interpretations logged."""
    with _context(ctx).review_tx() as (tx, review):
        made = translation_service.translations(tx, review.id)
        names = {c.id: c.name for c in concept_service.concepts(tx, review.id)}
        others = translation_service.alternatives(tx, review.id)
    if not made:
        out.print("No translations yet.")
    else:
        table = Table("id", "relation", "from", "into", "why")
        for item in made:
            why = item.account
            if item.explanation is not None:
                why = f"{item.explanation.value}: {why}"
            table.add_row(
                str(item.id),
                item.relation.value,
                escape("; ".join(names.get(c, str(c)) for c in item.from_concept_ids)),
                escape(names.get(item.into_concept_id, "") if item.into_concept_id else ""),
                escape(why),
            )
        out.print(table)
    for other in others:
        about = f"translation {other.translation_id}" if other.translation_id else ""
        if other.theme_id:
            about = ", ".join(filter(None, [about, f"theme {other.theme_id}"]))
        out.print(f"Alternative #{other.id} ({about or 'the synthesis'}): {escape(other.text)}")


@translate.command("alternative")
@click.argument("text")
@click.option("--translation", "translation_id", type=int, help="The translation it reads.")
@click.option("--theme", "theme_id", type=int, help="The theme it reads.")
@click.pass_context
def alternative(
    ctx: click.Context, text: str, translation_id: int | None, theme_id: int | None
) -> None:
    """Log TEXT, an alternative interpretation the team considered."""
    with _context(ctx).review_tx() as (tx, review):
        logged = translation_service.log_alternative(
            tx, review.id, text, translation_id=translation_id, theme_id=theme_id
        )
    out.print(f"Alternative interpretation #{logged.id} logged.")


def _said(made: Translation, into: str) -> None:
    where = f" into {escape(repr(into))}" if into else ""
    out.print(f"Translation #{made.id} ({made.relation.value}){where}.")


# --- theme ---


@click.group()
def theme() -> None:
    """The theme hierarchy: categories > themes > sub-themes (phase 6)."""


@theme.command("add")
@click.argument("name")
@click.option(
    "--level",
    type=click.Choice([level.value for level in ThemeLevel]),
    required=True,
    help="Its level in the hierarchy.",
)
@click.option("--parent", "parent_id", type=int, help="The category (or theme) it sits under.")
@click.option("--description", default="", help="What it means, in a sentence or two.")
@click.pass_context
def add_theme(
    ctx: click.Context, name: str, level: str, parent_id: int | None, description: str
) -> None:
    """Add NAME as a category, a theme or a sub-theme."""
    with _context(ctx).review_tx() as (tx, review):
        added = theme_service.add_theme(
            tx,
            review.id,
            name,
            level=ThemeLevel(level),
            parent_id=parent_id,
            description=description,
        )
    out.print(f"{added.level.value.capitalize()} #{added.id} {escape(repr(added.name))} added.")


@theme.command("revise")
@click.argument("theme_id", type=int)
@click.option("--name", default=None, help="Its new name.")
@click.option("--description", default=None, help="Its new description.")
@click.option("--parent", "parent_id", type=int, default=None, help="Move it under this one.")
@click.option(
    "--position", type=int, default=None, help="Its place among its siblings (1 = first)."
)
@click.pass_context
def revise_theme(
    ctx: click.Context,
    theme_id: int,
    name: str | None,
    description: str | None,
    parent_id: int | None,
    position: int | None,
) -> None:
    """Rename, describe, move or re-order THEME_ID."""
    with _context(ctx).review_tx() as (tx, review):
        revised = theme_service.revise_theme(
            tx,
            review.id,
            theme_id,
            name=name,
            description=description,
            parent_id=parent_id,
            position=position,
        )
    out.print(f"Theme #{revised.id} is now {escape(repr(revised.name))}, at {revised.position}.")


@theme.command("link")
@click.argument("theme_id", type=int)
@click.argument("concept_ids", nargs=-1, type=int, required=True)
@click.pass_context
def link(ctx: click.Context, theme_id: int, concept_ids: tuple[int, ...]) -> None:
    """Link CONCEPT_IDS to THEME_ID as what supports it."""
    with _context(ctx).review_tx() as (tx, review):
        linked = theme_service.link_concepts(tx, review.id, theme_id, concept_ids)
    out.print(f"{escape(repr(linked.name))} rests on concepts {_ids(linked.concept_ids)}.")


@theme.command("unlink")
@click.argument("theme_id", type=int)
@click.argument("concept_id", type=int)
@click.pass_context
def unlink(ctx: click.Context, theme_id: int, concept_id: int) -> None:
    """Take CONCEPT_ID off THEME_ID."""
    with _context(ctx).review_tx() as (tx, review):
        left = theme_service.unlink_concept(tx, review.id, theme_id, concept_id)
    out.print(f"{escape(repr(left.name))} rests on concepts {_ids(left.concept_ids) or 'none'}.")


@theme.command("tree")
@click.pass_context
def tree(ctx: click.Context) -> None:
    """The theme tree, each node with its studies."""
    with _context(ctx).review_tx() as (tx, review):
        nodes = theme_service.theme_tree(tx, review.id)
        labels = {s.record_id: s.label for s in included_studies(tx, review.id)}
    if not nodes:
        out.print("No themes yet.")
        return
    shown = Tree("Themes", hide_root=True)

    def add(branch: Tree, node: ThemeNode) -> None:
        studies = "; ".join(labels.get(r, f"record {r}") for r in node.support.record_ids)
        here = branch.add(
            f"#{node.theme.id} {escape(node.theme.name)} ({node.theme.level.value})"
            f" [dim]{escape(studies) or 'no studies yet'}[/]"
        )
        for child in node.children:
            add(here, child)

    for node in nodes:
        add(shown, node)
    out.print(shown)


@theme.command("export")
@click.option(
    "--format",
    "kind",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    help="Markdown to read, or JSON for scripts.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write it to this file (default: print it).",
)
@click.pass_context
def export(ctx: click.Context, kind: str, output: Path | None) -> None:
    """The theme tree and interpretations as Markdown or JSON."""
    with _context(ctx).review_tx() as (tx, review):
        if kind == "json":
            text = theme_service.theme_tree_json(tx, review.id)
        else:
            text = theme_service.theme_tree_markdown(tx, review.id)
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    out.print(f"Wrote the theme tree to {output}.")


# --- interpretation ---


@click.group()
def interpretation() -> None:
    """The synthesis's new interpretations (lines of argument)."""


@interpretation.command("add")
@click.argument("title")
@click.argument("statement")
@click.option("--theme", "theme_ids", type=int, multiple=True, help="A theme it rests on.")
@click.option("--concept", "concept_ids", type=int, multiple=True, help="A concept it rests on.")
@click.pass_context
def add_interpretation(
    ctx: click.Context,
    title: str,
    statement: str,
    theme_ids: tuple[int, ...],
    concept_ids: tuple[int, ...],
) -> None:
    """State TITLE: STATEMENT as a new interpretation."""
    with _context(ctx).review_tx() as (tx, review):
        added = theme_service.add_interpretation(
            tx, review.id, title, statement, theme_ids=theme_ids, concept_ids=concept_ids
        )
    out.print(f"Interpretation #{added.id} {escape(repr(added.title))} stated.")


@interpretation.command("list")
@click.pass_context
def list_interpretations(ctx: click.Context) -> None:
    """The new interpretations, in order."""
    with _context(ctx).review_tx() as (tx, review):
        found = theme_service.interpretations(tx, review.id)
    if not found:
        out.print("No interpretations yet.")
    for item in found:
        out.print(f"{item.position}. [bold]{escape(item.title)}[/] (#{item.id})")
        out.print(f"   {escape(item.statement)}")


# --- resonance ---


@click.group()
def resonance() -> None:
    """How the findings match the advisory group's lived experience."""


@resonance.command("record")
@click.argument("finding", type=click.Choice([kind.value for kind in FindingKind]))
@click.argument("finding_id", type=int)
@click.argument("said", type=click.Choice([r.value for r in Resonance]))
@click.option("--words", default="", help="In their own words.")
@click.option("--voice", default=None, help="The lead only: the member whose view this is.")
@click.pass_context
def record(
    ctx: click.Context, finding: str, finding_id: int, said: str, words: str, voice: str | None
) -> None:
    """Record how FINDING FINDING_ID (theme or interpretation) matches: agree, partly, disagree."""
    with _context(ctx).review_tx() as (tx, review):
        kept = resonance_service.record_resonance(
            tx, review.id, FindingKind(finding), finding_id, Resonance(said), words, voice=voice
        )
    out.print(f"Kept {escape(kept.voice)}'s view: {kept.resonance.plain.lower()}.")


@resonance.command("list")
@click.pass_context
def list_resonances(ctx: click.Context) -> None:
    """Every view recorded, oldest first."""
    with _context(ctx).review_tx() as (tx, review):
        found = resonance_service.resonances(tx, review.id)
    if not found:
        out.print("No views recorded yet.")
        return
    table = Table("finding", "voice", "resonance", "words", "recorded by")
    for item in found:
        table.add_row(
            f"{item.finding.value} {item.finding_id}",
            escape(item.voice),
            item.resonance.value,
            escape(item.words),
            item.recorded_by,
        )
    out.print(table)


def _ids(ids: tuple[int, ...]) -> str:
    return ", ".join(str(i) for i in ids)
