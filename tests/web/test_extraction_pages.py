"""alice designs the form with pat's help; bob and carol extract blind; alice settles.

The extraction pages call `services.extraction`; these tests follow the
paper's co-designed tool (Methods, Data extraction) through the pages.
"""

from __future__ import annotations

import io
import re

import pytest

from cosynth.domain.extraction import FieldKind, FormField
from cosynth.services import extraction
from cosynth.services.workspace import Workspace
from cosynth.web.views.extraction import key_from_label, typed_values
from tests.conftest import Team
from tests.services.extraction_helpers import FORM_TOML, two_studies
from tests.services.screening_helpers import import_search, include_at_full_text


def base(team: Team) -> str:
    return f"/reviews/{team.review_id}/extraction"


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return str(response.get_data(as_text=True))


@pytest.fixture
def studies(workspace: Workspace, team: Team, app) -> list[int]:  # type: ignore[no-untyped-def]
    return two_studies(workspace, team)


@pytest.fixture
def included(workspace: Workspace, team: Team, app) -> list[int]:  # type: ignore[no-untyped-def]
    """Two included studies and no form yet."""
    ids = import_search(workspace, team)
    include_at_full_text(workspace, team, [ids[0], ids[1]])
    return ids


def post_from(visitor, page: str, url: str, data: dict[str, object]):  # type: ignore[no-untyped-def]
    visitor.get(page)
    return visitor.post(url, data, headers={"Referer": f"http://localhost{page}"})  # type: ignore[arg-type]


def test_it_lets_alice_design_the_form_field_by_field(
    visit, workspace: Workspace, team: Team, included: list[int]
) -> None:
    alice = visit("alice")
    page = text_of(alice.get(base(team) + "/form"))
    assert "The form has no questions yet." in page
    added = post_from(
        alice,
        base(team) + "/form/fields/new",
        base(team) + "/form/fields/new",
        {"version": "0", "key": "country", "label": "Country", "kind": "country", "required": "1"},
    )
    assert added.status_code == 303 and added.headers["Location"] == base(team) + "/form"
    choice = {
        "version": "1",
        "key": "design",
        "label": "Study design",
        "kind": "single_choice",
        "choices": "qualitative\nmixed methods\n",
        "note": "the design, as the paper's Table 2",
    }
    assert (
        post_from(alice, base(team) + "/form", base(team) + "/form/fields/new", choice).status_code
        == 303
    )
    # A repeating group: "add another sub-field" shows one more row and saves nothing.
    group = {
        "version": "2",
        "key": "participants",
        "label": "Who took part",
        "kind": "group",
        "sub.1.key": "group",
        "sub.1.label": "Group",
        "sub.1.kind": "single_choice",
        "sub.1.choices": "service users\nstaff",
        "sub.1.required": "1",
    }
    more = alice.post(base(team) + "/form/fields/new", {**group, "add_subfield": "1"})
    assert more.status_code == 200 and 'name="sub.2.key"' in text_of(more)
    assert 'value="Who took part"' in text_of(more)
    group.update({"sub.2.key": "number", "sub.2.label": "How many", "sub.2.kind": "number"})
    assert alice.post(base(team) + "/form/fields/new", group).status_code == 303
    edited = alice.post(
        base(team) + "/form/fields/country",
        {"version": "3", "key": "country", "label": "Country of the study", "kind": "country"},
    )
    assert edited.status_code == 303
    assert (
        alice.post(
            base(team) + "/form/fields/participants/move", {"version": "4", "direction": "up"}
        ).status_code
        == 303
    )
    assert (
        alice.post(base(team) + "/form/fields/design/remove", {"version": "5"}).status_code == 303
    )

    with workspace.transaction("alice") as tx:
        versions = extraction.form_versions(tx, team.review_id)
    assert [v.keys for v in versions] == [
        ("country",),
        ("country", "design"),
        ("country", "design", "participants"),
        ("country", "design", "participants"),
        ("country", "participants", "design"),
        ("country", "participants"),
    ]
    assert [sub.key for sub in versions[-1].fields[1].fields] == ["group", "number"]
    assert versions[1].note == "the design, as the paper's Table 2"
    assert versions[3].note == "changed field 'country'" and not versions[3].fields[0].required
    page = text_of(alice.get(base(team) + "/form"))
    assert "Version 6, saved by alice" in page and "removed field &#39;design&#39;" in page
    assert "moved field &#39;participants&#39; up" in page


