"""The search strategy: concept blocks, their terms and the date limits, and the
strategy translated into each database's syntax.

Blocks are AND'ed and their terms OR'd; an exclusion block is NOT'ed with a
warning (`domain.search`). Each term keeps who suggested it: the paper's terms
were "derived from SPICES and guidance from CAG members" (Search strategy), so
an advisory-group member is credited by their member id, a team member by
their account. Changes are new rows (a term is removed and another added,
never edited), so the strategy as it stood can be traced in the audit log.
"""

from __future__ import annotations

from datetime import date

from cosynth.domain import search_syntax
from cosynth.domain.roles import Permission
from cosynth.domain.search import (
    DEFAULT_FIELDS,
    MAX_LABEL,
    Block,
    Database,
    DateLimits,
    Field,
    Problem,
    Strategy,
    Term,
    TermKind,
    Translation,
    Vocabulary,
    check_limits,
    check_term,
)
from cosynth.errors import InputError, NotFoundError
from cosynth.services.advisory_group import member_ids
from cosynth.services.question import current_question, question_framework
from cosynth.services.workspace import Tx
from cosynth.store import advisory as advisory_store
from cosynth.store import reviews as review_store
from cosynth.store import search as search_store

MAX_NOTE = 2000


def get_strategy(tx: Tx, review_id: int) -> Strategy:
    """The strategy as it stands: blocks in order with their terms, and the date limits."""
    tx.require(review_id, Permission.VIEW)
    names = {m.id: m.name for m in advisory_store.members_of(tx.session, review_id)}
    return Strategy(
        review_id=review_id,
        blocks=tuple(search_store.blocks_of(tx.session, review_id, names)),
        limits=search_store.limits_of(tx.session, review_id),
    )


def add_block(
    tx: Tx, review_id: int, label: str, *, element_key: str = "", exclude: bool = False
) -> Block:
    """Add a concept block at the end (an exclusion block with `exclude`)."""
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    label = _label(label)
    blocks = search_store.blocks_of(tx.session, review_id)
    position = max((b.position for b in blocks), default=0) + 1
    block_id = search_store.insert_block(tx.session, review_id, at=tx.now, actor=tx.actor)
    search_store.insert_block_detail(
        tx.session, block_id, label=label, element_key=element_key.strip(), exclude=exclude,
        position=position, at=tx.now, actor=tx.actor,
    )  # fmt: skip
    tx.log("search block added", review_id, block=block_id, label=label, exclude=exclude)
    return _block(tx, review_id, block_id)


def blocks_from_question(tx: Tx, review_id: int) -> list[Block]:
    """One block for each searched element of the question that has no block yet."""
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    question = current_question(tx, review_id)
    if question is None:
        raise NotFoundError("Set the review's question first: its elements become the blocks.")
    framework = question_framework(tx, review_id)
    assert framework is not None
    have = {b.element_key for b in search_store.blocks_of(tx.session, review_id)}
    added = [
        add_block(tx, review_id, element.name, element_key=element.key)
        for element in framework.elements
        if element.searched and question.answer(element.key) and element.key not in have
    ]
    return added


def revise_block(
    tx: Tx,
    review_id: int,
    block_id: int,
    *,
    label: str | None = None,
    exclude: bool | None = None,
    position: int | None = None,
) -> Block:
    """A block's new label, exclusion or position (a new detail row; the old one stays)."""
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    block = _block(tx, review_id, block_id)
    search_store.insert_block_detail(
        tx.session,
        block_id,
        label=_label(label) if label is not None else block.label,
        element_key=block.element_key,
        exclude=block.exclude if exclude is None else exclude,
        position=block.position if position is None else position,
        at=tx.now,
        actor=tx.actor,
    )
    tx.log("search block revised", review_id, block=block_id)
    return _block(tx, review_id, block_id)


def remove_block(tx: Tx, review_id: int, block_id: int) -> None:
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    block = _block(tx, review_id, block_id)
    search_store.insert_block_detail(
        tx.session, block_id, label=block.label, element_key=block.element_key,
        exclude=block.exclude, position=block.position, removed=True, at=tx.now,
        actor=tx.actor,
    )  # fmt: skip
    tx.log("search block removed", review_id, block=block_id, label=block.label)


