"""The application's one clock: every "today" and "now" is read here, so a test can set the day.

Validity, grace and expiry are decided on the day of the request; reading the day in one
place keeps that decision the same everywhere and lets tests (and demos of an old register
snapshot) fix the day with the `TODAY` setting (`IMPACTMARKT_TODAY=2026-11-01`) or `frozen()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DUTCH_TIME = ZoneInfo("Europe/Amsterdam")
_override: list[date] = []  # set by frozen(), innermost last; wins over the app setting


def _fixed_day() -> date | None:
    if _override:
        return _override[-1]
    if has_app_context():
        return current_app.config.get("TODAY")
    return None


def today() -> date:
    """Today's date in the Netherlands (or the fixed day)."""
    return _fixed_day() or datetime.now(DUTCH_TIME).date()


def now() -> datetime:
    """Naive UTC now (SQLite keeps no time zone); on a fixed day, that day at the current time of day."""
    moment = datetime.now(UTC).replace(tzinfo=None)
    fixed = _fixed_day()
    return datetime.combine(fixed, moment.time()) if fixed else moment


def start_of(day: date) -> datetime:
    return datetime.combine(day, time())


@contextmanager
def frozen(day: date) -> Iterator[date]:
    """Run a block as if today were `day` (tests; scripts that replay an old snapshot)."""
    _override.append(day)
    try:
        yield day
    finally:
        _override.pop()
