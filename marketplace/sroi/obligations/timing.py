"""How much of a stored hire is realised today and how much is still planned (issue 23: the
part of a hire that lies ahead counts as planned, not realised, until its days have passed).

The stored amount (which a coordinator may have corrected) is split in the proportion the hire's
valuation under its own rule-set version gives: value up to today ÷ value of the counted period.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from marketplace.sroi.models import Contribution, Obligation
from marketplace.sroi.rulesets import services as sroi_rulesets
from matching.sroi import Hire, RuleSet
from matching.sroi.timing import realised_share


def counted_period(contribution: Contribution, obligation: Obligation) -> tuple[date, date]:
    """The part of the hire inside the contract period (what was valued)."""
    start = max(contribution.starts_on, obligation.starts_on)  # type: ignore[type-var]
    end = min(contribution.ends_on, obligation.ends_on)  # type: ignore[type-var]
    return start, end


def realised_cents(contribution: Contribution, obligation: Obligation, today: date,
                   cache: dict[tuple[str, int], RuleSet] | None = None) -> int:  # fmt: skip
    """The stored amount's realised part in cents, rounded once (half up)."""
    start, end = counted_period(contribution, obligation)
    if end <= today:
        return contribution.counted_cents
    if start > today or not contribution.ruleset_id:  # not begun, or no value yet (waits for a rule set)
        return 0
    key = (contribution.ruleset_id, contribution.ruleset_version)
    cache = {} if cache is None else cache
    if key not in cache:
        cache[key] = sroi_rulesets.rules(*key)
    rules = cache[key]
    hire = Hire(contribution.block or "", Decimal(contribution.hours_per_week or 0), start, end,
                tuple(contribution.supplements or ()))  # fmt: skip
    if hire.block in rules.hires:
        share = realised_share(hire, rules, today)
    else:  # a block the version no longer knows: by calendar days
        share = Decimal((today - start).days + 1) / Decimal((end - start).days + 1)
    return int((Decimal(contribution.counted_cents) * share).quantize(Decimal(1), ROUND_HALF_UP))
