"""The worked example: the paper's review rebuilt from data through cosynth's own services.

`examples/conquer2024.toml` holds the paper's ten included studies, Table 2's
characteristics, what the Findings say of each study, the quotations it cites
and per-scale levels reproducing its published scores. `build_worked_example`
takes them through the real path: imported as records, included by bob and
carol at title/abstract and full text, extracted by both (so the values agree
and become the consensus), quoted, and scored by both raters with alice's
consensus where they differ. Nothing in a table is typed in (DESIGN.md rule 2).
"""

from __future__ import annotations

import io
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from cosynth.domain.citation import Citation
from cosynth.domain.coproduction import Combination
from cosynth.domain.extraction import ExtractionForm, FieldKind, FormField
from cosynth.domain.quotes import QuoteKind
from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.errors import DataFileError
from cosynth.formats.registry import get_writer
from cosynth.services import coproduction, extraction, quotes, screening
from cosynth.services.imports import import_file
from cosynth.services.records import list_records
from cosynth.services.workspace import Workspace

EXAMPLE_FILE = "conquer2024.toml"
# The rater who, in the example, reads two studies one step differently from
# bob; alice records the consensus (the paper's lead author scored).
SECOND_RATER_DIFFERS: Mapping[int, tuple[str, str]] = {
    55: ("nhse-spectrum", "Collaborating"),
    48: ("tlap-ladder", "Engagement"),
}


@dataclass(frozen=True, slots=True)
class ExampleStudy:
    ref: int
    citation: Citation
    characteristics: Mapping[str, Any]
    levels: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class ExampleQuote:
    ref: int
    page: str
    kind: QuoteKind
    text: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class WorkedExample:
    title: str
    source: str
    scales: tuple[str, ...]
    combination: Combination
    provision_order: tuple[str, ...]
    studies: tuple[ExampleStudy, ...]
    statements: tuple[tuple[str, str, tuple[int, ...]], ...]
    quotes: tuple[ExampleQuote, ...]

    def study(self, ref: int) -> ExampleStudy:
        return next(study for study in self.studies if study.ref == ref)


# The extraction form of the example: the columns of the paper's Tables 2-5.
TABLE_FIELDS: tuple[tuple[str, str, FieldKind], ...] = (
    ("country", "Country", FieldKind.TEXT),
    ("provision", "Integrated care provision", FieldKind.TEXT),
    ("models", "Co-production model(s)", FieldKind.MULTIPLE_CHOICE),
    ("scale_of_provision", "Scale of provision", FieldKind.SINGLE_CHOICE),
    ("service_users", "Service users involved", FieldKind.NUMBER),
    ("carers", "Carers involved", FieldKind.NUMBER),
    ("staff", "Staff involved", FieldKind.NUMBER),
    ("demographics", "Demographics", FieldKind.LONG_TEXT),
    ("equity", "Evidence of equity", FieldKind.LONG_TEXT),
    ("evaluation", "Evaluation techniques", FieldKind.LONG_TEXT),
    ("outcomes", "Key outcomes of co-production", FieldKind.LONG_TEXT),
    ("definition", "Definition of co-production", FieldKind.LONG_TEXT),
    ("facilitators", "Facilitators", FieldKind.LONG_TEXT),
    ("barriers", "Barriers", FieldKind.LONG_TEXT),
    ("recommendations", "Recommendations", FieldKind.LONG_TEXT),
)


def load_worked_example(name: str = EXAMPLE_FILE) -> WorkedExample:
    """The example shipped in `cosynth/examples`, checked; a mistake names the file."""
    text = files("cosynth.examples").joinpath(name).read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
        example = _example(data)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(name, f"this is not valid TOML ({exc})") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(name, f"the example is incomplete or wrong: {exc!r}") from None
    refs = {study.ref for study in example.studies}
    for _field, _text, cited in example.statements:
        unknown = set(cited) - refs
        if unknown:
            raise DataFileError(name, f"a statement cites references not in the example: {unknown}")
    for quote in example.quotes:
        if quote.ref not in refs:
            raise DataFileError(name, f"a quote cites reference {quote.ref}, not in the example")
    return example


