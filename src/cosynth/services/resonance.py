"""Resonance: how the findings match the advisory group's lived experience.

At the paper's roundtable the advisory group "affirmed study findings were
valid, meaningful and sensible in comparison to their experience", and
"the group's resonance with the findings were translated into statements"
(Findings, "Translation and interpretation of themes"). An adviser records
their own resonance with a theme or an interpretation, in their own words;
the lead may record it for a named member (e.g. from the roundtable, for
someone who has no account). A change of mind is a newer record; the
earlier one stays (DESIGN.md rule 1). Involvement reported this way feeds
GRIPP2's "results/outcomes" (Staniszewska et al. 2017).
"""

from __future__ import annotations

from cosynth.domain.roles import Permission, may
from cosynth.domain.synthesis import (
    FindingKind,
    PassageKind,
    PlainFinding,
    PlainQuote,
    Resonance,
    ResonanceRecord,
    Support,
    ThemeNode,
    latest_resonances,
)
from cosynth.errors import InputError, NotFoundError, PermissionDeniedError
from cosynth.services.themes import Synthesis, read_synthesis
from cosynth.services.workspace import Tx
from cosynth.store import translation as store

MAX_WORDS = 10_000
MAX_VOICE = 200
QUOTES_SHOWN = 3  # enough to ground a finding without a wall of text for lay readers


def record_resonance(  # noqa: PLR0917 (the contract other helpers call: words by position)
    tx: Tx,
    review_id: int,
    finding: FindingKind,
    finding_id: int,
    resonance: Resonance,
    words: str = "",
    *,
    voice: str | None = None,
) -> ResonanceRecord:
    """Record how a theme or interpretation matches someone's experience, in their words.

    `voice` is whose view it is: the person acting, unless the lead records
    it for a named member of the advisory group.
    """
    role = tx.require(review_id, Permission.RECORD_RESONANCE)
    speaker = tx.actor if voice is None else " ".join(voice.split())
    if not speaker:
        raise InputError("Say whose view this is: the advisory-group member's name.")
    if len(speaker) > MAX_VOICE:
        raise InputError(f"The name {speaker[:60]!r}... is longer than {MAX_VOICE} characters.")
    if speaker != tx.actor and not may(role, Permission.MANAGE_ADVISORY_GROUP):
        raise PermissionDeniedError(
            f"{tx.actor} may record their own view only; the review's lead records the views "
            f"of others, such as {speaker}."
        )
    said = words.strip()
    if len(said) > MAX_WORDS:
        raise InputError(
            f"The words are {len(said):,} characters long; keep them under {MAX_WORDS:,}."
        )
    _check_finding(tx, review_id, finding, finding_id)
    added = store.insert_resonance(
        tx.session,
        review_id=review_id,
        finding=finding,
        finding_id=finding_id,
        resonance=resonance,
        words=said,
        voice=speaker,
        at=tx.now,
        actor=tx.actor,
    )
    tx.log(
        "resonance recorded",
        review_id,
        resonance=added.id,
        finding=finding.value,
        finding_id=finding_id,
        said=resonance.value,
        voice=speaker,
    )
    return added


def resonances(
    tx: Tx,
    review_id: int,
    *,
    finding: FindingKind | None = None,
    finding_id: int | None = None,
) -> list[ResonanceRecord]:
    """Every resonance recorded (changes of mind included), oldest first."""
    tx.require(review_id, Permission.VIEW)
    return store.resonances_of(tx.session, review_id, finding=finding, finding_id=finding_id)


def plain_findings(tx: Tx, review_id: int) -> list[PlainFinding]:
    """Each category, theme, sub-theme and interpretation in plain words, for the advisers' page.

    With up to three supporting quotes (words and citation), the supporting
    studies' labels, and the viewer's own latest resonance and words.
    """
    synthesis = read_synthesis(tx, review_id)
    mine = latest_resonances(
        record for record in store.resonances_of(tx.session, review_id) if record.voice == tx.actor
    )
    found: list[PlainFinding] = []

    def visit(node: ThemeNode, depth: int) -> None:
        theme = node.theme
        own = mine.get((FindingKind.THEME, theme.id, tx.actor))
        found.append(
            PlainFinding(
                finding=FindingKind.THEME,
                finding_id=theme.id,
                name=theme.name,
                description=theme.description,
                level=theme.level,
                depth=depth,
                parent_id=theme.parent_id,
                quotes=_quotes(node.support, synthesis),
                studies=_studies(node.support, synthesis),
                my_resonance=own.resonance if own is not None else None,
                my_words=own.words if own is not None else "",
            )
        )
        for child in node.children:
            visit(child, depth + 1)

    for node in synthesis.tree:
        visit(node, 0)
    for interpretation, support in synthesis.interpretations:
        own = mine.get((FindingKind.INTERPRETATION, interpretation.id, tx.actor))
        found.append(
            PlainFinding(
                finding=FindingKind.INTERPRETATION,
                finding_id=interpretation.id,
                name=interpretation.title,
                description=interpretation.statement,
                level=None,
                depth=0,
                parent_id=None,
                quotes=_quotes(support, synthesis),
                studies=_studies(support, synthesis),
                my_resonance=own.resonance if own is not None else None,
                my_words=own.words if own is not None else "",
            )
        )
    return found


def _check_finding(tx: Tx, review_id: int, finding: FindingKind, finding_id: int) -> None:
    if finding is FindingKind.THEME:
        known = {theme.id for theme in store.themes_of(tx.session, review_id)}
    else:
        known = {i.id for i in store.interpretations_of(tx.session, review_id)}
    if finding_id not in known:
        raise NotFoundError(f"Review {review_id} has no {finding.value} {finding_id}.")


def _quotes(support: Support, synthesis: Synthesis) -> tuple[PlainQuote, ...]:
    """The first few quotations coded under a finding, each once, in the order of translation."""
    shown: list[PlainQuote] = []
    for coding in support.codings:
        quoted = synthesis.quotes.get(coding.id)
        if coding.passage.kind is not PassageKind.QUOTE or quoted is None:
            continue
        quote = PlainQuote(text=quoted[0], citation=quoted[1])
        if quote not in shown:
            shown.append(quote)
        if len(shown) == QUOTES_SHOWN:
            break
    return tuple(shown)


def _studies(support: Support, synthesis: Synthesis) -> tuple[str, ...]:
    return tuple(
        synthesis.labels.get(record_id, f"record {record_id}") for record_id in support.record_ids
    )
