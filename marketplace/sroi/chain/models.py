"""An invitation of a subcontractor to an obligation: invited (by e-mail), accepted (bound to
the account that accepted it), or ended by the main contractor (no new contributions after)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.database import utcnow
from marketplace.core.extensions import db
from marketplace.sroi.models import Obligation

INVITATION_STATUSES = ("invited", "accepted", "ended")


class ChainInvitation(db.Model):
    """One subcontractor (by e-mail address, then by account) in one obligation's chain."""

    __tablename__ = "sroi_chain_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("obligations.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    company: Mapped[str] = mapped_column(String(200), default="")
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    subcontractor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="invited")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)

    obligation: Mapped[Obligation] = relationship()
