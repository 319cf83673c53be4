"""alice designs the form with pat; bob and carol extract blind; alice settles what differs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import pytest

from cosynth.domain.extraction import ConsensusMethod, FeedbackKind, FieldKind, FormField
from cosynth.errors import InputError, NotFoundError, PermissionDeniedError
from cosynth.services import extraction
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.extraction_helpers import the_form, two_studies
from tests.services.screening_helpers import import_search, include_at_full_text

BOB: dict[str, object] = {
    "country": "UK",
    "design": "Qualitative",
    "models": "co-design; peer support",
    "service_users": "12",
    "started": "2019-03",
    "equity": "unclear",
    "participants": [{"group": "service users", "number": "12"}, {"group": "staff"}],
}
CAROL: dict[str, object] = {
    **BOB,
    "country": "United Kingdom",
    "models": ["peer support", "co-design"],
    "service_users": "12.0",
    "equity": "yes",
}


@pytest.fixture
def studies(workspace: Workspace, team: Team) -> list[int]:
    return two_studies(workspace, team)


def extract(
    workspace: Workspace, who: str, team: Team, study: int, values: Mapping[str, object]
) -> None:
    with workspace.transaction(who) as tx:
        extraction.set_values(tx, team.review_id, study, values)
        extraction.mark_done(tx, team.review_id, study)


def test_it_keeps_every_version_of_the_form(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    changed = replace(the_form(), title="Data extraction, after the first meeting")
    with workspace.transaction("alice") as tx:
        saved = extraction.save_form(tx, team.review_id, changed, note="after meeting 1")
        with pytest.raises(InputError, match="same as version 2"):
            extraction.save_form(tx, team.review_id, changed)
    assert saved.version == 2
    with workspace.transaction("pat") as tx:
        versions = extraction.form_versions(tx, team.review_id)
        assert extraction.current_form(tx, team.review_id).title.endswith("first meeting")
    assert [(v.version, v.saved_by, v.note) for v in versions] == [
        (1, "alice", ""),
        (2, "alice", "after meeting 1"),
    ]
    with workspace.transaction("bob") as tx, pytest.raises(PermissionDeniedError):
        extraction.save_form(tx, team.review_id, the_form())


def test_it_takes_pats_proposed_field_into_a_new_version_credited_to_her(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    proposed = FormField(
        key="carers_voice",
        label="Were unpaid carers' own words reported?",
        kind=FieldKind.YES_NO_UNCLEAR,
    )
    with workspace.transaction("pat") as tx:
        comment = extraction.comment_on_field(
            tx, team.review_id, "models", "Add 'co-delivery by carers' please"
        )
        proposal = extraction.propose_field(
            tx, team.review_id, proposed, why="Carers are often spoken for"
        )
        other = extraction.propose_field(
            tx,
            team.review_id,
            FormField(key="funding", label="Who funded it", kind=FieldKind.TEXT),
        )
    assert (comment.kind, proposal.kind, proposal.form_version) == (
        FeedbackKind.COMMENT,
        FeedbackKind.NEW_FIELD,
        1,
    )
    with workspace.transaction("alice") as tx:
        form = extraction.accept_proposal(tx, team.review_id, proposal.id)
        declined = extraction.decline_proposal(
            tx, team.review_id, other.id, reason="Funding is in the study table already"
        )
        with pytest.raises(InputError, match="already accepted by alice"):
            extraction.accept_proposal(tx, team.review_id, proposal.id)
        with pytest.raises(InputError, match="is a comment"):
            extraction.accept_proposal(tx, team.review_id, comment.id)
    assert form.version == 2
    assert form.field("carers_voice").proposed_by == "pat"
    assert declined.decision is not None and not declined.decision.accepted
    with workspace.transaction("pat") as tx:
        feedback = extraction.form_feedback(tx, team.review_id)
        assert extraction.form_feedback(tx, team.review_id, open_only=True) == []
    assert [(f.id, f.decision is not None) for f in feedback] == [
        (comment.id, False),
        (proposal.id, True),
        (other.id, True),
    ]
    assert feedback[2].decision is not None
    assert feedback[2].decision.reason == "Funding is in the study table already"


def test_it_lets_pat_comment_and_propose_but_not_extract_or_decide(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with workspace.transaction("pat") as tx:
        with pytest.raises(PermissionDeniedError, match="may not extract"):
            extraction.set_values(tx, team.review_id, studies[0], {"country": "UK"})
        with pytest.raises(InputError, match="has no field 'nope'"):
            extraction.comment_on_field(tx, team.review_id, "nope", "?")
        with pytest.raises(InputError, match="at least two choices"):
            extraction.propose_field(
                tx,
                team.review_id,
                FormField(key="x", label="X", kind=FieldKind.SINGLE_CHOICE, choices=("a",)),
            )
        proposal = extraction.propose_field(
            tx, team.review_id, FormField(key="y", label="Y", kind=FieldKind.TEXT)
        )
    with workspace.transaction("pat") as tx, pytest.raises(PermissionDeniedError):
        extraction.accept_proposal(tx, team.review_id, proposal.id)
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match="Say why"):
        extraction.decline_proposal(tx, team.review_id, proposal.id, reason=" ")


def test_it_hides_mallory_from_everything(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with workspace.transaction("mallory") as tx:
        for call in (
            lambda: extraction.current_form(tx, team.review_id),
            lambda: extraction.study_extraction(tx, team.review_id, studies[0]),
            lambda: extraction.consensus_csv(tx, team.review_id),
            lambda: extraction.form_feedback(tx, team.review_id),
            lambda: extraction.comment_on_field(tx, team.review_id, "", "hello"),
        ):
            with pytest.raises(PermissionDeniedError, match="not a member"):
                call()


def test_it_blinds_each_extractor_until_both_are_done(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    extract(workspace, "bob", team, studies[0], BOB)
    with workspace.transaction("carol") as tx:
        extraction.set_values(tx, team.review_id, studies[0], CAROL)
        seen = extraction.study_extraction(tx, team.review_id, studies[0])
        assert seen.hidden == ("bob",)
        assert {name for f in seen.fields for name, _ in f.values} == {"carol"}
        with pytest.raises(InputError, match="bob's values on Author1 2013 stay hidden"):
            extraction.compare_extractions(tx, team.review_id, studies[0])
    with workspace.transaction("alice") as tx:
        assert extraction.study_extraction(tx, team.review_id, studies[0]).hidden == ()
        with pytest.raises(InputError, match="done so far: bob"):
            extraction.record_consensus(tx, team.review_id, studies[0], "equity", "yes")
    with workspace.transaction("carol") as tx:
        extraction.mark_done(tx, team.review_id, studies[0])
        compared = extraction.compare_extractions(tx, team.review_id, studies[0])
    assert compared.hidden == () and compared.complete
    # "UK" and "United Kingdom", "12" and "12.0", the choices in either order are the same.
    assert [f.field.key for f in compared.differing] == ["equity"]


def test_it_records_consensus_automatically_where_both_agree_and_from_alice_where_not(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    extract(workspace, "bob", team, studies[0], BOB)
    extract(workspace, "carol", team, studies[0], CAROL)
    with workspace.transaction("bob") as tx, pytest.raises(PermissionDeniedError, match="lead"):
        extraction.record_consensus(tx, team.review_id, studies[0], "equity", "yes")
    with workspace.transaction("alice") as tx:
        decided = extraction.record_consensus(
            tx, team.review_id, studies[0], "equity", "Yes", note="p. 6 describes outreach"
        )
    assert (decided.value, decided.method, decided.decided_by) == (
        "yes",
        ConsensusMethod.DECIDED,
        ("alice",),
    )
    with workspace.transaction("pat") as tx:
        table = {
            study.record_id: agreed
            for study, agreed in extraction.consensus_values(tx, team.review_id)
        }
        csv_text = extraction.consensus_csv(tx, team.review_id)
    agreed = table[studies[0]]
    assert agreed["country"].value == "United Kingdom"
    assert agreed["country"].method is ConsensusMethod.AGREED
    assert agreed["country"].decided_by == ("bob", "carol")
    assert agreed["models"].value == ("co-design", "peer support")
    assert agreed["equity"].value == "yes"
    assert table[studies[1]] == {}
    assert studies[2] not in table
    lines = csv_text.splitlines()
    assert lines[0] == (
        "record_id,study,country,design,models,service_users,started,equity,aims,"
        "participants,without_consensus"
    )
    assert lines[1].startswith(f"{studies[0]},Author1 2013,United Kingdom,qualitative,")
    assert "1. Group: service users; How many: 12 | 2. Group: staff" in lines[1]
    assert lines[2].endswith(
        "country; design; models; service_users; started; equity; aims; participants"
    )


def test_it_keeps_a_change_of_mind_as_a_new_value(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with workspace.transaction("bob") as tx:
        first = extraction.set_values(tx, team.review_id, studies[0], {"service_users": "10"})
        again = extraction.set_values(tx, team.review_id, studies[0], {"service_users": "10.00"})
        second = extraction.set_values(tx, team.review_id, studies[0], {"service_users": "12"})
        mine = extraction.study_extraction(tx, team.review_id, studies[0])
    assert [len(first), len(again), len(second)] == [1, 0, 1]
    assert mine.fields[3].values == (("bob", "12"),)


def test_it_refuses_values_of_the_wrong_kind_naming_the_field(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    bad: list[tuple[dict[str, object], str]] = [
        (
            {"service_users": "abc"},
            r"'service_users' \(Number of service users involved\): "
            r"'abc' is not a number",
        ),
        ({"service_users": "1,200"}, "without thousands separators: 1200"),
        ({"design": "ethnography"}, r"'ethnography' is not one of its choices"),
        ({"models": "co-design; lobbying"}, "'lobbying' is not one of its choices"),
        ({"started": "31/02/2020"}, r"not a real date \(there is no 31 February 2020\)"),
        ({"started": "2020-13-01"}, "there is no month 13"),
        ({"country": "Narnia"}, "'Narnia' is not a country"),
        ({"equity": "maybe"}, "'maybe' is not one of its choices"),
        (
            {"participants": [{"group": "staff", "age": "40"}]},
            "entry 1: there is no sub-field 'age'",
        ),
        (
            {"participants": [{"number": "x"}]},
            r"'participants' \(Who took part\), entry 1, 'number'",
        ),
        ({"colour": "blue"}, "has no field 'colour'"),
    ]
    for values, message in bad:
        with workspace.transaction("bob") as tx, pytest.raises(InputError, match=message):
            extraction.set_values(tx, team.review_id, studies[0], {"country": "UK", **values})
    with workspace.transaction("bob") as tx:
        assert extraction.study_extraction(tx, team.review_id, studies[0]).extractors == ()


def test_it_will_not_mark_done_with_required_fields_empty(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with workspace.transaction("bob") as tx:
        with pytest.raises(InputError, match="no values for Author1 2013"):
            extraction.mark_done(tx, team.review_id, studies[0])
        extraction.set_values(
            tx, team.review_id, studies[0], {"country": "UK", "participants": [{"number": "3"}]}
        )
        with pytest.raises(InputError, match=r"Study design; Who took part, entry 1: Group"):
            extraction.mark_done(tx, team.review_id, studies[0])


def test_it_refuses_a_record_that_is_not_an_included_study(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with workspace.transaction("bob") as tx, pytest.raises(NotFoundError, match="not an included"):
        extraction.set_values(tx, team.review_id, studies[2], {"country": "UK"})


def test_it_validates_values_against_the_version_they_were_entered_with(
    workspace: Workspace, team: Team, studies: list[int]
) -> None:
    with workspace.transaction("bob") as tx:
        extraction.set_values(tx, team.review_id, studies[0], {"design": "case study"})
    fewer = the_form()
    design = fewer.field("design")
    fewer = replace(
        fewer,
        fields=tuple(
            replace(design, choices=("qualitative", "mixed methods")) if f.key == "design" else f
            for f in fewer.fields
        ),
    )
    with workspace.transaction("alice") as tx:
        extraction.save_form(tx, team.review_id, fewer)
    with workspace.transaction("bob") as tx:
        kept = extraction.study_extraction(tx, team.review_id, studies[0])
        assert kept.fields[1].values == (("bob", "case study"),)
        with pytest.raises(InputError, match="not one of its choices"):
            extraction.set_values(tx, team.review_id, studies[0], {"design": "case study"})


def test_it_asks_for_a_form_before_values(workspace: Workspace, team: Team) -> None:
    ids = import_search(workspace, team)
    include_at_full_text(workspace, team, ids[:1])
    with workspace.transaction("bob") as tx, pytest.raises(InputError, match="no extraction form"):
        extraction.set_values(tx, team.review_id, ids[0], {})