def test_it_keeps_what_alice_typed_when_a_field_is_wrong(
    visit, team: Team, included: list[int]
) -> None:
    alice = visit("alice")
    alice.get(base(team) + "/form/fields/new")
    wrong = alice.post(
        base(team) + "/form/fields/new",
        {"version": "0", "key": "Sample Size", "label": "How many took part", "kind": "number",
         "choices": "a\nb"},
    )  # fmt: skip
    page = text_of(wrong)
    assert wrong.status_code == 422
    assert "field &#39;Sample Size&#39;: a key is lower-case letters" in page
    assert 'value="How many took part"' in page and 'value="Sample Size"' in page


def test_it_refuses_a_change_made_on_a_page_of_an_older_version(
    visit, team: Team, studies: list[int]
) -> None:
    alice = visit("alice")
    page = base(team) + "/form"
    stale = post_from(alice, page, base(team) + "/form/fields/country/remove", {"version": "0"})
    assert stale.status_code == 303 and stale.headers["Location"] == page
    assert "The form has changed since this page was opened (it is now version 1" in text_of(
        alice.get(page)
    )


def test_it_gives_the_form_as_toml_and_takes_one_back(
    visit, workspace: Workspace, team: Team, studies: list[int]
) -> None:
    alice = visit("alice")
    downloaded = alice.get(base(team) + "/form.toml")
    assert (
        downloaded.status_code == 200 and "attachment" in downloaded.headers["Content-Disposition"]
    )
    assert 'key = "participants"' in text_of(downloaded)
    changed = FORM_TOML.replace('label = "Study design"', 'label = "Design of the study"')
    alice.get(base(team) + "/form")
    uploaded = alice.post(
        base(team) + "/form/upload",
        {"form_file": (io.BytesIO(changed.encode()), "form.toml"), "note": "clearer label"},  # type: ignore[dict-item]
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 303
    with workspace.transaction("alice") as tx:
        form = extraction.current_form(tx, team.review_id)
    assert form.version == 2 and form.field("design").label == "Design of the study"
    assert form.note == "clearer label"
    assert 'label = "Study design"' in text_of(alice.get(base(team) + "/form.toml?version=1"))
    assert visit("bob").client.post(base(team) + "/form/upload").status_code in {400, 403}


def test_it_lets_pat_comment_and_suggest_in_plain_words_and_alice_answer(
    visit, workspace: Workspace, team: Team, studies: list[int]
) -> None:
    pat = visit("pat")
    page = text_of(pat.get(base(team) + "/form/suggest"))
    assert "Suggest a new question" in page and "Yes, no or unclear" in page
    assert "sample_size" not in page  # no keys asked of her
    commented = pat.post(
        base(team) + "/form/comments", {"field": "models", "text": "Add co-delivery by carers"}
    )
    assert commented.status_code == 303
    for label in ("Were unpaid carers' own words reported?", "Was anyone paid for their time?"):
        proposed = pat.post(
            base(team) + "/form/proposals",
            {"label": label, "kind": "yes_no_unclear", "why": "Carers are often left out"},
        )
        assert proposed.status_code == 303
    with workspace.transaction("alice") as tx:
        first, second = extraction.form_feedback(tx, team.review_id, open_only=True)
    assert first.field_key == "were_unpaid_carers_own_words_reported"

    alice = visit("alice")
    page = text_of(alice.get(base(team) + "/form/feedback"))
    assert "Were unpaid carers&#39; own words reported?" in page and "Accept into the form" in page
    assert "Add co-delivery by carers" in page
    accepted = alice.post(base(team) + f"/form/proposals/{first.id}/accept", {"note": ""})
    assert accepted.status_code == 303
    declined = post_from(
        alice, base(team) + "/form/feedback", base(team) + f"/form/proposals/{second.id}/decline",
        {"reason": ""},
    )  # fmt: skip
    assert "Say why the proposal is declined" in text_of(alice.get(declined.headers["Location"]))
    alice.post(
        base(team) + f"/form/proposals/{second.id}/decline", {"reason": "Not in our question"}
    )
    with workspace.transaction("alice") as tx:
        form = extraction.current_form(tx, team.review_id)
    assert form.version == 2 and form.fields[-1].proposed_by == "pat"
    assert "proposed by pat" in text_of(alice.get(base(team) + "/form"))
    seen_by_pat = text_of(pat.get(base(team) + "/form/feedback"))
    assert "Declined by alice: Not in our question" in seen_by_pat
    assert "Accepted by alice into form version 2." in seen_by_pat
    # Only the lead answers: bob, a reviewer, may comment but not accept.
    bob = visit("bob")
    bob.get(base(team) + "/form/feedback")
    assert bob.post(base(team) + f"/form/proposals/{second.id}/accept").status_code == 403
    assert "Accept into the form" not in text_of(bob.get(base(team) + "/form/feedback"))


BOB_FORM = {
    "fields": ["country", "design", "models", "service_users", "equity", "participants"],
    "v.country": "UK",
    "v.design": "qualitative",
    "v.models": ["co-design", "peer support"],
    "v.service_users": "12",
    "v.equity": "unclear",
    "v.participants.1.group": "service users",
    "v.participants.1.number": "12",
}


def test_it_shows_bob_the_form_as_inputs_of_their_kinds_and_saves_them(
    visit, workspace: Workspace, team: Team, studies: list[int]
) -> None:
    bob = visit("bob")
    url = f"{base(team)}/studies/{studies[0]}"
    page = text_of(bob.get(url))
    assert '<textarea id="f-aims" name="v.aims"' in page
    assert 'type="checkbox" id="f-models-1" name="v.models" value="co-design"' in page
    assert 'type="radio" id="f-equity-1" name="v.equity" value="yes"' in page
    assert "<legend>Who took part, entry 1</legend>" in page
    saved = bob.post(url, BOB_FORM)  # type: ignore[arg-type]
    assert saved.status_code == 303 and saved.headers["Location"] == url
    more = bob.post(url, {**BOB_FORM, "add_entry": "participants"})  # type: ignore[arg-type]
    assert more.headers["Location"] == f"{url}?more=participants#f-participants-new"
    page = text_of(bob.get(more.headers["Location"]))
    assert 'id="f-participants-2-new"' in page and 'name="v.participants.2.group"' in page
    assert 'value="co-design" checked' in page and 'value="United Kingdom"' in page
    # Unticking every box clears the field: its key is still sent.
    bob.post(url, {**BOB_FORM, "v.models": []})  # type: ignore[arg-type]
    with workspace.transaction("bob") as tx:
        mine = extraction.study_extraction(tx, team.review_id, studies[0])
    values = {f.field.key: dict(f.values)["bob"] for f in mine.fields}
    assert values["models"] == () and values["country"] == "United Kingdom"
    assert values["participants"] == ({"group": "service users", "number": "12"},)
    done = bob.post(f"{url}/done")
    assert done.status_code == 303
    assert "You marked this study done." in text_of(bob.get(url))


def test_it_puts_the_services_message_beside_the_field_and_keeps_what_was_typed(
    visit, team: Team, studies: list[int]
) -> None:
    bob = visit("bob")
    url = f"{base(team)}/studies/{studies[0]}"
    bob.get(url)
    wrong = bob.post(url, {**BOB_FORM, "v.service_users": "12,000"})  # type: ignore[arg-type]
    page = text_of(wrong)
    assert wrong.status_code == 422
    message = "Write it without thousands separators: 12000."
    assert re.search(
        r'<p class="flash flash-error" id="f-service_users-error">[^<]*' + message, page
    )
    assert 'aria-describedby="f-service_users-hint f-service_users-error"' in page
    assert 'value="12,000"' in page and 'value="UK"' in page
    in_group = bob.post(url, {**BOB_FORM, "v.participants.1.group": "managers"})  # type: ignore[arg-type]
    page = text_of(in_group)
    assert in_group.status_code == 422
    assert 'id="f-participants-1-group-error"' in page and "&#39;managers&#39; is not one" in page


def test_it_keeps_blinding_until_both_are_done_and_lets_alice_settle_what_differs(
    visit, workspace: Workspace, team: Team, studies: list[int]
) -> None:
    bob, carol, alice = visit("bob"), visit("carol"), visit("alice")
    url = f"{base(team)}/studies/{studies[0]}"
    for who, extra in ((bob, {}), (carol, {"v.equity": "yes", "v.country": "United Kingdom"})):
        who.get(url)
        assert who.post(url, {**BOB_FORM, **extra}).status_code == 303  # type: ignore[arg-type]
        if who is bob:
            who.post(f"{url}/done")
            page = text_of(carol.get(url))
            assert "The values of bob stay hidden from you" in page
            assert carol.get(f"{url}/compare").status_code == 400
    carol.post(f"{url}/done")
    page = text_of(carol.get(f"{url}/compare"))
    assert "Evidence of equity considered" in page and "Record the agreed value" not in page
    assert "Country where the study took place" not in page  # the same once canonical

    page = text_of(alice.get(f"{url}/compare"))
    assert 'value="extractor:bob"' in page and 'value="extractor:carol"' in page
    taken = alice.post(f"{url}/consensus", {"field": "equity", "take": "extractor:carol"})
    assert taken.status_code == 303
    typed = alice.post(
        f"{url}/consensus", {"field": "service_users", "take": "typed", "value": "13"}
    )
    assert typed.status_code == 303
    page = text_of(alice.get(f"{url}/compare?all=1"))
    assert "decided by the lead" in page
    csv = text_of(alice.get(f"{base(team)}/consensus.csv"))
    assert "yes" in csv.splitlines()[1] and ",13," in csv.splitlines()[1]
    assert (
        bob.post(
            f"{url}/consensus", {"field": "equity", "take": "typed", "value": "no"}
        ).status_code
        == 403
    )
    overview = text_of(alice.get(base(team)))
    assert "Compare" in overview and "bob, carol" in overview


def test_it_refuses_pat_the_extraction_forms_but_shows_her_the_study(
    visit, team: Team, studies: list[int]
) -> None:
    pat = visit("pat")
    url = f"{base(team)}/studies/{studies[0]}"
    page = text_of(pat.get(url))
    assert pat.get(url).status_code == 200 and 'name="v.country"' not in page
    assert pat.post(url, BOB_FORM).status_code == 403  # type: ignore[arg-type]
    assert pat.post(f"{url}/done").status_code == 403


def test_it_says_plainly_when_there_is_no_form_yet(visit, team: Team, included: list[int]) -> None:
    page = text_of(visit("bob").get(base(team)))
    assert "There is no extraction form yet." in page and "The lead designs it first." in page
    assert visit("pat").get(base(team) + "/form/suggest").status_code == 200


def test_it_reads_the_typed_values_and_makes_keys_from_questions() -> None:
    from werkzeug.datastructures import MultiDict

    form = MultiDict(
        [("fields", "a"), ("fields", "m"), ("fields", "g"), ("v.m", "x"), ("v.m", "y"),
         ("v.g.2.n", "3"), ("v.g.1.n", "1"), ("v.g.x.n", "?"), ("csrf_token", "t")]
    )  # fmt: skip
    assert typed_values(form) == {"a": "", "m": ["x", "y"], "g": [{"n": "1"}, {"n": "3"}]}
    assert key_from_label("Were unpaid carers' own words reported?") == (
        "were_unpaid_carers_own_words_reported"
    )
    assert key_from_label("2nd language?") == "q_2nd_language"
    assert FormField("k", "K", FieldKind.TEXT).key == "k"
