"""One person's data, handed to them on request (UK GDPR Article 15, the right of access).

Two kinds of person hold personal data in cosynth:

- an account holder: their account (name, e-mail, preferences; never the
  password's hash), the reviews they are on and in which role, and their API
  tokens (labels and dates; the secrets are never kept);
- a member of a review's advisory group: the details the lead keeps for them
  (recruitment and application answers, consent and its history, access
  needs, hours and payments). These are personal records: only the lead and
  the member themselves (through a linked account) may read them
  (`advisory_group.require_personal`), so only they may export them.

The export is JSON, UTF-8, with dates in ISO 8601, so the person can read it
and take it elsewhere (Article 20, portability).

Erasure (Article 17), for an advisory-group member: history in cosynth is
append-only (DESIGN.md rule 1), so erasing cannot mean deleting rows that
meetings, actions, hours and payments point at. It means overwriting, in
every version, what identifies the member or tells about them (their name,
linked account, recruitment channel and application answers, consent notes,
language and access needs) with a tombstone, "Erased member N", to which
their part in the review stays attributed. Hours and payments (dates and
amounts) are kept: they are financial records the organisation must keep
(Article 17(3)(b)). Not yet erased: their name where others typed it in free
text (meeting minutes, roundtable transcripts' speakers, action notes).

Erasure, for an account holder (the server's administrator only, from the
command line): their username is how every vote, judgement, coding and audit
entry is attributed, so it is renamed, in every table at once, to a
tombstone, "erased account N" (a name no one can sign up with). Their
display name becomes "a former member (erased)"; their e-mail address,
password hash and preferences go; their sessions, API tokens, reset links and
the open invitations they made stop working; their sign-in attempts are
deleted, and any advisory-group record linked to the account is erased as
above. Nothing they contributed is removed, so every review keeps its
screening decisions, agreement and PRISMA counts. Not erased: their name
where others typed it in free text, and backups taken before.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from enum import Enum

from cosynth.domain.accounts import normalise_username
from cosynth.domain.advisory import GroupMember
from cosynth.domain.roles import Permission
from cosynth.errors import NotFoundError
from cosynth.services import accounts, advisory_group, remuneration, reviews
from cosynth.services.workspace import Tx
from cosynth.store import advisory as advisory_store
from cosynth.store import erasure as erasure_store

FORMAT = "cosynth personal data export, version 1"
ERASED_DISPLAY_NAME = "a former member (erased)"


def account_export(tx: Tx) -> bytes:
    """Everything cosynth keeps about the person acting, as JSON."""
    user = accounts.get_user(tx, tx.actor)
    if user is None:
        raise NotFoundError(f"There is no account named {tx.actor!r}.")
    account = {
        field: value
        for field, value in dataclasses.asdict(user).items()
        if field not in {"id"}  # an internal number, no one's data
    }
    memberships = []
    group_records = []
    for review in reviews.my_reviews(tx):
        role = next(
            (m.role for m in reviews.list_members(tx, review.id) if m.username == user.username),
            None,
        )
        memberships.append({"review": review.title, "review_id": review.id, "role": role})
        member = advisory_group.my_group_member(tx, review.id)
        if member is not None:
            group_records.append(_group_member_data(tx, review.id, member.id))
    tokens = [
        {"label": t.label, "created_at": t.created_at, "last_used_at": t.last_used_at,
         "revoked_at": t.revoked_at}
        for t in accounts.list_api_tokens(tx)
    ]  # fmt: skip
    tx.log("personal data exported", None, username=user.username)
    return _json(
        {
            "format": FORMAT,
            "exported_at": tx.now,
            "account": account,
            "reviews": memberships,
            "api_tokens": tokens,
            "advisory_groups": group_records,
        }
    )


def group_member_export(tx: Tx, review_id: int, member_id: int) -> bytes:
    """Everything the review keeps about one advisory-group member, as JSON (the lead,
    or the member themselves)."""
    data = _group_member_data(tx, review_id, member_id)
    tx.log("personal data exported", review_id, member_id=member_id)
    return _json(
        {
            "format": FORMAT,
            "exported_at": tx.now,
            "advisory_groups": [data],
        }
    )


def erase_group_member(tx: Tx, review_id: int, member_id: int) -> GroupMember:
    """Erase a group member's personal details on their request (the lead only); their
    part in the review stays, attributed to "Erased member N"."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    advisory_group.get_group_member(tx, review_id, member_id)  # theirs, in this review
    advisory_store.erase_member(tx.session, member_id, tombstone=f"Erased member {member_id}")
    tx.log("group member erased", review_id, member=member_id)  # ids only, never the name
    return advisory_group.get_group_member(tx, review_id, member_id)


def erase_account(tx: Tx, username: str) -> str:
    """Erase an account holder on their request (the server's administrator; no review
    permission is asked). Their contributions stay, under the tombstone returned."""
    user = accounts.get_user(tx, username)
    if user is None:
        raise NotFoundError(f"There is no account called {normalise_username(username)}.")
    tombstone = f"erased account {user.id}"
    for review_id, member_id in erasure_store.linked_group_members(tx.session, user.username):
        advisory_store.erase_member(tx.session, member_id, tombstone=f"Erased member {member_id}")
        tx.log("group member erased", review_id, member=member_id)
    erasure_store.erase_account(
        tx.session,
        user.username,
        tombstone=tombstone,
        display_name=ERASED_DISPLAY_NAME,
        at=tx.now,
    )
    # Never the name that was; an administrator erasing their own account is logged
    # under the tombstone too.
    actor = tombstone if tx.actor == user.username else tx.actor
    dataclasses.replace(tx, actor=actor).log("account erased", None, username=tombstone)
    return tombstone


def _group_member_data(tx: Tx, review_id: int, member_id: int) -> dict[str, object]:
    member = advisory_group.require_personal(tx, review_id, member_id)
    return {
        "review_id": review_id,
        "member": member,
        "recruitment": advisory_group.recruitment(tx, review_id, member_id),
        "consent_history": advisory_group.consent_history(tx, review_id, member_id),
        "access_needs": advisory_group.access_needs(tx, review_id, member_id),
        "hours": remuneration.hours(tx, review_id, member_id),
        "payments": remuneration.payments(tx, review_id, member_id),
    }


def _json(data: object) -> bytes:
    return (json.dumps(_plain(data), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _plain(value: object) -> object:
    """Dataclasses, enums and dates as JSON's own types."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
