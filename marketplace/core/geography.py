"""Reference tables: provinces, labour-market regions, municipalities (the geography SROI rules use) and
CPV categories (the vocabulary of public tenders)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.extensions import db


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


class CpvCategory(db.Model):
    """A CPV division (2 digits) or group (3 digits), the vocabulary of public tenders."""

    __tablename__ = "cpv_categories"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name_nl: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("cpv_categories.code"))
