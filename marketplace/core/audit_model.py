"""The append-only audit log: every coordinator decision and every claim step lands here.

Rows are never updated or deleted: the ORM refuses it here, and database triggers created
by the migrations refuse it for any other client too (UPDATE, DELETE, TRUNCATE on PostgreSQL;
UPDATE, DELETE and an INSERT over an existing id on SQLite). On PostgreSQL the app connects as
a role that may only INSERT and SELECT on this table. Entries are hash-chained: a removed,
changed or reordered entry breaks the chain (`impactmarkt audit verify`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, String, event
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.core.database import JsonColumn, utcnow
from marketplace.core.extensions import db


class AuditLogEntry(db.Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(60), index=True)
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(60))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("labour_market_regions.id"), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JsonColumn, default=dict)
    # The hash chain (marketplace.core.audit): this entry's SHA-256 over its content and the
    # previous entry's hash. NULL only on entries written before the chain began (revision 0014).
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    entry_hash: Mapped[str | None] = mapped_column(String(64))


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or remove an audit entry."""


@event.listens_for(AuditLogEntry, "before_update")
@event.listens_for(AuditLogEntry, "before_delete")
def _refuse_change(_mapper: Any, _connection: Any, target: AuditLogEntry) -> None:
    raise AuditLogIsAppendOnly(f"audit entry {target.id} cannot be changed")
