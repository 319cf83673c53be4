"""pat asks what the review keeps about him; alice, the lead, hands it over (UK GDPR).

pat is a public adviser with an account, and a member of the advisory group
whose application answers, access needs and payment alice keeps. He may
export his own data; alice may export any member's; bob, a reviewer, and
mallory may not. His advisory-group record is erased here; his account, in
test_account_erasure.py.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cosynth.cli.main import cli
from cosynth.domain.advisory import MemberKind, PreferredFormat
from cosynth.errors import PermissionDeniedError
from cosynth.services import accounts, advisory_group, remuneration
from cosynth.services.personal_data import account_export, group_member_export
from cosynth.services.workspace import Workspace
from tests.conftest import Team

WHY = "I have used three services at once and was never asked about any of them."
NEEDS = "Papers a week ahead, in 16 point; no calls before ten."


@pytest.fixture
def pats_record(workspace: Workspace, team: Team) -> int:
    with workspace.transaction("admin") as tx:
        for name in ("pat", "bob", "mallory"):
            accounts.create_user(tx, name, "a long enough passphrase", display_name=name.title())
    with workspace.transaction("alice") as tx:
        member = advisory_group.add_group_member(
            tx, team.review_id, "Pat Jones", kind=MemberKind.SERVICE_USER, username="pat"
        )
        advisory_group.record_recruitment(
            tx, team.review_id, member.id, channel="Healthwatch newsletter",
            recruited_on=date(2022, 3, 1), answers=[("Why do you want to join?", WHY)],
        )  # fmt: skip
        advisory_group.record_access_needs(
            tx, team.review_id, member.id, preferred_format=PreferredFormat.PAPER,
            large_print=True, adjustments=NEEDS,
        )  # fmt: skip
        remuneration.record_payment(
            tx, team.review_id, member.id, 5000, paid_on=date(2022, 6, 1), reference="INV-7"
        )
    return member.id


def test_it_gives_pat_everything_kept_about_him(
    workspace: Workspace, team: Team, pats_record: int
) -> None:
    with workspace.transaction("pat") as tx:
        data = json.loads(account_export(tx))
    assert data["account"]["username"] == "pat" and "password_hash" not in data["account"]
    assert {"review_id": team.review_id, "review": "Co-production in integrated care",
            "role": "adviser"} in data["reviews"]  # fmt: skip
    (group,) = data["advisory_groups"]
    assert group["member"]["name"] == "Pat Jones"
    assert group["recruitment"]["answers"][0]["answer"] == WHY
    assert group["access_needs"]["adjustments"] == NEEDS
    assert group["access_needs"]["preferred_format"] == "paper"
    assert [p["pence"] for p in group["payments"]] == [5000]


def test_it_lets_the_lead_export_a_members_record_and_no_one_else(
    workspace: Workspace, team: Team, pats_record: int
) -> None:
    with workspace.transaction("alice") as tx:
        data = json.loads(group_member_export(tx, team.review_id, pats_record))
    assert data["advisory_groups"][0]["access_needs"]["adjustments"] == NEEDS
    for who in ("bob", "mallory"):
        with pytest.raises(PermissionDeniedError), workspace.transaction(who) as tx:
            group_member_export(tx, team.review_id, pats_record)


def test_it_exports_from_the_command_line(
    db_url: str, team: Team, pats_record: int, tmp_path: Path
) -> None:
    out = tmp_path / "pat.json"
    done = CliRunner().invoke(
        cli, ["--db", db_url, "--as", "alice", "personal-data", "export",
              "--member", str(pats_record), "-o", str(out)],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert WHY in out.read_text(encoding="utf-8")
    refused = CliRunner().invoke(
        cli, ["--db", db_url, "--as", "bob", "personal-data", "export",
              "--member", str(pats_record), "-o", str(tmp_path / "bob.json")],
    )  # fmt: skip
    assert refused.exit_code != 0 and not (tmp_path / "bob.json").exists()


def test_it_erases_pats_details_but_keeps_his_part_in_the_review(
    db_url: str, workspace: Workspace, team: Team, pats_record: int
) -> None:
    refused = CliRunner().invoke(
        cli, ["--db", db_url, "--as", "bob", "personal-data", "erase",
              "--member", str(pats_record), "--yes"],
    )  # fmt: skip
    assert refused.exit_code != 0
    done = CliRunner().invoke(
        cli, ["--db", db_url, "--as", "alice", "personal-data", "erase",
              "--member", str(pats_record), "--yes"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    with workspace.transaction("alice") as tx:
        exported = group_member_export(tx, team.review_id, pats_record).decode("utf-8")
        (member,) = advisory_group.group_members(tx, team.review_id)
        paid = remuneration.payments(tx, team.review_id, pats_record)
    assert member.name == f"Erased member {pats_record}" and member.username == ""
    assert "Pat Jones" not in exported and WHY not in exported and NEEDS not in exported
    assert [p.pence for p in paid] == [5000]  # a financial record, kept
