"""The advisory group: its members, how they were recruited, their consent and access needs.

The paper's co-production advisory group (CAG) had six members, two service
users, two unpaid carers and two staff, recruited "through a local Healthwatch
network via newsletter and word of mouth"; those interested "completed a
simple application form" (Methods). A PPI coordinator keeps these records as
personal data: application answers, consent and access needs are the lead's to
see (Permission.MANAGE_ADVISORY_GROUP; UK GDPR data minimisation), except that
a member who signs in to cosynth sees their own. Who is in the group (name and
kind) is seen by the whole team, as the action log and meetings name them.

Everything is appended: new details, a withdrawal of consent or new access
needs are new rows, and the latest holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from cosynth.domain.advisory import (
    AccessNeeds,
    Answer,
    Consent,
    GroupMember,
    MemberKind,
    PreferredFormat,
    Recruitment,
)
from cosynth.domain.roles import Permission, may
from cosynth.errors import InputError, NotFoundError, PermissionDeniedError
from cosynth.services.reviews import list_members
from cosynth.services.workspace import Tx
from cosynth.store import advisory as advisory_store

MAX_NAME = 200
MAX_CHANNEL = 200


def add_group_member(
    tx: Tx,
    review_id: int,
    name: str,
    *,
    kind: MemberKind,
    joined_on: date | None = None,
    username: str = "",
) -> GroupMember:
    """Add someone to the advisory group; `username` links them to their cosynth account."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    name = _name(name)
    username = _username(tx, review_id, username, member_id=None)
    joined = joined_on or tx.now.date()
    member_id = advisory_store.insert_member(tx.session, review_id, at=tx.now, actor=tx.actor)
    advisory_store.insert_member_details(
        tx.session, member_id, name=name, kind=kind.value, username=username,
        joined_on=joined, left_on=None, at=tx.now, actor=tx.actor,
    )  # fmt: skip
    # Ids only: the audit log is read more widely than the group's records.
    tx.log("group member added", review_id, member=member_id, kind=kind.value)
    return _member(tx, review_id, member_id)


def revise_group_member(
    tx: Tx,
    review_id: int,
    member_id: int,
    *,
    name: str | None = None,
    kind: MemberKind | None = None,
    username: str | None = None,
    joined_on: date | None = None,
) -> GroupMember:
    """Change a member's name, kind, linked account or joining date (a new row of details)."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    member = _member(tx, review_id, member_id)
    new_name = _name(name) if name is not None else member.name
    new_username = (
        _username(tx, review_id, username, member_id=member_id)
        if username is not None
        else member.username
    )
    joined = joined_on or member.joined_on
    if member.left_on is not None and member.left_on < joined:
        raise InputError(
            f"{member.name} left on {member.left_on.isoformat()}, before {joined.isoformat()}."
        )
    advisory_store.insert_member_details(
        tx.session, member_id, name=new_name, kind=(kind or member.kind).value,
        username=new_username, joined_on=joined, left_on=member.left_on,
        at=tx.now, actor=tx.actor,
    )  # fmt: skip
    tx.log("group member revised", review_id, member=member_id)
    return _member(tx, review_id, member_id)


def record_leaving(
    tx: Tx, review_id: int, member_id: int, *, left_on: date | None = None
) -> GroupMember:
    """Record that a member left the group (their records stay)."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    member = _member(tx, review_id, member_id)
    left = left_on or tx.now.date()
    if member.left_on is not None:
        raise InputError(f"{member.name} already left on {member.left_on.isoformat()}.")
    if left < member.joined_on:
        raise InputError(
            f"{member.name} joined on {member.joined_on.isoformat()}; "
            f"they cannot have left before that ({left.isoformat()})."
        )
    advisory_store.insert_member_details(
        tx.session, member_id, name=member.name, kind=member.kind.value,
        username=member.username, joined_on=member.joined_on, left_on=left,
        at=tx.now, actor=tx.actor,
    )  # fmt: skip
    tx.log("group member left", review_id, member=member_id)
    return _member(tx, review_id, member_id)


def group_members(tx: Tx, review_id: int) -> list[GroupMember]:
    """Everyone who has been in the group, in the order they were added."""
    tx.require(review_id, Permission.VIEW)
    return advisory_store.members_of(tx.session, review_id)


