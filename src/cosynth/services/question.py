"""The review's question, built with a framework (METHODS.md §2).

The paper: "The SPICES framework was used to develop the research question and
guided the search strategy" (Search strategy, Table 1). Setting the question
fills the framework's elements and the research question; each change is a
new version, the earlier ones kept (DESIGN.md rule 1). The framework is one of
those registered through `cosynth.frameworks` or the review's own file, read
by the same loader; its text is kept with the question.
"""

from __future__ import annotations

from collections.abc import Mapping

from cosynth.domain.roles import Permission
from cosynth.domain.search import (
    Framework,
    Question,
    QuestionTable,
    check_answers,
    question_table,
)
from cosynth.errors import InputError, NotFoundError
from cosynth.formats.frameworks import FrameworkFile, read_framework, registered_frameworks
from cosynth.services.workspace import Tx
from cosynth.store import search as search_store

MAX_QUESTION = 2000


def available_frameworks() -> list[Framework]:
    """Every registered framework (the built-ins first by name), for choosing one."""
    return [found.framework for found in registered_frameworks().values()]


def get_framework(framework_id: str) -> Framework:
    return _registered(framework_id).framework


def set_question(
    tx: Tx,
    review_id: int,
    framework_id: str,
    answers: Mapping[str, str],
    *,
    text: str,
    framework_file: tuple[str, bytes] | None = None,
) -> Question:
    """Set the review's question: the framework's elements filled and the question itself.

    `framework_file` (name, bytes) is the review's own framework, read by the
    same loader as the built-ins; otherwise `framework_id` names a registered
    one. A new version each time; the review's question text becomes `text`.
    """
    tx.require(review_id, Permission.EDIT_PROTOCOL)
    found = read_framework(framework_file[1], framework_file[0]) if framework_file else None
    if found is None:
        found = _registered(framework_id)
    framework = found.framework
    checked = check_answers(framework, answers)
    text = " ".join(text.split())
    if not text:
        raise InputError(
            "Write the research question itself, e.g. 'How has co-production ... impacted the "
            "design and transformation of integrated health and care services?'"
        )
    if len(text) > MAX_QUESTION:
        raise InputError(f"The question is longer than {MAX_QUESTION} characters.")
    question = search_store.insert_question(
        tx.session,
        review_id,
        framework_id=framework.id,
        framework_name=framework.name,
        framework_text=found.text,
        answers=checked,
        text=text,
        at=tx.now,
        actor=tx.actor,
    )
    tx.log("question set", review_id, version=question.version, framework=framework.id)
    return question


def current_question(tx: Tx, review_id: int) -> Question | None:
    """The review's question as it stands (its latest version), None before one is set."""
    history = question_history(tx, review_id)
    return history[-1] if history else None


def question_history(tx: Tx, review_id: int) -> list[Question]:
    """Every version of the question, oldest first."""
    tx.require(review_id, Permission.VIEW)
    return search_store.questions_of(tx.session, review_id)


def question_framework(tx: Tx, review_id: int) -> Framework | None:
    """The framework the current question was built with (as its file then read)."""
    tx.require(review_id, Permission.VIEW)
    found = search_store.framework_text_of(tx.session, review_id)
    if found is None:
        return None
    return read_framework(found[1], f"the framework of review {review_id}").framework


def table_one(tx: Tx, review_id: int) -> QuestionTable:
    """The paper's Table 1 for this review: the framework's headings beside its concepts."""
    question = current_question(tx, review_id)
    if question is None:
        raise NotFoundError(
            "The review has no question yet: set it with a framework first "
            "(cosynth search question)."
        )
    return question_table(question)


def _registered(framework_id: str) -> FrameworkFile:
    known = registered_frameworks()
    wanted = framework_id.strip()
    found = known.get(wanted) or next(
        (f for f in known.values() if f.framework.name.lower() == wanted.lower()), None
    )
    if found is None:
        listed = ", ".join(f"{key} ({f.framework.name})" for key, f in known.items())
        raise NotFoundError(f'There is no framework "{framework_id}"; there are: {listed}.')
    return found
