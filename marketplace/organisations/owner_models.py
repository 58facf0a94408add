"""What owners add to a listed organisation, who owns it, and how they proved it.

Register facts live on labels and are derived onto the organisation by crawls; everything
here is the owner's and a crawl never touches it. Every owner change is kept as a version.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.core.database import JsonColumn, utcnow
from marketplace.core.extensions import db
from marketplace.organisations.models import Organisation

CLAIM_STATUSES = ("code_sent", "review", "approved", "rejected", "expired")


class OrganisationOwner(db.Model):
    __tablename__ = "organisation_owners"
    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    since: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User] = relationship()


class Claim(db.Model):
    """A request to own a listed organisation, proved by a mailed code or a coordinator's decision."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    code_hash: Mapped[str | None] = mapped_column(String(255))
    code_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    motivation: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("labour_market_regions.id"), index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Offering(db.Model):
    """A product or service an owner offers, in the CPV vocabulary procurers search with."""

    __tablename__ = "offerings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    cpv_code: Mapped[str] = mapped_column(ForeignKey("cpv_categories.code"))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(500), default="")
    price_indication: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class OrganisationImage(db.Model):
    """A logo or photo, checked by content and re-encoded before it is stored."""

    __tablename__ = "organisation_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(5))  # "logo" or "photo"
    filename: Mapped[str] = mapped_column(String(80), unique=True)
    alt_text: Mapped[str] = mapped_column(String(200), default="")
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ProfileVersion(db.Model):
    """One saved change to an owner's profile: who, when, and each field's old and new value."""

    __tablename__ = "profile_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    changes: Mapped[dict[str, Any]] = mapped_column(JsonColumn, default=dict)

    user: Mapped[User | None] = relationship()
