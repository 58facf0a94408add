"""Load the shipped reference data (municipalities, regions, CPV) idempotently.

Running it twice changes nothing; a renamed or new municipality in a newer file is added
or updated in place, so a yearly CBS update is one file change and one command.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from marketplace.core.extensions import db
from marketplace.core.geography import CpvCategory, LabourMarketRegion, Municipality, Province
from marketplace.sroi.rulesets import services as sroi_rulesets
from matching.places import municipality_rows
from matching.text import slugify

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def read_data_file(name: str, folder: Path = DATA_DIR) -> Iterator[dict[str, str]]:
    """Rows of a shipped CSV file, skipping its '#' source lines."""
    with (folder / name).open(encoding="utf-8") as handle:
        yield from csv.DictReader(line for line in handle if not line.startswith("#"))


@dataclass(frozen=True)
class LoadSummary:
    provinces: int
    regions: int
    municipalities: int
    cpv_categories: int


def _get_or_create(model: type, name: str) -> object:
    found = db.session.scalar(select(model).where(model.name == name))
    if found is None:
        found = model(name=name, slug=slugify(name))
        db.session.add(found)
        db.session.flush()
    return found


def load_geography() -> None:
    for row in municipality_rows():
        province = _get_or_create(Province, row["province"])
        region = _get_or_create(LabourMarketRegion, row["labour_market_region"])
        municipality = db.session.scalar(select(Municipality).where(Municipality.name == row["name"]))
        if municipality is None:
            municipality = Municipality(name=row["name"], slug=slugify(row["name"]))
            db.session.add(municipality)
        municipality.province = province  # type: ignore[assignment]
        municipality.region = region  # type: ignore[assignment]


def load_cpv() -> None:
    existing = {c.code: c for c in db.session.scalars(select(CpvCategory))}
    for row in read_data_file("cpv_categories.csv"):
        category = existing.get(row["code"]) or CpvCategory(code=row["code"])
        category.parent_code = row["parent"] or None
        category.name_nl = row["name_nl"]
        category.name_en = row["name_en"]
        db.session.add(category)
        db.session.flush()


def load_reference_data() -> LoadSummary:
    """Load everything in one transaction: geography, CPV, and the published SROI rule sets with
    each region's default rule set (versions already stored are kept)."""
    load_geography()
    load_cpv()
    sroi_rulesets.load_published()  # commits
    return LoadSummary(
        provinces=len(db.session.scalars(select(Province.id)).all()),
        regions=len(db.session.scalars(select(LabourMarketRegion.id)).all()),
        municipalities=len(db.session.scalars(select(Municipality.id)).all()),
        cpv_categories=len(db.session.scalars(select(CpvCategory.code)).all()),
    )


def municipality_names() -> list[str]:
    return list(db.session.scalars(select(Municipality.name)))
