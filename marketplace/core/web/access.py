"""Role checks for routes: every non-public route states which role may use it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from flask import abort, url_for
from flask_login import current_user

from marketplace.core.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def role_required(*roles: str) -> Callable[[F], F]:
    """Anonymous visitors go to the login page; signed-in users without the role get 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not any(current_user.has_role(role) for role in roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def found_or_404(find: Callable[..., T], *args: Any) -> T:
    """What `find(*args)` finds, or the 404 page when it raises LookupError: a record that is someone
    else's answers exactly like one that does not exist, on every page."""
    try:
        return find(*args)
    except LookupError:
        abort(404)


def is_same_site_path(target: str) -> bool:
    """True for a path on this site. Decoded until stable, because browsers drop tabs and newlines
    and read a backslash as a slash: "/%09/evil.example" and "/\\evil.example" lead elsewhere."""
    decoded, previous = target, None
    for _ in range(5):
        if decoded == previous:
            break
        previous, decoded = decoded, unquote(decoded)
    if any(ord(char) < 32 or char in "\\\x7f" for char in decoded):
        return False
    parts = urlsplit(decoded)
    return decoded.startswith("/") and not decoded.startswith("//") and not parts.scheme and not parts.netloc


# Where each role's work is, in the order a person with several roles most likely wants first.
START_PAGES = (
    ("coordinator", "coordinator.queue"),
    ("contractor", "contractor.dashboard"),
    ("procurer", "procurer.dashboard"),
    ("entrepreneur", "entrepreneur.dashboard"),
    ("admin", "admin.dashboard"),
)


def start_page(user: Any) -> str:
    """The page where this person's work starts: procurers at search and their lists, contractors at
    their obligations, entrepreneurs at their profile, matches and requests, coordinators at the queue."""
    for role, endpoint in START_PAGES:
        if user.has_role(role):
            return url_for(endpoint)
    return url_for("public.home")


def next_or_start(target: object, user: Any) -> str:
    """Where someone goes after login or confirming their address: where they were going, if that is
    a page on this site, otherwise their role's start page."""
    if isinstance(target, str) and target and len(target) <= 2000 and is_same_site_path(target):
        return target
    return start_page(user)


def safe_next(target: str | None) -> str:
    """A same-site path to return to after login or a language switch; never another site."""
    if target and len(target) <= 2000 and is_same_site_path(target):
        return target
    return url_for("public.home")
