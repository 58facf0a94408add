"""All settings, read once at start-up from IMPACTMARKT_* environment variables into the Flask config.

Nothing else reads the environment: the rate limiter, the crawler, the mail path and the
commands take their values from `app.config`. The defaults give a working marketplace on
SQLite and Whoosh with no configuration; the same variables switch a deployment to
PostgreSQL, Redis and real mail. A value that cannot be read stops start-up with a message
that names the variable.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from matching.labels import DEFAULT_GRACE_DAYS
from scrapers.settings import REGISTER_START_URLS as LIVE_REGISTER_URLS

PREFIX = "IMPACTMARKT_"
DEVELOPMENT_PUBLIC_URL = "http://127.0.0.1:5000"


class ConfigurationError(RuntimeError):
    """A setting that cannot be used; the message names the variable."""


class _Environment:
    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ

    def text(self, name: str, default: str | None = None) -> str | None:
        value = self.environ.get(PREFIX + name)
        return value if value not in (None, "") else default

    def integer(self, name: str, default: int, minimum: int = 0) -> int:
        value = self.text(name)
        if value is None:
            return default
        if not value.isascii() or not value.strip().isdigit() or int(value) < minimum:
            raise ConfigurationError(
                f"{PREFIX}{name} must be a whole number of at least {minimum}, not {value!r}"
            )
        return int(value)

    def number(self, name: str, default: float) -> float:
        value = self.text(name)
        try:
            return float(value) if value is not None else default
        except ValueError:
            raise ConfigurationError(f"{PREFIX}{name} must be a number, not {value!r}") from None

    def flag(self, name: str, default: bool) -> bool:
        value = self.text(name)
        if value is None:
            return default
        if value.lower() in ("1", "true", "yes", "ja", "on"):
            return True
        if value.lower() in ("0", "false", "no", "nee", "off"):
            return False
        raise ConfigurationError(f"{PREFIX}{name} must be 1 or 0, not {value!r}")

    def day(self, name: str) -> date | None:
        value = self.text(name)
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            raise ConfigurationError(
                f"{PREFIX}{name} must be a date like 2026-11-01, not {value!r}"
            ) from None


def _clock_time(name: str, value: str) -> tuple[int, int]:
    hour, _, minute = value.strip().partition(":")
    if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
        raise ConfigurationError(f"{PREFIX}{name} needs times like 02:30, not {value!r}")
    return int(hour), int(minute)


def _crawl_times(value: str) -> dict[str, tuple[int, int]]:
    """ "pso=02:00,code=02:20,senl=02:40": one time per register, staggered so they run politely."""
    times = {}
    for part in value.split(","):
        register, _, at = part.partition("=")
        if register.strip() not in LIVE_REGISTER_URLS:
            raise ConfigurationError(f"{PREFIX}SCHEDULE_CRAWLS names an unknown register {register!r}")
        times[register.strip()] = _clock_time("SCHEDULE_CRAWLS", at)
    return times


IMPACTMARKT_COMMAND = Path(sys.executable).with_name("impactmarkt")  # for commands started as a child


def child_environment(settings: Mapping[str, str]) -> dict[str, str]:
    """The environment for a command this process starts (a crawl in a job): this process's
    environment with the given IMPACTMARKT_* settings on top, so the child reads the same values."""
    return {**os.environ, **{PREFIX + name: value for name, value in settings.items()}}


def load_secret_key(instance_path: Path) -> str:
    """Read the instance secret key, generating it on first run (it is never committed)."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


def _public_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"{PREFIX}PUBLIC_URL must be an http(s) address, not {value!r}")
    return f"{parts.scheme}://{parts.netloc}"


