"""Settings from IMPACTMARKT_* environment variables, with embedded defaults.

The defaults give a working marketplace on SQLite and Whoosh with no configuration; the
same variables switch a deployment to PostgreSQL, Redis-backed jobs and real mail.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

PREFIX = "IMPACTMARKT_"


def env(name: str, default: str | None = None) -> str | None:
    """One IMPACTMARKT_ setting, or the default when unset or empty."""
    value = os.environ.get(PREFIX + name)
    return value if value not in (None, "") else default


def env_int(name: str, default: int) -> int:
    value = env(name)
    return int(value) if value is not None else default


def load_secret_key(instance_path: Path) -> str:
    """Read the instance secret key, generating it on first run (it is never committed)."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


def settings_from_environment(instance_path: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The app settings for this process: `overrides` (tests, benchmarks) win over the environment,
    and defaults that depend on other settings (the search backend) follow the final values."""
    overrides = overrides or {}
    database_url = overrides.get("SQLALCHEMY_DATABASE_URI") or env(
        "DATABASE_URL", f"sqlite:///{instance_path / 'impactmarkt.sqlite'}"
    )
    default_search = "postgresql" if database_url.startswith("postgresql") else "whoosh"
    secret = overrides.get("SECRET_KEY") or env("SECRET_KEY") or load_secret_key(instance_path)
    return {
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SEARCH_BACKEND": env("SEARCH_BACKEND", default_search),
        "SEARCH_INDEX_DIR": env("SEARCH_INDEX_DIR", str(instance_path / "search-index")),
        "REDIS_URL": env("REDIS_URL"),
        "MAIL_SMTP_HOST": env("MAIL_SMTP_HOST"),
        "MAIL_SMTP_PORT": env_int("MAIL_SMTP_PORT", 587),
        "MAIL_SMTP_USER": env("MAIL_SMTP_USER"),
        "MAIL_SMTP_PASSWORD": env("MAIL_SMTP_PASSWORD"),
        "MAIL_SENDER": env("MAIL_SENDER", "Impactmarkt <noreply@impactmarkt.localhost>"),
        "MAIL_OUTBOX_DIR": env("MAIL_OUTBOX_DIR", str(instance_path / "outbox")),
        "GRACE_DAYS": env_int("GRACE_DAYS", 90),
        "SEARCH_PAGE_CACHE": env("SEARCH_PAGE_CACHE", "1") == "1",
        "CRAWL_CONTACT_URL": env("CRAWL_CONTACT_URL", "https://impactmarkt.nl/over/crawler"),
        "SESSION_COOKIE_SECURE": env("SECURE_COOKIES", "0") == "1",
    } | overrides
