"""Synthesising translations (Noblit & Hare's phase 6): the theme hierarchy and interpretations.

The paper's thematic analysis gave two categories, design and
transformation, each with themes and sub-themes (Findings, "Key themes";
Figure 3), and the translation with the advisory group gave three new
interpretations (Figure 4). Each theme is linked to concepts; through them,
and through the study concepts translated into them, it rests on codings
of the studies' own words, so every theme traces back to studies and pages.
Themes are revised, moved and re-ordered by appending revisions
(DESIGN.md rule 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from cosynth.domain.quotes import Quote, cite
from cosynth.domain.roles import Permission
from cosynth.domain.synthesis import (
    Coding,
    Concept,
    Interpretation,
    PassageKind,
    Support,
    Theme,
    ThemeLevel,
    ThemeNode,
    Translation,
    build_theme_tree,
    check_move,
    check_theme_parent,
    merged_support,
    ordered_themes,
    placed,
    support_of,
    walk,
)
from cosynth.errors import InputError, NotFoundError
from cosynth.formats.theme_tree import write_theme_tree_json, write_theme_tree_markdown
from cosynth.services import coding as coding_service
from cosynth.services import concepts as concept_service
from cosynth.services import quotes as quote_service
from cosynth.services import relating as relating_service
from cosynth.services import roundtables as roundtable_service
from cosynth.services.studies import included_studies
from cosynth.services.workspace import Tx
from cosynth.store import translation as store

MAX_NAME = 500


def add_theme(
    tx: Tx,
    review_id: int,
    name: str,
    *,
    level: ThemeLevel,
    parent_id: int | None = None,
    description: str = "",
) -> Theme:
    """Add a category, a theme under a category, or a sub-theme under a theme, placed last."""
    tx.require(review_id, Permission.SYNTHESISE)
    tidy = _name(name, level)
    current = {theme.id: theme for theme in store.themes_of(tx.session, review_id)}
    parent = _theme(current, review_id, parent_id) if parent_id is not None else None
    check_theme_parent(level, parent)
    siblings = _siblings(current, parent_id)
    _refuse_a_second(tidy, siblings, parent)
    theme_id = store.insert_theme(
        tx.session,
        review_id=review_id,
        level=level,
        name=tidy,
        description=description.strip(),
        parent_id=parent_id,
        position=len(siblings) + 1,
        at=tx.now,
        actor=tx.actor,
    )
    tx.log("theme added", review_id, theme=theme_id, name=tidy, level=level.value, parent=parent_id)
    return get_theme(tx, review_id, theme_id)


def revise_theme(
    tx: Tx,
    review_id: int,
    theme_id: int,
    *,
    name: str | None = None,
    description: str | None = None,
    parent_id: int | None = None,
    position: int | None = None,
) -> Theme:
    """Rename, describe, move (to another parent one level up) or re-order a theme.

    Moving or re-ordering renumbers the siblings it leaves and joins, each
    by a revision of its own; a revision that changes nothing writes nothing.
    """
    tx.require(review_id, Permission.SYNTHESISE)
    current = {theme.id: theme for theme in store.themes_of(tx.session, review_id)}
    theme = _theme(current, review_id, theme_id)
    new_parent = theme.parent_id if parent_id is None else parent_id
    if new_parent != theme.parent_id and new_parent is not None:
        _theme(current, review_id, new_parent)
        check_move(current, theme_id, new_parent)
    revised = replace(
        theme,
        name=theme.name if name is None else _name(name, theme.level),
        description=theme.description if description is None else description.strip(),
        parent_id=new_parent,
    )
    parent = current.get(new_parent) if new_parent is not None else None
    if revised.name.casefold() != theme.name.casefold() or new_parent != theme.parent_id:
        others = [t for t in _siblings(current, new_parent) if t.id != theme_id]
        _refuse_a_second(revised.name, others, parent)
    wanted = dict(current)
    wanted[theme_id] = revised
    if new_parent != theme.parent_id or position is not None:
        joined = placed([t.id for t in _siblings(current, new_parent)], theme_id, position)
        left = [t.id for t in _siblings(current, theme.parent_id) if t.id != theme_id]
        for order in (joined, left) if new_parent != theme.parent_id else (joined,):
            for number, sibling in enumerate(order, start=1):
                wanted[sibling] = replace(wanted[sibling], position=number)
    changed = [t for t in wanted.values() if t != current[t.id]]
    for each in changed:
        store.insert_theme_revision(tx.session, each, at=tx.now, actor=tx.actor)
    if changed:
        tx.log(
            "theme revised",
            review_id,
            theme=theme_id,
            name=revised.name,
            was=theme.name,
            parent=new_parent,
            moved=new_parent != theme.parent_id,
            position=wanted[theme_id].position,
        )
    return get_theme(tx, review_id, theme_id)


def link_concepts(tx: Tx, review_id: int, theme_id: int, concept_ids: Sequence[int]) -> Theme:
    """Link concepts (usually third-order ones) to a theme as what supports it."""
    tx.require(review_id, Permission.SYNTHESISE)
    theme = get_theme(tx, review_id, theme_id)
    if not concept_ids:
        raise InputError(f"Choose the concepts to link to {theme.name!r}.")
    known = {concept.id for concept in concept_service.concepts(tx, review_id)}
    missing = [concept_id for concept_id in concept_ids if concept_id not in known]
    if missing:
        raise NotFoundError(
            f"Review {review_id} has no concept {', '.join(str(m) for m in missing)}."
        )
    new = [c for c in dict.fromkeys(concept_ids) if c not in theme.concept_ids]
    if not new:
        return theme
    store.insert_theme_concepts(tx.session, theme_id, new, linked=True, at=tx.now, actor=tx.actor)
    tx.log("concepts linked to theme", review_id, theme=theme_id, concepts=new)
    return get_theme(tx, review_id, theme_id)


def unlink_concept(tx: Tx, review_id: int, theme_id: int, concept_id: int) -> Theme:
    """Take a concept off a theme; the link stays in the theme's history."""
    tx.require(review_id, Permission.SYNTHESISE)
    theme = get_theme(tx, review_id, theme_id)
    if concept_id not in theme.concept_ids:
        raise InputError(f"Concept {concept_id} is not linked to {theme.name!r}.")
    store.insert_theme_concepts(
        tx.session, theme_id, [concept_id], linked=False, at=tx.now, actor=tx.actor
    )
    tx.log("concept unlinked from theme", review_id, theme=theme_id, concept=concept_id)
    return get_theme(tx, review_id, theme_id)


