"""Provinces, labour-market regions and municipalities: the geography SROI rules use."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db


class Province(db.Model):
    __tablename__ = "provinces"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)

    municipalities: Mapped[list[Municipality]] = relationship(back_populates="province")


class LabourMarketRegion(db.Model):
    """One of the 35 arbeidsmarktregio's; coordinators are scoped to these."""

    __tablename__ = "labour_market_regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)

    municipalities: Mapped[list[Municipality]] = relationship(back_populates="region")


class Municipality(db.Model):
    __tablename__ = "municipalities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("labour_market_regions.id"), index=True)

    province: Mapped[Province] = relationship(back_populates="municipalities")
    region: Mapped[LabourMarketRegion] = relationship(back_populates="municipalities")
