"""What procurers and contractors buy: CPV categories, purchase requests with the offers
enterprises send back, and shortlists of suppliers (shared with colleagues when asked)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.core.database import utcnow
from marketplace.core.extensions import db
from marketplace.organisations.models import Organisation


class PurchaseRequest(db.Model):
    """A procurer's or contractor's request for offers from listed enterprises (procurer_id is the
    requester, whichever role they have). Shown publicly without the requester's personal data."""

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
    obligation_id: Mapped[int | None] = mapped_column(ForeignKey("obligations.id"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    responses: Mapped[list[PurchaseRequestResponse]] = relationship(
        back_populates="request", order_by="PurchaseRequestResponse.id"
    )


class PurchaseRequestResponse(db.Model):
    """An enterprise's short offer on a purchase request (one per enterprise)."""

    __tablename__ = "purchase_request_responses"
    __table_args__ = (UniqueConstraint("request_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("purchase_requests.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    responder_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(Text)
    price_cents: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    request: Mapped[PurchaseRequest] = relationship(back_populates="responses")
    organisation: Mapped[Organisation] = relationship()


class PurchaseRequestNotice(db.Model):
    """That an enterprise was told about a request (in a daily digest), so it is told once."""

    __tablename__ = "purchase_request_notices"
    __table_args__ = (UniqueConstraint("request_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("purchase_requests.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    sent_on: Mapped[date] = mapped_column(Date)


class Shortlist(db.Model):
    """A named list of suppliers; the colleagues its maker invited by name see it and add to it."""

    __tablename__ = "shortlists"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    items: Mapped[list[ShortlistItem]] = relationship(
        back_populates="shortlist", order_by="ShortlistItem.id", cascade="all, delete-orphan"
    )
    members: Mapped[list[ShortlistMember]] = relationship(
        back_populates="shortlist", order_by="ShortlistMember.id", cascade="all, delete-orphan"
    )


class ShortlistMember(db.Model):
    """A colleague the list's maker invited by name: they see the list and add to it."""

    __tablename__ = "shortlist_members"
    __table_args__ = (UniqueConstraint("shortlist_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shortlist_id: Mapped[int] = mapped_column(ForeignKey("shortlists.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    invited_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    shortlist: Mapped[Shortlist] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class ShortlistItem(db.Model):
    __tablename__ = "shortlist_items"
    __table_args__ = (UniqueConstraint("shortlist_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shortlist_id: Mapped[int] = mapped_column(ForeignKey("shortlists.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    note: Mapped[str] = mapped_column(String(500), default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    shortlist: Mapped[Shortlist] = relationship(back_populates="items")
    organisation: Mapped[Organisation] = relationship()
