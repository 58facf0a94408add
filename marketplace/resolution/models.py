"""Entity-resolution state the coordinators own: their decisions and the review queue.

Records are named by `matching.resolution.features.record_id` ("pso:/organisatie/1-x.html"), so a
decision stays attached to the register records, whatever organisation they end up in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.core.database import JsonColumn, utcnow
from marketplace.core.extensions import db

OVERRIDE_DECISIONS = ("merge", "split")
RESOLUTION_REVIEW_STATUSES = ("open", "merged", "split", "obsolete")


class ResolutionOverride(db.Model):
    """A coordinator's merge or split of two records; wins over every later crawl."""

    __tablename__ = "resolution_overrides"
    __table_args__ = (UniqueConstraint("left_record", "right_record"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    left_record: Mapped[str] = mapped_column(String(300))
    right_record: Mapped[str] = mapped_column(String(300))
    decision: Mapped[str] = mapped_column(String(8))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ResolutionReview(db.Model):
    """A pair the resolver was not sure about, waiting for a coordinator of either record's region."""

    __tablename__ = "resolution_reviews"
    __table_args__ = (UniqueConstraint("left_record", "right_record"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    left_record: Mapped[str] = mapped_column(String(300))
    right_record: Mapped[str] = mapped_column(String(300))
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(JsonColumn, default=list)
    status: Mapped[str] = mapped_column(String(8), default="open", index=True)
    left_region_id: Mapped[int | None] = mapped_column(ForeignKey("labour_market_regions.id"), index=True)
    right_region_id: Mapped[int | None] = mapped_column(ForeignKey("labour_market_regions.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
