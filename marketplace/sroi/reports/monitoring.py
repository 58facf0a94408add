"""The coordinator's monitor of a region's obligations: what each requires, what is approved,
pending and remaining; which are at risk (matching.sroi.monitoring, thresholds per region);
which contracts end within 90 days; which contributions have waited more than 14 days.
Sums come from one grouped query, so the page stays fast with thousands of obligations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import case, func, select

from marketplace.accounts.models import User
from marketplace.core import audit, clock
from marketplace.core.extensions import db
from marketplace.core.geography import LabourMarketRegion
from marketplace.core.refusals import ServiceError
from marketplace.sroi.models import Contribution, Obligation, RegionMonitorSettings
from marketplace.sroi.plans import deadlines
from marketplace.sroi.plans import progress as plan_progress
from marketplace.sroi.settlement import lock, status
from matching.reasons import Reason
from matching.sroi.monitoring import Thresholds, at_risk, fulfilled_share, time_left_share
from matching.sroi.plan_progress import behind_plan
from matching.sroi.valuation import required_amount

ENDING_WITHIN_DAYS = 90
WAITING_DAYS = 14
AMOUNTS = ("required", "approved", "pending", "remaining")
LIST_LIMIT = 100  # rows per list on the page; the counts are always complete
CENTS = Decimal(100)


class MonitorRefused(ServiceError):
    """Thresholds that cannot be stored, with why."""


@dataclass(frozen=True)
class ObligationRow:
    """What the monitor shows of an obligation: read as plain columns (thousands of them)."""

    id: int
    title: str
    contracting_authority: str
    region_id: int
    region_name: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class ContractorRow:
    id: int
    email: str
    display_name: str
    locale: str
    deleted_at: datetime | None


@dataclass(frozen=True)
class Standing:
    obligation: ObligationRow
    contractor: ContractorRow
    required: Decimal
    approved: Decimal
    pending: Decimal
    remaining: Decimal
    fulfilled: Decimal  # 0..1
    time_left: Decimal  # 0..1
    risk: Reason | None
    waiting: int  # contributions pending longer than WAITING_DAYS
    planned_due: Decimal | None = None  # what the approved plan expects by today (None: no plan)
    overdue_since: date | None = None  # the first reporting deadline passed without a report
    status: str = "open"  # open | overdue | fulfilled | settled (marketplace.sroi.settlement.status)


@dataclass(frozen=True)
class Overview:
    standings: list[Standing]
    required: Decimal
    approved: Decimal
    pending: Decimal
    remaining: Decimal
    thresholds: dict[int, Thresholds]

    @property
    def status_counts(self) -> dict[str, int]:
        return status.counts(s.status for s in self.standings)

    @property
    def at_risk(self) -> list[Standing]:
        return [s for s in self.standings if s.risk is not None]

    @property
    def ending_soon(self) -> list[Standing]:
        today = clock.today()
        return sorted(
            (
                s
                for s in self.standings
                if today <= s.obligation.ends_on <= today + timedelta(ENDING_WITHIN_DAYS)
            ),
            key=lambda s: (s.obligation.ends_on, s.obligation.id),
        )

    @property
    def overdue(self) -> list[Standing]:
        return [s for s in self.standings if s.overdue_since is not None]

    @property
    def waiting(self) -> list[Standing]:
        return sorted((s for s in self.standings if s.waiting), key=lambda s: (-s.waiting, s.obligation.id))

    def per_region(self) -> list[dict[str, object]]:
        """One summary row per region (for a coordinator of several regions or an admin)."""
        rows: dict[int, dict[str, object]] = {}
        today = clock.today()
        for s in self.standings:
            counts = {"obligations": 0, "at_risk": 0, "ending": 0, "waiting": 0}
            empty = {"region": s.obligation.region_name, **counts, **{key: Decimal(0) for key in AMOUNTS}}
            row = rows.setdefault(s.obligation.region_id, empty)
            row["obligations"] += 1  # type: ignore[operator]
            for key in AMOUNTS:
                row[key] += getattr(s, key)  # type: ignore[operator]
            row["at_risk"] += s.risk is not None  # type: ignore[operator]
            row["ending"] += today <= s.obligation.ends_on <= today + timedelta(ENDING_WITHIN_DAYS)  # type: ignore[operator]
            row["waiting"] += s.waiting  # type: ignore[operator]
        return sorted(rows.values(), key=lambda row: str(row["region"]))


def thresholds(region_ids: set[int]) -> dict[int, Thresholds]:
    rows = db.session.scalars(
        select(RegionMonitorSettings).where(RegionMonitorSettings.region_id.in_(region_ids))
    )
    found = {
        row.region_id: Thresholds(Decimal(row.fulfilled_below), Decimal(row.time_left_below)) for row in rows
    }
    return {region_id: found.get(region_id, Thresholds()) for region_id in region_ids}


def set_thresholds(user: User, region_id: int, fulfilled_below: str, time_left_below: str) -> Thresholds:
    """A coordinator sets their region's at-risk thresholds, given as percentages (audit-logged)."""
    if not (user.has_role("admin") or region_id in user.coordinator_region_ids()):
        raise PermissionError(region_id)
    shares = []
    for name, value in (("fulfilled_below", fulfilled_below), ("time_left_below", time_left_below)):
        try:
            percent = Decimal(str(value).strip().replace(",", ".").rstrip("%").strip())
        except InvalidOperation:
            raise MonitorRefused("monitor.bad_threshold", field=name) from None
        if not percent.is_finite() or not 0 < percent <= 100 or percent != percent.quantize(Decimal(1)):
            raise MonitorRefused("monitor.bad_threshold", field=name)
        shares.append((percent / 100).quantize(Decimal("0.01")))
    row = db.session.get(RegionMonitorSettings, region_id) or RegionMonitorSettings(region_id=region_id)
    before = thresholds({region_id})[region_id]
    row.fulfilled_below, row.time_left_below = shares
    row.updated_by_id, row.updated_at = user.id, clock.now()
    db.session.add(row)
    audit.record(
        user,
        "monitor.thresholds",
        "region",
        region_id,
        region_id=region_id,
        before=[str(before.fulfilled_below), str(before.time_left_below)],
        after=[str(shares[0]), str(shares[1])],
    )
    db.session.commit()
    return Thresholds(*shares)