def get_theme(tx: Tx, review_id: int, theme_id: int) -> Theme:
    tx.require(review_id, Permission.VIEW)
    current = {theme.id: theme for theme in store.themes_of(tx.session, review_id)}
    return _theme(current, review_id, theme_id)


def themes(tx: Tx, review_id: int) -> list[Theme]:
    """Every theme in tree order: each category, its themes, each followed by its sub-themes."""
    tx.require(review_id, Permission.VIEW)
    return ordered_themes(store.themes_of(tx.session, review_id))


def theme_tree(tx: Tx, review_id: int) -> list[ThemeNode]:
    """The categories in position order, each with its children and their support.

    A node's support is its concepts, the study concepts translated into
    them, their codings and the studies (in the order of translation); a
    parent's includes all its descendants'.
    """
    return read_synthesis(tx, review_id).tree


def theme_support(tx: Tx, review_id: int, theme_id: int) -> Support:
    """What one theme rests on, its descendants' support included."""
    synthesis = read_synthesis(tx, review_id)
    for node in walk(synthesis.tree):
        if node.theme.id == theme_id:
            return node.support
    raise NotFoundError(f"Review {review_id} has no theme {theme_id}.")


def add_interpretation(
    tx: Tx,
    review_id: int,
    title: str,
    statement: str,
    *,
    theme_ids: Sequence[int] = (),
    concept_ids: Sequence[int] = (),
) -> Interpretation:
    """State a new interpretation (a line of argument), made from themes and concepts."""
    tx.require(review_id, Permission.SYNTHESISE)
    tidy = " ".join(title.split())
    if not tidy:
        raise InputError("Give the interpretation a title (the paper's: 'Co-delivery').")
    if len(tidy) > MAX_NAME:
        raise InputError(f"The title {tidy[:60]!r}... is longer than {MAX_NAME} characters.")
    said = statement.strip()
    if not said:
        raise InputError(f"Write the statement of {tidy!r}: what the synthesis now says.")
    known_themes = {theme.id for theme in store.themes_of(tx.session, review_id)}
    if missing := [t for t in theme_ids if t not in known_themes]:
        raise NotFoundError(f"Review {review_id} has no theme {', '.join(map(str, missing))}.")
    known_concepts = {concept.id for concept in concept_service.concepts(tx, review_id)}
    if missing := [c for c in concept_ids if c not in known_concepts]:
        raise NotFoundError(f"Review {review_id} has no concept {', '.join(map(str, missing))}.")
    added = store.insert_interpretation(
        tx.session,
        review_id=review_id,
        title=tidy,
        statement=said,
        position=len(store.interpretations_of(tx.session, review_id)) + 1,
        theme_ids=list(dict.fromkeys(theme_ids)),
        concept_ids=list(dict.fromkeys(concept_ids)),
        at=tx.now,
        actor=tx.actor,
    )
    tx.log(
        "interpretation added",
        review_id,
        interpretation=added.id,
        title=tidy,
        themes=list(added.theme_ids),
        concepts=list(added.concept_ids),
    )
    return added


