"""A saved market scan: its question, the colleagues it is shared with, and every run's answer
(kept, so a run can be compared with the one before)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.core.database import JsonColumn, utcnow
from marketplace.core.extensions import db


class MarketScan(db.Model):
    """A procurer's saved question; the colleagues its maker invited by name see it and run it."""

    __tablename__ = "market_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # The question as typed and checked: need, cpv, place, radius_km, starts_on, ends_on, threshold.
    question: Mapped[dict[str, Any]] = mapped_column(JsonColumn, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    owner: Mapped[User] = relationship()
    members: Mapped[list[MarketScanMember]] = relationship(
        back_populates="scan", order_by="MarketScanMember.id", cascade="all, delete-orphan"
    )
    runs: Mapped[list[MarketScanRun]] = relationship(
        back_populates="scan", order_by="MarketScanRun.id", cascade="all, delete-orphan"
    )


class MarketScanMember(db.Model):
    """A colleague the scan's maker invited by name (never a whole e-mail domain)."""

    __tablename__ = "market_scan_members"
    __table_args__ = (UniqueConstraint("scan_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("market_scans.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    invited_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    scan: Mapped[MarketScan] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class MarketScanRun(db.Model):
    """One run of a saved scan: the answer as JSON (counts, judgement, the list), as it was then."""

    __tablename__ = "market_scan_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("market_scans.id"), index=True)
    run_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    run_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    result: Mapped[dict[str, Any]] = mapped_column(JsonColumn, default=dict)

    scan: Mapped[MarketScan] = relationship(back_populates="runs")
