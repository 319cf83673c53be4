"""The worked example's synthesis and advisory group, taken through cosynth's own services.

`examples/conquer2024_synthesis.toml` holds the meta-ethnography of Conquer et
al. (2024) as data (its header says what is the paper's and what is
cosynth's reading), and `examples/conquer2024_roundtable.vtt` the roundtable
transcript written for cosynth. `load_worked_synthesis` reads and checks both
against the worked example's studies and quotes (conquer2024.toml), so a
mistake in the data names the file and the problem before anything is
written. `build_worked_synthesis` then takes it through the real path, after
`build_worked_example`: the advisory group (members, recruitment, consent,
access needs, pay, meetings, the action log, the roundtable and its
transcript), Noblit & Hare's seven phases in the phase log, the relating
judgement and the order of translation, each study's concepts coded to the
quotes the paper cites, reciprocal and refutational translation, the theme
tree, the three new interpretations, the group's resonance and the GRIPP2
short form. Nothing in an output is typed in (DESIGN.md rule 2).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from typing import Any

from cosynth.domain.advisory import (
    Gripp2Setting,
    GroupMember,
    MeetingMode,
    MemberKind,
    PreferredFormat,
    TranscriptSegment,
    format_hours,
)
from cosynth.domain.quotes import locate
from cosynth.domain.synthesis import (
    ConceptSource,
    ConstructOrder,
    Explanation,
    FindingKind,
    OrderBasis,
    PassageKind,
    Phase,
    PhaseEventKind,
    Relation,
    Resonance,
    ThemeLevel,
)
from cosynth.errors import DataFileError, ImportFileError, InputError
from cosynth.formats.action_log import write_action_log_csv
from cosynth.formats.transcripts import read_transcript
from cosynth.services import (
    advisory_group,
    coding,
    concepts,
    gripp2,
    meetings,
    phases,
    quotes,
    relating,
    remuneration,
    resonance,
    roundtables,
    synthesis_figures,
    themes,
    translation,
)
from cosynth.services.worked_example import WorkedExample
from cosynth.services.workspace import Tx, Workspace

SYNTHESIS_FILE = "conquer2024_synthesis.toml"
# The group's resonance was given together at the roundtable ("CAG members
# affirmed study findings were valid, meaningful and sensible in comparison
# to their experience", the paper's Findings); the lead records it for them.
GROUP_VOICE = "the advisory group at the roundtable"


# --- the data, as read -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuoteCode:
    """A span of a quotation the paper cites ("[ref: page]"), coded to a study's concept."""

    ref: int
    page: str
    excerpt: str


@dataclass(frozen=True, slots=True)
class SubTheme:
    """A sub-theme: the third-order concept each cited study's concept is translated into."""

    name: str
    refs: tuple[int, ...]
    terms: Mapping[int, str]
    codes: tuple[QuoteCode, ...]

    def term(self, ref: int) -> str:
        """The study's own words for the concept where the paper gives them; else the
        sub-theme's name."""
        return self.terms.get(ref, self.name)


@dataclass(frozen=True, slots=True)
class ExampleCategory:
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class ExampleTheme:
    category: str
    name: str
    description: str
    subthemes: tuple[SubTheme, ...]


@dataclass(frozen=True, slots=True)
class StudyConcept:
    ref: int
    name: str


@dataclass(frozen=True, slots=True)
class Refutation:
    """A study's concept read against others' (the paper's comparator, reference 48)."""

    concept: StudyConcept
    against: tuple[StudyConcept, ...]
    explanation: Explanation
    account: str

    @property
    def concepts(self) -> tuple[StudyConcept, ...]:
        return (self.concept, *self.against)


@dataclass(frozen=True, slots=True)
class Alternative:
    about: str  # the name of a refuted concept
    text: str


@dataclass(frozen=True, slots=True)
class ExampleAccess:
    preferred_format: PreferredFormat
    language: str
    large_print: bool
    easy_read: bool
    adjustments: str


@dataclass(frozen=True, slots=True)
class ExampleMember:
    name: str
    kind: MemberKind
    account: str
    channel: str
    applied: date
    answers: tuple[tuple[str, str], ...]
    access: ExampleAccess


@dataclass(frozen=True, slots=True)
class ExampleMeeting:
    held_on: date
    mode: MeetingMode
    title: str
    agenda: str
    minutes: str
    attendees: tuple[str, ...]
    phase: Phase | None


@dataclass(frozen=True, slots=True)
class ExampleAction:
    task: str
    who: tuple[str, ...]
    phase: Phase | None
    due: date | None
    done: date | None


@dataclass(frozen=True, slots=True)
class ExampleHours:
    """Minutes per member: each meeting attended, the roundtable, reading the full texts."""

    each_meeting: int
    roundtable: int
    full_text_reading: int


@dataclass(frozen=True, slots=True)
class ExampleRoundtable:
    held_on: date
    minutes: int
    title: str
    transcript: str  # the file's name in cosynth/examples


@dataclass(frozen=True, slots=True)
class RoundtableConcept:
    """A concept the group's discussion gave, and the words of the turn (cue) it was said in."""

    name: str
    cue: int
    excerpt: str


@dataclass(frozen=True, slots=True)
class ExampleResonance:
    finding: str  # a theme's name (any level) or an interpretation's title
    resonance: Resonance
    words: str


