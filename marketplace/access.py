"""Role checks for routes: every non-public route states which role may use it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, url_for
from flask_login import current_user

from marketplace.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])


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


def safe_next(target: str | None) -> str:
    """A same-site path to return to after login or a language switch; never another site."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("public.home")
