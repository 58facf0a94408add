"""Reporting deadlines per obligation: the coordinator sets an interval in months (counted from
the contract's start) or a list of dates; the contract's end is always the last deadline. A
deadline is met when the contractor confirmed their progress report for it (once, by a button);
a deadline passed without one is "overdue". Reminders go out before each deadline through
`impactmarkt sroi reminders`: what was sent is recorded, so running it twice sends nothing twice."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import User
from marketplace.core import audit, clock, mail
from marketplace.core.extensions import db
from marketplace.core.web import values as values_rules
from marketplace.core.web.links import public_url_for
from marketplace.sroi.models import Obligation, SentNotice
from marketplace.sroi.plans.models import ProgressReport, ReportingSchedule
from marketplace.sroi.plans.services import PlanRefused, may_oversee
from matching.sroi.plan_progress import add_months

REMIND_DAYS_BEFORE = 14
NOTICE = "report_due"
MAX_DATES = 60


@dataclass(frozen=True)
class Deadline:
    due_on: date
    period_start: date  # the day after the previous deadline (the contract's start for the first)
    reported_on: date | None

    def overdue(self, today: date) -> bool:
        return self.reported_on is None and self.due_on < today


def deadlines_from(schedule: ReportingSchedule | None, starts: date, ends: date) -> list[date]:
    """The deadline days of a schedule within the contract; none without a schedule."""
    if schedule is None:
        return []
    days: set[date] = set()
    if schedule.interval_months:
        step = 1
        while (day := add_months(starts, schedule.interval_months * step)) < ends:
            days.add(day)
            step += 1
    days.update(d for d in (date.fromisoformat(text) for text in schedule.dates or []) if starts < d <= ends)
    days.add(ends)
    return sorted(days)


def schedule_of(obligation_id: int) -> ReportingSchedule | None:
    return db.session.get(ReportingSchedule, obligation_id)


def of(obligation: Obligation) -> list[Deadline]:
    """The obligation's deadlines with the day each was reported on (if it was)."""
    days = deadlines_from(schedule_of(obligation.id), obligation.starts_on, obligation.ends_on)
    reported = {
        row.due_on: row.confirmed_at.date()
        for row in db.session.scalars(
            select(ProgressReport).where(ProgressReport.obligation_id == obligation.id)
        )
    }
    found, previous = [], obligation.starts_on
    for day in days:
        found.append(Deadline(day, previous, reported.get(day)))
        previous = day + timedelta(days=1)
    return found


def set_schedule(user: User, obligation: Obligation, data: dict[str, Any]) -> ReportingSchedule:
    """A coordinator sets when the contractor reports: `interval_months` (1 to 24) and/or `dates`."""
    if not may_oversee(user, obligation):
        raise LookupError(obligation.id)
    interval = data.get("interval_months")
    months = None
    if interval not in (None, ""):
        try:
            months = values_rules.whole(interval, "interval_months", 1, 24)
        except values_rules.BadValue:
            raise PlanRefused("plan.bad_interval") from None
    raw_dates = data.get("dates") or []
    if isinstance(raw_dates, str):
        raw_dates = raw_dates.replace(",", " ").split()
    days = sorted(
        {
            values_rules.day(text, "dates")
            for text in values_rules.string_list(raw_dates, "dates", MAX_DATES, 20)
        }
    )
    outside = [d for d in days if not obligation.starts_on < d <= obligation.ends_on]
    if outside:
        raise PlanRefused(
            "plan.date_outside_contract",
            day=outside[0].isoformat(),
            start=obligation.starts_on.isoformat(),
            end=obligation.ends_on.isoformat(),
        )
    if months is None and not days:
        raise PlanRefused("plan.no_schedule")
    row = schedule_of(obligation.id) or ReportingSchedule(obligation_id=obligation.id)
    before = {"interval_months": row.interval_months, "dates": list(row.dates or [])}
    row.interval_months, row.dates = months, [d.isoformat() for d in days]
    row.set_by_id, row.set_at = user.id, clock.now()
    db.session.add(row)
    audit.record(
        user,
        "plan.deadlines_set",
        "obligation",
        obligation.id,
        region_id=obligation.region_id,
        before=before,
        after={"interval_months": months, "dates": row.dates},
    )
    db.session.commit()
    return row


