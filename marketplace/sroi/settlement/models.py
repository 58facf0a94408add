"""A settlement of an obligation and a contractor's "still employed on <date>" report for a person.

A settlement keeps the figures as they were settled (cents, per kind) and the consequence as the
coordinator and contractor agreed it (text and an optional amount: recorded, never computed). A
correction is a new settlement with its reason; the one it corrects is kept, marked superseded.
At most one settlement of an obligation is current (a partial unique index holds it).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.core.database import JsonColumn, utcnow
from marketplace.core.extensions import db

CONSEQUENCES = ("none", "extension", "alternative", "compensation")
CURRENT = "superseded_at IS NULL"


class Settlement(db.Model):
    """An obligation settled by a coordinator of its region, with the figures it was settled on."""

    __tablename__ = "sroi_settlements"
    __table_args__ = (
        Index(
            "uq_sroi_settlements_current",
            "obligation_id",
            unique=True,
            sqlite_where=text(CURRENT),
            postgresql_where=text(CURRENT),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("obligations.id"), index=True)
    settled_on: Mapped[date] = mapped_column(Date)
    required_cents: Mapped[int] = mapped_column(BigInteger)
    realised_cents: Mapped[int] = mapped_column(BigInteger)
    shortfall_cents: Mapped[int] = mapped_column(BigInteger)
    per_kind: Mapped[dict[str, Any]] = mapped_column(JsonColumn, default=dict)  # kind -> {count, cents}
    contribution_ids: Mapped[list[int]] = mapped_column(JsonColumn, default=list)  # what counted
    consequence: Mapped[str] = mapped_column(String(20))
    consequence_text: Mapped[str] = mapped_column(Text, default="")
    consequence_cents: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text, default="")  # why a correction was made
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("sroi_settlements.id"))
    settled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime)


class EmploymentCheck(db.Model):
    """The contractor says a hired person (by their own reference) is still employed on a day."""

    __tablename__ = "sroi_employment_checks"
    __table_args__ = (Index("ix_sroi_employment_checks_person", "obligation_id", "person_reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("obligations.id"))
    person_reference: Mapped[str] = mapped_column(String(60))
    employed_on: Mapped[date] = mapped_column(Date)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
