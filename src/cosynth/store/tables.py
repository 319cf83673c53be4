"""The `*Row` tables. Alembic migrations in `migrations/` build exactly these."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Named constraints so that Alembic's batch mode on SQLite can find and alter
# them (https://alembic.sqlalchemy.org/en/latest/naming.html).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A moment in UTC. SQLite keeps no time zone, so one is put back on reading."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.astimezone(UTC) if value is not None and value.tzinfo else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ReviewRow(Base):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    question: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    started_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)


class MemberRow(Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("review_id", "username"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    username: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SourceRow(Base):
    """One imported file, its bytes kept whole for provenance."""

    __tablename__ = "sources"
    __table_args__ = (Index("ix_sources_review_sha256", "review_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(1000))
    format: Mapped[str] = mapped_column(String(50))
    database: Mapped[str] = mapped_column(String(200), default="")
    platform: Mapped[str] = mapped_column(String(200), default="")
    searched_on: Mapped[date | None] = mapped_column(Date)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    raw: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime())
    imported_by: Mapped[str] = mapped_column(String(200))
    records_read: Mapped[int] = mapped_column(Integer)
    records_imported: Mapped[int] = mapped_column(Integer)
    skipped: Mapped[list[Any]] = mapped_column(JSON)
    # The team says this export was already de-duplicated (an earlier review's
    # final library): de-duplication never groups two of its records.
    deduplicated: Mapped[bool] = mapped_column(default=False, server_default=false())
    # How the records were found (domain.prisma.IdentificationMethod): the
    # column of the PRISMA 2020 flow they are counted in.
    method: Mapped[str] = mapped_column(String(30), default="database", server_default="database")


class RecordRow(Base):
    """One citation as imported. Never edited: later steps refer to it by id."""

    __tablename__ = "records"
    __table_args__ = (
        Index("ix_records_review_id", "review_id", "id"),
        Index("ix_records_source_id", "source_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    line: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    authors: Mapped[list[Any]] = mapped_column(JSON)
    year: Mapped[int | None] = mapped_column(Integer)
    journal: Mapped[str] = mapped_column(Text, default="")
    volume: Mapped[str] = mapped_column(String(100), default="")
    issue: Mapped[str] = mapped_column(String(100), default="")
    pages: Mapped[str] = mapped_column(String(100), default="")
    doi: Mapped[str] = mapped_column(String(500), default="")
    pmid: Mapped[str] = mapped_column(String(50), default="")
    pmcid: Mapped[str] = mapped_column(String(50), default="")
    isbn: Mapped[str] = mapped_column(String(200), default="")
    issn: Mapped[str] = mapped_column(String(200), default="")
    abstract: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list[Any]] = mapped_column(JSON)
    language: Mapped[str] = mapped_column(String(200), default="")
    publication_type: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(Text, default="")
    accession: Mapped[str] = mapped_column(String(500), default="")
    source_record_id: Mapped[str] = mapped_column(String(500), default="")
    database: Mapped[str] = mapped_column(String(500), default="")
    label: Mapped[bool | None] = mapped_column()
    extra: Mapped[dict[str, Any]] = mapped_column(JSON)
    raw: Mapped[str] = mapped_column(Text, deferred=True)


class AuditEventRow(Base):
    """Who did what, when: appended by services, never edited."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_review_id", "review_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


class DedupRunRow(Base):
    """One run of de-duplication over a review, with its summary."""

    __tablename__ = "dedup_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)


class DuplicateGroupRow(Base):
    """A set of records that are one work. Never edited: undoing it adds a dissolution."""

    __tablename__ = "duplicate_groups"
    __table_args__ = (Index("ix_duplicate_groups_review_id", "review_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("dedup_runs.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    # Why the group was formed: the evidence of each joining pair.
    evidence: Mapped[list[Any]] = mapped_column(JSON)


class GroupMemberRow(Base):
    __tablename__ = "duplicate_group_members"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("duplicate_groups.id", ondelete="CASCADE"), primary_key=True
    )
    record_id: Mapped[int] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class GroupDissolutionRow(Base):
    """A group no longer holds: undone by a person, or superseded by a re-run."""

    __tablename__ = "duplicate_group_dissolutions"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("duplicate_groups.id", ondelete="CASCADE"), primary_key=True
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)


