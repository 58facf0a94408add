"""Organisations and the register labels that are the reason they are listed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.database import JsonColumn, utcnow
from marketplace.core.extensions import db
from marketplace.core.geography import Municipality

REGISTERS = ("pso", "code", "senl")
LABEL_STATES = ("active", "applied", "grace", "expired")


class Organisation(db.Model):
    """One real enterprise, with the labels of every register that lists it."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    name: Mapped[str] = mapped_column(String(255), index=True)
    legal_form: Mapped[str | None] = mapped_column(String(80))
    kvk: Mapped[str | None] = mapped_column(String(8), index=True)
    city: Mapped[str | None] = mapped_column(String(120))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id"), index=True)
    website: Mapped[str | None] = mapped_column(String(255))
    sectors: Mapped[list[str]] = mapped_column(JsonColumn, default=list)
    mission: Mapped[str | None] = mapped_column(Text)
    # Written by the owner after a claim; a crawl never touches these (see field_sources).
    description: Mapped[str | None] = mapped_column(Text)
    target_groups: Mapped[str | None] = mapped_column(Text)
    impact_statement: Mapped[str | None] = mapped_column(Text)
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_postcode: Mapped[str | None] = mapped_column(String(7))
    regions_served: Mapped[list[str]] = mapped_column(JsonColumn, default=list)
    # Where each shown value came from: {"field": {"source": "register"|"owner", "by": id, "at": iso}}
    field_sources: Mapped[dict[str, Any]] = mapped_column(JsonColumn, default=dict)
    # Set when entity resolution merged this organisation into another: its URL redirects there.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    municipality: Mapped[Municipality | None] = relationship()
    merged_into: Mapped[Organisation | None] = relationship(remote_side="Organisation.id")
    labels: Mapped[list[Label]] = relationship(
        back_populates="organisation", order_by="Label.register", cascade="all, delete-orphan"
    )


class Label(db.Model):
    """One listing of an organisation in one register, with its life in that register.

    `state` is what the crawler last concluded (active, applied, grace, expired); a
    valid-until date in the past makes a label expired on display even while the register
    still lists it (see marketplace.organisations.labels).
    """

    __tablename__ = "labels"
    __table_args__ = (UniqueConstraint("register", "record_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    register: Mapped[str] = mapped_column(String(8))
    record_key: Mapped[str] = mapped_column(String(255))
    name_as_registered: Mapped[str] = mapped_column(String(255))
    kvk_numbers: Mapped[list[str]] = mapped_column(JsonColumn, default=list)
    level: Mapped[str | None] = mapped_column(String(40))
    pso30plus: Mapped[bool] = mapped_column(Boolean, default=False)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    next_review: Mapped[date | None] = mapped_column(Date)
    membership: Mapped[str | None] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(10), default="active", index=True)
    grace_since: Mapped[datetime | None] = mapped_column(DateTime)
    first_seen: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    source_url: Mapped[str] = mapped_column(String(500))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    register_data: Mapped[dict[str, Any]] = mapped_column(JsonColumn, default=dict)

    organisation: Mapped[Organisation] = relationship(back_populates="labels")