def confirm_report(contractor: User, obligation: Obligation) -> Deadline:
    """The contractor confirms their progress report for the first deadline not yet reported whose
    period has begun; a second confirmation of the same one is refused, never stored twice."""
    if obligation.contractor_id != contractor.id:
        raise LookupError(obligation.id)
    today = clock.today()
    open_ones = [d for d in of(obligation) if d.reported_on is None and d.period_start <= today]
    if not open_ones:
        raise PlanRefused("plan.nothing_to_report")
    deadline = open_ones[0]
    db.session.add(
        ProgressReport(
            obligation_id=obligation.id,
            due_on=deadline.due_on,
            confirmed_by_id=contractor.id,
            confirmed_at=clock.now(),
        )
    )
    audit.record(
        contractor,
        "plan.report_confirmed",
        "obligation",
        obligation.id,
        region_id=obligation.region_id,
        due_on=deadline.due_on.isoformat(),
    )
    try:
        db.session.commit()
    except IntegrityError:  # the same confirmation sent twice at the same moment
        db.session.rollback()
        raise PlanRefused("plan.already_reported") from None
    return Deadline(deadline.due_on, deadline.period_start, today)


def overdue_since(obligation_ids: Iterable[int], today: date) -> dict[int, date]:
    """The earliest deadline passed without a report, per obligation that has one (the monitor)."""
    ids = list(obligation_ids)
    if not ids:
        return {}
    schedules = {
        s.obligation_id: s
        for s in db.session.scalars(select(ReportingSchedule).where(ReportingSchedule.obligation_id.in_(ids)))
    }
    if not schedules:
        return {}
    periods = dict(
        (row[0], (row[1], row[2]))
        for row in db.session.execute(
            select(Obligation.id, Obligation.starts_on, Obligation.ends_on).where(
                Obligation.id.in_(schedules)
            )
        )
    )
    reported: dict[int, set[date]] = {}
    for obligation_id, due_on in db.session.execute(
        select(ProgressReport.obligation_id, ProgressReport.due_on).where(
            ProgressReport.obligation_id.in_(schedules)
        )
    ):
        reported.setdefault(obligation_id, set()).add(due_on)
    found = {}
    for obligation_id, schedule in schedules.items():
        starts, ends = periods[obligation_id]
        missed = [
            d
            for d in deadlines_from(schedule, starts, ends)
            if d < today and d not in reported.get(obligation_id, set())
        ]
        if missed:
            found[obligation_id] = missed[0]
    return found


def send_reminders(today: date | None = None) -> int:
    """A reminder to the contractor before each deadline not yet reported (from REMIND_DAYS_BEFORE
    days ahead), once per deadline however often this runs."""
    today = today or clock.today()
    sent = 0
    for schedule in db.session.scalars(select(ReportingSchedule)).all():
        obligation = db.session.get(Obligation, schedule.obligation_id)
        if obligation is None:
            continue
        coming = [
            d
            for d in of(obligation)
            if d.reported_on is None and today <= d.due_on <= today + timedelta(REMIND_DAYS_BEFORE)
        ]
        if not coming:
            continue
        deadline = coming[0]
        window_start = deadline.due_on - timedelta(days=REMIND_DAYS_BEFORE)
        already = db.session.scalar(
            select(SentNotice.id)
            .where(
                SentNotice.kind == NOTICE,
                SentNotice.subject_id == obligation.id,
                SentNotice.sent_on >= window_start,
            )
            .limit(1)
        )
        contractor = db.session.get(User, obligation.contractor_id)
        if already is not None or contractor is None or contractor.deleted_at is not None:
            continue
        link = public_url_for("contractor.obligation", obligation_id=obligation.id)
        with force_locale(contractor.locale or "nl"):
            subject = render_template(
                "mail/report_due_subject.txt", obligation=obligation, deadline=deadline
            ).strip()
            body = render_template("mail/report_due.txt", obligation=obligation, deadline=deadline, link=link)
        mail.send(contractor.email, subject, body)
        db.session.add(SentNotice(kind=NOTICE, subject_id=obligation.id, to=contractor.email, sent_on=today))
        db.session.commit()
        sent += 1
    return sent
