"""Tables 2-5 of the paper's kind and the link analysis, computed from the review's data.

Table 2: included studies; Table 3: further characteristics; Table 4: studies
re-ordered by extent-of-co-production score with the people involved; Table 5:
definitions, facilitators, barriers, recommendations. Characteristics come
from the extraction consensus (fields named as in `worked_example.TABLE_FIELDS`);
a field with no agreed value reads "not extracted". Scores come from the
co-production ratings. Nothing is typed in (DESIGN.md rule 2). The studies are
those included at full text and kept after critical appraisal (`kept_studies`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from cosynth.domain.coproduction import LinkAnalysis, StudyScore, competition_ranks, link_analysis
from cosynth.domain.report_tables import ReportTable
from cosynth.domain.roles import Permission
from cosynth.domain.study import Study
from cosynth.errors import InputError
from cosynth.render.link_plot import link_plot_svg
from cosynth.render.tables import FORMATS, table_csv, tables_docx, tables_markdown
from cosynth.services import appraisal, coproduction, extraction
from cosynth.services.reviews import get_review
from cosynth.services.studies import included_studies
from cosynth.services.workspace import Tx

NOT_EXTRACTED = "not extracted"
# The order of the paper's scale of provision, from its two ends (pathway, whole system).
PROVISION_ORDER = ("access to a pathway", "a service", "a whole integrated care system")


def study_characteristics(tx: Tx, review_id: int) -> dict[int, dict[str, str]]:
    """Each included study's agreed extraction values as text, by record id."""
    try:
        agreed = extraction.consensus_values(tx, review_id)
    except InputError:  # no extraction form yet: nothing extracted
        return {}
    return {
        study.record_id: {key: _text(found.value) for key, found in values.items()}
        for study, values in agreed
    }


