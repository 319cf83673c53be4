"""The worked example's synthesis: the paper's themes, translations, advisory group and
interpretations, built through the services, every theme traced back to studies and pages.

The example is built once for the module (it takes a few seconds): each test reads it
and none changes it. A broken synthesis file is refused on loading, before any store.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import pytest
from sqlalchemy import text

from cosynth.domain.advisory import MemberKind
from cosynth.domain.roles import Role
from cosynth.domain.synthesis import (
    ConceptSource,
    Explanation,
    FindingKind,
    OrderBasis,
    PassageKind,
    PhaseEventKind,
    PhaseStatus,
    Relation,
    ThemeLevel,
    walk,
)
from cosynth.errors import DataFileError
from cosynth.services import (
    advisory_group,
    coding,
    concepts,
    gripp2,
    meetings,
    phases,
    relating,
    remuneration,
    resonance,
    roundtables,
    themes,
    translation,
)
from cosynth.services.reviews import add_member, create_review
from cosynth.services.worked_example import WorkedExample, build_worked_example, load_worked_example
from cosynth.services.worked_synthesis import (
    GROUP_VOICE,
    SYNTHESIS_FILE,
    BuiltSynthesis,
    WorkedSynthesis,
    build_worked_synthesis,
    load_worked_synthesis,
    read_worked_synthesis,
)
from cosynth.services.workspace import Workspace, open_workspace
from cosynth.store.engine import make_engine
from cosynth.store.schema import Base


@dataclass(frozen=True)
class Built:
    workspace: Workspace
    review_id: int
    refs: dict[int, int]
    synthesis: WorkedSynthesis
    made: BuiltSynthesis


def _fresh_store(server: str | None, template: Path, folder: Path) -> str:
    """An empty store at head on the engine under test (as conftest's `db_url` makes)."""
    if server is None:
        path = folder / "cosynth.db"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    engine = make_engine(server)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return server


@pytest.fixture(scope="module")
def built(
    _server_database: str | None,
    _sqlite_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Built]:
    url = _fresh_store(_server_database, _sqlite_template, tmp_path_factory.mktemp("synthesis"))
    workspace = open_workspace(url)
    with workspace.transaction("alice") as tx:
        review = create_review(tx, "Co-production in integrated care")
        add_member(tx, review.id, "bob", Role.REVIEWER)
        add_member(tx, review.id, "carol", Role.REVIEWER)
        add_member(tx, review.id, "pat", Role.ADVISER)
    example = load_worked_example()
    refs = build_worked_example(workspace, review.id, example)
    synthesis = load_worked_synthesis(example)
    made = build_worked_synthesis(workspace, review.id, refs, synthesis)
    yield Built(workspace, review.id, refs, synthesis, made)
    workspace.close()


def test_it_logs_all_seven_phases_with_what_each_produced(built: Built) -> None:
    with built.workspace.transaction("alice") as tx:
        states = phases.phase_states(tx, built.review_id)
        judged = relating.relating_judgements(tx, built.review_id)
        order = relating.translation_order(tx, built.review_id)
    assert [s.status for s in states] == [PhaseStatus.COMPLETED] * 7
    for state, (phase, words) in zip(states, built.synthesis.phases, strict=True):
        assert state.phase is phase
        produced = [e.text for e in state.events if e.kind is PhaseEventKind.PRODUCED]
        assert produced == [words]
    assert [j.relation for j in judged] == [Relation.RECIPROCAL]
    # The paper's order of translation: by publication date, Flora 2015 first.
    assert order.basis is OrderBasis.PUBLICATION_DATE
    assert order.set_by == "alice"
    assert order.record_ids[0] == built.refs[54]


def test_it_traces_every_theme_back_to_studies_and_every_theme_to_a_page(built: Built) -> None:
    with built.workspace.transaction("pat") as tx:
        tree = themes.theme_tree(tx, built.review_id)
    nodes = list(walk(tree))
    levels = [node.theme.level for node in nodes]
    assert levels.count(ThemeLevel.CATEGORY) == 2
    assert levels.count(ThemeLevel.THEME) == 9
    assert levels.count(ThemeLevel.SUB_THEME) == len(built.synthesis.subthemes)
    record_ids = set(built.refs.values())
    for node in nodes:
        assert node.support.record_ids, f"{node.theme.name} rests on no study"
        assert set(node.support.record_ids) <= record_ids
    for node in nodes:
        if node.theme.level is ThemeLevel.THEME:
            pages = [
                c.passage.page_label
                for c in node.support.codings
                if c.passage.kind is PassageKind.QUOTE and c.record_id is not None
            ]
            assert all(pages) and pages, f"{node.theme.name} traces back to no page"


def test_it_keeps_each_studys_own_term_under_the_sub_theme(built: Built) -> None:
    with built.workspace.transaction("bob") as tx:
        grid = relating.concept_grid(tx, built.review_id)
        made = translation.translations(tx, built.review_id)
    row = next(r for r in grid.rows if r.concept.name == "Lived experience as expertise")
    assert row.concept.id == built.made.third_order["Lived experience as expertise"]
    bruns = row.cells[built.refs[22]]
    assert [(cell.term, cell.pages) for cell in bruns] == [("a vital ingredient", ("241",))]
    # A sub-theme of one study has nothing to translate into; every other one is a
    # reciprocal translation of at least two studies' concepts.
    reciprocal = [t for t in made if t.relation is Relation.RECIPROCAL]
    several = [s for s in built.synthesis.subthemes if len(s.refs) > 1]
    assert len(reciprocal) == len(several) == len(built.made.third_order)


def test_it_reads_the_system_study_against_the_focused_ones(built: Built) -> None:
    with built.workspace.transaction("alice") as tx:
        made = translation.translations(tx, built.review_id)
        logged = translation.alternatives(tx, built.review_id)
        system = concepts.concepts(tx, built.review_id, record_id=built.refs[48])
    (refuted,) = [t for t in made if t.relation is Relation.REFUTATIONAL]
    assert refuted.explanation is Explanation.CONTEXT
    assert "scale and focus" in refuted.account
    whole_system = next(c for c in system if c.name.startswith("Co-production intended"))
    assert refuted.from_concept_ids[0] == whole_system.id
    (alternative,) = logged
    assert alternative.translation_id == refuted.id


def test_it_states_the_three_new_interpretations_with_their_themes(built: Built) -> None:
    with built.workspace.transaction("alice") as tx:
        stated = themes.interpretations(tx, built.review_id)
        said = {c.id: c for c in concepts.concepts(tx, built.review_id)}
    names = {theme_id: name for name, theme_id in built.made.themes.items()}
    assert [i.title for i in stated] == [
        "Narrow focus",
        "Co-delivery",
        "Sustainable person-centred services",
    ]
    for interpretation, wanted in zip(stated, built.synthesis.interpretations, strict=True):
        assert [names[t] for t in interpretation.theme_ids] == list(wanted.themes)
        assert [said[c].name for c in interpretation.concept_ids] == list(wanted.concepts)
        assert all(said[c].source is ConceptSource.ROUNDTABLE for c in interpretation.concept_ids)


def test_it_keeps_the_advisory_group_of_two_of_each(built: Built) -> None:
    with built.workspace.transaction("alice") as tx:
        members = advisory_group.group_members(tx, built.review_id)
        consents = advisory_group.consents(tx, built.review_id)
        needs = advisory_group.all_access_needs(tx, built.review_id)
        recruited = advisory_group.recruitments(tx, built.review_id)
        held = meetings.meetings(tx, built.review_id)
        actions = meetings.action_log(tx, built.review_id)
    assert len(members) == 6
    assert sorted(m.kind for m in members) == sorted(
        [MemberKind.SERVICE_USER, MemberKind.UNPAID_CARER, MemberKind.STAFF] * 2
    )
    assert {m.name: m.username for m in members if m.username} == {"Pat": "pat"}
    ids = {m.id for m in members}
    assert set(consents) == set(needs) == ids
    assert all(c.involvement and not c.withdrawn for c in consents.values())
    assert {r.member_id for r in recruited} == ids
    assert len(held) == 3
    assert len(actions) == 6 and all(a.done for a in actions)


def test_it_imports_the_roundtable_and_codes_its_concepts_to_the_turns(built: Built) -> None:
    with built.workspace.transaction("bob") as tx:
        (table,) = roundtables.roundtables(tx, built.review_id)
        (transcript,) = roundtables.transcripts(tx, built.review_id, table.id)
        coded = {
            c.concept_id: c for c in coding.codings(tx, built.review_id) if c.record_id is None
        }
    assert table.minutes == 90 and table.meeting_id is not None
    assert transcript.format == "webvtt"
    assert len(transcript.segments) == 12
    for said in built.synthesis.roundtable_concepts:
        passage = coded[built.made.roundtable_concepts[said.name]].passage
        assert passage.kind is PassageKind.TRANSCRIPT
        assert passage.source_id == transcript.id
        assert passage.page_number == said.cue


def test_it_pays_each_member_for_their_hours_and_owes_nothing(built: Built) -> None:
    with built.workspace.transaction("alice") as tx:
        statements = {s.member.name: s for s in remuneration.statements(tx, built.review_id)}
    # Pat: meetings 1 and 2 (2 h each), the roundtable (1.5 h), two full texts (3 h).
    assert statements["Pat"].minutes == (2 + 2 + 1.5 + 3) * 60
    # Chris missed meeting 2.
    assert statements["Chris"].minutes == (2 + 1.5 + 3) * 60
    assert statements["Pat"].earned == 8.5 * 2500
    assert all(s.earned > 0 and s.owed == 0 for s in statements.values())


def test_it_records_the_groups_resonance_in_the_leads_hand(built: Built) -> None:
    with built.workspace.transaction("pat") as tx:
        heard = resonance.resonances(tx, built.review_id)
    names = {theme_id: name for name, theme_id in built.made.themes.items()}
    assert [(r.finding, names[r.finding_id], r.resonance.value) for r in heard] == [
        (FindingKind.THEME, "Design", "agree"),
        (FindingKind.THEME, "Transformation", "agree"),
        (FindingKind.THEME, "Challenges", "partly"),
    ]
    assert {(r.voice, r.recorded_by) for r in heard} == {(GROUP_VOICE, "alice")}


def test_it_writes_the_gripp2_short_form_from_the_groups_records(built: Built) -> None:
    with built.workspace.transaction("carol") as tx:
        report = gripp2.gripp2_report(tx, built.review_id)
    assert [item.number for item in report.items] == [1, 2, 3, 4, 5]
    assert report.complete and not any(item.missing for item in report.items)
    methods, results = report.items[1].text, report.items[2].text
    assert "2 service users, 2 unpaid carers and 2 members of staff" in methods
    assert "met 3 times" in methods
    assert "90-minute roundtable" in results


# --- a broken file ---------------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> WorkedExample:
    return load_worked_example()


def _shipped() -> str:
    return files("cosynth.examples").joinpath(SYNTHESIS_FILE).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("was", "now", "problem"),
    [
        pytest.param(
            'refs = [49]\nterms = { 49 = "a resource" }',
            'refs = [49, 99]\nterms = { 49 = "a resource" }',
            "'Service user input as a resource' cites reference 99, not one of the worked "
            "example's studies",
            id="a sub-theme citing a study not in the example",
        ),
        pytest.param(
            "a total of 38 concrete",
            "a total of 40 concrete",
            "not in the quote of reference 49 on page 10",
            id="a code whose words are not in its quote",
        ),
        pytest.param(
            'ref = 51, page = "218"',
            'ref = 51, page = "219"',
            "no quote of that study on that page",
            id="a code of a page with no quote",
        ),
        pytest.param(
            "cue = 3\n",
            "cue = 4\n",
            "not in cue 4 of conquer2024_roundtable.vtt",
            id="a roundtable concept coded to the wrong turn",
        ),
        pytest.param(
            'themes = ["Acceptability", "Structure"]',
            'themes = ["Acceptability", "Structures"]',
            "names the theme 'Structures'",
            id="an interpretation naming no theme",
        ),
        pytest.param(
            'attendees = ["Pat", "Sam", "Jo", "Alex", "Robin"]',
            'attendees = ["Pat", "Sam", "Jo", "Alex", "Robyn"]',
            "lists Robyn, not among the [[members]]",
            id="a meeting attended by someone not in the group",
        ),
        pytest.param(
            'kind = "unpaid carer"',
            'kind = "carer"',
            "'carer' is not a valid MemberKind",
            id="a member of no kind",
        ),
        pytest.param("[cycle]", "[cycle", "this is not valid TOML", id="broken TOML"),
    ],
)
def test_it_refuses_a_broken_synthesis_file_naming_it_and_the_problem(
    example: WorkedExample, was: str, now: str, problem: str
) -> None:
    shipped = _shipped()
    assert was in shipped
    with pytest.raises(DataFileError) as refused:
        read_worked_synthesis(shipped.replace(was, now, 1), example, name=SYNTHESIS_FILE)
    assert refused.value.filename == SYNTHESIS_FILE
    assert problem in str(refused.value)
    assert str(refused.value).startswith(f"{SYNTHESIS_FILE}: ")
