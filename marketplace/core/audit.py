"""Write to the append-only audit log. Every coordinator decision goes through here."""

from __future__ import annotations

from typing import Any, Protocol

from marketplace.core.audit_model import AuditLogEntry
from marketplace.core.extensions import db


class Actor(Protocol):
    """Whoever acts: an account (the log keeps its id, never its name or address)."""

    id: int


def record(
    actor: Actor | None,
    action: str,
    subject_type: str,
    subject_id: object,
    region_id: int | None = None,
    **details: Any,
) -> AuditLogEntry:
    """Add an entry to the caller's transaction (it is committed with the decision it records)."""
    entry = AuditLogEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        region_id=region_id,
        details=details,
    )
    db.session.add(entry)
    return entry