def settings_from_environment(
    instance_path: Path, overrides: dict[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The app settings for this process: `overrides` (tests, benchmarks) win over the environment,
    and defaults that depend on other settings (search backend, trusted hosts) follow the final values."""
    overrides = overrides or {}
    env = _Environment(os.environ if environ is None else environ)
    development = bool(overrides.get("DEVELOPMENT", env.flag("DEVELOPMENT", False)))
    database_url = overrides.get("SQLALCHEMY_DATABASE_URI") or env.text(
        "DATABASE_URL", f"sqlite:///{instance_path / 'impactmarkt.sqlite'}"
    )
    # Migrations run as the tables' owner; the app may connect as a role with fewer rights
    # (on PostgreSQL only INSERT and SELECT on the audit log). Without it both use one URL.
    migration_url = overrides.get("MIGRATION_DATABASE_URL") or env.text(
        "MIGRATION_DATABASE_URL", database_url
    )
    default_search = "postgresql" if database_url.startswith("postgresql") else "whoosh"
    secret = overrides.get("SECRET_KEY") or env.text("SECRET_KEY") or load_secret_key(instance_path)
    public_url = _public_url(
        overrides.get("PUBLIC_URL") or env.text("PUBLIC_URL", DEVELOPMENT_PUBLIC_URL) or ""
    )
    public_host = urlsplit(public_url).hostname or ""
    extra_hosts = [h.strip() for h in (env.text("TRUSTED_HOSTS", "") or "").split(",") if h.strip()]
    redis_url = overrides.get("REDIS_URL", env.text("REDIS_URL"))
    jobs_backend = env.text("JOBS_BACKEND", "redis" if redis_url else "sqlite")
    if jobs_backend not in ("redis", "sqlite", "immediate"):
        raise ConfigurationError(
            f"{PREFIX}JOBS_BACKEND must be redis, sqlite or immediate, not {jobs_backend!r}"
        )
    if jobs_backend == "redis" and not redis_url:
        raise ConfigurationError(f"{PREFIX}JOBS_BACKEND=redis needs {PREFIX}REDIS_URL")
    settings: dict[str, Any] = {
        "DEVELOPMENT": development,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MIGRATION_DATABASE_URL": migration_url,
        "PUBLIC_URL": public_url,
        # Requests for any other host are refused (Flask's TRUSTED_HOSTS): a forged Host header
        # can neither reach the app nor end up in a link.
        "TRUSTED_HOSTS": sorted({public_host, "localhost", "127.0.0.1", *extra_hosts}),
        "TRUSTED_PROXIES": env.integer("TRUSTED_PROXIES", 0),
        "TODAY": env.day("TODAY"),
        "SEARCH_BACKEND": env.text("SEARCH_BACKEND", default_search),
        "SEARCH_INDEX_DIR": env.text("SEARCH_INDEX_DIR", str(instance_path / "search-index")),
        "SEARCH_PAGE_CACHE": env.flag("SEARCH_PAGE_CACHE", True),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "JOBS_BACKEND": jobs_backend,
        "JOBS_FILE": env.text("JOBS_FILE", str(instance_path / "jobs.sqlite")),
        "JOBS_QUEUE_NAME": env.text("JOBS_QUEUE_NAME", "impactmarkt"),  # several sites on one Redis
        "JOB_RETRIES": env.integer("JOB_RETRIES", 3),
        "JOB_RETRY_DELAY": env.integer("JOB_RETRY_DELAY", 60),
        "EXPORT_DIR": env.text("EXPORT_DIR", str(instance_path / "exports")),
        # The schedule runs in `impactmarkt worker` only when asked for; times are local clock times.
        "SCHEDULE": env.flag("SCHEDULE", False),
        "SCHEDULE_CRAWLS": _crawl_times(env.text("SCHEDULE_CRAWLS", "pso=02:00,code=02:20,senl=02:40") or ""),
        "SCHEDULE_REINDEX": _clock_time("SCHEDULE_REINDEX", env.text("SCHEDULE_REINDEX", "03:30") or ""),
        "SCHEDULE_MAILS": _clock_time("SCHEDULE_MAILS", env.text("SCHEDULE_MAILS", "07:00") or ""),
        # Hire documents past their keeping time are deleted every night (sroi purge-documents).
        "SCHEDULE_PURGE": _clock_time("SCHEDULE_PURGE", env.text("SCHEDULE_PURGE", "04:00") or ""),
        "LOG_FORMAT": env.text("LOG_FORMAT", "text" if development else "json"),
        "METRICS": env.flag("METRICS", True),
        "METRICS_TOKEN": env.text("METRICS_TOKEN"),
        # /metrics without the token: only where nobody else can reach the app (never behind a proxy).
        "METRICS_OPEN": env.flag("METRICS_OPEN", False),
        # Set by `impactmarkt serve` (prometheus_client's own variable): workers share their metrics.
        "METRICS_DIR": (environ if environ is not None else os.environ).get("PROMETHEUS_MULTIPROC_DIR"),
        "FORWARDED_ALLOW_IPS": env.text("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        "MAIL_SMTP_HOST": env.text("MAIL_SMTP_HOST"),
        "MAIL_SMTP_PORT": env.integer("MAIL_SMTP_PORT", 587, minimum=1),
        "MAIL_SMTP_USER": env.text("MAIL_SMTP_USER"),
        "MAIL_SMTP_PASSWORD": env.text("MAIL_SMTP_PASSWORD"),
        "MAIL_SENDER": env.text("MAIL_SENDER", "Impactmarkt <noreply@impactmarkt.localhost>"),
        "MAIL_OUTBOX_DIR": env.text("MAIL_OUTBOX_DIR", str(instance_path / "outbox")),
        "ADMIN_EMAILS": [a.strip() for a in (env.text("ADMIN_EMAILS", "") or "").split(",") if a.strip()],
        # argon2id costs of a new password or claim-code hash: RFC 9106's low-memory profile (3 passes,
        # 64 MiB, 4 lanes). Lower them only for tests: a login costs what the stored hash says.
        "PASSWORD_HASH_TIME_COST": env.integer("PASSWORD_HASH_TIME_COST", 3, minimum=1),
        "PASSWORD_HASH_MEMORY_KIB": env.integer("PASSWORD_HASH_MEMORY_KIB", 65536, minimum=8),
        "PASSWORD_HASH_PARALLELISM": env.integer("PASSWORD_HASH_PARALLELISM", 4, minimum=1),
        "GRACE_DAYS": env.integer("GRACE_DAYS", DEFAULT_GRACE_DAYS, minimum=1),
        # Months after an obligation's end that hire documents (personal data) are kept.
        "HIRE_DOCUMENT_MONTHS": env.integer("HIRE_DOCUMENT_MONTHS", 12, minimum=1),
        "REGISTER_URLS": {
            name: env.text(f"REGISTER_{name.upper()}_URL", url) for name, url in LIVE_REGISTER_URLS.items()
        },
        "CRAWL_CONTACT_URL": env.text("CRAWL_CONTACT_URL", f"{public_url}/over/crawler"),
        "CONTACT_EMAIL": env.text("CONTACT_EMAIL", "contact@impactmarkt.localhost"),
        "CRAWL_CACHE_DIR": env.text("CRAWL_CACHE_DIR", str(instance_path / "crawl-cache")),
        "CRAWL_TIMEOUT": env.number("CRAWL_TIMEOUT", 30.0),
        "CRAWL_LOCK_TIMEOUT": env.number("CRAWL_LOCK_TIMEOUT", 60.0),
        "CRAWL_JOB_TIMEOUT": env.integer("CRAWL_JOB_TIMEOUT", 2 * 3600, minimum=1),
        # Secure cookies everywhere but the local development server of `make run`.
        "SESSION_COOKIE_SECURE": env.flag("SECURE_COOKIES", not development),
        "REMEMBER_COOKIE_SECURE": env.flag("SECURE_COOKIES", not development),
    }
    return settings | overrides
