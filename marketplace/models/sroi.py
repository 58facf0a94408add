"""Social-return obligations, what contractors do to meet them, and proposed supplier matches."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, Float, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.models.base import JsonColumn, utcnow
from marketplace.models.geography import LabourMarketRegion
from marketplace.models.organisation import Organisation

CONTRIBUTION_KINDS = ("purchase", "hire", "learn_work")
CONTRIBUTION_STATUSES = ("pending", "approved", "rejected")
MATCH_STATUSES = ("proposed", "accepted", "rejected")


class Obligation(db.Model):
    """A contractor's SROI obligation under one public contract. Amounts in euro cents."""

    __tablename__ = "obligations"

    id: Mapped[int] = mapped_column(primary_key=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    contracting_authority: Mapped[str] = mapped_column(String(200))
    contract_reference: Mapped[str | None] = mapped_column(String(100))
    contract_value_cents: Mapped[int] = mapped_column(BigInteger)
    percentage: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("5.00"))
    region_id: Mapped[int] = mapped_column(ForeignKey("labour_market_regions.id"), index=True)
    ruleset_id: Mapped[str | None] = mapped_column(String(80))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    region: Mapped[LabourMarketRegion] = relationship()
    contributions: Mapped[list[Contribution]] = relationship(back_populates="obligation")


class Contribution(db.Model):
    """A purchase, hire or learn-work place recorded against an obligation.

    `counted_cents` is its value under `ruleset_version`, the rule set in force when recorded.
    """

    __tablename__ = "contributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("obligations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    counted_cents: Mapped[int | None] = mapped_column(BigInteger)
    ruleset_version: Mapped[str | None] = mapped_column(String(80))
    occurred_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    obligation: Mapped[Obligation] = relationship(back_populates="contributions")
    organisation: Mapped[Organisation | None] = relationship()


class SupplierMatch(db.Model):
    """A supplier proposed for an obligation or purchase request, with the ranking's reasons."""

    __tablename__ = "matches"

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int | None] = mapped_column(ForeignKey("obligations.id"), index=True)
    purchase_request_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_requests.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(JsonColumn, default=list)
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
