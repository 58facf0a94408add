"""Where an obligation stands per contract year: planned (the plan in force), approved and
pending, next to the required total; and for the monitor, what the plan expects by today.
Sums come from grouped queries; each contribution counts in the year of its counting day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from marketplace.core import clock
from marketplace.core.extensions import db
from marketplace.sroi.models import Contribution, Obligation
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.plans import services as plans
from marketplace.sroi.plans.models import Plan
from matching.reasons import Reason
from matching.sroi.monitoring import Thresholds
from matching.sroi.plan_progress import behind_plan, contract_years, planned_by

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class YearProgress:
    number: int
    starts_on: date
    ends_on: date
    planned: Decimal | None  # None: no approved plan
    approved: Decimal
    pending: Decimal

    @property
    def share_of_plan(self) -> Decimal | None:
        if not self.planned:
            return None
        return min(self.approved / self.planned, Decimal(1))


@dataclass(frozen=True)
class PlanProgress:
    required: Decimal
    approved: Decimal
    pending: Decimal
    planned_total: Decimal | None  # the plan in force, all years
    planned_due: Decimal | None  # what the plan expects approved by today
    years: list[YearProgress]
    plan: Plan | None
    risk: Reason | None

    @property
    def share_of_required(self) -> Decimal:
        return min(self.approved / self.required, Decimal(1)) if self.required else Decimal(1)

    @property
    def share_of_due(self) -> Decimal | None:
        if not self.planned_due:
            return None
        return min(self.approved / self.planned_due, Decimal(1))


def _sums(obligation: Obligation) -> dict[tuple[str, date | None], int]:
    rows = db.session.execute(
        select(Contribution.status, Contribution.counts_on, func.sum(Contribution.counted_cents))
        .where(
            Contribution.obligation_id == obligation.id,
            Contribution.status.in_(("approved", "pending", "questioned")),
        )
        .group_by(Contribution.status, Contribution.counts_on)
    ).all()
    return {(status, day): int(cents or 0) for status, day, cents in rows}


def of(
    obligation: Obligation, thresholds: Thresholds | None = None, today: date | None = None
) -> PlanProgress:
    """The obligation's progress per contract year and in all, against its plan in force."""
    today = today or clock.today()
    overall = obligations.progress(obligation)
    plan = plans.in_force(obligation.id)
    planned = plans.per_year(plan) if plan else None
    sums = _sums(obligation)
    years = []
    periods = contract_years(obligation.starts_on, obligation.ends_on)
    for number, (first, last) in enumerate(periods, start=1):

        def within(status: str, first: date = first, last: date = last, number: int = number) -> Decimal:
            cents = sum(
                c
                for (s, day), c in sums.items()
                if s == status
                and day is not None
                and (
                    first <= day <= last
                    or (number == 1 and day < first)
                    or (number == len(periods) and day > last)
                )
            )
            return Decimal(cents) / 100

        years.append(
            YearProgress(
                number,
                first,
                last,
                planned.get(number, ZERO) if planned is not None else None,
                within("approved"),
                within("pending") + within("questioned"),
            )
        )
    due = (
        planned_by(planned, obligation.starts_on, obligation.ends_on, today) if planned is not None else None
    )
    total = sum(planned.values(), ZERO) if planned is not None else None
    risk = None
    if due is not None and thresholds is not None:
        risk = behind_plan(due, overall.counted, obligation.starts_on, obligation.ends_on, today, thresholds)
    return PlanProgress(overall.required, overall.counted, overall.pending, total, due, years, plan, risk)


def due_by(obligation_rows: list[tuple[int, date, date]], today: date) -> dict[int, Decimal]:
    """What the plan in force expects approved by today, per obligation that has one (the monitor)."""
    per_obligation = plans.approved_per_year(row[0] for row in obligation_rows)
    return {
        obligation_id: planned_by(per_obligation[obligation_id], starts, ends, today)
        for obligation_id, starts, ends in obligation_rows
        if obligation_id in per_obligation
    }
