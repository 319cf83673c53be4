"""Who may post a form, asked of the services before the form is read.

A view that read its form first would answer someone with no right to the
review "that decision is not one of include, exclude, unsure" (400) before
the service refused them (403), and so teach an outsider or an observer the
form's rules (issue 5). `permission_first` asks first: a person who holds none
of the permissions is refused before the view looks at anything they sent.
The service the view then calls checks the exact permission again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from cosynth.domain.roles import Permission, Role, may
from cosynth.web.context import transaction

View = Callable[..., Any]

# The mark a view carries, so a test can tell which forms ask first.
PERMISSIONS_ATTRIBUTE = "permissions_first"


def require_any(review_id: int, *permissions: Permission) -> Role:
    """The signed-in person's role in the review, if it holds one of `permissions`.

    Otherwise the services' own `PermissionDeniedError`, in their words:
    someone not on the team hears only that, whatever the review holds.
    """
    with transaction() as tx:
        role = tx.require(review_id, Permission.VIEW)
        if not any(may(role, permission) for permission in permissions):
            tx.require(review_id, permissions[0])  # raises, naming the first permission
    return role


def permission_first(*permissions: Permission) -> Callable[[View], View]:
    """Refuse a person without one of `permissions` in the URL's review before the view runs."""
    if not permissions:
        raise ValueError("name at least one permission")

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            require_any(int(kwargs["review_id"]), *permissions)
            return view(*args, **kwargs)

        setattr(wrapped, PERMISSIONS_ATTRIBUTE, permissions)
        return wrapped

    return decorate
