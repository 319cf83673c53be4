"""Rows <-> domain values. Services hand these values out, never rows."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from cosynth.domain.citation import Citation
from cosynth.domain.prisma import IdentificationMethod
from cosynth.domain.review import Member, Record, Review, Source
from cosynth.domain.roles import Role
from cosynth.store.tables import MemberRow, RecordRow, ReviewRow, SourceRow


def review_of(row: ReviewRow) -> Review:
    return Review(
        id=row.id,
        title=row.title,
        question=row.question,
        created_at=row.created_at,
        started_on=row.started_on,
        completed_on=row.completed_on,
    )


def member_of(row: MemberRow) -> Member:
    return Member(
        review_id=row.review_id,
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
    )


def source_of(row: SourceRow) -> Source:
    return Source(
        id=row.id,
        review_id=row.review_id,
        filename=row.filename,
        format=row.format,
        database=row.database,
        platform=row.platform,
        searched_on=row.searched_on,
        sha256=row.sha256,
        size=row.size,
        imported_at=row.imported_at,
        imported_by=row.imported_by,
        records_imported=row.records_imported,
        records_skipped=len(row.skipped),
        method=IdentificationMethod(row.method),
    )


def record_values(citation: Citation) -> dict[str, Any]:
    """The record columns that hold a citation's fields."""
    return {
        "title": citation.title,
        "authors": list(citation.authors),
        "year": citation.year,
        "journal": citation.journal,
        "volume": citation.volume,
        "issue": citation.issue,
        "pages": citation.pages,
        "doi": citation.doi,
        "pmid": citation.pmid,
        "pmcid": citation.pmcid,
        "isbn": citation.isbn,
        "issn": citation.issn,
        "abstract": citation.abstract,
        "keywords": list(citation.keywords),
        "language": citation.language,
        "publication_type": citation.publication_type,
        "url": citation.url,
        "accession": citation.accession,
        "source_record_id": citation.source_id,
        "database": citation.database,
        "label": citation.label,
        "extra": {key: list(values) for key, values in citation.extra.items()},
    }


def citation_of(row: RecordRow) -> Citation:
    extra: Mapping[str, tuple[str, ...]] = MappingProxyType(
        {key: tuple(values) for key, values in (row.extra or {}).items()}
    )
    return Citation(
        title=row.title,
        authors=tuple(row.authors or ()),
        year=row.year,
        journal=row.journal,
        volume=row.volume,
        issue=row.issue,
        pages=row.pages,
        doi=row.doi,
        pmid=row.pmid,
        pmcid=row.pmcid,
        isbn=row.isbn,
        issn=row.issn,
        abstract=row.abstract,
        keywords=tuple(row.keywords or ()),
        language=row.language,
        publication_type=row.publication_type,
        url=row.url,
        accession=row.accession,
        source_id=row.source_record_id,
        database=row.database,
        label=row.label,
        extra=extra,
    )


def record_of(row: RecordRow) -> Record:
    return Record(
        id=row.id,
        review_id=row.review_id,
        source_id=row.source_id,
        line=row.line,
        citation=citation_of(row),
    )
