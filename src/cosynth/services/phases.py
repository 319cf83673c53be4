"""The phase log: Noblit & Hare's seven phases, what each produced, when and by whom.

eMERGe (France et al. 2019) reports the synthesis phase by phase (items
1-19); the log is what that report is written from. Phases overlap and are
revisited, so a completed phase can be reopened; nothing is overwritten.
"""

from __future__ import annotations

from cosynth.domain.reading import check_phase_event, phase_states_of
from cosynth.domain.roles import Permission
from cosynth.domain.synthesis import Phase, PhaseEvent, PhaseEventKind, PhaseState
from cosynth.services.workspace import Tx
from cosynth.store import synthesis as store


def log_phase(
    tx: Tx, review_id: int, phase: Phase, kind: PhaseEventKind, text: str = ""
) -> PhaseEvent:
    """Log that a phase started, produced something, was completed or was reopened."""
    tx.require(review_id, Permission.SYNTHESISE)
    states = phase_states_of(store.phase_events_of(tx.session, review_id))
    check_phase_event(states[phase.value - 1], kind, text)
    event = store.insert_phase_event(
        tx.session, review_id, phase=phase, kind=kind, text=text.strip(), at=tx.now, actor=tx.actor
    )
    tx.log(f"phase {kind.value}", review_id, phase=phase.value, event=event.id, text=event.text)
    return event


def phase_log(tx: Tx, review_id: int) -> list[PhaseEvent]:
    """Every phase event of the review, oldest first."""
    tx.require(review_id, Permission.VIEW)
    return store.phase_events_of(tx.session, review_id)


def phase_states(tx: Tx, review_id: int) -> list[PhaseState]:
    """Where the review stands in each of the seven phases, in their order."""
    return phase_states_of(phase_log(tx, review_id))
