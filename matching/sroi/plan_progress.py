"""Contract years, what a plan expects by a given day, and when an obligation is behind its plan.

In: the contract period, a plan's amounts per contract year (exact Decimals), the approved
amount, the day asked about and the region's thresholds (matching.sroi.monitoring.Thresholds).
Out: the contract years as (start, end) pairs, the planned amount due by that day (each year's
amount spread evenly over its days), and a Reason ("monitor.behind_plan") or None. Plain rules,
no database: the monitor, the obligation pages and the tests use the same functions.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from matching.reasons import Reason
from matching.sroi.monitoring import Thresholds, time_left_share

CENT = Decimal("0.01")


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def contract_years(starts: date, ends: date) -> list[tuple[date, date]]:
    """Contract year 1 runs twelve months from the start, and so on; the last ends with the contract."""
    years = []
    start = starts
    while start <= ends:
        following = add_months(starts, 12 * (len(years) + 1))
        years.append((start, min(following - timedelta(days=1), ends)))
        start = following
    return years


def year_of(starts: date, ends: date, day: date) -> int | None:
    """The contract year (1, 2, …) a day falls in, or None outside the contract."""
    for number, (first, last) in enumerate(contract_years(starts, ends), start=1):
        if first <= day <= last:
            return number
    return None


def planned_by(per_year: Mapping[int, Decimal], starts: date, ends: date, today: date) -> Decimal:
    """What the plan expects approved by the end of `today`: whole years that are over, and the
    part of the running year that has passed (its amount spread evenly over its days)."""
    due = Decimal(0)
    for number, (first, last) in enumerate(contract_years(starts, ends), start=1):
        amount = per_year.get(number, Decimal(0))
        if today >= last:
            due += amount
        elif today >= first:
            due += amount * Decimal((today - first).days + 1) / Decimal((last - first).days + 1)
    # Years planned beyond the contract's end (after a shortening) are due at the end.
    if today >= ends:
        due += sum((a for n, a in per_year.items() if n > len(contract_years(starts, ends))), Decimal(0))
    return due.quantize(CENT, ROUND_HALF_UP)


def _percent(share: Decimal) -> str:
    return str((share * 100).quantize(Decimal(1), rounding=ROUND_FLOOR))


def behind_plan(planned_due: Decimal, approved: Decimal, starts: date, ends: date, today: date,
                thresholds: Thresholds) -> Reason | None:  # fmt: skip
    """At risk against an approved plan: less than `fulfilled_below` of what the plan expects by
    now is approved (behind plan by more than 1 - fulfilled_below) while less than
    `time_left_below` of the period is left. Ended contracts are not "at risk"."""
    if today > ends or planned_due <= 0:
        return None
    share = min(approved / planned_due, Decimal(1))
    left = time_left_share(starts, ends, today)
    if share < thresholds.fulfilled_below and left < thresholds.time_left_below:
        return Reason(
            "monitor.behind_plan",
            {"of_plan": _percent(share), "planned": f"{planned_due:.2f}", "time_left": _percent(left),
             "ends": ends.isoformat()},
        )  # fmt: skip
    return None
