"""When an SROI obligation is at risk of not being met.

In: the required and approved amounts (exact Decimals), the contract period, the day asked
about and the region's thresholds. Out: a Reason ("monitor.at_risk") with the figures that
made it so, or None. Plain rules, no database: the coordinator's dashboard, the reminders
and the tests use the same function.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from matching.reasons import Reason

PERCENT = Decimal(100)


@dataclass(frozen=True)
class Thresholds:
    """At risk: less than `fulfilled_below` of the obligation approved while less than
    `time_left_below` of the contract period is left (both shares between 0 and 1)."""

    fulfilled_below: Decimal = Decimal("0.50")
    time_left_below: Decimal = Decimal("0.25")


def time_left_share(starts: date, ends: date, today: date) -> Decimal:
    """The share of the contract period still to come on `today`: 1 before it starts, 0 after."""
    if today >= ends:
        return Decimal(0)
    if today <= starts:
        return Decimal(1)
    return Decimal((ends - today).days) / Decimal((ends - starts).days)


def fulfilled_share(required: Decimal, approved: Decimal) -> Decimal:
    if required <= 0:
        return Decimal(1)
    return min(approved / required, Decimal(1))


def _percent(share: Decimal) -> str:
    return str((share * PERCENT).quantize(Decimal(1), rounding=ROUND_FLOOR))


def at_risk(
    required: Decimal, approved: Decimal, starts: date, ends: date, today: date, thresholds: Thresholds
) -> Reason | None:
    """The reason an obligation that is still running is at risk, or None. Ended contracts are
    not "at risk": they either met their obligation or did not."""
    if today > ends:
        return None
    fulfilled = fulfilled_share(required, approved)
    left = time_left_share(starts, ends, today)
    if fulfilled < thresholds.fulfilled_below and left < thresholds.time_left_below:
        return Reason(
            "monitor.at_risk",
            {"fulfilled": _percent(fulfilled), "time_left": _percent(left), "ends": ends.isoformat()},
        )
    return None