@dataclass(frozen=True, slots=True)
class ExampleInterpretation:
    title: str
    statement: str
    themes: tuple[str, ...]
    concepts: tuple[str, ...]  # roundtable concepts' or sub-themes' names


@dataclass(frozen=True, slots=True)
class ExampleGroup:
    aim: str
    rate_pence_per_hour: int
    rate_note: str
    discussion: str
    reflections: str


@dataclass(frozen=True, slots=True)
class WorkedSynthesis:
    """The synthesis file, checked against the worked example and the transcript."""

    filename: str
    order_basis: OrderBasis
    order_rationale: str
    relation: Relation
    relation_rationale: str
    phases: tuple[tuple[Phase, str], ...]
    categories: tuple[ExampleCategory, ...]
    themes: tuple[ExampleTheme, ...]
    refutations: tuple[Refutation, ...]
    alternatives: tuple[Alternative, ...]
    group: ExampleGroup
    members: tuple[ExampleMember, ...]
    meetings: tuple[ExampleMeeting, ...]
    actions: tuple[ExampleAction, ...]
    hours: ExampleHours
    roundtable: ExampleRoundtable
    transcript: bytes = field(repr=False)
    segments: tuple[TranscriptSegment, ...] = field(repr=False)
    roundtable_concepts: tuple[RoundtableConcept, ...]
    resonance: tuple[ExampleResonance, ...]
    interpretations: tuple[ExampleInterpretation, ...]
    cycle_new_rung: str
    cycle_stages: tuple[str, ...]

    @property
    def subthemes(self) -> tuple[SubTheme, ...]:
        return tuple(sub for theme in self.themes for sub in theme.subthemes)

    @property
    def roundtable_meeting(self) -> ExampleMeeting:
        """The meeting the roundtable was part of (held the same day; checked on loading)."""
        return next(m for m in self.meetings if m.held_on == self.roundtable.held_on)

    @property
    def reading_action(self) -> ExampleAction:
        """The action of reading full texts, whose members are paid the reading hours."""
        return next(a for a in self.actions if "full text" in a.task.lower())


@dataclass(frozen=True, slots=True)
class BuiltSynthesis:
    """What `build_worked_synthesis` made, by the names the data file uses."""

    themes: Mapping[str, int]  # every theme, category and sub-theme, by name
    third_order: Mapping[str, int]  # the sub-themes' third-order concepts, by sub-theme
    members: Mapping[str, int]
    roundtable_id: int
    transcript_id: int
    roundtable_concepts: Mapping[str, int]
    interpretations: Mapping[str, int]


# --- loading and checking ---------------------------------------------------------


def load_worked_synthesis(example: WorkedExample, name: str = SYNTHESIS_FILE) -> WorkedSynthesis:
    """The synthesis shipped in `cosynth/examples`, checked; a mistake names the file."""
    text = files("cosynth.examples").joinpath(name).read_text(encoding="utf-8")
    return read_worked_synthesis(text, example, name=name)


