"""The JSON the API sends and accepts, as JSON Schema (2020-12, which OpenAPI 3.1 uses).

Every object closes with `additionalProperties: false`, so a field added to an
answer without adding it here makes the API tests fail: the document and the
answers cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from cosynth.domain.roles import Role
from cosynth.domain.screening.outcomes import Status
from cosynth.domain.screening.stages import Assignment, CriterionKind, Stage
from cosynth.domain.screening.votes import Decision, ResolutionMethod
from cosynth.services.screening_queue import Order

Json = dict[str, Any]

STRING: Json = {"type": "string"}
INTEGER: Json = {"type": "integer"}
COUNT: Json = {"type": "integer", "minimum": 0}
BOOLEAN: Json = {"type": "boolean"}
NUMBER: Json = {"type": "number"}
DATETIME: Json = {"type": "string", "format": "date-time"}
DATE: Json = {"type": "string", "format": "date"}
STRINGS: Json = {"type": "array", "items": STRING}


def ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def array(items: Json) -> Json:
    return {"type": "array", "items": items}


def nullable(schema: Json) -> Json:
    if "$ref" in schema:
        return {"oneOf": [schema, {"type": "null"}]}
    return {**schema, "type": [schema["type"], "null"]}


def one_of(values: list[str]) -> Json:
    return {"type": "string", "enum": values}


def obj(description: str, properties: dict[str, Json], *, optional: tuple[str, ...] = ()) -> Json:
    """An object with these properties, all of them always present unless named `optional`."""
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }


STAGE = one_of([stage.value for stage in Stage])
DECISION = one_of([decision.value for decision in Decision])
ORDER = one_of([order.value for order in Order])
# What a person may ask for; automation is only ever applied by stopping screening.
RESOLUTION_METHODS = [ResolutionMethod.CONSENSUS.value, ResolutionMethod.THIRD_REVIEWER.value]

SCHEMAS: dict[str, Json] = {
    "Error": obj(
        "What went wrong, in words for a person.",
        {
            "error": obj(
                "The error.",
                {
                    "type": {**STRING, "description": "A stable name, e.g. permission_denied."},
                    "message": STRING,
                },
            )
        },
    ),
    "Document": {"type": "object", "description": "This OpenAPI document."},
    "Review": obj(
        "A review.",
        {
            "id": INTEGER,
            "title": STRING,
            "question": STRING,
            "created_at": DATETIME,
            "started_on": nullable(DATE),
            "completed_on": nullable(DATE),
        },
    ),
    "ReviewList": obj(
        "The reviews the token's owner is a member of.", {"reviews": array(ref("Review"))}
    ),
    "ReviewDetail": obj(
        "A review, your role in it, and counts of what it holds.",
        {
            "review": ref("Review"),
            "role": one_of([role.value for role in Role]),
            "status": obj(
                "Counts across the review.",
                {
                    "members": COUNT,
                    "sources": COUNT,
                    "records": COUNT,
                    "records_by_database": array(
                        obj("Records from one database.", {"database": STRING, "records": COUNT})
                    ),
                    "duplicate_groups": COUNT,
                    "duplicates_removed": COUNT,
                },
            ),
        },
    ),
    "Citation": obj(
        "A citation as the database exported it.",
        {
            "title": STRING,
            "authors": STRINGS,
            "year": nullable(INTEGER),
            "journal": STRING,
            "volume": STRING,
            "issue": STRING,
            "pages": STRING,
            "doi": STRING,
            "pmid": STRING,
            "pmcid": STRING,
            "isbn": STRING,
            "issn": STRING,
            "abstract": STRING,
            "keywords": STRINGS,
            "language": STRING,
            "publication_type": STRING,
            "url": STRING,
            "accession": STRING,
            "database": STRING,
        },
    ),
    "Record": obj(
        "One record as imported, and where it came from.",
        {"id": INTEGER, "source_id": INTEGER, "line": INTEGER, "citation": ref("Citation")},
    ),
    "RecordPage": obj(
        "A page of records, in import order.",
        {"total": COUNT, "limit": COUNT, "offset": COUNT, "records": array(ref("Record"))},
    ),
    "Vote": obj(
        "One person's vote, or an adviser's advice, on a record at a stage.",
        {
            "id": INTEGER,
            "record_id": INTEGER,
            "stage": STAGE,
            "reviewer": STRING,
            "decision": DECISION,
            "reason": STRING,
            "note": STRING,
            "tags": STRINGS,
            "advice": BOOLEAN,
            "calibration": BOOLEAN,
            "cast_at": DATETIME,
        },
    ),
    "Resolution": obj(
        "The decision recorded for a record whose votes disagreed.",
        {
            "id": INTEGER,
            "record_id": INTEGER,
            "stage": STAGE,
            "decision": DECISION,
            "reason": STRING,
            "rationale": STRING,
            "method": one_of([method.value for method in ResolutionMethod]),
            "resolved_by": STRING,
            "resolved_at": DATETIME,
        },
    ),
    "Outcome": obj(
        "A record's outcome at a stage.",
        {
            "status": one_of([status.value for status in Status]),
            "votes_in": COUNT,
            "votes_required": COUNT,
            "reason": STRING,
            "resolution": nullable(ref("Resolution")),
        },
    ),
    "RecordScreening": obj(
        "A record at a stage as you may see it: other people's votes only once blinding allows.",
        {
            "record": ref("Record"),
            "stage": STAGE,
            "outcome": nullable(ref("Outcome")),
            "votes": array(ref("Vote")),
            "advice": array(ref("Vote")),
            "my_vote": nullable(ref("Vote")),
            "votes_in": COUNT,
            "votes_required": COUNT,
            "blinded": {
                **BOOLEAN,
                "description": "True while other people's votes are hidden from you.",
            },
        },
    ),
    "Stopping": obj(
        "Where screening stands, for a person deciding whether to stop (METHODS.md §8).",
        {
            "screened": COUNT,
            "relevant_found": COUNT,
            "unscreened": COUNT,
            "consecutive_irrelevant": COUNT,
            "knee_at": nullable(COUNT),
            "slope_ratio": nullable(NUMBER),
            "knee_rule_met": BOOLEAN,
            "recent_relevant_share": NUMBER,
            "rate_window": COUNT,
            "estimated_recall": nullable(NUMBER),
        },
    ),
    "Queue": obj(
        "The records waiting for your vote, first to last.",
        {
            "stage": STAGE,
            "order": ORDER,
            "ranker": STRING,
            "waiting": COUNT,
            "record_ids": {**array(INTEGER), "description": "The first `limit` waiting records."},
            "exploration_picks": array(INTEGER),
            "note": STRING,
            "stopping": nullable(ref("Stopping")),
        },
    ),
    "ConflictList": obj(
        "Records whose votes disagree, with every vote and the advisers' views.",
        {
            "stage": STAGE,
            "conflicts": array(
                obj(
                    "One conflict.",
                    {
                        "record": ref("Record"),
                        "votes": array(ref("Vote")),
                        "advice": array(ref("Vote")),
                    },
                )
            ),
        },
    ),
    "Protocol": obj(
        "How a stage is screened.",
        {
            "stage": STAGE,
            "version": COUNT,
            "reviewers_required": COUNT,
            "blinded": BOOLEAN,
            "assignment": one_of([assignment.value for assignment in Assignment]),
            "criteria": array(
                obj(
                    "A criterion.",
                    {"kind": one_of([kind.value for kind in CriterionKind]), "text": STRING},
                )
            ),
            "reasons": STRINGS,
            "amendment": STRING,
        },
    ),
    "Progress": obj(
        "How far a stage has got: decided counts only, which break no blinding.",
        {
            "stage": STAGE,
            "records": COUNT,
            "awaiting": COUNT,
            "partly_voted": COUNT,
            "conflicts": COUNT,
            "included": COUNT,
            "excluded": COUNT,
            "excluded_by_reason": array(
                obj("Records excluded for one reason.", {"reason": STRING, "records": COUNT})
            ),
            "marked_ineligible_by_automation": COUNT,
            "reviewers": array(
                obj(
                    "One reviewer's share.",
                    {"reviewer": STRING, "voted": COUNT, "to_do": COUNT},
                )
            ),
            "protocol": ref("Protocol"),
        },
    ),
    "Agreement": obj(
        "One agreement figure (METHODS.md §7); value and band are null where undefined.",
        {
            "statistic": STRING,
            "records": COUNT,
            "percent": nullable(NUMBER),
            "value": nullable(NUMBER),
            "band": nullable(STRING),
            "note": STRING,
        },
    ),
    "StageAgreement": obj(
        "How far the screeners agree at a stage, over records whose votes are all in.",
        {
            "stage": STAGE,
            "calibration": BOOLEAN,
            "unsure_rule": STRING,
            "overall": ref("Agreement"),
            "pairs": array(
                obj(
                    "Cohen's kappa for one pair of reviewers.",
                    {"reviewer_a": STRING, "reviewer_b": STRING, "agreement": ref("Agreement")},
                )
            ),
        },
    ),
    "VoteRequest": obj(
        "Your vote on a record; sending the same vote twice records it once.",
        {
            "decision": DECISION,
            "reason": {**STRING, "description": "Why excluded: one of the stage's reasons."},
            "note": STRING,
            "tags": STRINGS,
            "calibration": {**BOOLEAN, "description": "A vote in the calibration round."},
        },
        optional=("reason", "note", "tags", "calibration"),
    ),
    "ResolutionRequest": obj(
        "The decision on a conflict, with its rationale.",
        {
            "decision": one_of([Decision.INCLUDE.value, Decision.EXCLUDE.value]),
            "rationale": STRING,
            "reason": {**STRING, "description": "Why excluded: one of the stage's reasons."},
            "method": one_of(RESOLUTION_METHODS),
        },
        optional=("reason", "method"),
    ),
}

# -- import, de-duplication and full text

SOURCE: Json = obj(
    "One imported file, and where its records came from (PRISMA-S).",
    {
        "id": INTEGER,
        "filename": STRING,
        "format": {**STRING, "description": "The reader that read it, e.g. ris."},
        "database": STRING,
        "platform": STRING,
        "searched_on": nullable(DATE),
        "sha256": STRING,
        "size": {**COUNT, "description": "In bytes."},
        "imported_at": DATETIME,
        "imported_by": STRING,
        "records_imported": COUNT,
        "records_skipped": COUNT,
    },
)
# A file sent as one part of a multipart/form-data body (OpenAPI 3.1, §4.8.14.3).
FILE: Json = {"type": "string", "contentMediaType": "application/octet-stream"}
PAIR_DECISIONS = ["merge", "not duplicates"]
REPORT: Json = obj(
    "A full text (PRISMA 2020: a report) attached to a record: its PDF, read page by page.",
    {
        "id": INTEGER,
        "record_id": INTEGER,
        "filename": STRING,
        "sha256": STRING,
        "size": {**COUNT, "description": "In bytes."},
        "title": {**STRING, "description": "The PDF's own title, where it has one."},
        "page_count": COUNT,
        "has_text": {**BOOLEAN, "description": "False for a scan with no text layer."},
        "warnings": STRINGS,
        "added_at": DATETIME,
        "added_by": STRING,
    },
)
NOT_RETRIEVED: Json = obj(
    "A record whose full text the team sought and could not obtain (PRISMA 2020).",
    {"record_id": INTEGER, "note": STRING, "marked_at": DATETIME, "marked_by": STRING},
)

SCHEMAS.update(
    {
        "Source": SOURCE,
        "SourceList": obj(
            "The files imported into the review, in the order they were imported.",
            {"sources": array(ref("Source"))},
        ),
        "ImportReport": obj(
            "What one import did: records read, imported, and each one skipped with its reason.",
            {
                "source": ref("Source"),
                "reader": STRING,
                "records_read": COUNT,
                "records_imported": COUNT,
                "skipped": array(
                    obj("A record the import could not use.", {"line": COUNT, "reason": STRING})
                ),
            },
        ),
        "ImportRequest": obj(
            "A database export to import, and the search behind it (PRISMA-S items 1 and 3).",
            {
                "file": {**FILE, "description": "The export (RIS, MEDLINE, BibTeX, CSV ...)."},
                "database": {**STRING, "description": "The database searched, e.g. CINAHL."},
                "platform": {**STRING, "description": "The platform, e.g. EBSCOhost."},
                "searched_on": {**DATE, "description": "The day the search was run."},
                "again": {
                    **BOOLEAN,
                    "description": "Import a file whose exact bytes were imported before.",
                },
            },
            optional=("database", "platform", "searched_on", "again"),
        ),
        "DuplicatePair": obj(
            "Two records a person should compare, and why the machine could not decide.",
            {"a": ref("Record"), "b": ref("Record"), "reason": STRING},
        ),
        "DuplicatePairList": obj(
            "The pairs of the latest de-duplication run that are waiting for a person.",
            {"pairs": array(ref("DuplicatePair"))},
        ),
        "DuplicateGroup": obj(
            "Records that are one work; its id is its first record's id.",
            {
                "id": INTEGER,
                "records": array(ref("Record")),
                "evidence": {**STRINGS, "description": "Why each record joined, in words."},
            },
        ),
        "DuplicateGroupList": obj(
            "The current duplicate groups, by their first record.",
            {"limit": COUNT, "offset": COUNT, "groups": array(ref("DuplicateGroup"))},
        ),
        "PairDecisionRequest": obj(
            "A person's decision on a waiting pair; a pair someone has decided since is refused.",
            {
                "a": INTEGER,
                "b": INTEGER,
                "decision": one_of(PAIR_DECISIONS),
                "note": STRING,
            },
            optional=("note",),
        ),
        "PairDecision": obj(
            "The decision recorded; `group` is the group the two records are now in, if merged.",
            {
                "a": INTEGER,
                "b": INTEGER,
                "decision": one_of(PAIR_DECISIONS),
                "group": nullable(ref("DuplicateGroup")),
            },
        ),
        "Report": REPORT,
        "NotRetrieved": NOT_RETRIEVED,
        "AttachRequest": obj(
            "A PDF to attach as one of the record's full texts.",
            {"file": {"type": "string", "contentMediaType": "application/pdf"}},
        ),
        "NotRetrievedRequest": obj(
            "What was tried to obtain the full text (e.g. library, author emailed).",
            {"note": STRING},
        ),
        "FullTextEntry": obj(
            "A record at the full-text stage as you may see it. `status` stays "
            '"awaiting votes" until every vote is in, so it never tells which way a vote went.',
            {
                "record": ref("Record"),
                "reports": array(ref("Report")),
                "not_retrieved": nullable(ref("NotRetrieved")),
                "status": one_of([status.value for status in Status]),
                "votes_in": COUNT,
                "votes_required": COUNT,
                "asked_of_me": {
                    **BOOLEAN,
                    "description": "You screen this record (or were asked for advice on it).",
                },
                "waiting_for_me": BOOLEAN,
            },
        ),
        "FullTextList": obj(
            "The records at the full-text stage, and the PRISMA 2020 full-text counts.",
            {
                "entries": array(ref("FullTextEntry")),
                "summary": obj(
                    "The full-text boxes of the PRISMA 2020 flow.",
                    {
                        "sought": COUNT,
                        "not_retrieved": COUNT,
                        "with_report": COUNT,
                        "assessed": COUNT,
                        "excluded": COUNT,
                        "excluded_by_reason": array(
                            obj(
                                "Full texts excluded for one reason.",
                                {"reason": STRING, "records": COUNT},
                            )
                        ),
                        "included": COUNT,
                    },
                ),
            },
        ),
    }
)

# An id is one of the store's integers (PostgreSQL's INTEGER); a larger one matches no
# route (web/ids.py), so the document says so.
ID: Json = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}

PATH_PARAMETERS: dict[str, Json] = {
    "review_id": {"description": "The review's id.", "schema": ID},
    "record_id": {"description": "The record's id.", "schema": ID},
    "stage": {"description": "The screening stage.", "schema": STAGE},
    "source_id": {
        "description": "The imported file's id.",
        "schema": ID,
    },
}
