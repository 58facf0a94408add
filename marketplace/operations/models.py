"""Background jobs as people see them: what was asked, by whom, how far it is, how it ended.

The queue (Huey, marketplace.operations.jobs) runs the work; this table is the record the admin pages read.
Why a job failed is a reason as data (matching.reasons), worded when shown.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.core.database import JsonColumn, utcnow
from marketplace.core.extensions import db

JOB_KINDS = ("crawl", "reindex", "export", "reminders", "requests_digest", "purge_documents")
JOB_STATUSES = ("queued", "running", "retrying", "done", "failed")


class Job(db.Model):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(JsonColumn, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    progress: Mapped[str] = mapped_column(String(300), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict[str, Any]] = mapped_column(JsonColumn, default=dict)
    reason: Mapped[dict[str, Any] | None] = mapped_column(JsonColumn)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    scheduled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
