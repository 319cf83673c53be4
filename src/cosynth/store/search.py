"""Queries on the question, the strategy and the search log (append-only tables)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cosynth.domain.search import (
    Answer,
    Block,
    DateLimits,
    Field,
    Question,
    SearchLogEntry,
    Suggester,
    Term,
    TermKind,
    Vocabulary,
)
from cosynth.store.search_tables import (
    SearchBlockDetailRow,
    SearchBlockRow,
    SearchLimitsRow,
    SearchLogRow,
    SearchLogSourceRow,
    SearchQuestionRow,
    SearchTermRemovalRow,
    SearchTermRow,
)
from cosynth.store.tables import ReviewRow, SourceRow

# --- the question


def insert_question(
    session: Session,
    review_id: int,
    *,
    framework_id: str,
    framework_name: str,
    framework_text: str,
    answers: Sequence[Answer],
    text: str,
    at: datetime,
    actor: str,
) -> Question:
    version = (
        session.scalar(
            select(func.max(SearchQuestionRow.version)).where(
                SearchQuestionRow.review_id == review_id
            )
        )
        or 0
    ) + 1
    row = SearchQuestionRow(
        review_id=review_id,
        version=version,
        framework_id=framework_id,
        framework_name=framework_name,
        framework_text=framework_text,
        answers=[
            {"key": a.key, "letter": a.letter, "name": a.name, "text": a.text} for a in answers
        ],
        text=text,
        at=at,
        actor=actor,
    )
    session.add(row)
    # The review's own question column holds the current text, so that every page
    # and report reading the review sees it; the versions stay in search_questions.
    review = session.get(ReviewRow, review_id)
    if review is not None:
        review.question = text
    session.flush()
    return _question_of(row)


def questions_of(session: Session, review_id: int) -> list[Question]:
    rows = session.scalars(
        select(SearchQuestionRow)
        .where(SearchQuestionRow.review_id == review_id)
        .order_by(SearchQuestionRow.version)
    )
    return [_question_of(row) for row in rows]


def framework_text_of(session: Session, review_id: int) -> tuple[str, str] | None:
    """The (id, file text) of the framework the current question was built with."""
    row = session.scalars(
        select(SearchQuestionRow)
        .where(SearchQuestionRow.review_id == review_id)
        .order_by(SearchQuestionRow.version.desc())
        .limit(1)
    ).first()
    return (row.framework_id, row.framework_text) if row else None


def _question_of(row: SearchQuestionRow) -> Question:
    return Question(
        review_id=row.review_id,
        version=row.version,
        framework_id=row.framework_id,
        framework_name=row.framework_name,
        answers=tuple(Answer(a["key"], a["letter"], a["name"], a["text"]) for a in row.answers),
        text=row.text,
        set_by=row.actor,
        set_at=row.at,
    )


# --- blocks and terms


def insert_block(session: Session, review_id: int, *, at: datetime, actor: str) -> int:
    row = SearchBlockRow(review_id=review_id, at=at, actor=actor)
    session.add(row)
    session.flush()
    return row.id


def insert_block_detail(
    session: Session,
    block_id: int,
    *,
    label: str,
    element_key: str,
    exclude: bool,
    position: int,
    removed: bool = False,
    at: datetime,
    actor: str,
) -> None:
    session.add(
        SearchBlockDetailRow(
            block_id=block_id, label=label, element_key=element_key, exclude=exclude,
            position=position, removed=removed, at=at, actor=actor,
        )
    )  # fmt: skip
    session.flush()


def insert_term(
    session: Session,
    block_id: int,
    *,
    text: str,
    kind: TermKind,
    truncated: bool,
    proximity: int | None,
    fields: frozenset[Field],
    vocabulary: Vocabulary | None,
    explode: bool,
    suggested_username: str,
    suggested_member_id: int | None,
    note: str,
    at: datetime,
    actor: str,
) -> int:
    row = SearchTermRow(
        block_id=block_id,
        text=text,
        kind=kind.value,
        truncated=truncated,
        proximity=proximity,
        fields=sorted(f.value for f in fields),
        vocabulary=vocabulary.value if vocabulary else "",
        explode=explode,
        suggested_username=suggested_username,
        suggested_member_id=suggested_member_id,
        note=note,
        at=at,
        actor=actor,
    )
    session.add(row)
    session.flush()
    return row.id


def insert_term_removal(
    session: Session, term_id: int, *, reason: str, at: datetime, actor: str
) -> None:
    session.add(SearchTermRemovalRow(term_id=term_id, reason=reason, at=at, actor=actor))
    session.flush()


def blocks_of(
    session: Session, review_id: int, member_names: dict[int, str] | None = None
) -> list[Block]:
    """The review's blocks as they stand (removed ones left out), in order, with their
    current terms; `member_names` names the advisory-group members who suggested terms."""
    names = member_names or {}
    block_ids = list(
        session.scalars(select(SearchBlockRow.id).where(SearchBlockRow.review_id == review_id))
    )
    if not block_ids:
        return []
    latest: dict[int, SearchBlockDetailRow] = {}
    for detail in session.scalars(
        select(SearchBlockDetailRow)
        .where(SearchBlockDetailRow.block_id.in_(block_ids))
        .order_by(SearchBlockDetailRow.id)
    ):
        latest[detail.block_id] = detail
    removed_terms = set(
        session.scalars(
            select(SearchTermRemovalRow.term_id)
            .join(SearchTermRow, SearchTermRow.id == SearchTermRemovalRow.term_id)
            .where(SearchTermRow.block_id.in_(block_ids))
        )
    )
    terms: dict[int, list[Term]] = {block_id: [] for block_id in block_ids}
    for row in session.scalars(
        select(SearchTermRow)
        .where(SearchTermRow.block_id.in_(block_ids))
        .order_by(SearchTermRow.id)
    ):
        if row.id not in removed_terms:
            terms[row.block_id].append(_term_of(row, names))
    blocks = [
        Block(
            id=block_id,
            label=detail.label,
            element_key=detail.element_key,
            exclude=detail.exclude,
            position=detail.position,
            terms=tuple(terms[block_id]),
        )
        for block_id, detail in latest.items()
        if not detail.removed
    ]
    return sorted(blocks, key=lambda b: (b.position, b.id))


def block_review(session: Session, block_id: int) -> int | None:
    return session.scalar(select(SearchBlockRow.review_id).where(SearchBlockRow.id == block_id))


def term_block(session: Session, term_id: int) -> tuple[int, int] | None:
    """The (review id, block id) of a term."""
    found = session.execute(
        select(SearchBlockRow.review_id, SearchTermRow.block_id)
        .join(SearchBlockRow, SearchBlockRow.id == SearchTermRow.block_id)
        .where(SearchTermRow.id == term_id)
    ).first()
    return (found[0], found[1]) if found else None


def term_removed(session: Session, term_id: int) -> bool:
    return (
        session.scalar(select(func.count()).where(SearchTermRemovalRow.term_id == term_id)) or 0
    ) > 0


def _term_of(row: SearchTermRow, names: dict[int, str]) -> Term:
    suggester = None
    if row.suggested_username or row.suggested_member_id is not None:
        suggester = Suggester(
            username=row.suggested_username,
            group_member_id=row.suggested_member_id,
            name=names.get(row.suggested_member_id or 0, ""),
        )
    return Term(
        id=row.id,
        block_id=row.block_id,
        text=row.text,
        kind=TermKind(row.kind),
        truncated=row.truncated,
        proximity=row.proximity,
        fields=frozenset(Field(f) for f in row.fields),
        vocabulary=Vocabulary(row.vocabulary) if row.vocabulary else None,
        explode=row.explode,
        suggested_by=suggester,
        note=row.note,
        added_by=row.actor,
        added_at=row.at,
    )


# --- date limits


def insert_limits(
    session: Session,
    review_id: int,
    *,
    start: date | None,
    end: date | None,
    at: datetime,
    actor: str,
) -> None:
    session.add(SearchLimitsRow(review_id=review_id, start=start, end=end, at=at, actor=actor))
    session.flush()


def limits_of(session: Session, review_id: int) -> DateLimits:
    row = session.scalars(
        select(SearchLimitsRow)
        .where(SearchLimitsRow.review_id == review_id)
        .order_by(SearchLimitsRow.id.desc())
        .limit(1)
    ).first()
    return DateLimits(row.start, row.end) if row else DateLimits()


# --- the search log


def insert_log_entry(
    session: Session,
    review_id: int,
    *,
    database: str,
    platform: str,
    run_on: date,
    string: str,
    limits: str,
    hits: int | None,
    note: str,
    at: datetime,
    actor: str,
) -> int:
    row = SearchLogRow(
        review_id=review_id, database=database, platform=platform, run_on=run_on,
        string=string, limits=limits, hits=hits, note=note, at=at, actor=actor,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row.id


def insert_log_source(
    session: Session, entry_id: int, source_id: int, *, at: datetime, actor: str
) -> None:
    session.add(SearchLogSourceRow(entry_id=entry_id, source_id=source_id, at=at, actor=actor))
    session.flush()


def log_of(session: Session, review_id: int) -> list[SearchLogEntry]:
    rows = list(
        session.scalars(
            select(SearchLogRow)
            .where(SearchLogRow.review_id == review_id)
            .order_by(SearchLogRow.run_on, SearchLogRow.id)
        )
    )
    links: dict[int, list[int]] = {row.id: [] for row in rows}
    if rows:
        for entry_id, source_id in session.execute(
            select(SearchLogSourceRow.entry_id, SearchLogSourceRow.source_id)
            .where(SearchLogSourceRow.entry_id.in_(list(links)))
            .order_by(SearchLogSourceRow.id)
        ):
            links[entry_id].append(source_id)
    return [
        SearchLogEntry(
            id=row.id,
            review_id=row.review_id,
            database=row.database,
            platform=row.platform,
            run_on=row.run_on,
            string=row.string,
            limits=row.limits,
            hits=row.hits,
            source_ids=tuple(links[row.id]),
            note=row.note,
            logged_by=row.actor,
            logged_at=row.at,
        )
        for row in rows
    ]


def source_review(session: Session, source_id: int) -> int | None:
    return session.scalar(select(SourceRow.review_id).where(SourceRow.id == source_id))


def records_per_source(session: Session, source_ids: Sequence[int]) -> dict[int, int]:
    """Records imported from each source, as its import counted them."""
    if not source_ids:
        return {}
    found = session.execute(
        select(SourceRow.id, SourceRow.records_imported).where(SourceRow.id.in_(list(source_ids)))
    )
    return {int(row[0]): int(row[1]) for row in found}