def interpretations(tx: Tx, review_id: int) -> list[Interpretation]:
    """The synthesis's new interpretations, in order."""
    tx.require(review_id, Permission.VIEW)
    return store.interpretations_of(tx.session, review_id)


def interpretation_support(tx: Tx, review_id: int, interpretation_id: int) -> Support:
    """What an interpretation rests on: its themes' support and its own concepts'."""
    synthesis = read_synthesis(tx, review_id)
    for interpretation, support in synthesis.interpretations:
        if interpretation.id == interpretation_id:
            return support
    raise NotFoundError(f"Review {review_id} has no interpretation {interpretation_id}.")


def theme_tree_markdown(tx: Tx, review_id: int) -> str:
    """Categories > themes > sub-themes, each with its studies and "[Study: page]" citations,
    then the new interpretations."""
    synthesis = read_synthesis(tx, review_id)
    return write_theme_tree_markdown(
        synthesis.tree,
        studies=synthesis.labels,
        citations=synthesis.citations,
        interpretations=synthesis.interpretations,
    )


def theme_tree_json(tx: Tx, review_id: int) -> str:
    """The theme tree and interpretations as JSON, with concepts, studies and citations."""
    synthesis = read_synthesis(tx, review_id)
    return write_theme_tree_json(
        synthesis.tree,
        studies=synthesis.labels,
        citations=synthesis.citations,
        concepts=synthesis.concepts,
        interpretations=synthesis.interpretations,
    )


@dataclass(frozen=True)
class Synthesis:
    """Everything the tree, its exports and the advisers' page are read from, read at once."""

    tree: list[ThemeNode]
    interpretations: list[tuple[Interpretation, Support]]
    concepts: dict[int, Concept]
    labels: dict[int, str]  # record id -> "Smith 2019"
    citations: dict[int, str]  # coding id -> "[Smith 2019: 241]"
    quotes: dict[int, tuple[str, str]]  # coding id -> (the quote's words, its citation)


