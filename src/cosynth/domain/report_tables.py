"""A report's table as plain values: what the renderers turn into CSV, Markdown and DOCX."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReportTable:
    """A numbered table of a report: its columns, its rows of text cells, and notes below it.

    `key` names its files ("table-4-score-order"); every cell is already text,
    so the renderers make no decision about content.
    """

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()
