"""Mails that keep obligations on track: a reminder to a contractor whose obligation is at risk
(at most one a fortnight per obligation) and a weekly digest to each coordinator of what waits
in their regions. `impactmarkt sroi reminders` sends what is due, so a scheduler can run it
as often as it likes: what was sent is recorded (SentNotice) and never sent twice too soon."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select

from marketplace.accounts.models import User, UserRole
from marketplace.core import clock, mail
from marketplace.core.extensions import db
from marketplace.core.geography import LabourMarketRegion
from marketplace.core.web.links import public_url_for
from marketplace.sroi.models import SentNotice
from marketplace.sroi.plans import deadlines
from marketplace.sroi.reports import monitoring
from marketplace.sroi.review import queue as review_queue

REMINDER_EVERY = timedelta(days=14)
DIGEST_EVERY = timedelta(days=7)


@dataclass(frozen=True)
class Sent:
    reminders: int
    digests: int
    deadlines: int = 0  # reminders before a reporting deadline (marketplace.sroi.plans.deadlines)


def _sent_since(kind: str, subject_id: int, since: date) -> bool:
    return (
        db.session.scalar(
            select(SentNotice.id)
            .where(SentNotice.kind == kind, SentNotice.subject_id == subject_id, SentNotice.sent_on > since)
            .limit(1)
        )
        is not None
    )


def _record(kind: str, subject_id: int, to: str, today: date) -> None:
    db.session.add(SentNotice(kind=kind, subject_id=subject_id, to=to, sent_on=today))
    db.session.commit()


def send_due(today: date | None = None) -> Sent:
    today = today or clock.today()
    return Sent(_reminders(today), _digests(today), deadlines.send_reminders(today))


def _reminders(today: date) -> int:
    regions = set(db.session.scalars(select(LabourMarketRegion.id)))
    sent = 0
    for standing in monitoring.overview(regions, today).at_risk:
        contractor = standing.contractor
        if contractor.deleted_at is not None or _sent_since(
            "at_risk", standing.obligation.id, today - REMINDER_EVERY
        ):
            continue
        with force_locale(contractor.locale or "nl"):
            subject = render_template("mail/at_risk_subject.txt", standing=standing).strip()
            body = render_template(
                "mail/at_risk.txt",
                standing=standing,
                link=public_url_for("contractor.obligation", obligation_id=standing.obligation.id),
            )
        mail.send(contractor.email, subject, body)
        _record("at_risk", standing.obligation.id, contractor.email, today)
        sent += 1
    return sent


def _digests(today: date) -> int:
    coordinators = db.session.scalars(
        select(User)
        .join(UserRole)
        .where(UserRole.role == "coordinator", User.deleted_at.is_(None))
        .distinct()
    ).all()
    sent = 0
    for coordinator in coordinators:
        if _sent_since("digest", coordinator.id, today - DIGEST_EVERY):
            continue
        queue = review_queue.queue(coordinator, review_queue.QueueFilter())
        overview = monitoring.overview(coordinator.coordinator_region_ids(), today)
        if not (queue.total or overview.at_risk or overview.ending_soon):
            continue
        with force_locale(coordinator.locale or "nl"):
            subject = render_template("mail/digest_subject.txt").strip()
            body = render_template(
                "mail/digest.txt",
                queue=queue,
                overview=overview,
                queue_link=public_url_for("coordinator.queue"),
                monitor_link=public_url_for("coordinator.monitor"),
            )
        mail.send(coordinator.email, subject, body)
        _record("digest", coordinator.id, coordinator.email, today)
        sent += 1
    return sent
