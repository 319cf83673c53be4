"""The advisory group the stories are told with: the paper's composition, pseudonyms."""

from __future__ import annotations

from datetime import date

from cosynth.domain.advisory import GroupMember, MemberKind
from cosynth.services import advisory_group
from cosynth.services.workspace import Workspace
from tests.conftest import Team

# The paper's CAG: two service users, two unpaid carers, two staff (Methods).
GROUP = (
    ("Pat", MemberKind.SERVICE_USER, "pat"),
    ("Sam", MemberKind.SERVICE_USER, ""),
    ("Jo", MemberKind.UNPAID_CARER, ""),
    ("Chris", MemberKind.UNPAID_CARER, ""),
    ("Alex", MemberKind.STAFF, ""),
    ("Robin", MemberKind.STAFF, ""),
)

JOINED = date(2021, 9, 20)


def form_group(workspace: Workspace, team: Team) -> dict[str, GroupMember]:
    """alice adds the six members; pat's account is linked to the member Pat."""
    with workspace.transaction(team.lead) as tx:
        return {
            name: advisory_group.add_group_member(
                tx, team.review_id, name, kind=kind, joined_on=JOINED, username=username
            )
            for name, kind, username in GROUP
        }