def get_group_member(tx: Tx, review_id: int, member_id: int) -> GroupMember:
    tx.require(review_id, Permission.VIEW)
    return _member(tx, review_id, member_id)


def my_group_member(tx: Tx, review_id: int) -> GroupMember | None:
    """The group member linked to the person acting, if any (an adviser's own page)."""
    tx.require(review_id, Permission.VIEW)
    return next(
        (m for m in advisory_store.members_of(tx.session, review_id) if m.username == tx.actor),
        None,
    )


def require_personal(tx: Tx, review_id: int, member_id: int) -> GroupMember:
    """The member, when the person acting may see their personal records: the lead, or
    the member themselves through their linked account."""
    role = tx.require(review_id, Permission.VIEW)
    member = _member(tx, review_id, member_id)
    if may(role, Permission.MANAGE_ADVISORY_GROUP):
        return member
    if member.username and member.username == tx.actor:
        return member
    raise PermissionDeniedError(
        f"Group member {member_id}'s personal records are kept by the review's lead; "
        f"{tx.actor} may see only their own."
    )


# --- recruitment -------------------------------------------------------------------


def record_recruitment(
    tx: Tx,
    review_id: int,
    member_id: int,
    *,
    channel: str,
    recruited_on: date,
    answers: Sequence[Answer | tuple[str, str]] = (),
) -> Recruitment:
    """How a member was recruited and what they wrote on the application form."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    _member(tx, review_id, member_id)
    channel = " ".join(channel.split())
    if not channel:
        raise InputError(
            "Say how the member was recruited, e.g. 'Healthwatch newsletter' or 'word of mouth'."
        )
    if len(channel) > MAX_CHANNEL:
        raise InputError(f"The recruitment channel is longer than {MAX_CHANNEL} characters.")
    kept = []
    for number, item in enumerate(answers, 1):
        question, answer = (item.question, item.answer) if isinstance(item, Answer) else item
        if not question.strip():
            raise InputError(f"Answer {number} of the application form has no question.")
        kept.append(Answer(question.strip(), answer.strip()))
    recruitment = advisory_store.insert_recruitment(
        tx.session, member_id, channel=channel, recruited_on=recruited_on, answers=kept,
        at=tx.now, actor=tx.actor,
    )  # fmt: skip
    tx.log("group member recruitment recorded", review_id, member=member_id)
    return recruitment


def recruitment(tx: Tx, review_id: int, member_id: int) -> Recruitment | None:
    """A member's latest recruitment record (personal: the lead, or the member)."""
    require_personal(tx, review_id, member_id)
    found = advisory_store.recruitments_of(tx.session, [member_id])
    return found[0] if found else None


def recruitments(tx: Tx, review_id: int) -> list[Recruitment]:
    """Every member's latest recruitment record (the lead only)."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    ids = [m.id for m in advisory_store.members_of(tx.session, review_id)]
    return advisory_store.recruitments_of(tx.session, ids)


# --- consent -----------------------------------------------------------------------


def record_consent(
    tx: Tx,
    review_id: int,
    member_id: int,
    *,
    involvement: bool,
    named: bool = False,
    quoted: bool = False,
    contacted: bool = False,
    given_on: date | None = None,
    note: str = "",
) -> Consent:
    """What the member agreed to, as of `given_on`; an earlier consent is not changed."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    member = _member(tx, review_id, member_id)
    if not involvement and (named or quoted or contacted):
        raise InputError(
            f"{member.name} has not agreed to be involved, so cannot be named, quoted or "
            "contacted about the review: record their agreement to be involved first."
        )
    return _consent(
        tx,
        review_id,
        member_id,
        (involvement, named, quoted, contacted),
        given_on=given_on,
        note=note,
    )