def read_worked_synthesis(text: str, example: WorkedExample, *, name: str) -> WorkedSynthesis:
    """Read and check a synthesis file's text against the worked example's studies and
    quotes and the roundtable transcript it names; DataFileError names `name` and the
    problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(name, f"this is not valid TOML ({exc})") from None
    synthesis = _synthesis(data, name)
    _check(synthesis, example)
    return synthesis


@contextmanager
def _reading(name: str, where: str) -> Iterator[None]:
    """Turn a missing key or a wrong value in one part of the file into a plain message."""
    try:
        yield
    except DataFileError:
        raise
    except KeyError as exc:
        raise DataFileError(name, f"{where} has no {exc.args[0]!r}") from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise DataFileError(name, f"{where} is wrong: {exc}") from None


def _synthesis(data: dict[str, Any], name: str) -> WorkedSynthesis:
    with _reading(name, "[synthesis]"):
        head = data["synthesis"]
        order_basis = OrderBasis(head["order_basis"])
        relation = Relation(head["relation"])
        order_rationale = str(head["order_rationale"])
        relation_rationale = str(head["relation_rationale"])
    phase_notes = []
    for number, raw in enumerate(data.get("phases", []), 1):
        with _reading(name, f"[[phases]] number {number}"):
            phase_notes.append((Phase(int(raw["phase"])), str(raw["produced"])))
    categories = []
    for number, raw in enumerate(data.get("categories", []), 1):
        with _reading(name, f"[[categories]] number {number}"):
            categories.append(ExampleCategory(str(raw["name"]), str(raw.get("description", ""))))
    example_themes = []
    for number, raw in enumerate(data.get("themes", []), 1):
        with _reading(name, f"[[themes]] number {number} ({raw.get('name', '?')!r})"):
            example_themes.append(
                ExampleTheme(
                    category=str(raw["category"]),
                    name=str(raw["name"]),
                    description=str(raw.get("description", "")),
                    subthemes=tuple(_subtheme(sub) for sub in raw.get("subthemes", [])),
                )
            )
    refutations = []
    for number, raw in enumerate(data.get("refutations", []), 1):
        with _reading(name, f"[[refutations]] number {number}"):
            refutations.append(
                Refutation(
                    concept=_study_concept(raw["concept"]),
                    against=tuple(_study_concept(c) for c in raw["against"]),
                    explanation=Explanation(raw["explanation"]),
                    account=str(raw["account"]),
                )
            )
    alternatives = []
    for number, raw in enumerate(data.get("alternatives", []), 1):
        with _reading(name, f"[[alternatives]] number {number}"):
            alternatives.append(Alternative(str(raw["about"]), str(raw["text"])))
    with _reading(name, "[advisory_group]"):
        raw = data["advisory_group"]
        group = ExampleGroup(
            aim=str(raw["aim"]),
            rate_pence_per_hour=int(raw["rate_pence_per_hour"]),
            rate_note=str(raw.get("rate_note", "")),
            discussion=str(raw["discussion"]),
            reflections=str(raw["reflections"]),
        )
    members = []
    for number, raw in enumerate(data.get("members", []), 1):
        with _reading(name, f"[[members]] number {number} ({raw.get('name', '?')!r})"):
            members.append(_member(raw))
    example_meetings = []
    for number, raw in enumerate(data.get("meetings", []), 1):
        with _reading(name, f"[[meetings]] number {number}"):
            example_meetings.append(
                ExampleMeeting(
                    held_on=_date(raw["held_on"]),
                    mode=MeetingMode(raw["mode"]),
                    title=str(raw.get("title", "")),
                    agenda=str(raw.get("agenda", "")),
                    minutes=str(raw.get("minutes", "")),
                    attendees=tuple(str(a) for a in raw.get("attendees", [])),
                    phase=Phase(int(raw["phase"])) if "phase" in raw else None,
                )
            )
    actions = []
    for number, raw in enumerate(data.get("actions", []), 1):
        with _reading(name, f"[[actions]] number {number}"):
            actions.append(
                ExampleAction(
                    task=str(raw["task"]),
                    who=tuple(str(w) for w in raw["who"]),
                    phase=Phase(int(raw["phase"])) if "phase" in raw else None,
                    due=_date(raw["due"]) if "due" in raw else None,
                    done=_date(raw["done"]) if "done" in raw else None,
                )
            )
    with _reading(name, "[[hours]]"):
        (raw,) = data["hours"]
        hours = ExampleHours(
            each_meeting=_minutes(raw["each_meeting"]),
            roundtable=_minutes(raw["roundtable"]),
            full_text_reading=_minutes(raw["full_text_reading"]),
        )
    with _reading(name, "[roundtable]"):
        raw = data["roundtable"]
        table = ExampleRoundtable(
            held_on=_date(raw["held_on"]),
            minutes=int(raw["minutes"]),
            title=str(raw.get("title", "")),
            transcript=str(raw["transcript"]),
        )
    transcript, segments = _transcript(table.transcript, name)
    said = []
    for number, raw in enumerate(data.get("roundtable_concepts", []), 1):
        with _reading(name, f"[[roundtable_concepts]] number {number}"):
            said.append(RoundtableConcept(str(raw["name"]), int(raw["cue"]), str(raw["excerpt"])))
    resonances = []
    for number, raw in enumerate(data.get("resonance", []), 1):
        with _reading(name, f"[[resonance]] number {number}"):
            resonances.append(
                ExampleResonance(
                    str(raw["finding"]), Resonance(raw["resonance"]), str(raw.get("words", ""))
                )
            )
    interpretations = []
    for number, raw in enumerate(data.get("interpretations", []), 1):
        with _reading(name, f"[[interpretations]] number {number}"):
            interpretations.append(
                ExampleInterpretation(
                    title=str(raw["title"]),
                    statement=str(raw["statement"]),
                    themes=tuple(str(t) for t in raw.get("themes", [])),
                    concepts=tuple(str(c) for c in raw.get("concepts", [])),
                )
            )
    with _reading(name, "[cycle]"):
        cycle = data["cycle"]
        new_rung = str(cycle["new_rung"])
        stages = tuple(str(s) for s in cycle["stages"])
    return WorkedSynthesis(
        filename=name,
        order_basis=order_basis,
        order_rationale=order_rationale,
        relation=relation,
        relation_rationale=relation_rationale,
        phases=tuple(phase_notes),
        categories=tuple(categories),
        themes=tuple(example_themes),
        refutations=tuple(refutations),
        alternatives=tuple(alternatives),
        group=group,
        members=tuple(members),
        meetings=tuple(example_meetings),
        actions=tuple(actions),
        hours=hours,
        roundtable=table,
        transcript=transcript,
        segments=segments,
        roundtable_concepts=tuple(said),
        resonance=tuple(resonances),
        interpretations=tuple(interpretations),
        cycle_new_rung=new_rung,
        cycle_stages=stages,
    )


def _subtheme(raw: dict[str, Any]) -> SubTheme:
    return SubTheme(
        name=str(raw["name"]),
        refs=tuple(int(r) for r in raw["refs"]),
        terms={int(ref): str(term) for ref, term in raw.get("terms", {}).items()},
        codes=tuple(
            QuoteCode(int(c["ref"]), str(c["page"]), str(c["excerpt"]))
            for c in raw.get("codes", [])
        ),
    )


def _study_concept(raw: dict[str, Any]) -> StudyConcept:
    return StudyConcept(int(raw["ref"]), str(raw["name"]))


def _member(raw: dict[str, Any]) -> ExampleMember:
    access = raw.get("access", {})
    return ExampleMember(
        name=str(raw["name"]),
        kind=MemberKind(raw["kind"]),
        account=str(raw.get("account", "")),
        channel=str(raw["channel"]),
        applied=_date(raw["applied"]),
        answers=tuple((str(q), str(a)) for q, a in raw.get("answers", [])),
        access=ExampleAccess(
            preferred_format=PreferredFormat(access.get("format", "email")),
            language=str(access.get("language", "English")),
            large_print=bool(access.get("large_print", False)),
            easy_read=bool(access.get("easy_read", False)),
            adjustments=str(access.get("adjustments", "")),
        ),
    )


def _date(value: object) -> date:
    if not isinstance(value, date):
        raise ValueError(f"{value!r} is not a date such as 2021-10-05")
    return value


def _minutes(hours: object) -> int:
    """Hours as the file gives them (2.0, 1.5) in whole minutes, as remuneration keeps them."""
    if not isinstance(hours, int | float) or isinstance(hours, bool) or hours <= 0:
        raise ValueError(f"{hours!r} is not a number of hours such as 1.5")
    minutes = round(hours * 60)
    if abs(minutes - hours * 60) > 1e-9:
        raise ValueError(f"{hours} hours is not a whole number of minutes")
    return minutes


def _transcript(filename: str, name: str) -> tuple[bytes, tuple[TranscriptSegment, ...]]:
    resource = files("cosynth.examples").joinpath(filename)
    if not resource.is_file():
        raise DataFileError(
            name, f"the roundtable's transcript {filename!r} is not in cosynth/examples"
        )
    data = resource.read_bytes()
    try:
        _format, segments = read_transcript(filename, data)
    except ImportFileError as exc:
        raise DataFileError(name, f"the roundtable's transcript cannot be read: {exc}") from None
    return data, segments


def _check(synthesis: WorkedSynthesis, example: WorkedExample) -> None:
    """Every cross-reference in the file resolves, before anything is written."""
    name = synthesis.filename

    def refuse(problem: str) -> DataFileError:
        return DataFileError(name, problem)

    refs = {study.ref for study in example.studies}
    known = ", ".join(str(r) for r in sorted(refs))
    numbers = [phase for phase, _text in synthesis.phases]
    if sorted(numbers) != list(Phase):
        raise refuse(
            "[[phases]] must give each of Noblit & Hare's seven phases (1 to 7) once; "
            f"it gives {', '.join(str(int(p)) for p in numbers) or 'none'}"
        )
    for phase, text in synthesis.phases:
        if not text.strip():
            raise refuse(f"phase {int(phase)} has no 'produced': say what the phase produced")
    categories = [c.name for c in synthesis.categories]
    names: dict[str, str] = {}
    for where, theme_name in (
        *(("category", c) for c in categories),
        *(("theme", t.name) for t in synthesis.themes),
        *(("sub-theme", s.name) for s in synthesis.subthemes),
    ):
        key = theme_name.casefold()
        if key in names:
            raise refuse(
                f"the {where} {theme_name!r} has the name of a {names[key]}: "
                "each category, theme and sub-theme needs a name of its own"
            )
        names[key] = where
    quotes_at: dict[tuple[int, str], list[str]] = {}
    for quote in example.quotes:
        quotes_at.setdefault((quote.ref, quote.page), []).append(quote.text)
    study_terms: dict[tuple[int, str], str] = {}

    def term_once(ref: int, term: str, where: str) -> None:
        key = (ref, term.casefold())
        if key in study_terms:
            raise refuse(
                f"{where} gives study {ref} the concept {term!r}, as {study_terms[key]} does; "
                "a study names each concept once"
            )
        study_terms[key] = where

    for theme in synthesis.themes:
        if theme.category not in categories:
            raise refuse(
                f"the theme {theme.name!r} is under the category {theme.category!r}, which is "
                f"not one of the [[categories]] ({', '.join(categories)})"
            )
        if not theme.subthemes:
            raise refuse(f"the theme {theme.name!r} has no sub-themes")
        for sub in theme.subthemes:
            where = f"the sub-theme {sub.name!r}"
            if not sub.refs:
                raise refuse(f"{where} cites no references: give the studies it rests on")
            unknown = [r for r in sub.refs if r not in refs]
            if unknown:
                raise refuse(
                    f"{where} cites reference {', '.join(map(str, unknown))}, not one of the "
                    f"worked example's studies ({known})"
                )
            if len(set(sub.refs)) != len(sub.refs):
                raise refuse(f"{where} cites a reference twice")
            for ref in sub.terms:
                if ref not in sub.refs:
                    raise refuse(
                        f"{where} gives a term for reference {ref}, which it does not cite"
                    )
            for ref in sub.refs:
                term_once(ref, sub.term(ref), where)
            for code in sub.codes:
                if code.ref not in sub.refs:
                    raise refuse(
                        f"{where} codes a quote of reference {code.ref}, which it does not cite"
                    )
                texts = quotes_at.get((code.ref, code.page))
                if not texts:
                    raise refuse(
                        f"{where} codes a quote of reference {code.ref} on page {code.page}; "
                        "the worked example keeps no quote of that study on that page"
                    )
                if not any(locate([text], code.excerpt) for text in texts):
                    raise refuse(
                        f"{where} codes the words {code.excerpt!r}, which are not in the quote "
                        f"of reference {code.ref} on page {code.page}"
                    )
    refuted: set[str] = set()
    for refutation in synthesis.refutations:
        for concept in refutation.concepts:
            if concept.ref not in refs:
                raise refuse(
                    f"the refutation of {refutation.concept.name!r} cites reference "
                    f"{concept.ref}, not one of the worked example's studies ({known})"
                )
            term_once(concept.ref, concept.name, f"the refutation of {refutation.concept.name!r}")
        if len({c.ref for c in refutation.concepts}) < 2:
            raise refuse(
                f"the refutation of {refutation.concept.name!r} needs concepts of at least "
                "two studies"
            )
        if not refutation.account.strip():
            raise refuse(f"the refutation of {refutation.concept.name!r} has no account")
        refuted.add(refutation.concept.name)
    for alternative in synthesis.alternatives:
        if alternative.about not in refuted:
            raise refuse(
                f"an alternative interpretation is about {alternative.about!r}, which is not "
                "a refuted concept of the [[refutations]]"
            )
    member_names = [m.name for m in synthesis.members]
    if len(set(member_names)) != len(member_names):
        raise refuse("two [[members]] have the same name; give each their own")
    accounts = [m.account for m in synthesis.members if m.account]
    if len(set(accounts)) != len(accounts):
        raise refuse("two [[members]] are linked to the same account")
    for meeting in synthesis.meetings:
        unknown_people = [a for a in meeting.attendees if a not in member_names]
        if unknown_people:
            raise refuse(
                f"the meeting {meeting.title!r} lists {', '.join(unknown_people)}, not among "
                f"the [[members]] ({', '.join(member_names)})"
            )
        joined = [m for m in synthesis.members if m.name in meeting.attendees]
        early = [m.name for m in joined if m.applied > meeting.held_on]
        if early:
            raise refuse(
                f"the meeting {meeting.title!r} on {meeting.held_on.isoformat()} lists "
                f"{', '.join(early)}, who applied after it"
            )
    for action in synthesis.actions:
        unknown_people = [w for w in action.who if w not in member_names]
        if unknown_people:
            raise refuse(
                f"the action {action.task!r} is for {', '.join(unknown_people)}, not among "
                f"the [[members]] ({', '.join(member_names)})"
            )
    on_the_day = [m for m in synthesis.meetings if m.held_on == synthesis.roundtable.held_on]
    if len(on_the_day) != 1:
        raise refuse(
            f"the roundtable on {synthesis.roundtable.held_on.isoformat()} must be part of one "
            f"of the [[meetings]], held that day; {len(on_the_day)} were"
        )
    reading = [a for a in synthesis.actions if "full text" in a.task.lower()]
    if len(reading) != 1 or reading[0].done is None:
        raise refuse(
            "the [[hours]] for reading full texts go with the one action of reading full texts, "
            "done; the [[actions]] have "
            f"{len(reading)} such action{'s' if len(reading) != 1 else ''}"
        )
    transcript = synthesis.roundtable.transcript
    turns = {segment.number: segment for segment in synthesis.segments}
    said_names: set[str] = set()
    for said in synthesis.roundtable_concepts:
        turn = turns.get(said.cue)
        if turn is None:
            raise refuse(
                f"the roundtable concept {said.name!r} is coded to cue {said.cue}; "
                f"{transcript} has cues 1 to {len(turns)}"
            )
        if locate([turn.text], said.excerpt) is None:
            raise refuse(
                f"the roundtable concept {said.name!r} codes the words {said.excerpt!r}, "
                f"which are not in cue {said.cue} of {transcript}"
            )
        if said.name.casefold() in said_names:
            raise refuse(f"the roundtable concept {said.name!r} is given twice")
        said_names.add(said.name.casefold())
    titles = {i.title for i in synthesis.interpretations}
    for record in synthesis.resonance:
        if record.finding.casefold() not in names and record.finding not in titles:
            raise refuse(
                f"the group's resonance is with {record.finding!r}, which is neither a "
                "category, theme or sub-theme nor an interpretation"
            )
    sub_names = {s.name.casefold() for s in synthesis.subthemes}
    for interpretation in synthesis.interpretations:
        for theme_name in interpretation.themes:
            if theme_name.casefold() not in names:
                raise refuse(
                    f"the interpretation {interpretation.title!r} names the theme "
                    f"{theme_name!r}, which is not a category, theme or sub-theme of the file"
                )
        for concept_name in interpretation.concepts:
            if concept_name.casefold() not in said_names | sub_names:
                raise refuse(
                    f"the interpretation {interpretation.title!r} names the concept "
                    f"{concept_name!r}, which is neither a roundtable concept nor a sub-theme"
                )
    if not synthesis.cycle_stages or synthesis.cycle_new_rung not in synthesis.cycle_stages:
        raise refuse("the [cycle]'s new rung must be one of its stages")


# --- building ----------------------------------------------------------------------


def build_worked_synthesis(
    workspace: Workspace,
    review_id: int,
    refs: Mapping[int, int],
    synthesis: WorkedSynthesis,
    *,
    lead: str = "alice",
    reader: str = "bob",
) -> BuiltSynthesis:
    """Take the synthesis through the review after `build_worked_example`, whose paper
    reference -> record id map `refs` is; the lead keeps the group and synthesises, `reader`
    (a reviewer) reads the studies into concepts and codes the quotes."""
    try:
        return _build(workspace, review_id, refs, synthesis, lead=lead, reader=reader)
    except InputError as exc:
        if isinstance(exc, DataFileError):
            raise
        raise DataFileError(synthesis.filename, f"the synthesis cannot be built: {exc}") from None


def _build(
    workspace: Workspace,
    review_id: int,
    refs: Mapping[int, int],
    synthesis: WorkedSynthesis,
    *,
    lead: str,
    reader: str,
) -> BuiltSynthesis:
    produced = dict(synthesis.phases)
    with workspace.transaction(lead) as tx:
        members = _build_group(tx, review_id, synthesis)
        roundtable_id, transcript_id = _build_roundtable(tx, review_id, synthesis)
        for phase in (Phase.GETTING_STARTED, Phase.DECIDING_WHAT_IS_RELEVANT):
            _log_whole_phase(tx, review_id, phase, produced[phase])
        phases.log_phase(tx, review_id, Phase.READING_THE_STUDIES, PhaseEventKind.STARTED)
    with workspace.transaction(reader) as tx:
        study_concepts = _read_studies(tx, review_id, refs, synthesis)
    with workspace.transaction(lead) as tx:
        _finish_phase(tx, review_id, Phase.READING_THE_STUDIES, produced)
        phase = Phase.DETERMINING_HOW_THE_STUDIES_ARE_RELATED
        phases.log_phase(tx, review_id, phase, PhaseEventKind.STARTED)
        relating.judge_relation(tx, review_id, synthesis.relation, synthesis.relation_rationale)
        order = relating.set_translation_order(
            tx, review_id, synthesis.order_basis, rationale=synthesis.order_rationale
        )
        _finish_phase(tx, review_id, phase, produced)
        phase = Phase.TRANSLATING_THE_STUDIES_INTO_ONE_ANOTHER
        phases.log_phase(tx, review_id, phase, PhaseEventKind.STARTED)
        third_order = _translate(
            tx, review_id, refs, synthesis, study_concepts=study_concepts, order=order.record_ids
        )
        said = _code_roundtable(tx, review_id, synthesis, roundtable_id, transcript_id)
        _finish_phase(tx, review_id, phase, produced)
        phase = Phase.SYNTHESISING_TRANSLATIONS
        phases.log_phase(tx, review_id, phase, PhaseEventKind.STARTED)
        theme_ids = _build_themes(
            tx, review_id, synthesis, study_concepts=study_concepts, third_order=third_order
        )
        interpretation_ids = _interpret(
            tx, review_id, synthesis, theme_ids=theme_ids, third_order=third_order, said=said
        )
        _record_resonance(tx, review_id, synthesis, theme_ids, interpretation_ids)
        _finish_phase(tx, review_id, phase, produced)
        _log_whole_phase(
            tx, review_id, Phase.EXPRESSING_THE_SYNTHESIS, produced[Phase.EXPRESSING_THE_SYNTHESIS]
        )
    return BuiltSynthesis(
        themes=theme_ids,
        third_order=third_order,
        members=members,
        roundtable_id=roundtable_id,
        transcript_id=transcript_id,
        roundtable_concepts=said,
        interpretations=interpretation_ids,
    )


def _log_whole_phase(tx: Tx, review_id: int, phase: Phase, text: str) -> None:
    phases.log_phase(tx, review_id, phase, PhaseEventKind.STARTED)
    phases.log_phase(tx, review_id, phase, PhaseEventKind.PRODUCED, text)
    phases.log_phase(tx, review_id, phase, PhaseEventKind.COMPLETED)


def _finish_phase(tx: Tx, review_id: int, phase: Phase, produced: Mapping[Phase, str]) -> None:
    phases.log_phase(tx, review_id, phase, PhaseEventKind.PRODUCED, produced[phase])
    phases.log_phase(tx, review_id, phase, PhaseEventKind.COMPLETED)


def _build_group(tx: Tx, review_id: int, synthesis: WorkedSynthesis) -> dict[str, int]:
    """The members with recruitment, consent and access needs; the rate, meetings, the
    action log, hours at the [[hours]] block's rates, and a payment of what each is owed."""
    members: dict[str, GroupMember] = {}
    for person in synthesis.members:
        member = advisory_group.add_group_member(
            tx, review_id, person.name, kind=person.kind, joined_on=person.applied,
            username=person.account,
        )  # fmt: skip
        members[person.name] = member
        advisory_group.record_recruitment(
            tx, review_id, member.id, channel=person.channel, recruited_on=person.applied,
            answers=person.answers,
        )  # fmt: skip
        # The paper reports no consent records; these say what its group did:
        # took part, were thanked by name and quoted in outputs (an illustration).
        advisory_group.record_consent(
            tx, review_id, member.id, involvement=True, named=True, quoted=True,
            contacted=True, given_on=person.applied,
            note="Illustration: the worked example's consent on joining.",
        )  # fmt: skip
        access = person.access
        advisory_group.record_access_needs(
            tx, review_id, member.id, preferred_format=access.preferred_format,
            language=access.language, large_print=access.large_print,
            easy_read=access.easy_read, adjustments=access.adjustments,
        )  # fmt: skip
    ids = {name: member.id for name, member in members.items()}
    remuneration.set_rate(
        tx,
        review_id,
        synthesis.group.rate_pence_per_hour,
        from_on=min(person.applied for person in synthesis.members),
        note=synthesis.group.rate_note,
    )
    roundtable_day = synthesis.roundtable.held_on
    for meeting in synthesis.meetings:
        meetings.add_meeting(
            tx, review_id, held_on=meeting.held_on, mode=meeting.mode, title=meeting.title,
            phase=meeting.phase, attendee_ids=[ids[a] for a in meeting.attendees],
            agenda=meeting.agenda, minutes=meeting.minutes,
        )  # fmt: skip
        minutes = (
            synthesis.hours.roundtable
            if meeting.held_on == roundtable_day
            else synthesis.hours.each_meeting
        )
        for attendee in meeting.attendees:
            remuneration.record_hours(
                tx, review_id, ids[attendee], format_hours(minutes), worked_on=meeting.held_on,
                activity=meeting.title or "Meeting", phase=meeting.phase,
            )  # fmt: skip
    for action in synthesis.actions:
        added = meetings.add_action(
            tx, review_id, action.task, member_ids=[ids[w] for w in action.who],
            phase=action.phase, due_on=action.due,
        )  # fmt: skip
        if action.done is not None:
            meetings.complete_action(tx, review_id, added.id, done_on=action.done)
    reading = synthesis.reading_action
    assert reading.done is not None  # checked on loading
    for name in reading.who:
        remuneration.record_hours(
            tx, review_id, ids[name], format_hours(synthesis.hours.full_text_reading),
            worked_on=reading.done, activity=reading.task, phase=reading.phase,
        )  # fmt: skip
    for member_id in ids.values():
        owed = remuneration.statement(tx, review_id, member_id)
        if owed.owed > 0:
            last = max(line.entry.worked_on for line in owed.lines)
            remuneration.record_payment(
                tx, review_id, member_id, owed.owed, paid_on=last,
                reference=f"Worked example: hours to {last.isoformat()}",
            )  # fmt: skip
    gripp2.set_gripp2_text(tx, review_id, Gripp2Setting.AIM, synthesis.group.aim)
    gripp2.set_gripp2_text(tx, review_id, Gripp2Setting.DISCUSSION, synthesis.group.discussion)
    gripp2.set_gripp2_text(tx, review_id, Gripp2Setting.REFLECTIONS, synthesis.group.reflections)
    return ids


