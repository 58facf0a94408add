"""Signed, expiring tokens for e-mail links (confirmation, password reset); no table needed.

A reset token carries a fingerprint of the current password hash, so it works only once.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

CONFIRM_SECONDS = 3 * 24 * 3600
RESET_SECONDS = 2 * 3600


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"impactmarkt-{purpose}")


def fingerprint(password_hash: str | None) -> str:
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]


def make(purpose: str, user_id: int, password_hash: str | None = None, **extra: str) -> str:
    """A token for one user; `extra` carries what the link needs (a new e-mail address, a page)."""
    return _serializer(purpose).dumps({**extra, "user": user_id, "pw": fingerprint(password_hash)})


def read(purpose: str, token: str, max_age: int) -> dict | None:
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("user"), int) else None