def _example(data: dict[str, Any]) -> WorkedExample:
    head = data["example"]
    studies = []
    for raw in data["studies"]:
        citation = Citation(
            title=raw["title"],
            authors=tuple(raw["authors"]),
            year=int(raw["year"]),
            journal=raw.get("journal", ""),
            volume=raw.get("volume", ""),
            issue=raw.get("issue", ""),
            pages=raw.get("pages", ""),
            doi=raw.get("doi", ""),
            url=raw.get("url", ""),
            language=raw.get("language", ""),
            publication_type=raw.get("publication_type", ""),
        )
        characteristics = {
            "country": raw["country"],
            "provision": raw["provision"],
            "models": tuple(raw["models"]),
            "scale_of_provision": raw["scale_of_provision"],
        }
        studies.append(ExampleStudy(int(raw["ref"]), citation, characteristics, raw["levels"]))
    return WorkedExample(
        title=head["title"],
        source=head["source"],
        scales=tuple(head["scales"]),
        combination=Combination(head["combination"]),
        provision_order=tuple(head["provision_order"]),
        studies=tuple(studies),
        statements=tuple(
            (s["field"], s["text"], tuple(int(r) for r in s["refs"])) for s in data["statements"]
        ),
        quotes=tuple(
            ExampleQuote(
                int(q["ref"]), str(q["page"]), QuoteKind(q["kind"]), q["text"], q.get("note", "")
            )
            for q in data["quotes"]
        ),
    )


def example_form(example: WorkedExample) -> ExtractionForm:
    """The extraction form: Tables 2-5's columns, with the example's models as choices."""
    models = sorted({m for s in example.studies for m in s.characteristics["models"]})
    choices = {"models": tuple(models), "scale_of_provision": example.provision_order}
    return ExtractionForm(
        title="Co-production in integrated care: data extraction",
        fields=tuple(
            FormField(key=key, label=label, kind=kind, choices=choices.get(key, ()))
            for key, label, kind in TABLE_FIELDS
        ),
    )


def extracted_values(example: WorkedExample, ref: int) -> dict[str, object]:
    """What an extractor enters for study `ref`: Table 2's facts and the Findings' statements."""
    values: dict[str, object] = dict(example.study(ref).characteristics)
    for field_key, text, cited in example.statements:
        if ref in cited:
            earlier = values.get(field_key)
            values[field_key] = f"{earlier}; {text}" if earlier else text
    return values


def build_worked_example(
    workspace: Workspace,
    review_id: int,
    example: WorkedExample,
    *,
    lead: str = "alice",
    reviewers: tuple[str, str] = ("bob", "carol"),
) -> dict[int, int]:
    """Take the example's studies through the review; the paper's reference -> record id."""
    with workspace.transaction(lead) as tx:
        ris = io.StringIO()
        get_writer("ris").write([study.citation for study in example.studies], ris)
        import_file(
            tx,
            review_id,
            "conquer2024-included-studies.ris",
            ris.getvalue().encode("utf-8"),
            database="Worked example: Conquer et al. 2024",
        )
        by_title = {record.citation.title: record.id for record in list_records(tx, review_id)}
        records = {study.ref: by_title[study.citation.title] for study in example.studies}
        extraction.save_form(tx, review_id, example_form(example), note="The paper's Tables 2-5")
        coproduction.set_scoring_scheme(
            tx, review_id, example.scales, combination=example.combination
        )
    for stage in (Stage.TITLE_ABSTRACT, Stage.FULL_TEXT):
        for reviewer in reviewers:
            with workspace.transaction(reviewer) as tx:
                for record_id in records.values():
                    screening.cast_vote(tx, review_id, record_id, Decision.INCLUDE, stage=stage)
    for reviewer in reviewers:
        with workspace.transaction(reviewer) as tx:
            for ref, record_id in records.items():
                extraction.set_values(tx, review_id, record_id, extracted_values(example, ref))
                extraction.mark_done(tx, review_id, record_id)
    with workspace.transaction(reviewers[0]) as tx:
        for quote in example.quotes:
            quotes.add_quote(
                tx,
                review_id,
                records[quote.ref],
                quote.text,
                kind=quote.kind,
                page=quote.page,
                note=quote.note,
            )
    _score(workspace, review_id, example, records, lead=lead, reviewers=reviewers)
    return records


def _score(
    workspace: Workspace,
    review_id: int,
    example: WorkedExample,
    records: Mapping[int, int],
    *,
    lead: str,
    reviewers: tuple[str, str],
) -> None:
    first, second = reviewers
    for rater in reviewers:
        with workspace.transaction(rater) as tx:
            for study in example.studies:
                for scale, level in study.levels.items():
                    differs = SECOND_RATER_DIFFERS.get(study.ref)
                    given = (
                        differs[1]
                        if rater == second and differs is not None and differs[0] == scale
                        else level
                    )
                    coproduction.rate_study(tx, review_id, records[study.ref], scale, given)
    with workspace.transaction(lead) as tx:
        for ref, (scale, _level) in SECOND_RATER_DIFFERS.items():
            coproduction.agree_level(
                tx,
                review_id,
                records[ref],
                scale,
                example.study(ref).levels[scale],
                rationale=f"{first} and {second} differed by one step; agreed in discussion",
            )