def _text(value: object) -> str:
    if isinstance(value, tuple):
        return "; ".join(_text(item) for item in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def _categories(characteristics: Mapping[int, Mapping[str, str]], key: str) -> dict[int, list[str]]:
    return {
        record_id: [part.strip() for part in values[key].split(";") if part.strip()]
        for record_id, values in characteristics.items()
        if values.get(key)
    }


def kept_studies(tx: Tx, review_id: int) -> list[Study]:
    """The included studies less those excluded at critical appraisal: the studies of the
    review's tables, as of its PRISMA flow's "studies included" (the paper appraised
    eleven, excluded one, and tabled ten)."""
    left_out = {found.study.record_id for found in appraisal.appraisal_exclusions(tx, review_id)}
    return [study for study in included_studies(tx, review_id) if study.record_id not in left_out]


def kept_scores(tx: Tx, review_id: int) -> list[StudyScore]:
    """The co-production scores of the kept studies, highest first."""
    kept = {study.record_id for study in kept_studies(tx, review_id)}
    return [found for found in coproduction.study_scores(tx, review_id) if found.record_id in kept]


def link_analyses(tx: Tx, review_id: int) -> tuple[LinkAnalysis, LinkAnalysis]:
    """Score against co-production model, and against scale of provision."""
    scores = kept_scores(tx, review_id)
    characteristics = study_characteristics(tx, review_id)
    by_model = link_analysis("co-production model", scores, _categories(characteristics, "models"))
    by_scale = link_analysis(
        "scale of provision",
        scores,
        _categories(characteristics, "scale_of_provision"),
        order=PROVISION_ORDER,
    )
    return by_model, by_scale


def review_tables(tx: Tx, review_id: int) -> list[ReportTable]:
    """Tables 2-5 and the two link-analysis tables, in report order."""
    tx.require(review_id, Permission.VIEW)
    studies = kept_studies(tx, review_id)
    values = study_characteristics(tx, review_id)
    scheme = coproduction.scoring_scheme(tx, review_id)
    scales = coproduction.review_scales(tx, review_id)
    scores = kept_scores(tx, review_id)

    def get(record_id: int, key: str) -> str:
        return values.get(record_id, {}).get(key) or NOT_EXTRACTED

    source_note = (
        "Characteristics are the extractors' agreed values; "
        f"'{NOT_EXTRACTED}' marks a field with no agreed value."
    )
    table2 = ReportTable(
        key="table-2-included-studies",
        title="Table 2. Included studies",
        columns=(
            "Primary author",
            "Publication",
            "Country",
            "Integrated care provision",
            "Co-production model(s)",
        ),
        rows=tuple(
            (
                study.label,
                ", ".join(p for p in (study.citation.journal, str(study.citation.year or "")) if p),
                get(study.record_id, "country"),
                get(study.record_id, "provision"),
                get(study.record_id, "models"),
            )
            for study in studies
        ),
        notes=(source_note,),
    )
    table3 = ReportTable(
        key="table-3-further-characteristics",
        title="Table 3. Further study characteristics",
        columns=(
            "Study",
            "DOI",
            "Scale of provision",
            "Key outcomes of co-production",
            "Evaluation techniques",
        ),
        rows=tuple(
            (
                study.label,
                study.citation.doi or study.citation.url or "-",
                get(study.record_id, "scale_of_provision"),
                get(study.record_id, "outcomes"),
                get(study.record_id, "evaluation"),
            )
            for study in studies
        ),
        notes=(source_note,),
    )
    table4 = _score_table(
        scores,
        scheme.scales,
        scales_names={k: v.name for k, v in scales.items()},
        get=get,
        describe=scheme.describe(scales),
    )
    table5 = ReportTable(
        key="table-5-definitions-facilitators-barriers",
        title="Table 5. Definitions, facilitators, barriers and recommendations",
        columns=(
            "Study",
            "Definition of co-production",
            "Facilitators",
            "Barriers",
            "Recommendations",
        ),
        rows=tuple(
            (
                study.label,
                get(study.record_id, "definition"),
                get(study.record_id, "facilitators"),
                get(study.record_id, "barriers"),
                get(study.record_id, "recommendations"),
            )
            for study in studies
        ),
        notes=(source_note,),
    )
    by_model, by_scale = link_analyses(tx, review_id)
    return [table2, table3, table4, table5, _link_table(by_model), _link_table(by_scale)]


def _score_table(
    scores: Sequence[StudyScore],
    scale_ids: Sequence[str],
    *,
    scales_names: Mapping[str, str],
    get: Callable[[int, str], str],
    describe: str,
) -> ReportTable:
    ranks = competition_ranks(scores)
    rows = []
    for found in scores:
        levels = []
        for scale in scale_ids:
            rank = found.agreed.get(scale)
            label = next(
                (r[scale].label for r in (found.consensus, *found.by_rater.values()) if scale in r),
                "",
            )
            levels.append(f"{rank} {label}" if rank is not None else "not agreed")
        rows.append(
            (
                str(ranks[found.record_id]) if found.record_id in ranks else "-",
                found.label,
                *levels,
                str(found.score) if found.score is not None else "not agreed",
                get(found.record_id, "service_users"),
                get(found.record_id, "carers"),
                get(found.record_id, "staff"),
                get(found.record_id, "demographics"),
                get(found.record_id, "equity"),
                get(found.record_id, "evaluation"),
            )
        )
    return ReportTable(
        key="table-4-score-order",
        title="Table 4. Studies re-ordered by extent of co-production (highest first)",
        columns=(
            "Rank",
            "Study",
            *(scales_names[s] for s in scale_ids),
            "Score",
            "Service users",
            "Carers",
            "Staff",
            "Demographics",
            "Evidence of equity",
            "Evaluation techniques",
        ),
        rows=tuple(rows),
        notes=(
            f"Score: {describe}; the agreed level on each scale (the consensus, or the level "
            "every rater gave).",
        ),
    )


def _link_table(analysis: LinkAnalysis) -> ReportTable:
    key = analysis.characteristic.replace(" ", "-")
    return ReportTable(
        key=f"link-analysis-{key}",
        title=f"Link analysis: score by {analysis.characteristic}",
        columns=("Category", "Studies", "n", "Scores", "Mean score", "Median rank"),
        rows=tuple(
            (
                row.category,
                ", ".join(row.studies),
                str(row.count),
                ", ".join(str(score) for score in row.scores),
                f"{row.mean_score:.1f}",
                f"{row.median_rank:g}",
            )
            for row in analysis.rows
        ),
        notes=(
            "A study with several categories counts in each. Rank 1 is the highest score; "
            "tied studies share a rank.",
            *(["Not yet scored: " + ", ".join(analysis.unscored)] if analysis.unscored else []),
        ),
    )


def report_files(tx: Tx, review_id: int, formats: Sequence[str] = FORMATS) -> dict[str, bytes]:
    """The tables (CSV per table, one Markdown and one DOCX document) and the link plots (SVG)."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise InputError(f"Unknown format {', '.join(unknown)}; formats: {', '.join(FORMATS)}.")
    review = get_review(tx, review_id)
    tables = review_tables(tx, review_id)
    found: dict[str, bytes] = {}
    if "csv" in formats:
        for table in tables:
            found[f"{table.key}.csv"] = table_csv(table)
    if "md" in formats:
        found["tables.md"] = tables_markdown(tables, title=review.title)
    if "docx" in formats:
        found["tables.docx"] = tables_docx(tables, title=review.title)
    found.update(link_plots(tx, review_id))
    return found


def link_plots(tx: Tx, review_id: int, *, id_prefix: str = "") -> dict[str, bytes]:
    """The link analyses as SVG dot plots, by file name (`id_prefix`: for a web page's ids)."""
    scheme = coproduction.scoring_scheme(tx, review_id)
    low, high = scheme.range(coproduction.review_scales(tx, review_id))
    plots: dict[str, bytes] = {}
    for analysis in link_analyses(tx, review_id):
        name = analysis.characteristic.replace(" ", "-")
        plots[f"link-analysis-{name}.svg"] = link_plot_svg(
            analysis,
            low=low,
            high=high,
            title=f"Score by {analysis.characteristic}",
            id_prefix=f"{id_prefix}{name}-" if id_prefix else "",
        )
    return plots