def _build_roundtable(tx: Tx, review_id: int, synthesis: WorkedSynthesis) -> tuple[int, int]:
    table = synthesis.roundtable
    meeting = next(m for m in meetings.meetings(tx, review_id) if m.held_on == table.held_on)
    added = roundtables.add_roundtable(
        tx, review_id, held_on=table.held_on, minutes=table.minutes, title=table.title,
        meeting_id=meeting.id,
    )  # fmt: skip
    transcript = roundtables.import_transcript(
        tx, review_id, added.id, table.transcript, synthesis.transcript
    )
    return added.id, transcript.id


def _read_studies(
    tx: Tx, review_id: int, refs: Mapping[int, int], synthesis: WorkedSynthesis
) -> dict[tuple[str, int], int]:
    """Each cited study's concept of each sub-theme (in its own terms where the paper gives
    them) and of each refutation, second-order (the authors' interpretations); the quotes the
    paper cites coded to them. Keyed by (sub-theme or concept name, reference)."""
    found: dict[tuple[str, int], int] = {}
    kept = quotes.quotes(tx, review_id)
    for sub in synthesis.subthemes:
        for ref in sub.refs:
            concept = concepts.add_concept(
                tx, review_id, sub.term(ref), order=ConstructOrder.SECOND,
                source=ConceptSource.STUDY, record_id=refs[ref],
            )  # fmt: skip
            found[(sub.name, ref)] = concept.id
        for code in sub.codes:
            quote = next(
                q
                for q in kept
                if q.record_id == refs[code.ref]
                and q.page_label == code.page
                and locate([q.text], code.excerpt) is not None
            )
            coding.code_excerpt(
                tx, review_id, found[(sub.name, code.ref)], kind=PassageKind.QUOTE,
                source_id=quote.id, excerpt=code.excerpt,
            )  # fmt: skip
    for refutation in synthesis.refutations:
        for each in refutation.concepts:
            concept = concepts.add_concept(
                tx, review_id, each.name, order=ConstructOrder.SECOND,
                source=ConceptSource.STUDY, record_id=refs[each.ref],
            )  # fmt: skip
            found[(each.name, each.ref)] = concept.id
    return found