def add_term(
    tx: Tx,
    review_id: int,
    block_id: int,
    text: str,
    *,
    kind: TermKind,
    truncated: bool = False,
    proximity: int | None = None,
    fields: frozenset[Field] = DEFAULT_FIELDS,
    vocabulary: Vocabulary | None = None,
    explode: bool = True,
    suggested_by_member: int | None = None,
    suggested_by_username: str = "",
    note: str = "",
) -> Term:
    """Add a term to a block, crediting who suggested it (a group member or an account)."""
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    _block(tx, review_id, block_id)
    if kind is TermKind.HEADING:
        fields = frozenset()
    text = check_term(
        text, kind, truncated=truncated, proximity=proximity, fields=fields,
        vocabulary=vocabulary,
    )  # fmt: skip
    if suggested_by_member is not None:
        member_ids(tx, review_id, [suggested_by_member])
    suggested_by_username = suggested_by_username.strip()
    if (
        suggested_by_username
        and review_store.role_of(tx.session, review_id, suggested_by_username) is None
    ):
        raise InputError(
            f"{suggested_by_username} is not a member of this review: credit a team member "
            "or an advisory-group member."
        )
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise InputError(f"The note is longer than {MAX_NOTE} characters.")
    term_id = search_store.insert_term(
        tx.session, block_id, text=text, kind=kind, truncated=truncated, proximity=proximity,
        fields=fields, vocabulary=vocabulary, explode=explode,
        suggested_username=suggested_by_username, suggested_member_id=suggested_by_member,
        note=note, at=tx.now, actor=tx.actor,
    )  # fmt: skip
    tx.log(
        "search term added",
        review_id,
        term=term_id,
        block=block_id,
        text=text,
        suggested_by_member=suggested_by_member,
        suggested_by=suggested_by_username or None,
    )
    return next(t for t in _block(tx, review_id, block_id).terms if t.id == term_id)


def remove_term(tx: Tx, review_id: int, term_id: int, *, reason: str = "") -> None:
    """Take a term out of its block (kept in the history, with the reason)."""
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    found = search_store.term_block(tx.session, term_id)
    if found is None or found[0] != review_id or search_store.term_removed(tx.session, term_id):
        raise NotFoundError(f"Review {review_id}'s strategy has no term {term_id}.")
    search_store.insert_term_removal(
        tx.session, term_id, reason=reason.strip(), at=tx.now, actor=tx.actor
    )
    tx.log("search term removed", review_id, term=term_id, reason=reason.strip() or None)


def set_date_limits(tx: Tx, review_id: int, start: date | None, end: date | None) -> DateLimits:
    """The publication dates searched (both ends included); None leaves an end open."""
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    limits = DateLimits(start, end)
    check_limits(limits)
    search_store.insert_limits(
        tx.session, review_id, start=start, end=end, at=tx.now, actor=tx.actor
    )
    tx.log(
        "search date limits set",
        review_id,
        start=start.isoformat() if start else None,
        end=end.isoformat() if end else None,
    )
    return limits


def suggested_terms(tx: Tx, review_id: int) -> list[Term]:
    """The terms someone suggested, with who (for GRIPP2 and the search report)."""
    return list(get_strategy(tx, review_id).suggested_terms)


def translate_strategy(tx: Tx, review_id: int, database: Database) -> Translation:
    """The strategy in one database's syntax, with warnings; with errors, no string."""
    return search_syntax.translate(get_strategy(tx, review_id), database)


def translate_all(tx: Tx, review_id: int) -> list[Translation]:
    """The strategy in the syntax of every database cosynth writes for."""
    strategy = get_strategy(tx, review_id)
    return [search_syntax.translate(strategy, database) for database in Database]


def validate_string(database: Database, string: str) -> tuple[Problem, ...]:
    """Problems in a string as a search of `database` (typed by hand or written by cosynth)."""
    return search_syntax.validate(database, string)


def _label(label: str) -> str:
    label = " ".join(label.split())
    if not label:
        raise InputError("A block needs a name, e.g. the concept it searches (Setting).")
    if len(label) > MAX_LABEL:
        raise InputError(f"The block's name is longer than {MAX_LABEL} characters.")
    return label


def _block(tx: Tx, review_id: int, block_id: int) -> Block:
    names = {m.id: m.name for m in advisory_store.members_of(tx.session, review_id)}
    for block in search_store.blocks_of(tx.session, review_id, names):
        if block.id == block_id:
            return block
    raise NotFoundError(f"Review {review_id}'s strategy has no block {block_id}.")
