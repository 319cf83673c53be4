"""Printing for the command line: one console for results, one for errors."""

from __future__ import annotations

from rich.console import Console

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


def error(message: str) -> None:
    err.print(f"[bold red]Error:[/] {message}", markup=True, soft_wrap=True)
