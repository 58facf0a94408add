"""A settled obligation is read-only: every service that adds, changes, withdraws or decides a
contribution asks here first, so forms, the API and the command line all hold the same line.

Only the core, the shared SROI models and this feature's own models are imported: the obligation
and review services import this module, so it must not import them.
"""

from __future__ import annotations

from sqlalchemy import select

from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.sroi.settlement.models import Settlement


class ObligationSettled(ServiceError):
    """A change to a settled obligation; a correction is a new settlement with its reason."""


def current_settlement_id(obligation_id: int) -> int | None:
    return db.session.scalar(
        select(Settlement.id).where(
            Settlement.obligation_id == obligation_id, Settlement.superseded_at.is_(None)
        )
    )


def is_settled(obligation_id: int) -> bool:
    return current_settlement_id(obligation_id) is not None


def refuse_if_settled(obligation_id: int) -> None:
    """Refuse (in words, in the reader's language) any change to a settled obligation's contributions."""
    if is_settled(obligation_id):
        raise ObligationSettled("settlement.read_only")


def settled_ids(obligation_ids: set[int] | None = None) -> set[int]:
    """Which of these obligations (all when None) are settled: one query for the monitor and reports."""
    statement = select(Settlement.obligation_id).where(Settlement.superseded_at.is_(None))
    if obligation_ids is not None:
        if not obligation_ids:
            return set()
        statement = statement.where(Settlement.obligation_id.in_(obligation_ids))
    return set(db.session.scalars(statement))
