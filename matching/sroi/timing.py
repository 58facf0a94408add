"""Realised and planned: the part of a hire up to today has happened, the part after it lies
ahead and counts as planned (as an invoice dated after today does), until its days have passed.

The realised part is the valuation of the hire cut off at today, so a counting cap (counted from
the start) and a once-per-hire supplement fall where they belong; the planned part is the rest.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from matching.sroi.rulesets import RuleSet
from matching.sroi.valuation import Hire, value_hire


def realised_share(hire: Hire, rules: RuleSet, today: date) -> Decimal:
    """The share (0 to 1) of the hire's value that lies up to and including today."""
    if hire.end <= today:
        return Decimal(1)
    if hire.start > today:
        return Decimal(0)
    full = value_hire(hire, rules).amount
    if full <= 0:
        return Decimal(1) if hire.start <= today else Decimal(0)
    done = value_hire(replace(hire, end=today), rules).amount
    return min(done / full, Decimal(1))


def split_hire(hire: Hire, rules: RuleSet, today: date) -> tuple[Decimal, Decimal]:
    """(realised, planned) in euros to the cent: the value up to today, and the rest."""
    full = value_hire(hire, rules).amount
    if hire.end <= today:
        return full, Decimal("0.00")
    if hire.start > today:
        return Decimal("0.00"), full
    done = value_hire(replace(hire, end=today), rules).amount
    return done, full - done