def _translate(
    tx: Tx,
    review_id: int,
    refs: Mapping[int, int],
    synthesis: WorkedSynthesis,
    *,
    study_concepts: Mapping[tuple[str, int], int],
    order: Sequence[int],
) -> dict[str, int]:
    """Reciprocal translation of each sub-theme's study concepts, in the order of
    translation, into a third-order concept named as the sub-theme; then the refutations
    and the alternative interpretations logged against them.

    A sub-theme resting on one study has nothing to translate its concept
    into (translation is between studies: Noblit & Hare 1988); it is linked
    to the study's concept itself (see `_build_themes`).
    """
    rank = {record_id: index for index, record_id in enumerate(order)}
    third_order: dict[str, int] = {}
    for sub in synthesis.subthemes:
        if len(sub.refs) < 2:
            continue
        in_order = sorted(sub.refs, key=lambda ref: rank.get(refs[ref], len(rank)))
        made = translation.translate_reciprocally(
            tx, review_id, [study_concepts[(sub.name, ref)] for ref in in_order], into=sub.name
        )
        assert made.into_concept_id is not None  # a reciprocal translation has one
        third_order[sub.name] = made.into_concept_id
    refuted: dict[str, int] = {}
    for refutation in synthesis.refutations:
        made = translation.translate_refutationally(
            tx,
            review_id,
            [study_concepts[(c.name, c.ref)] for c in refutation.concepts],
            explanation=refutation.explanation,
            account=refutation.account,
        )
        refuted[refutation.concept.name] = made.id
    for alternative in synthesis.alternatives:
        translation.log_alternative(
            tx, review_id, alternative.text, translation_id=refuted[alternative.about]
        )
    return third_order


