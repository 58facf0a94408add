"""Everything the obligation pages show of an obligation's life, read once: the plan (its newest
version, the one in force, the conversation), progress per contract year against the plan and
the total, the contract changes with original and current figures, and the reporting deadlines."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from marketplace.accounts.models import User
from marketplace.core import clock
from marketplace.core.extensions import db
from marketplace.sroi.models import Obligation, RegionMonitorSettings
from marketplace.sroi.plans import changes, deadlines, progress
from marketplace.sroi.plans import services as plans
from marketplace.sroi.plans.models import Plan, PlanMessage
from matching.sroi.monitoring import Thresholds


@dataclass(frozen=True)
class Life:
    obligation: Obligation
    progress: progress.PlanProgress
    history: changes.History
    deadlines: list[deadlines.Deadline]
    plan: Plan | None  # the newest version (waiting, approved, or with changes asked)
    draft: Plan | None
    messages: list[PlanMessage]
    people: dict[int, User]

    @property
    def next_deadline(self) -> deadlines.Deadline | None:
        today = clock.today()
        return next((d for d in self.deadlines if d.reported_on is None and d.period_start <= today), None)

    @property
    def overdue(self) -> list[deadlines.Deadline]:
        today = clock.today()
        return [d for d in self.deadlines if d.overdue(today)]


def region_thresholds(region_id: int) -> Thresholds:
    row = db.session.get(RegionMonitorSettings, region_id)
    return Thresholds(Decimal(row.fulfilled_below), Decimal(row.time_left_below)) if row else Thresholds()


def of(obligation: Obligation) -> Life:
    found = plans.versions(obligation.id)
    said = plans.messages(plan.id for plan in found)
    people = plans.people(
        [m.author_id for m in said] + [c.made_by_id for c in changes.changes_of(obligation.id)]
    )
    return Life(
        obligation,
        progress.of(obligation, region_thresholds(obligation.region_id)),
        changes.history(obligation),
        deadlines.of(obligation),
        found[0] if found else None,
        plans.draft_of(obligation.id),
        said,
        people,
    )
