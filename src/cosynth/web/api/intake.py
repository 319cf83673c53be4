"""The API's operations for getting a review's records in: import, de-duplication, full texts.

Files come as multipart/form-data (the way `curl -F file=@export.ris` sends
them); everything else is JSON, as in the rest of the API. Each operation calls
the services the pages and the command line call, so permissions, blinding and
the plain-English errors are theirs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import request
from werkzeug.datastructures import FileStorage

from cosynth.domain.roles import Permission
from cosynth.errors import InputError
from cosynth.services import dedup as dedup_service
from cosynth.services import fulltext as fulltext_service
from cosynth.services import imports as import_service
from cosynth.services import records as record_service
from cosynth.web.api import serialise
from cosynth.web.api.schemas import PAIR_DECISIONS, SCHEMAS
from cosynth.web.api.table import Json, Query
from cosynth.web.api.views import REVIEW, _body, _int_arg, _text, api
from cosynth.web.context import transaction
from cosynth.web.uploads import display_name

MAX_GROUPS_PAGE = 500
MULTIPART = "multipart/form-data"

# -- import


@api.route(
    "GET", REVIEW + "/sources", "listSources", "The files imported into the review",
    returns="SourceList",
)  # fmt: skip
def list_sources(review_id: int) -> Json:
    with transaction() as tx:
        found = record_service.list_sources(tx, review_id)
    return {"sources": [serialise.source(one) for one in found]}


@api.route(
    "GET", REVIEW + "/sources/<int:source_id>", "getImportReport",
    "One imported file's import report, every skipped record included", returns="ImportReport",
)  # fmt: skip
def get_import_report(review_id: int, source_id: int) -> Json:
    with transaction() as tx:
        found = record_service.source_report(tx, review_id, source_id)
    return serialise.import_report(found)


@api.route(
    "POST", REVIEW + "/sources", "importFile", "Import a database export; its import report "
    "comes back", returns="ImportReport", status=201, body="ImportRequest", body_media=MULTIPART,
    permissions=(Permission.IMPORT,),
    description=(
        "The import runs while the request waits, in one transaction: the file lands whole "
        "or not at all, and the records it could not use are listed with their line and "
        "reason. The same bytes imported twice are refused unless `again` is true."
    ),
)  # fmt: skip
def import_file(review_id: int) -> Json:
    form = _form("ImportRequest")
    upload = _file("file")
    searched = form.get("searched_on", "").strip()
    try:
        searched_on = date.fromisoformat(searched) if searched else None
    except ValueError:
        raise InputError(f"searched_on must be a date like 2022-03-31, not {searched!r}.") from None
    with transaction() as tx:
        found = import_service.import_file(
            tx,
            review_id,
            display_name(upload.filename),
            upload.read(),
            database=form.get("database", "").strip(),
            platform=form.get("platform", "").strip(),
            searched_on=searched_on,
            again=_form_flag(form, "again"),
        )
    return serialise.import_report(found)


# -- de-duplication


@api.route(
    "GET", REVIEW + "/duplicates/pairs", "listDuplicatePairs",
    "The pairs of records waiting for a person to say whether they are one work",
    returns="DuplicatePairList",
)  # fmt: skip
def list_duplicate_pairs(review_id: int) -> Json:
    with transaction() as tx:
        found = dedup_service.pairs_to_review(tx, review_id)
    return {"pairs": [serialise.duplicate_pair(pair) for pair in found]}


@api.route(
    "POST", REVIEW + "/duplicates/pairs/decisions", "decideDuplicatePair",
    "Merge a waiting pair as one work, or keep it apart", returns="PairDecision", status=201,
    body="PairDecisionRequest", permissions=(Permission.DEDUPLICATE,),
    description=(
        "Only a pair that is still waiting: one that someone decided since it was listed "
        "(or that a group already holds) is refused with 400 and nothing changes. "
        "A merge can be undone with undoDuplicateGroup."
    ),
)  # fmt: skip
def decide_duplicate_pair(review_id: int) -> Json:
    body = _body("PairDecisionRequest")
    a, b = _record_id(body, "a"), _record_id(body, "b")
    decision = _text(body, "decision")
    if decision not in PAIR_DECISIONS:
        raise InputError(
            f"decision must be one of {', '.join(PAIR_DECISIONS)}; {decision!r} is not."
        )
    with transaction() as tx:
        group = dedup_service.decide_pair(
            tx,
            review_id,
            a,
            b,
            duplicate=decision == "merge",
            note=_text(body, "note"),
            waiting=True,
        )
    return {
        "a": a,
        "b": b,
        "decision": decision,
        "group": serialise.duplicate_group(group) if group is not None else None,
    }


@api.route(
    "GET", REVIEW + "/duplicates/groups", "listDuplicateGroups",
    "The records grouped as one work, by their first record", returns="DuplicateGroupList",
    query=(
        Query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_GROUPS_PAGE,
                        "default": 50}, "How many groups to return."),
        Query("offset", {"type": "integer", "minimum": 0, "default": 0}, "How many to skip."),
    ),
)  # fmt: skip
def list_duplicate_groups(review_id: int) -> Json:
    limit = _int_arg("limit", 50, low=1, high=MAX_GROUPS_PAGE)
    offset = _int_arg("offset", 0, low=0, high=None)
    with transaction() as tx:
        found = dedup_service.list_groups(tx, review_id, limit=limit, offset=offset)
    return {
        "limit": limit,
        "offset": offset,
        "groups": [serialise.duplicate_group(group) for group in found],
    }


@api.route(
    "POST", REVIEW + "/duplicates/groups/<int:record_id>/undo", "undoDuplicateGroup",
    "Undo the group a record is in; its records stay apart in later runs",
    returns="DuplicateGroup", permissions=(Permission.DEDUPLICATE,),
)  # fmt: skip
def undo_duplicate_group(review_id: int, record_id: int) -> Json:
    with transaction() as tx:
        undone = dedup_service.undo_group(tx, review_id, record_id)
    return serialise.duplicate_group(undone)


# -- full text


@api.route(
    "GET", REVIEW + "/fulltext", "listFullTexts",
    "The records at the full-text stage, with their full texts and the PRISMA counts",
    returns="FullTextList",
)  # fmt: skip
def list_full_texts(review_id: int) -> Json:
    with transaction() as tx:
        entries = fulltext_service.full_text_records(tx, review_id)
        summary = fulltext_service.retrieval_summary(tx, review_id)
    return serialise.full_text_list(entries, summary)


@api.route(
    "POST", REVIEW + "/fulltext/<int:record_id>/reports", "attachFullText",
    "Attach a PDF as one of the record's full texts", returns="Report", status=201,
    body="AttachRequest", body_media=MULTIPART, permissions=(Permission.ATTACH_FULL_TEXT,),
    description="A file that is not a PDF (whatever its name says) is refused.",
)  # fmt: skip
def attach_full_text(review_id: int, record_id: int) -> Json:
    _form("AttachRequest")
    upload = _file("file")
    with transaction() as tx:
        attached = fulltext_service.attach_report(
            tx, review_id, record_id, display_name(upload.filename), upload.read()
        )
    return serialise.report(attached)


@api.route(
    "POST", REVIEW + "/fulltext/<int:record_id>/not-retrieved", "markNotRetrieved",
    "Record that the full text was sought and could not be obtained", returns="NotRetrieved",
    status=201, body="NotRetrievedRequest", permissions=(Permission.ATTACH_FULL_TEXT,),
)  # fmt: skip
def mark_not_retrieved(review_id: int, record_id: int) -> Json:
    body = _body("NotRetrievedRequest")
    with transaction() as tx:
        marked = fulltext_service.mark_not_retrieved(
            tx, review_id, record_id, note=_text(body, "note")
        )
    return serialise.not_retrieved(marked)


# -- reading a multipart body


def _form(schema: str) -> dict[str, str]:
    """The multipart fields sent, with no field the schema does not name (a typo is not ignored)."""
    if request.mimetype != MULTIPART:
        raise InputError(
            "Send the file as multipart/form-data (curl: -F file=@export.ris), "
            f"not {request.mimetype or 'an empty body'}."
        )
    known = SCHEMAS[schema]["properties"]
    sent = set(request.form) | set(request.files)
    unknown = sorted(sent - set(known))
    if unknown:
        raise InputError(
            f"Unknown field(s) {', '.join(unknown)}; the fields are {', '.join(known)}."
        )
    return {name: request.form.get(name, "") for name in request.form}


def _file(name: str) -> FileStorage:
    upload = request.files.get(name)
    if upload is None or not upload.filename:
        raise InputError(f"Send the file as the multipart field `{name}`, with its file name.")
    return upload


def _form_flag(form: dict[str, str], name: str) -> bool:
    given = form.get(name, "false").strip().lower()
    if given in {"true", "1", "yes"}:
        return True
    if given in {"false", "0", "no", ""}:
        return False
    raise InputError(f"{name} must be true or false, not {given!r}.")


def _record_id(body: dict[str, Any], name: str) -> int:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(f"{name} must be a record's id (a whole number).")
    return value