class PairDecisionRow(Base):
    """A person's decision that two records are (or are not) one work. The latest wins."""

    __tablename__ = "pair_decisions"
    __table_args__ = (Index("ix_pair_decisions_pair", "review_id", "record_a", "record_b"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    record_a: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    record_b: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    duplicate: Mapped[bool] = mapped_column()
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")


class ReviewPairRow(Base):
    """A pair a run could not decide, left for a person, with the reason."""

    __tablename__ = "dedup_review_pairs"
    __table_args__ = (Index("ix_dedup_review_pairs_run_id", "run_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("dedup_runs.id", ondelete="CASCADE"))
    record_a: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    record_b: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)


class StageProtocolRow(Base):
    """One version of a stage's screening protocol. The highest version is in force."""

    __tablename__ = "screening_protocols"
    __table_args__ = (UniqueConstraint("review_id", "stage", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    # Why the protocol changed after screening had started (a logged amendment).
    amendment: Mapped[str] = mapped_column(Text, default="")


class VoteRow(Base):
    """A vote or an adviser's view. A person's latest `sequence` on a record is current.

    The unique sequence is what refuses the same person's vote sent twice at
    once from two sessions: both would claim the same next number.
    """

    __tablename__ = "screening_votes"
    __table_args__ = (
        UniqueConstraint("record_id", "stage", "reviewer", "calibration", "sequence"),
        Index("ix_screening_votes_review_stage", "review_id", "stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(20))
    reviewer: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[Any]] = mapped_column(JSON)
    cast_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sequence: Mapped[int] = mapped_column(Integer)
    advice: Mapped[bool] = mapped_column(default=False)
    calibration: Mapped[bool] = mapped_column(default=False)


class ResolutionRow(Base):
    """A conflict settled by consensus or a third reviewer. The latest `sequence` holds."""

    __tablename__ = "screening_resolutions"
    __table_args__ = (
        UniqueConstraint("record_id", "stage", "sequence"),
        Index("ix_screening_resolutions_review_stage", "review_id", "stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    rationale: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(60))
    resolved_by: Mapped[str] = mapped_column(String(200))
    resolved_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sequence: Mapped[int] = mapped_column(Integer)


class AssignmentRow(Base):
    """A record given to (or taken from) one person at one stage. The latest row holds."""

    __tablename__ = "screening_assignments"
    __table_args__ = (Index("ix_screening_assignments_review_stage", "review_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(20))
    member: Mapped[str] = mapped_column(String(200))
    assigned: Mapped[bool] = mapped_column()
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class CalibrationRow(Base):
    """A calibration round: a random sample every screener votes on before screening starts."""

    __tablename__ = "calibration_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(20))
    record_ids: Mapped[list[Any]] = mapped_column(JSON)
    seed: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class ReportRow(Base):
    """A full text (PRISMA 2020's *report*) attached to a record, with its PDF kept whole."""

    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_review_record", "review_id", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(1000))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    title: Mapped[str] = mapped_column(Text, default="")
    page_count: Mapped[int] = mapped_column(Integer)
    has_text: Mapped[bool] = mapped_column()
    warnings: Mapped[list[Any]] = mapped_column(JSON)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())
    added_by: Mapped[str] = mapped_column(String(200))


class ReportPageRow(Base):
    """One page of a report's text, numbered as in the PDF and labelled as printed."""

    __tablename__ = "report_pages"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(50))
    text: Mapped[str] = mapped_column(Text)


class RetrievalRow(Base):
    """A record's full text marked "not retrieved" (or sought again). The latest row holds."""

    __tablename__ = "retrievals"
    __table_args__ = (Index("ix_retrievals_review_record", "review_id", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    retrieved: Mapped[bool] = mapped_column()
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class UserRow(Base):
    """A person who can sign in to the web app. Their username is their name in every review."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("username"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    # An argon2id hash (argon2-cffi); never the password.
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    password_changed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Signing out ends every session begun before (a copied cookie included): sessions
    # are signed cookies with no server-side record of their own (issue 10).
    signed_out_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # Plain-English pages, one question per page, a glossary (DESIGN.md rule 7).
    adviser_mode: Mapped[bool] = mapped_column(default=False)
    keyboard_shortcuts: Mapped[bool] = mapped_column(default=True)


class InvitationRow(Base):
    """A lead's invitation to join a review in a role. Only the token's hash is kept."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    accepted_by: Mapped[str | None] = mapped_column(String(200))
    accepted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ApiTokenRow(Base):
    """A token a script uses on the JSON API, as one user. Only its hash is kept."""

    __tablename__ = "api_tokens"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(200), index=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class LoginAttemptRow(Base):
    """A sign-in attempt, kept to slow down password guessing across every worker process."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_username_at", "username", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    succeeded: Mapped[bool] = mapped_column()
    remote_addr: Mapped[str] = mapped_column(String(100), default="")


class JobRow(Base):
    """Background work (a large import, a de-duplication run, a retrain) and its progress."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_review_id", "review_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(20))
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text, default="")
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class CoproductionScaleRow(Base):
    """A review's own co-production scale: its TOML file kept whole. The latest per id holds."""

    __tablename__ = "coproduction_scales"
    __table_args__ = (Index("ix_coproduction_scales_review_scale", "review_id", "scale_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    scale_id: Mapped[str] = mapped_column(String(60))
    filename: Mapped[str] = mapped_column(String(1000))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class CoproductionSchemeRow(Base):
    """One version of a review's co-production scoring scheme. The highest version holds."""

    __tablename__ = "coproduction_schemes"
    __table_args__ = (UniqueConstraint("review_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    amendment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class CoproductionRatingRow(Base):
    """A rater's level for a study on a scale, or the consensus. Never edited: the latest holds."""

    __tablename__ = "coproduction_ratings"
    __table_args__ = (Index("ix_coproduction_ratings_review_record", "review_id", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    scale: Mapped[str] = mapped_column(String(60))
    rank: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200))
    rater: Mapped[str] = mapped_column(String(200))
    consensus: Mapped[bool] = mapped_column()
    rationale: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class ExtractionFormRow(Base):
    """One saved version of a review's data-extraction form. Never edited: a change is a new one."""

    __tablename__ = "extraction_forms"
    __table_args__ = (UniqueConstraint("review_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    # The form as plain data (domain.extraction.form_to_data).
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")


class FormFeedbackRow(Base):
    """An adviser's (or reviewer's) comment on a form field, or a proposed new or changed field."""

    __tablename__ = "form_feedback"
    __table_args__ = (Index("ix_form_feedback_review_id", "review_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    field_key: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text, default="")
    # The proposed field as plain data; None for a comment.
    proposed: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    form_version: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class FormFeedbackDecisionRow(Base):
    """The lead's answer to a proposed field: accepted (into `form_version`) or declined."""

    __tablename__ = "form_feedback_decisions"
    __table_args__ = (UniqueConstraint("feedback_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("form_feedback.id", ondelete="CASCADE"))
    accepted: Mapped[bool] = mapped_column()
    reason: Mapped[str] = mapped_column(Text, default="")
    form_version: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class ExtractionValueRow(Base):
    """One extractor's value for one field of one study. Their latest `sequence` is current."""

    __tablename__ = "extraction_values"
    __table_args__ = (
        UniqueConstraint("record_id", "field_key", "extractor", "sequence"),
        Index("ix_extraction_values_review_record", "review_id", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    field_key: Mapped[str] = mapped_column(String(100))
    extractor: Mapped[str] = mapped_column(String(200))
    value: Mapped[Any] = mapped_column(JSON)
    # The form version the value was entered with, and validated against.
    form_version: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    sequence: Mapped[int] = mapped_column(Integer)


class ExtractionDoneRow(Base):
    """An extractor marks a study's extraction done: the moment blinding can lift."""

    __tablename__ = "extraction_done"
    __table_args__ = (UniqueConstraint("record_id", "extractor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    extractor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class ExtractionConsensusRow(Base):
    """The lead's consensus value for a field of a study. The latest `sequence` holds."""

    __tablename__ = "extraction_consensus"
    __table_args__ = (
        UniqueConstraint("record_id", "field_key", "sequence"),
        Index("ix_extraction_consensus_review_record", "review_id", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    field_key: Mapped[str] = mapped_column(String(100))
    value: Mapped[Any] = mapped_column(JSON)
    form_version: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    sequence: Mapped[int] = mapped_column(Integer)


class QuoteRow(Base):
    """A direct quotation from a study, with its page; checked against the PDF where one is held."""

    __tablename__ = "quotes"
    __table_args__ = (Index("ix_quotes_review_record", "review_id", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    page_label: Mapped[str] = mapped_column(String(50), default="")
    page_number: Mapped[int | None] = mapped_column(Integer)
    # Where the quote lies in the report's page text: characters from `start`
    # on page `page_number` to `end` on page `end_page` (the next page when
    # the quote runs over a page break). None when not checked against a PDF.
    start: Mapped[int | None] = mapped_column(Integer)
    end_page: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class AppraisalInstrumentRow(Base):
    """A review's own appraisal instrument: its TOML file kept whole. The latest per id holds."""

    __tablename__ = "appraisal_instruments"
    __table_args__ = (Index("ix_appraisal_instruments_review", "review_id", "instrument_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    instrument_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(1000))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))


class AppraisalProtocolRow(Base):
    """One version of a review's appraisal protocol. The highest version is in force.

    The chosen instrument's file is kept whole with it, so judgements are
    always read against the instrument as it was chosen.
    """

    __tablename__ = "appraisal_protocols"
    __table_args__ = (UniqueConstraint("review_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    instrument_filename: Mapped[str] = mapped_column(String(1000), default="")
    instrument_text: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    # Why the protocol changed after appraisal had started (a logged amendment).
    amendment: Mapped[str] = mapped_column(Text, default="")


class AppraisalJudgementRow(Base):
    """An appraiser's answer to one item for one study. Their latest `sequence` is current."""

    __tablename__ = "appraisal_judgements"
    __table_args__ = (
        # Named here: the conventional name would pass PostgreSQL's 63-character limit.
        UniqueConstraint(
            "record_id",
            "appraiser",
            "instrument_id",
            "item_id",
            "sequence",
            name="uq_appraisal_judgements_sequence",
        ),
        Index("ix_appraisal_judgements_review_record", "review_id", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    appraiser: Mapped[str] = mapped_column(String(200))
    instrument_id: Mapped[str] = mapped_column(String(100))
    item_id: Mapped[str] = mapped_column(String(100))
    answer: Mapped[str] = mapped_column(String(100), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    sequence: Mapped[int] = mapped_column(Integer)


class AppraisalConsensusRow(Base):
    """The agreed answer to one item for one study, with its rationale. The latest holds."""

    __tablename__ = "appraisal_consensus"
    __table_args__ = (
        UniqueConstraint(
            "record_id",
            "instrument_id",
            "item_id",
            "sequence",
            name="uq_appraisal_consensus_sequence",
        ),
        Index("ix_appraisal_consensus_review_record", "review_id", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    instrument_id: Mapped[str] = mapped_column(String(100))
    item_id: Mapped[str] = mapped_column(String(100))
    answer: Mapped[str] = mapped_column(String(100))
    rationale: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(60))
    agreed_by: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    sequence: Mapped[int] = mapped_column(Integer)
