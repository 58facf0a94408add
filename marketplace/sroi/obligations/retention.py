"""Hire documents (a target-group statement, a contract: personal data) are deleted a number of
months after the obligation is settled (IMPACTMARKT_HIRE_DOCUMENT_MONTHS), counted from the day
of its current settlement: until then a coordinator may still need them, and a correction after
settlement (a new settlement) starts the count again. The contribution and its valuation stay;
the file and the reference to it go, logged."""

from __future__ import annotations

import calendar
from datetime import date

from flask import current_app
from sqlalchemy import select

from marketplace.core import audit, clock
from marketplace.core.extensions import db
from marketplace.sroi.models import Contribution, ContributionMessage
from marketplace.sroi.obligations import evidence
from marketplace.sroi.settlement.models import Settlement


def months_before(day: date, months: int) -> date:
    """The same day of the month `months` earlier (the month's last day when it has fewer days)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def purge_hire_documents() -> int:
    """Delete the files of hires whose obligation was settled more than the kept months ago (by its
    current settlement); returns how many files were deleted."""
    months = current_app.config["HIRE_DOCUMENT_MONTHS"]
    settled_before = months_before(clock.today(), months)
    hires = db.session.scalars(
        select(Contribution)
        .join(Settlement, Settlement.obligation_id == Contribution.obligation_id)
        .where(Contribution.kind == "hire", Settlement.superseded_at.is_(None),
               Settlement.settled_on < settled_before)
    ).all()
    deleted = 0
    for hire in hires:
        messages = db.session.scalars(
            select(ContributionMessage).where(
                ContributionMessage.contribution_id == hire.id,
                ContributionMessage.evidence_filename.is_not(None),
            )
        ).all()
        names = [hire.evidence_filename] if hire.evidence_filename else []
        names += [m.evidence_filename for m in messages if m.evidence_filename]
        names += [document.filename for document in hire.documents if document.filename]
        if not names:
            continue
        hire.evidence_filename = None
        for message in messages:
            message.evidence_filename = None
        for document in hire.documents:  # the row stays: the page says the document was deleted
            document.filename = None
        audit.record(None, "evidence.deleted", "contribution", hire.id,
                     region_id=hire.obligation.region_id, files=len(names), months=months)  # fmt: skip
        db.session.commit()
        deleted += sum(1 for name in names if evidence.remove(name))
    return deleted
