"""Accounts and the roles they hold; a coordinator role is scoped to one region."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.database import utcnow
from marketplace.core.extensions import db
from marketplace.core.geography import LabourMarketRegion

ROLES = ("procurer", "contractor", "entrepreneur", "coordinator", "admin")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(120), default="")
    public_body: Mapped[str | None] = mapped_column(String(160))
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Part of the id every session cookie carries: raised at logout and at a password change, so a
    # cookie copied before then names a version that no longer exists and signs nobody in.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    roles: Mapped[list[UserRole]] = relationship(back_populates="user", cascade="all, delete-orphan")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def end_sessions(self) -> None:
        """Every session and remember-me cookie issued so far stops working (the caller commits)."""
        self.session_version = (self.session_version or 1) + 1

    def has_role(self, role: str) -> bool:
        return any(r.role == role for r in self.roles)

    def coordinator_region_ids(self) -> set[int]:
        return {r.region_id for r in self.roles if r.role == "coordinator" and r.region_id is not None}


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role", "region_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("labour_market_regions.id"))

    user: Mapped[User] = relationship(back_populates="roles")
    region: Mapped[LabourMarketRegion | None] = relationship()
