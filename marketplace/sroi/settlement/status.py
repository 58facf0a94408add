"""An obligation's status, decided when asked from stored dates and sums on the clock's today:
settled (a current settlement), fulfilled (approved >= required), overdue (the end date has passed,
not settled, not fulfilled) or open. The monitor and the reports count obligations by it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l

STATUSES = ("open", "overdue", "fulfilled", "settled")
STATUS_WORDS = {
    "open": _l("loopt"),
    "overdue": _l("verlopen, niet afgerekend"),
    "fulfilled": _l("ingevuld"),
    "settled": _l("afgerekend"),
}


def status_of(
    required: Decimal | int, approved: Decimal | int, ends_on: date, today: date, settled: bool
) -> str:
    """One obligation's status; `required` and `approved` in the same unit (euros or cents)."""
    if settled:
        return "settled"
    if approved >= required:
        return "fulfilled"
    if ends_on < today:
        return "overdue"
    return "open"


def counts(statuses: Iterable[str]) -> dict[str, int]:
    """How many obligations have each status, every status present (zero when none)."""
    found = Counter(statuses)
    return {status: found.get(status, 0) for status in STATUSES}
