"""The API's operations: each parses, calls one service as the token's owner, returns JSON.

The services are the ones the command line and the pages call, so the API has
the same permissions and the same blinding; nothing here decides either.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

from flask import Blueprint, request

from cosynth import __version__
from cosynth.domain.roles import Permission
from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision, ResolutionMethod
from cosynth.errors import InputError, NotFoundError
from cosynth.services import agreement as agreement_service
from cosynth.services import records as record_service
from cosynth.services import reviews as review_service
from cosynth.services import screening as screening_service
from cosynth.services.screening_queue import Order, screening_queue
from cosynth.web.api import serialise
from cosynth.web.api.schemas import ORDER, PATH_PARAMETERS, RESOLUTION_METHODS, SCHEMAS
from cosynth.web.api.table import ApiTable, Json, Query
from cosynth.web.context import transaction
from cosynth.web.ids import MAX_ID

PREFIX = "/api/v1"
blueprint = Blueprint("api", __name__, url_prefix=PREFIX)
api = ApiTable(
    blueprint,
    title="cosynth API",
    version=__version__,
    description=(
        "The review team's work, for scripts: the same permissions and blinding as the "
        "pages and the command line. Send an API token as `Authorization: Bearer <token>`; "
        'errors come back as `{"error": {"type": ..., "message": ...}}`.'
    ),
    path_parameters=PATH_PARAMETERS,
    schemas=SCHEMAS,
)

E = TypeVar("E", bound=StrEnum)

MAX_RECORDS_PAGE = 500
MAX_QUEUE = 1000
LIMIT = Query("limit", {"type": "integer", "minimum": 1}, "How many to return.")
CALIBRATION = Query(
    "calibration", {"type": "boolean", "default": False}, "The calibration round instead."
)
REVIEW = "/reviews/<int:review_id>"
STAGE = REVIEW + "/screening/<stage>"


@api.route(
    "GET", "/openapi.json", "getOpenApiDocument", "This OpenAPI document", returns="Document",
    public=True,
)  # fmt: skip
def openapi() -> Json:
    return api.document(server_url=request.script_root + PREFIX)


@api.route(
    "GET", "/reviews", "listReviews", "The reviews you are a member of", returns="ReviewList"
)
def list_reviews() -> Json:
    with transaction() as tx:
        found = review_service.my_reviews(tx)
    return {"reviews": [serialise.review(review) for review in found]}


@api.route("GET", REVIEW, "getReview", "A review, your role and its counts", returns="ReviewDetail")
def get_review(review_id: int) -> Json:
    with transaction() as tx:
        role = tx.require(review_id, Permission.VIEW)
        status = review_service.review_status(tx, review_id)
    return serialise.review_detail(status, role)


@api.route(
    "GET", REVIEW + "/records", "listRecords", "The review's records, in import order",
    returns="RecordPage",
    query=(
        Query("search", {"type": "string"}, "Only records whose title, abstract, journal or "
              "DOI contain this (or whose PMID or year equals it)."),
        Query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_RECORDS_PAGE,
                        "default": 50}, "How many records to return."),
        Query("offset", {"type": "integer", "minimum": 0, "maximum": MAX_ID, "default": 0},
              "How many to skip."),
    ),
)  # fmt: skip
def list_records(review_id: int) -> Json:
    search = request.args.get("search", "").strip() or None
    limit = _int_arg("limit", 50, low=1, high=MAX_RECORDS_PAGE)
    # Bounded: a larger number than the store's integers overflows its driver (issue 10).
    offset = _int_arg("offset", 0, low=0, high=MAX_ID)
    with transaction() as tx:
        total = record_service.count_records(tx, review_id, search=search)
        found = record_service.list_records(
            tx, review_id, search=search, limit=limit, offset=offset
        )
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "records": [serialise.record(record) for record in found],
    }


@api.route("GET", REVIEW + "/records/<int:record_id>", "getRecord", "One record", returns="Record")
def get_record(review_id: int, record_id: int) -> Json:
    with transaction() as tx:
        found = record_service.get_record(tx, review_id, record_id)
    return serialise.record(found)


@api.route(
    "GET", STAGE + "/queue", "getQueue", "The records waiting for your vote, in screening order",
    returns="Queue",
    query=(
        Query("order", {**ORDER, "default": Order.RANKED.value}, "The screening order."),
        Query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_QUEUE, "default": 20},
              "How many record ids to return."),
        CALIBRATION,
    ),
)  # fmt: skip
def get_queue(review_id: int, stage: str) -> Json:
    at = _stage(stage)
    order = _choice_arg("order", Order, Order.RANKED)
    limit = _int_arg("limit", 20, low=1, high=MAX_QUEUE)
    calibration = _flag_arg("calibration")
    with transaction() as tx:
        found = screening_queue(tx, review_id, stage=at, order=order, calibration=calibration)
    return serialise.queue(found, limit=limit)


@api.route(
    "GET", STAGE + "/records/<int:record_id>", "getRecordScreening",
    "A record at a stage, with the votes blinding lets you see", returns="RecordScreening",
)  # fmt: skip
def get_record_screening(review_id: int, stage: str, record_id: int) -> Json:
    at = _stage(stage)
    with transaction() as tx:
        view = screening_service.record_screening(tx, review_id, record_id, stage=at)
    return serialise.record_screening(view)


@api.route(
    "POST", STAGE + "/records/<int:record_id>/votes", "castVote",
    "Vote on a record (an adviser's vote is recorded as advice)", returns="Vote", status=201,
    body="VoteRequest", permissions=(Permission.SCREEN, Permission.ADVISE),
)  # fmt: skip
def cast_vote(review_id: int, stage: str, record_id: int) -> Json:
    at = _stage(stage)
    body = _body("VoteRequest")
    decision = _choice(body, "decision", Decision)
    with transaction() as tx:
        cast = screening_service.cast_vote(
            tx,
            review_id,
            record_id,
            decision,
            stage=at,
            reason=_text(body, "reason"),
            note=_text(body, "note"),
            tags=_tags(body),
            calibration=_flag(body, "calibration"),
        )
    return serialise.vote(cast)


@api.route(
    "GET", STAGE + "/conflicts", "listConflicts", "Records whose votes disagree",
    returns="ConflictList",
)  # fmt: skip
def list_conflicts(review_id: int, stage: str) -> Json:
    at = _stage(stage)
    with transaction() as tx:
        found = screening_service.list_conflicts(tx, review_id, stage=at)
    return serialise.conflicts(at.value, found)


@api.route(
    "POST", STAGE + "/conflicts/<int:record_id>/resolution", "resolveConflict",
    "Settle a conflict: the lead's consensus, or a third reviewer's decision",
    returns="Resolution", status=201, body="ResolutionRequest",
    permissions=(Permission.RESOLVE_CONFLICTS, Permission.SCREEN),
)  # fmt: skip
def resolve_conflict(review_id: int, stage: str, record_id: int) -> Json:
    at = _stage(stage)
    body = _body("ResolutionRequest")
    decision = _choice(body, "decision", Decision)
    method = _resolution_method(_text(body, "method") or ResolutionMethod.CONSENSUS.value)
    with transaction() as tx:
        found = screening_service.resolve(
            tx,
            review_id,
            record_id,
            decision,
            stage=at,
            rationale=_text(body, "rationale"),
            reason=_text(body, "reason"),
            method=method,
        )
    return serialise.resolution(found)


@api.route(
    "GET", STAGE + "/progress", "getProgress", "How far the stage has got", returns="Progress"
)
def get_progress(review_id: int, stage: str) -> Json:
    at = _stage(stage)
    with transaction() as tx:
        found = screening_service.stage_progress(tx, review_id, stage=at)
    return serialise.progress(found)


@api.route(
    "GET", STAGE + "/agreement", "getAgreement", "How far the screeners agree (kappa)",
    returns="StageAgreement", query=(CALIBRATION,),
)  # fmt: skip
def get_agreement(review_id: int, stage: str) -> Json:
    at = _stage(stage)
    calibration = _flag_arg("calibration")
    with transaction() as tx:
        found = agreement_service.screening_agreement(
            tx, review_id, stage=at, calibration=calibration
        )
    return serialise.stage_agreement(found)


# -- reading the request


def _stage(value: str) -> Stage:
    try:
        return Stage(value)
    except ValueError:
        raise NotFoundError(
            f"There is no screening stage {value!r}; the stages are "
            + " and ".join(stage.value for stage in Stage)
            + "."
        ) from None


def _int_arg(name: str, default: int, *, low: int, high: int | None) -> int:
    given = request.args.get(name, "").strip()
    if not given:
        return default
    try:
        value: int | None = int(given)
    except ValueError:
        value = None
    if value is None or value < low or (high is not None and value > high):
        upto = f" to {high:,}" if high is not None else " or more"
        raise InputError(f"{name} must be a whole number from {low}{upto}, not {given!r}.")
    return value


def _flag_arg(name: str) -> bool:
    given = request.args.get(name, "false").strip().lower()
    if given in {"true", "1", "yes"}:
        return True
    if given in {"false", "0", "no", ""}:
        return False
    raise InputError(f"{name} must be true or false, not {given!r}.")


def _choice_arg(name: str, kind: type[E], default: E) -> E:
    given = request.args.get(name, "").strip()
    if not given:
        return default
    return _member(kind, given, name)


def _body(schema: str) -> dict[str, Any]:
    """The JSON object sent, with no field the schema does not name (a typo is not ignored)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InputError(
            "Send a JSON object as the request body, with Content-Type: application/json."
        )
    known = SCHEMAS[schema]["properties"]
    unknown = sorted(set(body) - set(known))
    if unknown:
        raise InputError(
            f"Unknown field(s) {', '.join(unknown)}; the fields are {', '.join(known)}."
        )
    missing = [name for name in SCHEMAS[schema]["required"] if name not in body]
    if missing:
        raise InputError(f"The field(s) {', '.join(missing)} must be given.")
    return body


def _choice(body: dict[str, Any], name: str, kind: type[E]) -> E:
    return _member(kind, _text(body, name), name)


def _member(kind: type[E], given: str, name: str) -> E:
    try:
        return kind(given)
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise InputError(f"{name} must be one of {choices}; {given!r} is not.") from None


def _resolution_method(given: str) -> ResolutionMethod:
    # Automation is applied only by stopping screening, never record by record.
    if given not in RESOLUTION_METHODS:
        raise InputError(
            f"method must be one of {', '.join(RESOLUTION_METHODS)}; {given!r} is not."
        )
    return ResolutionMethod(given)


def _text(body: dict[str, Any], name: str) -> str:
    value = body.get(name, "")
    if not isinstance(value, str):
        raise InputError(f"{name} must be text (a JSON string).")
    return value


def _flag(body: dict[str, Any], name: str) -> bool:
    value = body.get(name, False)
    if not isinstance(value, bool):
        raise InputError(f"{name} must be true or false.")
    return value


def _tags(body: dict[str, Any]) -> tuple[str, ...]:
    value = body.get("tags", [])
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise InputError('tags must be a list of text, e.g. ["carers", "qualitative"].')
    return tuple(value)
