"""Printing for the command line: one console for results, one for errors."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


def error(message: str) -> None:
    # Escaped: messages quote people's files, and "[scale]" is not markup.
    err.print(f"[bold red]Error:[/] {escape(message)}", markup=True, soft_wrap=True)
