"""Plans, their lines and conversation, reporting schedules and reports, and contract changes.

Amounts are integer euro cents. A plan keeps the rule-set version its lines were valued under;
a new proposal is a new version (the old ones stay, marked "replaced"). A contract change keeps
the figures before and after it, so the original contract is always known.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.database import JsonColumn, utcnow
from marketplace.core.extensions import db
from marketplace.organisations.models import Organisation

PLAN_STATUSES = ("draft", "proposed", "approved", "changes_asked", "replaced")  # a draft has version 0
CHANGE_KINDS = ("extra_work", "less_work", "extension")


class Plan(db.Model):
    """One version of a contractor's plan for an obligation."""

    __tablename__ = "sroi_plans"
    __table_args__ = (UniqueConstraint("obligation_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("obligations.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(14), default="proposed")
    ruleset_id: Mapped[str] = mapped_column(String(80))
    ruleset_version: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)

    lines: Mapped[list[PlanLine]] = relationship(order_by="PlanLine.id")


class PlanLine(db.Model):
    """A planned contribution in one contract year, valued when proposed (reasons kept)."""

    __tablename__ = "sroi_plan_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("sroi_plans.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)  # contract year, 1 = the first twelve months
    kind: Mapped[str] = mapped_column(String(12))
    block: Mapped[str | None] = mapped_column(String(80))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    amount_cents: Mapped[int | None] = mapped_column(BigInteger)  # a purchase, excl. VAT
    hours_per_week: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    months: Mapped[int | None] = mapped_column(Integer)
    hours: Mapped[Decimal | None] = mapped_column(Numeric(9, 2))
    supplements: Mapped[list[str]] = mapped_column(JsonColumn, default=list)
    planned_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JsonColumn, default=list)

    organisation: Mapped[Organisation | None] = relationship()


class PlanMessage(db.Model):
    """The conversation about a plan: the contractor's note with a proposal, the coordinator's
    reason for asking changes or a note with the approval."""

    __tablename__ = "sroi_plan_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("sroi_plans.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    side: Mapped[str] = mapped_column(String(12))  # coordinator | contractor
    action: Mapped[str] = mapped_column(String(14))  # proposed | approved | changes_asked
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ReportingSchedule(db.Model):
    """When the contractor reports progress: every `interval_months` from the start, or on `dates`."""

    __tablename__ = "sroi_reporting_schedules"

    obligation_id: Mapped[int] = mapped_column(ForeignKey("obligations.id"), primary_key=True)
    interval_months: Mapped[int | None] = mapped_column(Integer)
    dates: Mapped[list[str]] = mapped_column(JsonColumn, default=list)  # ISO dates
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ProgressReport(db.Model):
    """The contractor confirmed their progress report for the period ending on `due_on` (once)."""

    __tablename__ = "sroi_progress_reports"
    __table_args__ = (UniqueConstraint("obligation_id", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("obligations.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ContractChange(db.Model):
    """Meerwerk, minderwerk or an extension: the contract's value and end before and after."""

    __tablename__ = "sroi_contract_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("obligations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    agreed_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    value_before_cents: Mapped[int] = mapped_column(BigInteger)
    value_after_cents: Mapped[int] = mapped_column(BigInteger)
    ends_before: Mapped[date] = mapped_column(Date)
    ends_after: Mapped[date] = mapped_column(Date)
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