def _code_roundtable(
    tx: Tx, review_id: int, synthesis: WorkedSynthesis, roundtable_id: int, transcript_id: int
) -> dict[str, int]:
    """The roundtable's key concepts, in the group's words (first-order), each coded to
    the turn where it was said (the paper's Methods: "Key concepts were identified through
    the discussion transcript")."""
    said: dict[str, int] = {}
    for each in synthesis.roundtable_concepts:
        concept = concepts.add_concept(
            tx, review_id, each.name, order=ConstructOrder.FIRST,
            source=ConceptSource.ROUNDTABLE, roundtable_id=roundtable_id,
        )  # fmt: skip
        coding.code_excerpt(
            tx, review_id, concept.id, kind=PassageKind.TRANSCRIPT, source_id=transcript_id,
            excerpt=each.excerpt, page=each.cue,
        )  # fmt: skip
        said[each.name] = concept.id
    return said


def _build_themes(
    tx: Tx,
    review_id: int,
    synthesis: WorkedSynthesis,
    *,
    study_concepts: Mapping[tuple[str, int], int],
    third_order: Mapping[str, int],
) -> dict[str, int]:
    """Categories > themes > sub-themes in the file's order, each sub-theme linked to its
    third-order concept (or, resting on one study, to that study's concept)."""
    ids: dict[str, int] = {}
    for category in synthesis.categories:
        ids[category.name] = themes.add_theme(
            tx, review_id, category.name, level=ThemeLevel.CATEGORY,
            description=category.description,
        ).id  # fmt: skip
    for theme in synthesis.themes:
        ids[theme.name] = themes.add_theme(
            tx, review_id, theme.name, level=ThemeLevel.THEME, parent_id=ids[theme.category],
            description=theme.description,
        ).id  # fmt: skip
        for sub in theme.subthemes:
            ids[sub.name] = themes.add_theme(
                tx, review_id, sub.name, level=ThemeLevel.SUB_THEME, parent_id=ids[theme.name]
            ).id
            linked = (
                [third_order[sub.name]]
                if sub.name in third_order
                else [study_concepts[(sub.name, ref)] for ref in sub.refs]
            )
            themes.link_concepts(tx, review_id, ids[sub.name], linked)
    return ids


