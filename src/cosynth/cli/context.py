"""What every command shares: where the store is, who is acting, which review."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import click

from cosynth.domain.review import Review
from cosynth.services.reviews import choose_review
from cosynth.services.workspace import Tx, Workspace, open_workspace


def default_actor() -> str:
    """Who the command line acts as: `COSYNTH_USER`, else the login name."""
    return os.environ.get("COSYNTH_USER") or getpass.getuser()


@dataclass
class Context:
    db: str | None
    actor: str
    review_id: int | None
    _workspace: Workspace | None = field(default=None, repr=False)

    def workspace(self, *, create: bool = False) -> Workspace:
        if self._workspace is None:
            self._workspace = open_workspace(self.db, create=create)
        return self._workspace

    @contextmanager
    def tx(self) -> Iterator[Tx]:
        with self.workspace().transaction(self.actor) as tx:
            yield tx

    @contextmanager
    def review_tx(self) -> Iterator[tuple[Tx, Review]]:
        """A transaction and the review the command acts on."""
        with self.tx() as tx:
            yield tx, choose_review(tx, self.review_id)

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()


pass_context = click.make_pass_decorator(Context)
