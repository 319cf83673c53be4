"""What the advisory group contributed, phase by phase, and the GRIPP2 short form.

eMERGe asks how patients and the public took part in each phase of a
meta-ethnography (France et al. 2019); GRIPP2's short form (Staniszewska et
al. 2017, BMJ 358:j3453) reports the involvement in five items: 1 aim, 2
methods, 3 results, 4 discussion and conclusions, 5 reflections. Items 2 and 3
are written here from the records (composition, recruitment, meetings,
remuneration, access needs; contributions per phase, actions done,
roundtables); items 1, 4 and 5 are the lead's own words, kept per review.

The short form gives totals and counts, never one member's hours, pay or
needs, so the whole team may read it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from cosynth.domain.advisory import (
    ContributionNote,
    Gripp2Report,
    Gripp2Setting,
    GroupRecords,
    PhaseContribution,
    contributions_by_phase,
    gripp2_short_form,
)
from cosynth.domain.roles import Permission
from cosynth.domain.synthesis import Phase
from cosynth.errors import InputError
from cosynth.render.advisory import gripp2_markdown as render_gripp2
from cosynth.services.advisory_group import get_group_member
from cosynth.services.workspace import Tx
from cosynth.store import advisory as advisory_store


def note_contribution(
    tx: Tx,
    review_id: int,
    phase: Phase,
    text: str,
    *,
    member_id: int | None = None,
    noted_on: date | None = None,
) -> ContributionNote:
    """Note in words what a member (or, with no member, the whole group) gave to a phase."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    if member_id is not None:
        get_group_member(tx, review_id, member_id)
    text = " ".join(text.split())
    if not text:
        raise InputError("Say what the contribution was, e.g. 'Suggested search terms for carers'.")
    note = advisory_store.insert_contribution(
        tx.session, review_id, member_id=member_id, phase=phase, text=text,
        noted_on=noted_on or tx.now.date(), at=tx.now, actor=tx.actor,
    )  # fmt: skip
    tx.log("group contribution noted", review_id, contribution=note.id, phase=int(phase))
    return note


def contribution_notes(tx: Tx, review_id: int) -> list[ContributionNote]:
    tx.require(review_id, Permission.VIEW)
    return advisory_store.contributions_of(tx.session, review_id)


def contributions(tx: Tx, review_id: int) -> list[PhaseContribution]:
    """The group's contributions to each of Noblit & Hare's seven phases, in order (then
    what has no phase, if anything): actions, meetings, the group's hours in all (no one
    member's), and the notes; the roundtables go with phase 5, translating, where the
    paper's roundtable was."""
    tx.require(review_id, Permission.VIEW)
    members = [m.id for m in advisory_store.members_of(tx.session, review_id)]
    found = contributions_by_phase(
        advisory_store.actions_of(tx.session, review_id),
        advisory_store.meetings_of(tx.session, review_id),
        advisory_store.hours_of(tx.session, members),
        advisory_store.contributions_of(tx.session, review_id),
    )
    tables = tuple(advisory_store.roundtables_of(tx.session, review_id))
    translating = Phase.TRANSLATING_THE_STUDIES_INTO_ONE_ANOTHER
    return [replace(e, roundtables=tables) if e.phase is translating else e for e in found]


def set_gripp2_text(tx: Tx, review_id: int, item: Gripp2Setting, text: str) -> None:
    """The lead's words for item 1 (aim), 4 (discussion and conclusions) or 5
    (reflections); a new text supersedes the old, which is kept."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    advisory_store.insert_gripp2_setting(
        tx.session, review_id, item.value, text.strip(), at=tx.now, actor=tx.actor
    )
    tx.log("gripp2 text set", review_id, item=item.value)


def gripp2_texts(tx: Tx, review_id: int) -> dict[Gripp2Setting, str]:
    tx.require(review_id, Permission.VIEW)
    kept = advisory_store.gripp2_settings_of(tx.session, review_id)
    return {item: kept.get(item.value, "") for item in Gripp2Setting}


def gripp2_report(tx: Tx, review_id: int) -> Gripp2Report:
    """The GRIPP2 short form, items 2 and 3 built from the group's records."""
    texts = gripp2_texts(tx, review_id)
    members = advisory_store.members_of(tx.session, review_id)
    ids = [m.id for m in members]
    records = GroupRecords(
        aim=texts[Gripp2Setting.AIM],
        discussion=texts[Gripp2Setting.DISCUSSION],
        reflections=texts[Gripp2Setting.REFLECTIONS],
        members=tuple(members),
        recruitments=tuple(advisory_store.recruitments_of(tx.session, ids)),
        meetings=tuple(advisory_store.meetings_of(tx.session, review_id)),
        rates=tuple(advisory_store.rates_of(tx.session, review_id)),
        total_minutes=sum(e.minutes for e in advisory_store.hours_of(tx.session, ids)),
        total_paid=sum(p.pence for p in advisory_store.payments_of(tx.session, ids)),
        access_needs=tuple(advisory_store.access_needs_of(tx.session, ids)),
        contributions=tuple(contributions(tx, review_id)),
        actions=tuple(advisory_store.actions_of(tx.session, review_id)),
        roundtables=tuple(advisory_store.roundtables_of(tx.session, review_id)),
    )
    return gripp2_short_form(records)


def gripp2_markdown(tx: Tx, review_id: int) -> str:
    """The GRIPP2 short form as Markdown."""
    return render_gripp2(gripp2_report(tx, review_id))
