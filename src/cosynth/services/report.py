"""The review's full report, built from its records: `build_report` and `report_files`.

What a meta-ethnography's manuscript carries (the paper's Methods and
Findings; eMERGe, France et al. 2019; PRISMA 2020, Page et al. 2021; GRIPP2,
Staniszewska et al. 2017): the question and the protocols, the search log,
the PRISMA 2020 flow, the included studies and their characteristics, the
appraisal, the extent of co-production with the link analysis, the synthesis
(the phases, how the studies relate, the order of translation and why, the
translations, the theme tree with its quotations, the new interpretations and
the three figures), the advisory group's involvement, and the reporting
checklists filled from the same records. Every number is computed here from
the data (DESIGN.md rule 2); the writers in render/ only lay it out.

A published report names no adviser: the group is described by its make-up,
the action log by who did the work (the group, the review team), and
resonance by what was said, never by whom (GRIPP2 reports involvement, not
people).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from html import unescape

from cosynth import __version__
from cosynth.domain.advisory import REVIEW_TEAM, MemberKind, format_hours
from cosynth.domain.appraisal.instruments import Rule
from cosynth.domain.appraisal.scoring import ScoringRule
from cosynth.domain.checklists import EvidenceKind, ItemStatus
from cosynth.domain.prisma import BOX_NAMES, Count, Flow, check_flow
from cosynth.domain.report import (
    Block,
    Figure,
    ItemList,
    Paragraph,
    Quotation,
    Report,
    Section,
)
from cosynth.domain.report_tables import ReportTable
from cosynth.domain.review import Review
from cosynth.domain.roles import Permission
from cosynth.domain.screening.stages import CriterionKind, Stage
from cosynth.domain.synthesis import (
    Concept,
    ConceptSource,
    FindingKind,
    Relation,
    Resonance,
    ThemeNode,
    latest_resonances,
)
from cosynth.errors import InputError
from cosynth.formats.prisma_csv import write_flow_csv
from cosynth.render import prisma as prisma_render
from cosynth.render.report_docx import report_docx, svg_png
from cosynth.render.report_html import report_html
from cosynth.render.report_markdown import FIGURES, figure_file, report_markdown
from cosynth.render.score_bars import score_bars_svg
from cosynth.services import (
    advisory_group,
    agreement,
    appraisal,
    coproduction,
    extraction,
    gripp2,
    meetings,
    phases,
    prisma,
    question,
    relating,
    report_tables,
    resonance,
    roundtables,
    screening_protocol,
    search_log,
    synthesis_figures,
    themes,
    translation,
)
from cosynth.services import checklists as checklist_service
from cosynth.services.records import list_sources, source_report
from cosynth.services.reviews import get_review
from cosynth.services.studies import included_studies
from cosynth.services.workspace import Tx

REPORT_FORMATS = ("html", "md", "docx")
NONE_YET = "none recorded yet"
FLOW_FIGURE = "figure-1-prisma-flow"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # ZIP's earliest date: a file's bytes do not depend on when
# How a finding resonated, said of the group rather than in an adviser's first person.
RESONANCE_WORDS = {
    Resonance.AGREE: "matches their experience",
    Resonance.PARTLY: "partly matches their experience",
    Resonance.DISAGREE: "does not match their experience",
}


def build_report(tx: Tx, review_id: int) -> Report:
    """The whole report of the review as the person asking may see it."""
    tx.require(review_id, Permission.VIEW)
    review = get_review(tx, review_id)
    labels = {study.record_id: study.label for study in included_studies(tx, review_id)}
    subtitle = (
        f"Review question: {review.question}" if review.question else "Review question: not set",
        f"Built by cosynth {__version__} on {tx.now.date().isoformat()} from the review's "
        "records: every number in it is computed from them.",
    )
    parts: tuple[Section, ...] = (
        _question_part(tx, review),
        _search_part(tx, review_id),
        _selection_part(tx, review_id),
        _appraisal_part(tx, review_id),
        _studies_part(tx, review_id),
        _synthesis_part(tx, review_id, labels),
        _advisory_part(tx, review_id),
    )
    titles = {
        section.key: section.title
        for section in Report(title="", subtitle=(), parts=parts).sections()
    }
    parts += (_checklists_part(tx, review_id, titles),)
    return Report(title=review.title, subtitle=subtitle, parts=parts)


def report_files(
    tx: Tx, review_id: int, formats: Sequence[str] = REPORT_FORMATS
) -> dict[str, bytes]:
    """The report in each format asked for, by file name, with every figure as SVG and PNG
    under figures/ (the Markdown links to the SVGs) and the PRISMA flow under prisma/."""
    unknown = [f for f in formats if f not in REPORT_FORMATS]
    if unknown:
        raise InputError(
            f"Unknown report format {', '.join(unknown)}; formats: {', '.join(REPORT_FORMATS)}."
        )
    if not formats:
        raise InputError(f"Say which formats to write: {', '.join(REPORT_FORMATS)}.")
    # Each figure is drawn as PNG once, for the Word document and the figures folder both.
    report = _with_rasters(build_report(tx, review_id))
    found: dict[str, bytes] = {}
    if "html" in formats:
        found["report.html"] = report_html(report)
    if "md" in formats:
        found["report.md"] = report_markdown(report)
    if "docx" in formats:
        found["report.docx"] = report_docx(report)
    for figure in report.figures():
        found[figure_file(figure)] = figure.svg
        if figure.png is not None:
            found[f"{FIGURES}/{figure.key}.png"] = figure.png
    found.update(_prisma_files(tx, review_id, report))
    return found


def report_document(tx: Tx, review_id: int, format_name: str) -> bytes:
    """The report in one format alone: the HTML page (its figures inside it), the Word
    document, or the Markdown (whose figures come in `report_zip`)."""
    if format_name not in REPORT_FORMATS:
        raise InputError(
            f"Unknown report format {format_name}; formats: {', '.join(REPORT_FORMATS)}."
        )
    report = build_report(tx, review_id)
    if format_name == "html":
        return report_html(report)
    if format_name == "md":
        return report_markdown(report)
    return report_docx(report)


def report_zip(tx: Tx, review_id: int) -> bytes:
    """Every file of `report_files` in one ZIP, under a folder named for the review, the
    same bytes each time for the same data (members in name order, a fixed date)."""
    written = report_files(tx, review_id)
    folder = f"review-{review_id}-report"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(written):
            member = zipfile.ZipInfo(f"{folder}/{name}", date_time=ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, written[name])
    return out.getvalue()


def _with_rasters(report: Report) -> Report:
    def raster(block: Block) -> Block:
        if isinstance(block, Figure) and block.png is None:
            return replace(block, png=svg_png(block.svg))
        if isinstance(block, Section):
            return replace(block, blocks=tuple(raster(b) for b in block.blocks))
        return block

    parts = tuple(
        replace(part, blocks=tuple(raster(b) for b in part.blocks)) for part in report.parts
    )
    return replace(report, parts=parts)


# --- 1. Question and protocol ----------------------------------------------------------


def _question_part(tx: Tx, review: Review) -> Section:
    review_id = review.id
    blocks: list[Block] = [
        Paragraph(review.question if review.question else "The review's question is not set yet.")
    ]
    # Table 1 of the paper's kind, where the question was set with a framework (SPICES...).
    if question.current_question(tx, review_id) is not None:
        table = question.table_one(tx, review_id)
        blocks.append(
            ReportTable(
                key="table-1-question",
                title=f"Table 1. {table.caption.removesuffix('.')}",
                columns=(table.heading_label, table.concept_label),
                rows=tuple((row.heading, row.concept) for row in table.rows),
                notes=(f"Research question: {table.question}",),
            )
        )
    protocols = []
    for stage in Stage:
        protocol = screening_protocol.stage_protocol(tx, review_id, stage)
        include = [c.text for c in protocol.criteria if c.kind is CriterionKind.INCLUSION]
        exclude = [c.text for c in protocol.criteria if c.kind is CriterionKind.EXCLUSION]
        protocols.append(
            (
                stage.label.capitalize(),
                str(protocol.reviewers_required),
                "yes" if protocol.blinded else "no",
                "; ".join(include) or "-",
                "; ".join(exclude) or "-",
                "; ".join(protocol.reasons) or "-",
                _version(protocol.version, protocol.amendment),
            )
        )
    blocks.append(
        Section(
            "screening-protocol",
            "Screening",
            (
                ReportTable(
                    key="screening-protocol",
                    title="Screening protocol, stage by stage",
                    columns=(
                        "Stage",
                        "Reviewers per record",
                        "Blinded",
                        "Include if",
                        "Exclude if",
                        "Reasons for exclusion",
                        "Version",
                    ),
                    rows=tuple(protocols),
                    notes=(
                        "Each record needs the stated number of reviewers' votes; "
                        "disagreements go to the lead's consensus.",
                    ),
                ),
            ),
        )
    )
    blocks.append(
        Section("appraisal-protocol", "Critical appraisal", _appraisal_protocol(tx, review_id))
    )
    blocks.append(Section("extraction-form", "Data extraction", _extraction_form(tx, review_id)))
    scheme = coproduction.scoring_scheme(tx, review_id)
    scales = coproduction.review_scales(tx, review_id)
    blocks.append(
        Section(
            "scoring-scheme",
            "Extent of co-production",
            (
                Paragraph(
                    "Each included study is scored for the extent of co-production: the "
                    f"{scheme.describe(scales)}. Higher scores mean more active involvement "
                    "and influence of service users, carers and staff."
                ),
            ),
        )
    )
    return Section("question-and-protocol", "Question and protocol", tuple(blocks))


def _version(version: int, amendment: str) -> str:
    if version <= 1:
        return "as set" if version == 1 else "default"
    return f"version {version}: {amendment}" if amendment else f"version {version}"


def _appraisal_protocol(tx: Tx, review_id: int) -> tuple[Block, ...]:
    protocol = appraisal.appraisal_protocol(tx, review_id)
    instrument = protocol.instrument
    if instrument is None:
        return (Paragraph("No appraisal instrument has been chosen yet.", note=True),)
    blind = "blinded to each other" if protocol.blinded else "not blinded"
    words = [
        f"Instrument: {instrument.name} ({instrument.title}, version {instrument.version}).",
        f"Rule: a study stays in the review when {_rule(protocol.scoring)}.",
        f"Appraisers per study: {protocol.appraisers_required}, {blind} until all have finished.",
    ]
    if instrument.citation:
        words.append(f"Source: {instrument.citation}")
    if protocol.amendment:
        words.append(f"Amended (version {protocol.version}): {protocol.amendment}")
    return (Paragraph("\n".join(words)),)


def _rule(scoring: ScoringRule) -> str:
    if scoring.rule is Rule.SUM and scoring.threshold is not None:
        return f"its score is at least {scoring.threshold}"
    if scoring.rule is Rule.SUM:
        return "its score reaches the threshold (none is set yet)"
    return "all its critical items are met"


def _extraction_form(tx: Tx, review_id: int) -> tuple[Block, ...]:
    try:
        form = extraction.current_form(tx, review_id)
    except InputError:
        return (Paragraph("No extraction form has been saved yet.", note=True),)
    return (
        Paragraph(f"{form.title} (version {form.version}), {len(form.fields)} fields:"),
        ItemList(tuple(field.label for field in form.fields)),
    )


# --- 2. Search -------------------------------------------------------------------------


def _search_part(tx: Tx, review_id: int) -> Section:
    rows = []
    read = imported = skipped = 0
    for source in list_sources(tx, review_id):
        found = source_report(tx, review_id, source.id)
        read += found.records_read
        imported += source.records_imported
        skipped += source.records_skipped
        rows.append(
            (
                source.database or "not named",
                source.platform or "-",
                source.searched_on.isoformat() if source.searched_on else "not recorded",
                source.filename,
                str(found.records_read),
                str(source.records_imported),
                str(source.records_skipped),
            )
        )
    rows.append(
        ("All sources", "", "", f"{len(rows)} files", str(read), str(imported), str(skipped))
    )
    table = ReportTable(
        key="search-log",
        title="Search log: each source searched and imported",
        columns=(
            "Database or source",
            "Platform",
            "Date searched",
            "File",
            "Records read",
            "Imported",
            "Skipped",
        ),
        rows=tuple(rows),
        notes=(
            "Read from each file as exported; a skipped record is listed with its reason in "
            "the file's import report (cosynth sources ID).",
        ),
    )
    return Section("search", "Search", (*_searches(tx, review_id), table))


def _searches(tx: Tx, review_id: int) -> list[Block]:
    """The searches as run (PRISMA-S: database, platform, date, limits, the exact string,
    the hits), where the team logged them."""
    entries = search_log.search_log(tx, review_id)
    if not entries:
        return []
    files = {source.id: source.filename for source in list_sources(tx, review_id)}
    return [
        ReportTable(
            key="searches",
            title="The searches as run",
            columns=(
                "Database",
                "Platform",
                "Date run",
                "Search string",
                "Limits",
                "Hits",
                "Imported as",
            ),
            rows=tuple(
                (
                    entry.database,
                    entry.platform or "-",
                    entry.run_on.isoformat(),
                    entry.string,
                    entry.limits or "-",
                    f"{entry.hits:,}" if entry.hits is not None else "not recorded",
                    ", ".join(files.get(s, f"file {s}") for s in entry.source_ids) or "not linked",
                )
                for entry in entries
            ),
        )
    ]


# --- 3. Study selection: the PRISMA 2020 flow -----------------------------------------


def _selection_part(tx: Tx, review_id: int) -> Section:
    flow = prisma.prisma_flow(tx, review_id)
    blocks: list[Block] = [_flow_figure(flow)]
    problems = check_flow(flow)
    if problems:
        blocks.append(
            Paragraph(
                "The flow does not add up yet (it does once every record is decided):",
                note=True,
            )
        )
        blocks.append(ItemList(tuple(problem.message for problem in problems)))
    else:
        blocks.append(Paragraph("Every box of the flow adds up (checked by cosynth)."))
    blocks.append(
        ReportTable(
            key="prisma-flow",
            title="The PRISMA 2020 flow in numbers",
            columns=("Box", "Records, reports or studies"),
            rows=tuple(_flow_rows(flow)),
            notes=(
                "Counted from the records, the votes, full-text retrieval and the appraisal "
                "(PRISMA 2020, Page et al. 2021).",
            ),
        )
    )
    agreement = _agreement_table(tx, review_id)
    if agreement is not None:
        blocks.append(agreement)
    return Section("selection", "Study selection", tuple(blocks))


def _agreement_table(tx: Tx, review_id: int) -> ReportTable | None:
    """How far the screeners agreed at each stage, pair by pair (METHODS.md section 7)."""
    rows = []
    rule = ""
    for stage in Stage:
        found = agreement.screening_agreement(tx, review_id, stage=stage)
        rule = found.unsure_rule
        for pair in found.pairs:
            figure = pair.agreement
            value = (
                f"{figure.statistic} {figure.value:.2f} ({figure.band})"
                if figure.value is not None
                else f"{figure.statistic} {figure.note or 'not defined'}"
            )
            rows.append(
                (
                    stage.label.capitalize(),
                    f"{pair.reviewer_a} and {pair.reviewer_b}",
                    str(figure.units),
                    f"{figure.percent:.0f}%" if figure.percent is not None else "-",
                    value,
                )
            )
    if not rows:
        return None
    return ReportTable(
        key="screening-agreement",
        title="Agreement between the screeners",
        columns=("Stage", "Screeners", "Records both screened", "Agreed", "Chance-corrected"),
        rows=tuple(rows),
        notes=(rule,),
    )


def _flow_rows(flow: Flow) -> list[tuple[str, str]]:
    """The boxes the diagram shows, in reading order; each database and reason indented."""

    def n(key: str) -> tuple[str, str]:
        return (BOX_NAMES[key], f"{getattr(flow, key):,}")

    def parts(counts: Iterable[Count]) -> list[tuple[str, str]]:
        return [(f"    {count.label}", f"{count.n:,}") for count in counts]

    rows = []
    if flow.updated:
        rows += [n("previous_studies"), n("previous_reports")]
    rows += [n("database_results"), *parts(flow.database_specific_results)]
    if flow.register_results or flow.register_specific_results:
        rows += [n("register_results"), *parts(flow.register_specific_results)]
    rows.append(n("duplicates"))
    rows += [n(k) for k in ("excluded_automatic", "excluded_other") if getattr(flow, k)]
    rows += [n("records_screened"), n("records_excluded")]
    rows += [n("dbr_sought_reports"), n("dbr_notretrieved_reports"), n("dbr_assessed")]
    rows += [(BOX_NAMES["dbr_excluded"], f"{flow.dbr_excluded_total:,}")]
    rows += parts(flow.dbr_excluded)
    if flow.has_other_methods:
        rows += [n(k) for k in ("website_results", "organisation_results", "citations_results")]
        rows += [n("other_sought_reports"), n("other_notretrieved_reports"), n("other_assessed")]
        rows += [(BOX_NAMES["other_excluded"], f"{flow.other_excluded_total:,}")]
        rows += parts(flow.other_excluded)
    rows += [n("new_studies"), n("new_reports")]
    if flow.updated:
        rows += [n("total_studies"), n("total_reports")]
    return rows


def _flow_figure(flow: Flow) -> Figure:
    svg = prisma_render.flow_svg(flow)
    return Figure(
        key=FLOW_FIGURE,
        caption="Figure 1. PRISMA 2020 flow diagram",
        alt=prisma_render.describe_flow(flow),
        svg=svg,
        png=prisma_render.flow_png(svg),
    )


def _prisma_files(tx: Tx, review_id: int, report: Report) -> dict[str, bytes]:
    """The flow on its own: SVG and PNG for a manuscript (the report's Figure 1), the
    interactive HTML (each box opens the records behind it), and the numbers in the
    PRISMA2020 R package's CSV."""
    flow, listed = prisma.prisma_flow_with_records(tx, review_id)
    (drawn,) = [figure for figure in report.figures() if figure.key == FLOW_FIGURE]
    return {
        "prisma/prisma-flow.svg": drawn.svg,
        "prisma/prisma-flow.png": drawn.png or prisma_render.flow_png(drawn.svg),
        "prisma/prisma-flow.html": prisma_render.flow_html(flow, listed, title=report.title),
        "prisma/prisma-flow.csv": write_flow_csv(flow, link="prisma-flow.html#").encode("utf-8"),
    }


# --- 4. Appraisal ----------------------------------------------------------------------


def _appraisal_part(tx: Tx, review_id: int) -> Section:
    title = "Critical appraisal"
    if appraisal.appraisal_protocol(tx, review_id).instrument is None:
        return Section(
            "appraisal",
            title,
            (
                Paragraph(
                    "The studies have not been appraised: no instrument is chosen.", note=True
                ),
            ),
        )
    found = appraisal.appraisal_summary(tx, review_id)
    rows = []
    for study in found:
        assessment = study.assessment
        if assessment is None:
            score, meets = "-", "not yet agreed"
        else:
            score = f"{assessment.score} of {assessment.max_score}"
            meets = {True: "yes", False: "no", None: "not yet agreed"}[assessment.met]
        rows.append(
            (
                study.study.label,
                study.status.value,
                score,
                meets,
                assessment.reason if assessment is not None and assessment.reason else "-",
            )
        )
    instrument = found[0].instrument.name if found else "the chosen instrument"
    excluded = appraisal.appraisal_exclusions(tx, review_id)
    met = sum(1 for study in found if study.status is appraisal.AppraisalStatus.MET)
    blocks: list[Block] = [
        Paragraph(
            f"{len(found)} studies appraised with {instrument}: {met} met the bar, "
            f"{len(excluded)} excluded, {len(found) - met - len(excluded)} not yet settled."
        ),
        ReportTable(
            key="appraisal-results",
            title="Appraisal results",
            columns=("Study", "Status", "Score", "Meets the bar", "Reason"),
            rows=tuple(rows),
            notes=("Scores are those of the appraisers' agreed answers.",),
        ),
    ]
    if excluded:
        blocks.append(ItemList(tuple(f"{item.study.label}: {item.reason}" for item in excluded)))
    return Section("appraisal", title, tuple(blocks))


# --- 5. Included studies and co-production ---------------------------------------------


def _studies_part(tx: Tx, review_id: int) -> Section:
    tables = report_tables.review_tables(tx, review_id)
    table2, table3, table4, table5, by_model, by_scale = tables
    scheme = coproduction.scoring_scheme(tx, review_id)
    low, high = scheme.range(coproduction.review_scales(tx, review_id))
    scored = [(s.label, s.score) for s in report_tables.kept_scores(tx, review_id)]
    bars = [(label, score) for label, score in scored if score is not None]
    plots = report_tables.link_plots(tx, review_id)
    blocks: list[Block] = [
        Paragraph(f"{len(table2.rows)} studies are included."),
        table2,
        table3,
    ]
    co_production: list[Block] = []
    if bars:
        title = "Extent-of-co-production score of each study, highest first"
        svg = score_bars_svg(bars, low=low, high=high, title=title)
        co_production.append(
            Figure(key="score-bars", caption=title, alt=_description(svg), svg=svg, width_cm=14.0)
        )
    unscored = [label for label, score in scored if score is None]
    if unscored:
        co_production.append(
            Paragraph(f"Not yet scored (no agreed level): {', '.join(unscored)}.", note=True)
        )
    co_production.append(table4)
    links: list[Block] = []
    for table in (by_model, by_scale):
        links.append(table)
        svg = plots[f"{table.key}.svg"]  # the plot of a link-analysis table is named as it is
        links.append(
            Figure(
                key=table.key,
                caption=f"{table.title.removeprefix('Link analysis: ').capitalize()}: "
                "each dot a study, the line the mean",
                alt=_description(svg),
                svg=svg,
            )
        )
    co_production.append(Section("link-analysis", "Link analysis", tuple(links)))
    blocks.append(Section("co-production", "Extent of co-production", tuple(co_production)))
    blocks.append(table5)
    return Section("included-studies", "Included studies", tuple(blocks))


# --- 6. Synthesis ----------------------------------------------------------------------


def _synthesis_part(tx: Tx, review_id: int, labels: Mapping[int, str]) -> Section:
    synthesis = themes.read_synthesis(tx, review_id)
    concepts = synthesis.concepts
    blocks: list[Block] = [
        Section("phases", "The seven phases (Noblit and Hare)", (_phase_table(tx, review_id),)),
        Section("relating", "How the studies are related", _relating(tx, review_id, labels)),
        Section("translation-order", "The order of translation", _order(tx, review_id, labels)),
        Section(
            "translations",
            "Translating the studies into one another",
            _translations(tx, review_id, concepts, labels),
        ),
    ]
    figure3 = synthesis_figures.theme_map_svg(tx, review_id)
    shown: dict[tuple[str, str], str] = {}
    theme_blocks: list[Block] = [
        _figure("figure-3-theme-map", "Figure 3. The categories, themes and sub-themes", figure3)
    ]
    if not synthesis.tree:
        theme_blocks.append(Paragraph("No themes yet.", note=True))
    theme_blocks.extend(
        _theme_section(node, synthesis.labels, synthesis.citations, synthesis.quotes, shown)
        for node in synthesis.tree
    )
    blocks.append(Section("themes", "Themes", tuple(theme_blocks)))
    figure4 = synthesis_figures.interpretations_svg(tx, review_id)
    figure5 = synthesis_figures.coproduction_cycle_svg(tx, review_id)
    names = {node.theme.id: node.theme.name for node in _walk(synthesis.tree)}
    interpretation_blocks: list[Block] = [
        _figure(
            "figure-4-interpretations",
            "Figure 4. Themes, the advisory group's translations and the new interpretations",
            figure4,
        )
    ]
    for interpretation, support in synthesis.interpretations:
        lines = [interpretation.statement]
        named = [names[t] for t in interpretation.theme_ids if t in names]
        if named:
            lines.append(f"From the themes: {', '.join(named)}.")
        lines.append(_studies_line(support.record_ids, synthesis.labels))
        interpretation_blocks.append(
            Section(
                f"interpretation-{interpretation.id}",
                interpretation.title,
                (Paragraph("\n".join(lines)),),
            )
        )
    if not synthesis.interpretations:
        interpretation_blocks.append(Paragraph("No interpretations yet.", note=True))
    interpretation_blocks.append(
        _figure(
            "figure-5-co-delivery-cycle",
            "Figure 5. The ladder of co-production leading to co-delivery, and the cycle",
            figure5,
        )
    )
    blocks.append(
        Section(
            "interpretations",
            "Line of argument: the new interpretations",
            tuple(interpretation_blocks),
        )
    )
    return Section("synthesis", "Synthesis", tuple(blocks))


def _phase_table(tx: Tx, review_id: int) -> ReportTable:
    rows = []
    for state in phases.phase_states(tx, review_id):
        produced = [e.text for e in state.events if e.kind.value == "produced" and e.text]
        rows.append(
            (
                f"{int(state.phase)}. {state.phase.title}",
                state.status.value,
                state.started_at.date().isoformat() if state.started_at else "-",
                state.completed_at.date().isoformat() if state.completed_at else "-",
                "\n".join(produced) or "-",
            )
        )
    return ReportTable(
        key="phases",
        title="The phases of the meta-ethnography, from the phase log",
        columns=("Phase", "Status", "Started", "Completed", "What it produced"),
        rows=tuple(rows),
    )


def _relating(tx: Tx, review_id: int, labels: Mapping[int, str]) -> tuple[Block, ...]:
    judgements = relating.relating_judgements(tx, review_id)
    if not judgements:
        return (Paragraph(f"How the studies relate: {NONE_YET}.", note=True),)
    return tuple(
        Paragraph(
            f"{judgement.relation.value.capitalize()} "
            f"({_studies_named(judgement.record_ids, labels)}): {judgement.rationale}"
        )
        for judgement in judgements
    )


def _order(tx: Tx, review_id: int, labels: Mapping[int, str]) -> tuple[Block, ...]:
    order = relating.translation_order(tx, review_id)
    why = order.rationale or "(no reason recorded: the default order)"
    lines = [f"Studies were translated in order of {order.basis.value}. Why: {why}"]
    if order.index_record_id is not None:
        lines.append(f"Index paper: {labels.get(order.index_record_id, 'unknown')}.")
    return (
        Paragraph("\n".join(lines)),
        ItemList(tuple(labels.get(r, f"record {r}") for r in order.record_ids), ordered=True),
    )


def _translations(
    tx: Tx, review_id: int, concepts: Mapping[int, Concept], labels: Mapping[int, str]
) -> tuple[Block, ...]:
    made = translation.translations(tx, review_id)
    tables = {roundtable.id: roundtable for roundtable in roundtables.roundtables(tx, review_id)}

    def whose(concept: Concept) -> str:
        if concept.source is ConceptSource.STUDY and concept.record_id is not None:
            return labels.get(concept.record_id, "a study no longer included")
        if concept.source is ConceptSource.ROUNDTABLE and concept.roundtable_id in tables:
            found = tables[concept.roundtable_id]
            return found.title or f"Roundtable {found.held_on.isoformat()}"
        return "the review team"

    def terms(ids: Iterable[int]) -> str:
        return "\n".join(
            f"{whose(concepts[c])}: \u2018{concepts[c].name}\u2019" for c in ids if c in concepts
        )

    def into(translated: int | None) -> str:
        found = concepts.get(translated) if translated is not None else None
        return found.name if found is not None else "-"

    reciprocal = [t for t in made if t.relation is Relation.RECIPROCAL]
    refutational = [t for t in made if t.relation is Relation.REFUTATIONAL]
    lines = [t for t in made if t.relation is Relation.LINE_OF_ARGUMENT]
    blocks: list[Block] = [
        Paragraph(
            f"{len(reciprocal)} reciprocal translations (each study's own terms merged into "
            f"a concept of the review's), {len(refutational)} refutational (concepts that "
            f"contradict one another, and why), {len(lines)} lines of argument."
        )
    ]
    if reciprocal:
        # The account is optional for a reciprocal translation; its column is shown only
        # when some translation has one.
        accounts = any(t.account for t in reciprocal)
        blocks.append(
            ReportTable(
                key="reciprocal-translations",
                title="Reciprocal translations",
                columns=("Translated into", "Each study's own terms", *(("Account",) * accounts)),
                rows=tuple(
                    (
                        into(t.into_concept_id),
                        terms(t.from_concept_ids),
                        *((t.account or "-",) * accounts),
                    )
                    for t in reciprocal
                ),
            )
        )
    if refutational:
        blocks.append(
            ReportTable(
                key="refutational-translations",
                title="Refutational translations",
                columns=("Concepts in contradiction", "Explanation", "Account"),
                rows=tuple(
                    (
                        terms(t.from_concept_ids),
                        t.explanation.value if t.explanation else "-",
                        t.account,
                    )
                    for t in refutational
                ),
            )
        )
    if lines:
        blocks.append(
            ReportTable(
                key="lines-of-argument",
                title="Lines of argument",
                columns=("Argued into", "From", "Account"),
                rows=tuple(
                    (into(t.into_concept_id), terms(t.from_concept_ids), t.account or "-")
                    for t in lines
                ),
            )
        )
    others = translation.alternatives(tx, review_id)
    if others:
        blocks.append(Paragraph("Alternative interpretations the team considered:"))
        blocks.append(ItemList(tuple(alternative.text for alternative in others)))
    return tuple(blocks)


def _theme_section(
    node: ThemeNode,
    labels: Mapping[int, str],
    citations: Mapping[int, str],
    quotes: Mapping[int, tuple[str, str]],
    shown: dict[tuple[str, str], str],
) -> Section:
    """A theme with its studies and quotations, then its sub-themes. `shown` remembers
    where each quotation was given in full (across the whole tree), so a quotation coded
    under several themes is quoted once, as the paper quotes it, and pointed to after."""
    blocks: list[Block] = []
    if node.theme.description:
        blocks.append(Paragraph(node.theme.description))
    blocks.append(Paragraph(_studies_line(node.support.record_ids, labels)))
    # A theme's support gathers its sub-themes'; a quotation belongs where it is coded,
    # not under every level above it.
    below = {c.id for child in node.children for c in child.support.codings}
    for coding in node.support.codings:
        if coding.id in below:
            continue
        text, citation = quotes.get(
            coding.id, (coding.passage.excerpt, citations.get(coding.id, ""))
        )
        if not text.strip():
            continue
        where = shown.get((text, citation))
        if where is None:
            shown[(text, citation)] = node.theme.name
            blocks.append(Quotation(text, citation))
        elif where != node.theme.name:
            blocks.append(Paragraph(f"Also: the quotation {citation} under {where}."))
    blocks.extend(
        _theme_section(child, labels, citations, quotes, shown) for child in node.children
    )
    title = f"{node.theme.name} ({node.theme.level.value})"
    return Section(f"theme-{node.theme.id}", title, tuple(blocks))


def _studies_line(record_ids: Sequence[int], labels: Mapping[int, str]) -> str:
    named = [labels[r] for r in record_ids if r in labels]
    if not named:
        return "Studies: none yet."
    return f"Studies ({len(named)}): {', '.join(named)}."


def _studies_named(record_ids: Sequence[int], labels: Mapping[int, str]) -> str:
    if not record_ids:
        return "all included studies"
    return ", ".join(labels.get(r, f"record {r}") for r in record_ids)


def _walk(nodes: Iterable[ThemeNode]) -> Iterable[ThemeNode]:
    for node in nodes:
        yield node
        yield from _walk(node.children)


# --- 7. The advisory group -------------------------------------------------------------


def _advisory_part(tx: Tx, review_id: int) -> Section:
    members = advisory_group.group_members(tx, review_id)
    kinds = Counter(member.kind for member in members)
    make_up = ", ".join(
        f"{kinds[k]} {k.plural if kinds[k] != 1 else k.value}" for k in MemberKind if kinds[k]
    )
    blocks: list[Block] = [
        Paragraph(
            f"The advisory group: {len(members)} members ({make_up})."
            if members
            else "No advisory group is recorded for this review.",
            note=not members,
        )
    ]
    report = gripp2.gripp2_report(tx, review_id)
    items: list[Block] = []
    for item in report.items:
        text = f"Not yet reported. {item.text}" if item.missing else item.text
        items.append(
            Section(
                f"gripp2-{item.number}",
                f"{item.number}. {item.title}",
                (Paragraph(text, note=item.missing),),
            )
        )
    blocks.append(Section("gripp2", "GRIPP2 short form", tuple(items)))
    blocks.append(_contributions_table(tx, review_id))
    held = meetings.meetings(tx, review_id)
    if held:
        blocks.append(
            ReportTable(
                key="meetings",
                title="Meetings of the advisory group",
                columns=("Date", "How", "Meeting", "Phase", "Members present"),
                rows=tuple(
                    (
                        m.held_on.isoformat(),
                        m.mode.value,
                        m.title,
                        m.phase.title if m.phase else "-",
                        str(len(m.attendee_ids)),
                    )
                    for m in held
                ),
            )
        )
    actions = meetings.action_log(tx, review_id)
    if actions:
        blocks.append(
            ReportTable(
                key="action-log",
                title="Figure 2 of the paper's kind: the advisory group's action log",
                columns=("Task", "Who", "Phase", "Due", "Done"),
                rows=tuple(
                    (
                        action.task,
                        _who(len(action.member_ids), action.review_team),
                        action.phase.title if action.phase else "-",
                        action.due_on.isoformat() if action.due_on else "-",
                        action.done_on.isoformat() if action.done_on else "not yet",
                    )
                    for action in actions
                ),
            )
        )
    blocks.extend(_resonance(tx, review_id))
    return Section("advisory-group", "The advisory group's involvement", tuple(blocks))


def _who(members: int, review_team: bool) -> str:
    parts = []
    if members:
        parts.append(f"advisory group ({members} member{'s' if members != 1 else ''})")
    if review_team:
        parts.append(REVIEW_TEAM)
    return " and ".join(parts) or "-"


def _contributions_table(tx: Tx, review_id: int) -> ReportTable:
    rows = []
    for entry in gripp2.contributions(tx, review_id):
        rows.append(
            (
                f"{int(entry.phase)}. {entry.phase.title}"
                if entry.phase
                else "Not tied to a phase",
                str(len(entry.actions)),
                str(len(entry.meetings) + len(entry.roundtables)),
                format_hours(entry.minutes) if entry.minutes else "-",
                "\n".join(note.text for note in entry.notes) or "-",
            )
        )
    return ReportTable(
        key="contributions",
        title="The advisory group's contributions, phase by phase",
        columns=("Phase", "Actions", "Meetings and roundtables", "Hours (all members)", "Notes"),
        rows=tuple(rows),
        notes=("eMERGe asks how the public took part in each phase (France et al. 2019).",),
    )


def _resonance(tx: Tx, review_id: int) -> list[Block]:
    latest = latest_resonances(resonance.resonances(tx, review_id))
    if not latest:
        return []
    synthesis = themes.read_synthesis(tx, review_id)
    names: dict[tuple[FindingKind, int], str] = {
        (FindingKind.THEME, node.theme.id): node.theme.name for node in _walk(synthesis.tree)
    }
    names.update(
        {(FindingKind.INTERPRETATION, i.id): i.title for i, _support in synthesis.interpretations}
    )
    rows = [
        (
            names.get(
                (record.finding, record.finding_id), f"{record.finding.value} {record.finding_id}"
            ),
            RESONANCE_WORDS[record.resonance],
            record.words or "-",
        )
        for record in sorted(latest.values(), key=lambda r: (r.finding.value, r.finding_id, r.id))
    ]
    return [
        ReportTable(
            key="resonance",
            title="How the findings resonated with the advisory group",
            columns=("Finding", "Resonance", "In their words"),
            rows=tuple(rows),
            notes=("Each voice's latest answer; no one is named.",),
        )
    ]


# --- 8. Reporting checklists -----------------------------------------------------------


# Where in this report each kind of evidence is shown, by section key.
REPORT_SECTIONS: dict[EvidenceKind, str] = {
    EvidenceKind.QUESTION: "question-and-protocol",
    EvidenceKind.SOURCES: "search",
    EvidenceKind.CRITERIA: "screening-protocol",
    EvidenceKind.SCREENING_PROTOCOL: "screening-protocol",
    EvidenceKind.FLOW: "selection",
    EvidenceKind.FULL_TEXT_EXCLUSIONS: "selection",
    EvidenceKind.EXTRACTION_FORM: "extraction-form",
    EvidenceKind.EXTRACTION: "included-studies",
    EvidenceKind.QUOTES: "themes",
    EvidenceKind.CHARACTERISTICS: "included-studies",
    EvidenceKind.APPRAISAL_PROTOCOL: "appraisal-protocol",
    EvidenceKind.APPRAISAL_RESULTS: "appraisal",
    EvidenceKind.PHASES: "phases",
    EvidenceKind.RELATING: "relating",
    EvidenceKind.CONCEPT_GRID: "translations",
    EvidenceKind.TRANSLATION_ORDER: "translation-order",
    EvidenceKind.TRANSLATIONS: "translations",
    EvidenceKind.THEMES: "themes",
    EvidenceKind.INTERPRETATIONS: "interpretations",
    EvidenceKind.INVOLVEMENT_AIM: "gripp2",
    EvidenceKind.INVOLVEMENT_METHODS: "gripp2",
    EvidenceKind.INVOLVEMENT_RESULTS: "gripp2",
    EvidenceKind.INVOLVEMENT_DISCUSSION: "gripp2",
    EvidenceKind.INVOLVEMENT_REFLECTIONS: "gripp2",
}


def _checklists_part(tx: Tx, review_id: int, titles: Mapping[str, str]) -> Section:
    """Each reporting checklist filled from the data, with where in this report each item's
    evidence is shown; an item the review has nothing for is flagged with what to add."""
    blocks: list[Block] = []
    for checklist in checklist_service.checklists(tx):
        filled = checklist_service.fill_checklist(tx, review_id, checklist.id)
        rows = []
        for item in filled.items:
            keys = {REPORT_SECTIONS.get(e.kind, "") for e in item.evidence}
            shown = sorted(titles[key] for key in keys if key in titles)
            evidence = " ".join(f"{e.kind.label}: {e.summary}" for e in item.evidence)
            status = item.status.value
            # A manuscript-only item needs the same words each time: they are said once, below.
            if item.flagged and item.to_add and item.status is not ItemStatus.MANUSCRIPT:
                status += ". To add: " + " ".join(item.to_add)
            rows.append(
                (
                    item.item.number,
                    item.item.title,
                    evidence or "(the manuscript only)",
                    ", ".join(shown) or "-",
                    status,
                )
            )
        flagged = len(filled.flagged)
        blocks.append(
            Section(
                f"checklist-{checklist.id}",
                checklist.title,
                (
                    Paragraph(
                        f"{len(filled.items)} items; {flagged} flagged (the review has nothing "
                        "for them yet, or only part)."
                        if flagged
                        else f"{len(filled.items)} items; none flagged."
                    ),
                    ReportTable(
                        key=f"checklist-{checklist.id}",
                        title=f"{checklist.name}, filled from the review's records",
                        columns=(
                            "Item",
                            "Title",
                            "Where in the review",
                            "In this report",
                            "Status",
                        ),
                        rows=tuple(rows),
                        notes=(
                            "Manuscript only: cosynth keeps no data for the item; write it in "
                            "the manuscript and note where it is reported.",
                            f"Source: {checklist.citation}",
                            f"Licence: {checklist.licence}",
                        ),
                    ),
                ),
            )
        )
    return Section("checklists", "Reporting checklists", tuple(blocks))


# --- helpers ---------------------------------------------------------------------------


def _figure(key: str, caption: str, svg: bytes) -> Figure:
    return Figure(key=key, caption=caption, alt=_description(svg), svg=svg)


DESC = re.compile(r"<desc[^>]*>(.*?)</desc>", re.DOTALL)
TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.DOTALL)


def _description(svg: bytes) -> str:
    """The figure's own description (its <desc>, else its <title>) as the picture's words."""
    text = svg.decode("utf-8")
    found = DESC.search(text) or TITLE.search(text)
    return " ".join(unescape(found.group(1)).split()) if found else ""
