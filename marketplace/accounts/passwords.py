"""Hashing secrets people type (passwords, claim codes) with argon2id. The costs of a new hash
come from the settings (RFC 9106's low-memory profile by default); verifying reads the costs
stored in the hash itself, and a hash made with other costs is renewed at the next login."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from flask import current_app


@cache
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def hasher() -> PasswordHasher:
    """The app's argon2id hasher, with the costs its settings name."""
    config = current_app.config
    costs = ("PASSWORD_HASH_TIME_COST", "PASSWORD_HASH_MEMORY_KIB", "PASSWORD_HASH_PARALLELISM")
    return _hasher(*(int(config[name]) for name in costs))


@cache
def _dummy(hashing: PasswordHasher) -> str:
    return hashing.hash("impactmarkt-dummy-password")


def dummy_hash() -> str:
    """Verified against when an e-mail address is unknown, so the time a login takes does not reveal
    which accounts exist. Made at the first such login, not at import: every command and worker
    process would pay for it."""
    return _dummy(hasher())