def _interpret(
    tx: Tx,
    review_id: int,
    synthesis: WorkedSynthesis,
    *,
    theme_ids: Mapping[str, int],
    third_order: Mapping[str, int],
    said: Mapping[str, int],
) -> dict[str, int]:
    """The three new interpretations, each with its themes and the roundtable's concepts."""
    by_name = {name.casefold(): i for name, i in theme_ids.items()}
    concept_ids = {name.casefold(): i for name, i in {**third_order, **said}.items()}
    made: dict[str, int] = {}
    for interpretation in synthesis.interpretations:
        made[interpretation.title] = themes.add_interpretation(
            tx,
            review_id,
            interpretation.title,
            interpretation.statement,
            theme_ids=[by_name[t.casefold()] for t in interpretation.themes],
            concept_ids=[concept_ids[c.casefold()] for c in interpretation.concepts],
        ).id
    return made


def _record_resonance(
    tx: Tx,
    review_id: int,
    synthesis: WorkedSynthesis,
    theme_ids: Mapping[str, int],
    interpretation_ids: Mapping[str, int],
) -> None:
    by_name = {name.casefold(): i for name, i in theme_ids.items()}
    for record in synthesis.resonance:
        if record.finding.casefold() in by_name:
            kind, finding_id = FindingKind.THEME, by_name[record.finding.casefold()]
        else:
            kind, finding_id = FindingKind.INTERPRETATION, interpretation_ids[record.finding]
        resonance.record_resonance(
            tx, review_id, kind, finding_id, record.resonance, record.words, voice=GROUP_VOICE
        )


