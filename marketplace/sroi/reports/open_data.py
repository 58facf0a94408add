"""Open data on social return: totals per labour-market region and year, for anyone.

No personal data and nothing about one contractor's hires: hire figures of a region and year
are shown only when at least MIN_CONTRACTORS contractors made approved hires there, otherwise
they are withheld (None) and say so. Only approved contributions count."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import extract, func, select

from marketplace.core.extensions import db
from marketplace.core.geography import LabourMarketRegion
from marketplace.sroi.models import Contribution, Obligation
from marketplace.sroi.reports.monitoring import required_cents

MIN_CONTRACTORS = 3


@dataclass(frozen=True)
class Cell:
    region: str
    region_slug: str
    year: int
    obligations: int = 0
    required_cents: int = 0
    approved_cents: int = 0
    purchases_cents: int = 0  # invoiced with social enterprises, excl. VAT
    enterprises: int = 0
    hires: int | None = None  # None: withheld (fewer than MIN_CONTRACTORS contractors)
    hires_approved_cents: int | None = None


def years() -> list[int]:
    found = db.session.scalars(select(extract("year", Obligation.starts_on)).distinct()).all()
    return sorted({int(year) for year in found if year is not None}, reverse=True)


def totals(year: int | None = None) -> list[Cell]:
    """Cells per region and year: obligations by the year they start, contributions by the day they count."""
    regions = {row.id: row for row in db.session.scalars(select(LabourMarketRegion))}
    cells: dict[tuple[int, int], dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    obligation_year = extract("year", Obligation.starts_on)
    statement = select(
        Obligation.region_id, obligation_year, Obligation.contract_value_cents, Obligation.percentage
    )
    if year is not None:
        statement = statement.where(obligation_year == year)
    for region_id, starts_year, value_cents, percentage in db.session.execute(statement):
        cell = cells[(region_id, int(starts_year))]
        cell["obligations"] += 1
        cell["required_cents"] += int(required_cents(value_cents, percentage))
    counted_year = extract("year", Contribution.counts_on)
    approved = (
        select(
            Obligation.region_id,
            counted_year,
            Contribution.kind,
            func.sum(Contribution.counted_cents),
            func.sum(Contribution.amount_cents),
            func.count(func.distinct(Contribution.organisation_id)),
            func.count(),
            func.count(func.distinct(Obligation.contractor_id)),
        )
        .join(Obligation, Contribution.obligation_id == Obligation.id)
        .where(Contribution.status == "approved", Contribution.counts_on.is_not(None))
        .group_by(Obligation.region_id, counted_year, Contribution.kind)
    )
    if year is not None:
        approved = approved.where(counted_year == year)
    for region_id, cell_year, kind, counted, invoiced, enterprises, count, contractors in db.session.execute(
        approved
    ):
        cell = cells[(region_id, int(cell_year))]
        cell["approved_cents"] += int(counted or 0)
        if kind == "purchase":
            cell["purchases_cents"] += int(invoiced or 0)
            cell["enterprises"] += int(enterprises)
        elif kind == "hire" and contractors >= MIN_CONTRACTORS:
            cell["hires"] = int(count)
            cell["hires_approved_cents"] = int(counted or 0)
        elif kind == "hire":
            cell["withheld"] = 1
    result = []
    for (region_id, cell_year), values in cells.items():
        region = regions[region_id]
        withheld = values.pop("withheld", 0)
        hires = values.pop("hires", None if withheld else 0)
        hire_cents = values.pop("hires_approved_cents", None if withheld else 0)
        result.append(
            Cell(region.name, region.slug, cell_year, hires=hires, hires_approved_cents=hire_cents, **values)
        )
    return sorted(result, key=lambda cell: (-cell.year, cell.region))


def as_json(cell: Cell) -> dict[str, Any]:
    def euros(cents: int | None) -> str | None:
        return None if cents is None else f"{Decimal(cents) / 100:.2f}"

    return {
        "region": cell.region,
        "region_slug": cell.region_slug,
        "year": cell.year,
        "obligations": cell.obligations,
        "required": euros(cell.required_cents),
        "approved": euros(cell.approved_cents),
        "purchases_with_social_enterprises": euros(cell.purchases_cents),
        "enterprises_reached": cell.enterprises,
        "hires": cell.hires,
        "hires_approved": euros(cell.hires_approved_cents),
    }
