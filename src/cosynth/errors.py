"""The one error hierarchy of cosynth.

Every message is written to be read by a review team member, not a programmer:
it says what went wrong, where (file, line, field), and what to do next.
Interfaces (CLI, web) translate these errors in one place each; anything else
escaping is a bug.
"""

from __future__ import annotations


class CosynthError(Exception):
    """Base of every error cosynth means to show to a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(CosynthError):
    """Input a person gave us cannot be used (a file, an option, a field)."""


class ImportFileError(InputError):
    """A file offered for import cannot be read as a bibliographic export.

    Carries the file name and, where it applies, the 1-based line number.
    """

    def __init__(self, filename: str, problem: str, *, line: int | None = None) -> None:
        where = f"{filename}, line {line}" if line is not None else filename
        super().__init__(f"{where}: {problem}")
        self.filename = filename
        self.problem = problem
        self.line = line


class AlreadyImportedError(InputError):
    """The same bytes were imported into this review before."""


class NotFoundError(CosynthError):
    """Something asked for by id or name does not exist."""


class PermissionDeniedError(CosynthError):
    """The person acting may not do this in this review."""


class StoreError(CosynthError):
    """The database cannot be opened, reached or upgraded."""


class MissingExtraError(CosynthError):
    """A feature needs an optional part of cosynth that is not installed (a pip extra).

    A laptop installs plain `cosynth`; PostgreSQL, gunicorn workers and a Redis
    job queue come with extras (pyproject's [project.optional-dependencies]).
    """

    def __init__(self, feature: str, extra: str) -> None:
        super().__init__(f"{feature} needs the {extra} extra: pip install 'cosynth[{extra}]'")
        self.feature = feature
        self.extra = extra


class ConcurrentChangeError(CosynthError):
    """Someone changed the same thing at the same moment; this change was not made."""


class SignInError(CosynthError):
    """A username and password that do not match an account (the same words for either)."""


class ThrottledError(CosynthError):
    """Too many wrong passwords lately: sign-in is refused for a while.

    `retry_after` is the wait in seconds (for an HTTP Retry-After header).
    """

    def __init__(self, message: str, *, retry_after: int = 0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class DataFileError(InputError):
    """A data file (a co-production scale, an appraisal instrument, a worked example) is wrong.

    Carries the file name and, where it applies, the 1-based line number, so
    the person who wrote the file can go straight to the mistake.
    """

    def __init__(self, filename: str, problem: str, *, line: int | None = None) -> None:
        where = f"{filename}, line {line}" if line is not None else filename
        super().__init__(f"{where}: {problem}")
        self.filename = filename
        self.problem = problem
        self.line = line


class SearchApiError(CosynthError):
    """A database's API could not be searched: it refused, failed, timed out or answered oddly.

    Carries the API's name. Nothing from the failed page was kept: what was
    downloaded before it is, and the run can be resumed.
    """

    def __init__(self, api: str, problem: str) -> None:
        super().__init__(f"{api}: {problem}")
        self.api = api
        self.problem = problem