# --- the outputs -----------------------------------------------------------------


def worked_synthesis_files(tx: Tx, review_id: int, synthesis: WorkedSynthesis) -> dict[str, bytes]:
    """The synthesis's outputs by path under the demo's folder: the theme tree (Markdown,
    JSON), the concept grid (CSV, XLSX), the three figures, the GRIPP2 short form and the
    action log."""
    written: dict[str, bytes] = {
        "synthesis/theme-tree.md": themes.theme_tree_markdown(tx, review_id).encode("utf-8"),
        "synthesis/theme-tree.json": themes.theme_tree_json(tx, review_id).encode("utf-8"),
        "synthesis/concept-grid.csv": relating.concept_grid_csv(tx, review_id).encode("utf-8"),
        "synthesis/concept-grid.xlsx": relating.concept_grid_xlsx(tx, review_id),
    }
    figures = synthesis_figures.synthesis_figures(
        tx, review_id, stages=synthesis.cycle_stages, proposed=(synthesis.cycle_new_rung,)
    )
    written.update({f"synthesis/{name}": data for name, data in figures.items()})
    written["advisory-group/gripp2-short-form.md"] = gripp2.gripp2_markdown(tx, review_id).encode(
        "utf-8"
    )
    names = {member.id: member.name for member in advisory_group.group_members(tx, review_id)}
    log = write_action_log_csv(meetings.action_log(tx, review_id), names)
    written["advisory-group/action-log.csv"] = log.encode("utf-8")
    return written
