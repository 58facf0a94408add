"""Crawl runs and the raw register records they fetched."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.database import JsonColumn, utcnow
from marketplace.core.extensions import db

CRAWL_STATUSES = ("running", "complete", "failed")


class CrawlRun(db.Model):
    """One crawl of one register, with the figures that decide whether it may delist anyone."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    register: Mapped[str] = mapped_column(String(8), index=True)
    start_url: Mapped[str] = mapped_column(String(500))
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(10), default="running", index=True)
    # Why a failed run could not be trusted: reasons as data (matching.reasons), worded when shown.
    failure_reasons: Mapped[list[dict[str, Any]] | None] = mapped_column(JsonColumn, default=list)
    pages_total: Mapped[int] = mapped_column(Integer, default=0)
    pages_failed: Mapped[int] = mapped_column(Integer, default=0)
    records_seen: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    into_grace: Mapped[int] = mapped_column(Integer, default=0)
    expired: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    missing_fields: Mapped[dict[str, int]] = mapped_column(JsonColumn, default=dict)
    # Pages that answered with an error or could not be read ("url: why"); their labels kept their state.
    unread_pages: Mapped[list[str] | None] = mapped_column(JsonColumn, default=list)

    records: Mapped[list[FetchedRecord]] = relationship(back_populates="crawl_run")


class FetchedRecord(db.Model):
    """A validated register record (matching.records.RegisterRecord) as fetched in one run; kept
    only when new or changed: the history of what each register said."""

    __tablename__ = "register_records"
    __table_args__ = (UniqueConstraint("crawl_run_id", "register", "record_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    crawl_run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    register: Mapped[str] = mapped_column(String(8))
    record_key: Mapped[str] = mapped_column(String(255), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JsonColumn)
    fetched_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    crawl_run: Mapped[CrawlRun] = relationship(back_populates="records")
