"""`cosynth appraise`: choose an instrument and rule, judge studies, compare, agree, summarise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from cosynth.cli.context import Context
from cosynth.cli.output import out
from cosynth.domain.appraisal.instruments import Instrument, Rule
from cosynth.domain.appraisal.judgements import Judgement
from cosynth.domain.appraisal.protocol import AppraisalProtocol, AppraisalProtocolChange
from cosynth.errors import InputError
from cosynth.services import appraisal as appraisal_service
from cosynth.services.appraisal import StudyAppraisal


def _say(text: str) -> None:
    """Print words that hold people's text (reasons, labels) without reading them as markup."""
    out.print(text, markup=False)


def _context(ctx: click.Context) -> Context:
    found = ctx.find_object(Context)
    assert found is not None
    return found


@click.group()
def appraise() -> None:
    """Critical appraisal of the included studies (e.g. TAPUPAS, CASP, JBI)."""


@appraise.command("instruments")
@click.argument("instrument_id", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print it as JSON, for scripts.")
@click.pass_context
def instruments(ctx: click.Context, instrument_id: str | None, as_json: bool) -> None:
    """List the instruments a review may choose, or show one (its items and answers)."""
    with _context(ctx).review_tx() as (tx, review):
        found = (
            [appraisal_service.get_instrument(tx, review.id, instrument_id)]
            if instrument_id
            else appraisal_service.list_instruments(tx, review.id)
        )
    if as_json:
        for instrument in found:
            click.echo(json.dumps(_instrument_json(instrument), ensure_ascii=False))
        return
    if instrument_id:
        _show_instrument(found[0])
        return
    table = Table("id", "name", "version", "items", "answers", "source")
    for instrument in found:
        table.add_row(
            escape(instrument.id),
            escape(instrument.title),
            escape(instrument.version),
            str(len(instrument.items)),
            escape(" / ".join(scale.words for scale in instrument.scales)),
            escape(instrument.citation[:60] + ("..." if len(instrument.citation) > 60 else "")),
        )
    out.print(table)


def _show_instrument(instrument: Instrument) -> None:
    out.print(
        f"[bold]{escape(instrument.title)}[/]",
        f"({escape(instrument.id)}, version {escape(instrument.version)})",
    )
    _say(f"Source: {instrument.citation}")
    if instrument.url:
        _say(f"Link: {instrument.url}")
    _say(f"Licence: {instrument.licence}")
    if instrument.check:
        _say(f"To check: {instrument.check}")
    for scale in instrument.scales:
        points = ", ".join(f"{a.label} ({a.id}) = {a.points}" for a in scale.answers)
        _say(f"Answers ({scale.id}): {points}")
    for item in instrument.items:
        marks = [
            word
            for flag, word in (
                (item.critical, "critical"),
                (item.screening, "screening question"),
                (item.free_text, "answered in words"),
            )
            if flag
        ]
        extra = f" [{', '.join(marks)}]" if marks else ""
        _say(f"  {item.id}  {item.label}{extra}")
        if item.prompt:
            _say(f"      {item.prompt}")
    if instrument.scoring is not None:
        rule = instrument.scoring
        words = f"sum >= {rule.threshold}" if rule.rule is Rule.SUM else "all critical items met"
        _say(f"Suggested rule: {words}" + (f" ({rule.check})" if rule.check else ""))


def _instrument_json(instrument: Instrument) -> dict[str, Any]:
    return {
        "id": instrument.id,
        "name": instrument.name,
        "title": instrument.title,
        "version": instrument.version,
        "citation": instrument.citation,
        "licence": instrument.licence,
        "url": instrument.url,
        "check": instrument.check,
        "scales": [
            {
                "id": scale.id,
                "answers": [
                    {"id": a.id, "label": a.label, "points": a.points, "meets": a.meets}
                    for a in scale.answers
                ],
            }
            for scale in instrument.scales
        ],
        "items": [
            {
                "id": item.id,
                "label": item.label,
                "prompt": item.prompt,
                "scale": item.scale,
                "critical": item.critical,
                "screening": item.screening,
                "free_text": item.free_text,
            }
            for item in instrument.items
        ],
    }


@appraise.command("add-instrument")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def add_instrument(ctx: click.Context, path: Path) -> None:
    """Add the review's own instrument file (TOML), checked whole before it is kept."""
    with _context(ctx).review_tx() as (tx, review):
        added = appraisal_service.add_instrument(tx, review.id, path.name, path.read_bytes())
    _say(f"Added {added.title} ({added.id}, version {added.version}): {len(added.items)} items.")


def _points(values: tuple[str, ...]) -> tuple[tuple[str, int], ...] | None:
    if not values:
        return None
    found: list[tuple[str, int]] = []
    for value in values:
        answer, _, points = value.partition("=")
        if not answer.strip() or not points.strip().isdigit():
            raise InputError(
                f'--points takes ANSWER=POINTS, e.g. --points yes=1; "{value}" was given.'
            )
        found.append((answer.strip(), int(points)))
    return tuple(found)


@appraise.command("protocol")
@click.option("--instrument", "instrument_id", metavar="ID", help="The instrument to use.")
@click.option("--rule", type=click.Choice([r.value for r in Rule]), help="sum: score >= threshold.")
@click.option("--threshold", type=click.IntRange(0), help="The lowest score that stays in.")
@click.option("--points", multiple=True, metavar="ANSWER=N", help="Points for an answer.")
@click.option("--critical", multiple=True, metavar="ITEM", help="A critical item (repeat).")
@click.option("--appraisers", type=click.IntRange(1), help="Appraisers per study (default 2).")
@click.option("--unblinded", is_flag=True, help="Let everyone see every judgement at once.")
@click.option("--amendment", default="", help="Why, once appraisal has started (kept in the log).")
@click.option("--json", "as_json", is_flag=True, help="Print it as JSON, for scripts.")
@click.pass_context
def protocol(
    ctx: click.Context,
    instrument_id: str | None,
    rule: str | None,
    threshold: int | None,
    points: tuple[str, ...],
    critical: tuple[str, ...],
    appraisers: int | None,
    unblinded: bool,
    amendment: str,
    as_json: bool,
) -> None:
    """Show the appraisal protocol, or set it (the lead; locked once judging starts)."""
    asked = any(
        (instrument_id, rule, threshold is not None, points, critical, appraisers, unblinded)
    )
    with _context(ctx).review_tx() as (tx, review):
        if asked:
            change = AppraisalProtocolChange(
                instrument=(
                    appraisal_service.get_instrument(tx, review.id, instrument_id)
                    if instrument_id
                    else None
                ),
                rule=Rule(rule) if rule else None,
                threshold=threshold,
                points=_points(points),
                critical=critical or None,
                appraisers_required=appraisers,
                blinded=False if unblinded else None,
            )
            found = appraisal_service.set_appraisal_protocol(
                tx, review.id, change, amendment=amendment
            )
        else:
            found = appraisal_service.appraisal_protocol(tx, review.id)
    if as_json:
        click.echo(json.dumps(_protocol_json(found), indent=2, ensure_ascii=False))
        return
    if found.instrument is None:
        _say("No instrument chosen yet: cosynth appraise protocol --instrument ID")
        return
    _say(
        f"Appraisal protocol, version {found.version}: {found.instrument.title} "
        f"({found.instrument.id}, version {found.instrument.version})."
    )
    blinding = "blinded until they have all finished" if found.blinded else "not blinded"
    _say(
        f"Rule: {found.scoring.words}; {found.appraisers_required} appraisers per study, "
        f"{blinding}."
    )
    if found.scoring.points:
        _say("Points: " + ", ".join(f"{a} = {p}" for a, p in found.scoring.points))
    if found.scoring.critical:
        _say("Critical items: " + ", ".join(found.scoring.critical))
    if found.amendment:
        _say(f"Amended: {found.amendment}")


def _protocol_json(found: AppraisalProtocol) -> dict[str, Any]:
    return {
        "version": found.version,
        "instrument": found.instrument.id if found.instrument is not None else None,
        "instrument_version": found.instrument.version if found.instrument is not None else None,
        "rule": found.scoring.rule.value,
        "threshold": found.scoring.threshold,
        "points": dict(found.scoring.points),
        "critical": list(found.scoring.critical) if found.scoring.critical is not None else None,
        "appraisers_required": found.appraisers_required,
        "blinded": found.blinded,
        "amendment": found.amendment,
    }


@appraise.command("judge")
@click.argument("record_id", type=int, required=False)
@click.argument("item", required=False)
@click.argument("answer", required=False)
@click.option("--reason", default="", help="Why this answer: kept beside it.")
@click.option(
    "--file",
    "answers_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A TOML or CSV answers file (a whole study, or several).",
)
@click.option("--instrument", "instrument_id", metavar="ID", help="Refuse if not the protocol's.")
@click.pass_context
def judge(
    ctx: click.Context,
    record_id: int | None,
    item: str | None,
    answer: str | None,
    reason: str,
    answers_file: Path | None,
    instrument_id: str | None,
) -> None:
    """Answer ITEM for study RECORD_ID, or every item from --file."""
    with _context(ctx).review_tx() as (tx, review):
        if answers_file is not None:
            if item is not None:
                raise InputError("Give either ITEM ANSWER or --file, not both.")
            sheet = appraisal_service.read_answer_sheet(
                answers_file.name, answers_file.read_bytes()
            )
            recorded = appraisal_service.record_answer_sheet(
                tx, review.id, sheet, record_id=record_id, instrument=instrument_id
            )
            views = {
                target: appraisal_service.study_appraisal(tx, review.id, target)
                for target in recorded
            }
        else:
            if record_id is None or item is None or answer is None:
                raise InputError("Give RECORD_ID ITEM ANSWER, or RECORD_ID --file ANSWERS.")
            one = appraisal_service.record_judgement(
                tx, review.id, record_id, item, answer, reason=reason, instrument=instrument_id
            )
            recorded = {record_id: [one]}
            views = {record_id: appraisal_service.study_appraisal(tx, review.id, record_id)}
    for target, judgements in recorded.items():
        view = views[target]
        _say(f"{view.study.label} (record {target}): {len(judgements)} answers recorded.")
        for judgement in judgements:
            _say(f"  {_judgement_words(view, judgement)}")
        _say(_progress_words(view))


def _judgement_words(view: StudyAppraisal, judgement: Judgement) -> str:
    item = view.instrument.item(judgement.item_id)
    label = item.label if item is not None else judgement.item_id
    scale = view.instrument.scale_of(item) if item is not None else None
    answer = scale.answer(judgement.answer) if scale is not None and judgement.answer else None
    words = f"{judgement.item_id} {label}: {answer.label if answer is not None else ''}".rstrip()
    if judgement.reason:
        words += f" - {judgement.reason}"
    return words


def _progress_words(view: StudyAppraisal) -> str:
    words = f"{len(view.finished)} of {view.required} appraisers have finished; {view.status.value}"
    if view.assessment is not None and view.assessment.complete:
        words += f", score {view.assessment.score} of {view.assessment.max_score}"
    return words + "."


@appraise.command("compare")
@click.argument("record_id", type=int)
@click.option("--all", "show_all", is_flag=True, help="Every item, not only the differences.")
@click.option("--json", "as_json", is_flag=True, help="Print it as JSON, for scripts.")
@click.pass_context
def compare(ctx: click.Context, record_id: int, show_all: bool, as_json: bool) -> None:
    """The appraisers' answers on RECORD_ID side by side, once they have all finished."""
    with _context(ctx).review_tx() as (tx, review):
        view = appraisal_service.compare_appraisals(tx, review.id, record_id)
    if as_json:
        click.echo(json.dumps(_comparison_json(view, show_all), indent=2, ensure_ascii=False))
        return
    shown = view.items if show_all else view.differing
    out.print(
        f"[bold]{escape(view.study.label)}[/]",
        f"(record {record_id}), {escape(view.instrument.name)}",
    )
    if shown:
        table = Table("item", *(escape(who) for who in view.finished), "agreed")
        for comparison in shown:
            by = {j.appraiser: j for j in comparison.judgements}
            table.add_row(
                escape(f"{comparison.item.id} {comparison.item.label}"),
                *(escape(_answer_cell(view, by.get(who))) for who in view.finished),
                escape(_agreed_cell(view, comparison.agreed, comparison.consensus is not None)),
            )
        out.print(table)
    differing = len(view.differing)
    scored = len(view.instrument.scored_items)
    _say(f"{scored - differing} of {scored} scored items agree; {_progress_words(view)}")
    if differing:
        _say("Settle each with: cosynth appraise agree RECORD_ID ITEM ANSWER --rationale TEXT")


def _answer_cell(view: StudyAppraisal, judgement: Judgement | None) -> str:
    if judgement is None:
        return "-"
    return _judgement_words(view, judgement).split(": ", 1)[-1]


def _agreed_cell(view: StudyAppraisal, agreed: str | None, by_consensus: bool) -> str:
    if agreed is None:
        return "not yet"
    for scale in view.instrument.scales:
        found = scale.answer(agreed)
        if found is not None:
            return found.label + (" (consensus)" if by_consensus else "")
    return agreed


def _comparison_json(view: StudyAppraisal, show_all: bool) -> dict[str, Any]:
    return {
        "record_id": view.study.record_id,
        "study": view.study.label,
        "instrument": view.instrument.id,
        "appraisers": list(view.finished),
        "status": view.status.value,
        "items": [
            {
                "item": c.item.id,
                "label": c.item.label,
                "answers": {j.appraiser: j.answer for j in c.judgements},
                "reasons": {j.appraiser: j.reason for j in c.judgements},
                "differs": c.differs,
                "agreed": c.agreed,
                "consensus": (
                    {
                        "answer": c.consensus.answer,
                        "rationale": c.consensus.rationale,
                        "method": c.consensus.method.value,
                        "by": c.consensus.agreed_by,
                    }
                    if c.consensus is not None
                    else None
                ),
            }
            for c in (view.items if show_all else view.differing)
        ],
    }


@appraise.command("agree")
@click.argument("record_id", type=int)
@click.argument("item")
@click.argument("answer")
@click.option("--rationale", required=True, help="Why this is the agreed answer.")
@click.pass_context
def agree(ctx: click.Context, record_id: int, item: str, answer: str, rationale: str) -> None:
    """Record the agreed ANSWER to ITEM for RECORD_ID (the lead, or an appraiser, after talking)."""
    with _context(ctx).review_tx() as (tx, review):
        agreed = appraisal_service.record_consensus(
            tx, review.id, record_id, item, answer, rationale=rationale
        )
        view = appraisal_service.study_appraisal(tx, review.id, record_id)
    _say(
        f"{view.study.label}, item {agreed.item_id}: {_agreed_cell(view, agreed.answer, False)} "
        f"({agreed.method.value}). {_progress_words(view)}"
    )


@appraise.command("summary")
@click.option("--json", "as_json", is_flag=True, help="Print it as JSON, for scripts.")
@click.pass_context
def summary(ctx: click.Context, as_json: bool) -> None:
    """Every included study: its appraisal, score, and whether it meets the protocol's rule."""
    with _context(ctx).review_tx() as (tx, review):
        found = appraisal_service.appraisal_summary(tx, review.id)
        excluded = appraisal_service.appraisal_exclusions(tx, review.id)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "studies": [_summary_json(view) for view in found],
                    "excluded": [
                        {"record_id": e.study.record_id, "study": e.study.label, "reason": e.reason}
                        for e in excluded
                    ],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    table = Table("record", "study", "appraisers", "score", "status")
    for view in found:
        score = (
            f"{view.assessment.score} / {view.assessment.max_score}"
            if view.assessment is not None and view.assessment.complete
            else "-"
        )
        table.add_row(
            str(view.study.record_id),
            escape(view.study.label),
            f"{len(view.finished)} of {view.required}",
            score,
            view.status.value,
        )
    out.print(table)
    if found:
        rule = found[0]
        words = f"threshold {rule.threshold}" if rule.threshold is not None else "critical items"
        met = sum(1 for view in found if view.status.value == "met")
        _say(f"{met} of {len(found)} studies meet the rule ({rule.instrument.name}, {words}).")
    for exclusion in excluded:
        _say(f"Excluded: {exclusion.study.label} (record {exclusion.study.record_id}), "
                  f"{exclusion.reason}")  # fmt: skip


def _summary_json(view: StudyAppraisal) -> dict[str, Any]:
    assessment = view.assessment
    return {
        "record_id": view.study.record_id,
        "study": view.study.label,
        "instrument": view.instrument.id,
        "finished": list(view.finished),
        "required": view.required,
        "status": view.status.value,
        "score": assessment.score if assessment is not None and assessment.complete else None,
        "max_score": assessment.max_score if assessment is not None else None,
        "threshold": view.threshold,
        "met": assessment.met if assessment is not None else None,
        "reason": assessment.reason if assessment is not None else "",
    }