def withdraw_consent(
    tx: Tx, review_id: int, member_id: int, *, on: date | None = None, note: str = ""
) -> Consent:
    """A member withdraws: a new consent record refusing everything; the old ones stay."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    _member(tx, review_id, member_id)
    return _consent(tx, review_id, member_id, (False, False, False, False), given_on=on, note=note)


def _consent(
    tx: Tx,
    review_id: int,
    member_id: int,
    agreed: tuple[bool, bool, bool, bool],
    *,
    given_on: date | None,
    note: str,
) -> Consent:
    involvement, named, quoted, contacted = agreed
    consent = advisory_store.insert_consent(
        tx.session, member_id, involvement=involvement, named=named, quoted=quoted,
        contacted=contacted, given_on=given_on or tx.now.date(), note=note.strip(),
        at=tx.now, actor=tx.actor,
    )  # fmt: skip
    tx.log(
        "group member consent withdrawn" if consent.withdrawn else "group member consent recorded",
        review_id,
        member=member_id,
        consent=consent.id,
    )
    return consent


def consent(tx: Tx, review_id: int, member_id: int) -> Consent | None:
    """The member's consent as it stands (personal: the lead, or the member)."""
    history = consent_history(tx, review_id, member_id)
    return history[-1] if history else None


def consent_history(tx: Tx, review_id: int, member_id: int) -> list[Consent]:
    """Every consent the member gave or withdrew, oldest first."""
    require_personal(tx, review_id, member_id)
    return advisory_store.consents_of(tx.session, [member_id])


def consents(tx: Tx, review_id: int) -> dict[int, Consent]:
    """Each member's consent as it stands, by member id (the lead only)."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    ids = [m.id for m in advisory_store.members_of(tx.session, review_id)]
    return {c.member_id: c for c in advisory_store.consents_of(tx.session, ids)}


# --- access needs ----------------------------------------------------------------


def record_access_needs(
    tx: Tx,
    review_id: int,
    member_id: int,
    *,
    preferred_format: PreferredFormat = PreferredFormat.EMAIL,
    language: str = "English",
    large_print: bool = False,
    easy_read: bool = False,
    adjustments: str = "",
) -> AccessNeeds:
    """How the member wants papers and contact. The lead records them, and a member
    signed in may record their own (they know them best)."""
    require_personal(tx, review_id, member_id)
    needs = advisory_store.insert_access_needs(
        tx.session, member_id, preferred_format=preferred_format.value,
        language=" ".join(language.split()) or "English", large_print=large_print,
        easy_read=easy_read, adjustments=adjustments.strip(), at=tx.now, actor=tx.actor,
    )  # fmt: skip
    tx.log("group member access needs recorded", review_id, member=member_id)
    return needs


def access_needs(tx: Tx, review_id: int, member_id: int) -> AccessNeeds | None:
    """The member's access needs as they stand (personal: the lead, or the member)."""
    require_personal(tx, review_id, member_id)
    found = advisory_store.access_needs_of(tx.session, [member_id])
    return found[0] if found else None


def all_access_needs(tx: Tx, review_id: int) -> dict[int, AccessNeeds]:
    """Every member's access needs, by member id (the lead only: papers go out by them)."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    ids = [m.id for m in advisory_store.members_of(tx.session, review_id)]
    return {n.member_id: n for n in advisory_store.access_needs_of(tx.session, ids)}


# --- helpers ---------------------------------------------------------------------


def member_ids(tx: Tx, review_id: int, ids: Sequence[int]) -> tuple[int, ...]:
    """`ids` checked to be members of this review's group, without repeats, in order."""
    known = {m.id for m in advisory_store.members_of(tx.session, review_id)}
    unknown = [str(i) for i in ids if i not in known]
    if unknown:
        raise NotFoundError(
            f"The advisory group of review {review_id} has no member {', '.join(unknown)}."
        )
    return tuple(dict.fromkeys(ids))


def _member(tx: Tx, review_id: int, member_id: int) -> GroupMember:
    for member in advisory_store.members_of(tx.session, review_id):
        if member.id == member_id:
            return member
    raise NotFoundError(f"The advisory group of review {review_id} has no member {member_id}.")


def _name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InputError("A group member needs a name (a first name is enough).")
    if len(name) > MAX_NAME:
        raise InputError(f"The name is longer than {MAX_NAME} characters.")
    return name


def _username(tx: Tx, review_id: int, username: str, *, member_id: int | None) -> str:
    """A linked account must be on the review's team, and linked to one member only."""
    username = username.strip()
    if not username:
        return ""
    if username not in {m.username for m in list_members(tx, review_id)}:
        raise InputError(
            f"{username} is not on this review's team; add them as an adviser first, then "
            "link their account to the group member."
        )
    for other in advisory_store.members_of(tx.session, review_id):
        if other.username == username and other.id != member_id:
            raise InputError(f"The account {username} is already linked to {other.name}.")
    return username
