"""Write to the append-only audit log. Every coordinator decision goes through here.

Each entry carries the SHA-256 of its content together with the previous entry's hash, so an
entry removed, changed or put in another order breaks the chain from there on; `verify` walks
the chain and names the first entry that does not fit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select, text

from marketplace.core.audit_model import AuditLogEntry
from marketplace.core.database import utcnow
from marketplace.core.extensions import db

GENESIS = "0" * 64
# One writer at a time reads the chain's end and appends to it (PostgreSQL; SQLite has one writer).
_CHAIN_LOCK = 0x41554449  # "AUDI"


class Actor(Protocol):
    """Whoever acts: an account (the log keeps its id, never its name or address)."""

    id: int


def entry_hash(entry: AuditLogEntry, prev_hash: str) -> str:
    """The hash over everything an entry says, in one canonical form, and the hash before it."""
    details = json.loads(json.dumps(entry.details or {}, default=str))
    content = {
        "prev": prev_hash,
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor": entry.actor_id,
        "action": entry.action,
        "subject": [entry.subject_type, entry.subject_id],
        "region": entry.region_id,
        "details": details,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _chain_end() -> str:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
    last = db.session.scalar(
        select(AuditLogEntry.entry_hash)
        .where(AuditLogEntry.entry_hash.is_not(None))
        .order_by(AuditLogEntry.id.desc())
        .limit(1)
    )
    return last or GENESIS


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
        at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        region_id=region_id,
        details=json.loads(json.dumps(details, default=str)),
    )
    # This transaction's earlier entries go to the database first, so that entries of one
    # transaction chain in the order they were recorded (and their ids keep that order).
    db.session.flush()
    entry.prev_hash = _chain_end()
    entry.entry_hash = entry_hash(entry, entry.prev_hash)
    db.session.add(entry)
    return entry


@dataclass(frozen=True)
class ChainCheck:
    """What `verify` found: how many entries it checked and the first that breaks the chain."""

    checked: int
    unchained: int  # entries from before the chain began (NULL hashes, only at the start)
    broken_id: int | None = None
    problem: str | None = None  # "hash" (content changed), "link" (an entry missing or moved), "unchained"

    @property
    def intact(self) -> bool:
        return self.broken_id is None


def _entries() -> Iterator[AuditLogEntry]:
    yield from db.session.scalars(
        select(AuditLogEntry).order_by(AuditLogEntry.id).execution_options(yield_per=1000)
    )


def verify() -> ChainCheck:
    """Walk the log in id order: every entry must link to the one before and hash to its hash."""
    previous: str | None = None
    checked = unchained = 0
    for entry in _entries():
        checked += 1
        if entry.entry_hash is None:
            if previous is not None:  # a gap after the chain began: inserted past the app
                return ChainCheck(checked, unchained, entry.id, "unchained")
            unchained += 1
            continue
        if entry.prev_hash != (previous or GENESIS):
            return ChainCheck(checked, unchained, entry.id, "link")
        if entry_hash(entry, entry.prev_hash or GENESIS) != entry.entry_hash:
            return ChainCheck(checked, unchained, entry.id, "hash")
        previous = entry.entry_hash
    return ChainCheck(checked, unchained)
