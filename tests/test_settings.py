"""Settings are read once, from IMPACTMARKT_* variables, into the app config; bad values stop start-up."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from marketplace.core.settings import ConfigurationError, settings_from_environment
from scrapers.settings import REGISTER_START_URLS


def settings(tmp_path: Path, **variables: str) -> dict:
    return settings_from_environment(tmp_path, environ={f"IMPACTMARKT_{k}": v for k, v in variables.items()})


@pytest.mark.parametrize("register", ["pso", "code", "senl"])
def test_register_start_urls_come_from_settings_with_the_live_register_as_default(
    tmp_path: Path, register: str
) -> None:
    assert settings(tmp_path)["REGISTER_URLS"][register] == REGISTER_START_URLS[register]
    chosen = settings(tmp_path, **{f"REGISTER_{register.upper()}_URL": "http://127.0.0.1:9/x"})
    assert chosen["REGISTER_URLS"][register] == "http://127.0.0.1:9/x"


def test_redis_url_becomes_the_rate_limit_storage(tmp_path: Path) -> None:
    assert settings(tmp_path)["RATELIMIT_STORAGE_URI"] == "memory://"
    redis = settings(tmp_path, REDIS_URL="redis://127.0.0.1:6379/0")
    assert redis["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_cookies_are_secure_unless_in_local_development(tmp_path: Path) -> None:
    assert settings(tmp_path)["SESSION_COOKIE_SECURE"] is True
    assert settings(tmp_path)["REMEMBER_COOKIE_SECURE"] is True
    assert settings(tmp_path, DEVELOPMENT="1")["SESSION_COOKIE_SECURE"] is False
    assert settings(tmp_path, DEVELOPMENT="1", SECURE_COOKIES="1")["SESSION_COOKIE_SECURE"] is True


def test_public_url_decides_the_trusted_hosts(tmp_path: Path) -> None:
    found = settings(tmp_path, PUBLIC_URL="https://impactmarkt.nl/", TRUSTED_HOSTS="www.impactmarkt.nl")
    assert found["PUBLIC_URL"] == "https://impactmarkt.nl"
    assert set(found["TRUSTED_HOSTS"]) == {"impactmarkt.nl", "www.impactmarkt.nl", "localhost", "127.0.0.1"}


@pytest.mark.parametrize(
    ("variable", "value"),
    [("GRACE_DAYS", "negentig"), ("GRACE_DAYS", "0"), ("PUBLIC_URL", "impactmarkt.nl"), ("TODAY", "1-11-2026"),
     ("SECURE_COOKIES", "misschien"), ("CRAWL_TIMEOUT", "lang"), ("MAIL_SMTP_PORT", "²")],
)  # fmt: skip
def test_a_bad_value_stops_start_up_naming_the_variable(tmp_path: Path, variable: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match=f"IMPACTMARKT_{variable}"):
        settings(tmp_path, **{variable: value})


def test_nothing_outside_the_settings_module_reads_the_environment() -> None:
    root = Path(__file__).resolve().parent.parent
    def reads(line: str) -> bool:  # `os.environ["X"] = ...` hands a value to child processes: no read
        return ("os.environ" in line or "getenv(" in line) and not re.match(r"\s*os\.environ\[[^]]+\] = ", line)

    readers = [
        str(path.relative_to(root))
        for package in ("marketplace", "scrapers", "matching")
        for path in (root / package).rglob("*.py")
        if any(reads(line) for line in path.read_text(encoding="utf-8").splitlines())
    ]
    assert readers == ["marketplace/core/settings.py"]


def test_passwords_are_hashed_at_rfc_9106_low_memory_costs_unless_set_otherwise(tmp_path: Path) -> None:
    chosen = settings(tmp_path)
    assert (chosen["PASSWORD_HASH_TIME_COST"], chosen["PASSWORD_HASH_MEMORY_KIB"], chosen["PASSWORD_HASH_PARALLELISM"]) == (
        3, 65536, 4)  # fmt: skip
    with pytest.raises(ConfigurationError, match="PASSWORD_HASH_MEMORY_KIB"):
        settings(tmp_path, PASSWORD_HASH_MEMORY_KIB="4")