def read_synthesis(tx: Tx, review_id: int) -> Synthesis:
    """The theme tree with its support, the interpretations with theirs, and the words and
    citations of every coding, for pages and exports that show the synthesis whole."""
    tx.require(review_id, Permission.VIEW)
    concepts = {c.id: c for c in concept_service.concepts(tx, review_id)}
    made: list[Translation] = store.translations_of(tx.session, review_id)
    codings = coding_service.codings(tx, review_id)
    order = list(relating_service.translation_order(tx, review_id).record_ids)
    labels = {study.record_id: study.label for study in included_studies(tx, review_id)}
    # Studies not (or no longer) in the order come after it, in import order.
    order += [record_id for record_id in labels if record_id not in order]

    def support(concept_ids: Sequence[int]) -> Support:
        return support_of(
            concept_ids,
            concepts=concepts,
            translations=made,
            codings=codings,
            study_order=order,
        )

    current = store.themes_of(tx.session, review_id)
    tree = build_theme_tree(
        current, {theme.id: support(theme.concept_ids) for theme in current}, order
    )
    by_theme = {node.theme.id: node.support for node in walk(tree)}
    interpretations = [
        (
            interpretation,
            merged_support(
                [
                    *(by_theme[t] for t in interpretation.theme_ids if t in by_theme),
                    support(interpretation.concept_ids),
                ],
                order,
            ),
        )
        for interpretation in store.interpretations_of(tx.session, review_id)
    ]
    quoted = {quote.id: quote for quote in quote_service.quotes(tx, review_id)}
    roundtables = _roundtable_labels(tx, review_id, codings)
    citations: dict[int, str] = {}
    quotes: dict[int, tuple[str, str]] = {}
    for coding in codings:
        citations[coding.id] = _citation(coding, labels, quoted, roundtables)
        quote = quoted.get(coding.passage.source_id)
        if coding.passage.kind is PassageKind.QUOTE and quote is not None:
            quotes[coding.id] = (quote.text, quote.citation)
    return Synthesis(
        tree=tree,
        interpretations=interpretations,
        concepts=concepts,
        labels=labels,
        citations=citations,
        quotes=quotes,
    )


def _roundtable_labels(tx: Tx, review_id: int, codings: Sequence[Coding]) -> dict[int, str]:
    """Transcript id -> how its roundtable is cited ("Roundtable 2023-05-10"), where coded."""
    if not any(coding.passage.kind is PassageKind.TRANSCRIPT for coding in codings):
        return {}
    named = {
        table.id: table.title or f"Roundtable {table.held_on.isoformat()}"
        for table in roundtable_service.roundtables(tx, review_id)
    }
    return {
        transcript.id: named.get(transcript.roundtable_id, "Roundtable")
        for transcript in roundtable_service.transcripts(tx, review_id)
    }


def _citation(
    coding: Coding,
    labels: dict[int, str],
    quoted: dict[int, Quote],
    roundtables: dict[int, str],
) -> str:
    """A quote's own citation; a full text's study and page; a roundtable's time or turn."""
    passage = coding.passage
    quote = quoted.get(passage.source_id) if passage.kind is PassageKind.QUOTE else None
    if quote is not None:
        return quote.citation
    if passage.kind is PassageKind.TRANSCRIPT:
        where = roundtables.get(passage.source_id, "Roundtable")
        return cite(where, passage.page_label or f"turn {passage.page_number}")
    label = labels.get(coding.record_id, "") if coding.record_id is not None else ""
    return cite(label or "Unknown study", passage.page_label)


def _name(name: str, level: ThemeLevel) -> str:
    tidy = " ".join(name.split())
    if not tidy:
        raise InputError(f"Give the {level.value} a name (the paper's: 'Design', 'Structure').")
    if len(tidy) > MAX_NAME:
        raise InputError(f"The name {tidy[:60]!r}... is longer than {MAX_NAME} characters.")
    return tidy


def _theme(current: dict[int, Theme], review_id: int, theme_id: int) -> Theme:
    if theme_id not in current:
        raise NotFoundError(f"Review {review_id} has no theme {theme_id}.")
    return current[theme_id]


def _siblings(current: dict[int, Theme], parent_id: int | None) -> list[Theme]:
    return sorted(
        (theme for theme in current.values() if theme.parent_id == parent_id),
        key=lambda theme: (theme.position, theme.id),
    )


def _refuse_a_second(name: str, siblings: Sequence[Theme], parent: Theme | None) -> None:
    """One name once under one parent, so a theme is found by its name and its place."""
    for sibling in siblings:
        if sibling.name.casefold() == name.casefold():
            where = f"under {parent.name!r}" if parent is not None else "among the categories"
            raise InputError(
                f"There is already a {sibling.level.value} named {sibling.name!r} {where} "
                f"(theme {sibling.id}); give this one another name."
            )