def required_of(obligation: Obligation) -> Decimal:
    return required_cents(obligation.contract_value_cents, obligation.percentage) / CENTS


def required_cents(contract_value_cents: int, percentage: Decimal) -> Decimal:
    """What an obligation requires, in whole cents (rounded once, as the valuation rounds it)."""
    return required_amount(Decimal(contract_value_cents) / CENTS, Decimal(percentage)) * CENTS


def _risk(required: Decimal, approved: Decimal, obligation: ObligationRow, today: date, limits: Thresholds,
          due: dict[int, Decimal]) -> Reason | None:  # fmt: skip
    """Against the approved plan when there is one (behind it by more than the region allows with
    little time left), otherwise against the total."""
    planned_due = due.get(obligation.id)
    if planned_due is not None:
        return behind_plan(planned_due, approved, obligation.starts_on, obligation.ends_on, today, limits)
    return at_risk(required, approved, obligation.starts_on, obligation.ends_on, today, limits)


def overview(region_ids: set[int], today: date | None = None) -> Overview:
    """Every obligation in the regions with its sums, in two queries."""
    today = today or clock.today()
    waiting_since = clock.start_of(today) - timedelta(days=WAITING_DAYS)
    sums = (
        select(
            Contribution.obligation_id,
            func.sum(case((Contribution.status == "approved", Contribution.counted_cents), else_=0)).label(
                "approved"
            ),
            func.sum(case((Contribution.status == "pending", Contribution.counted_cents), else_=0)).label(
                "pending"
            ),
            func.sum(
                case(
                    ((Contribution.status == "pending") & (Contribution.created_at < waiting_since), 1),
                    else_=0,
                )
            ).label("waiting"),
        )
        .group_by(Contribution.obligation_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Obligation.id,
            Obligation.title,
            Obligation.contracting_authority,
            Obligation.region_id,
            LabourMarketRegion.name,
            Obligation.starts_on,
            Obligation.ends_on,
            Obligation.contract_value_cents,
            Obligation.percentage,
            User.id,
            User.email,
            User.display_name,
            User.locale,
            User.deleted_at,
            sums.c.approved,
            sums.c.pending,
            sums.c.waiting,
        )
        .join(User, Obligation.contractor_id == User.id)
        .join(LabourMarketRegion, Obligation.region_id == LabourMarketRegion.id)
        .outerjoin(sums, sums.c.obligation_id == Obligation.id)
        .where(Obligation.region_id.in_(region_ids))
        .order_by(Obligation.ends_on, Obligation.id)
    ).all()
    limits = thresholds(region_ids)
    # With an approved plan, "at risk" is judged against the plan (issue 24); reporting deadlines.
    due = plan_progress.due_by([(row[0], row[5], row[6]) for row in rows], today)
    overdue = deadlines.overdue_since([row[0] for row in rows], today)
    settled = lock.settled_ids()
    standings = []
    for row in rows:
        obligation = ObligationRow(*row[:7])
        contractor = ContractorRow(*row[9:14])
        approved_cents, pending_cents, waiting = row[14:]
        required = required_cents(row[7], row[8]) / CENTS
        approved = Decimal(int(approved_cents or 0)) / CENTS
        standings.append(
            Standing(
                obligation,
                contractor,
                required,
                approved,
                Decimal(int(pending_cents or 0)) / CENTS,
                max(required - approved, Decimal("0.00")),
                fulfilled_share(required, approved),
                time_left_share(obligation.starts_on, obligation.ends_on, today),
                _risk(required, approved, obligation, today, limits[obligation.region_id], due),
                int(waiting or 0),
                due.get(obligation.id),
                overdue.get(obligation.id),
                status.status_of(required, approved, obligation.ends_on, today, obligation.id in settled),
            )
        )
    return Overview(
        standings,
        sum((s.required for s in standings), Decimal("0.00")),
        sum((s.approved for s in standings), Decimal("0.00")),
        sum((s.pending for s in standings), Decimal("0.00")),
        sum((s.remaining for s in standings), Decimal("0.00")),
        limits,
    )
