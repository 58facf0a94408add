"""What procurers buy: CPV-based supplier categories and purchase requests."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db
from marketplace.models.base import utcnow


class CpvCategory(db.Model):
    """A CPV division (2 digits) or group (3 digits), the vocabulary of public tenders."""

    __tablename__ = "cpv_categories"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name_nl: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("cpv_categories.code"))


class PurchaseRequest(db.Model):
    """A procurer's request for quotes from listed enterprises."""

    __tablename__ = "purchase_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    procurer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    cpv_code: Mapped[str | None] = mapped_column(ForeignKey("cpv_categories.code"))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("labour_market_regions.id"), index=True)
    budget_cents: Mapped[int | None] = mapped_column(BigInteger)
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
