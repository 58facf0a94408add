"""Open data on social return: totals per labour-market region and year, for anyone.

No personal data and nothing about one or two contractors: a region and year is published only
when every part of it (the obligations starting then, and each kind of approved contribution
counted then) comes from at least MIN_CONTRACTORS contractors; otherwise the cell shows no figure
at all (every figure None), so no figure of it can be had by subtracting published ones (the total
minus the purchases was once the hidden hire value, to the cent). No sum over cells is published.
Only approved contributions count."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import extract, func, select

from marketplace.core.extensions import db
from marketplace.core.geography import LabourMarketRegion
from marketplace.sroi.models import Contribution, Obligation
from marketplace.sroi.reports.monitoring import required_cents
from marketplace.sroi.settlement import impact

MIN_CONTRACTORS = 3


@dataclass(frozen=True)
class Cell:
    region: str
    region_slug: str
    year: int
    # Every figure None: withheld (a part of the cell comes from fewer than MIN_CONTRACTORS contractors).
    obligations: int | None = 0
    required_cents: int | None = 0
    approved_cents: int | None = 0
    purchases_cents: int | None = 0  # invoiced with social enterprises, excl. VAT
    enterprises: int | None = 0
    hires: int | None = 0
    hires_approved_cents: int | None = 0
    # Impact beyond euros (marketplace.sroi.settlement.impact): distinct people placed by approved
    # hires counted that year, and their full-time equivalents; withheld with the rest of the cell.
    people: int | None = 0
    fte: Decimal | None = Decimal("0.0")

    @property
    def withheld(self) -> bool:
        return self.approved_cents is None


def years() -> list[int]:
    found = db.session.scalars(select(extract("year", Obligation.starts_on)).distinct()).all()
    return sorted({int(year) for year in found if year is not None}, reverse=True)


def totals(year: int | None = None) -> list[Cell]:
    """Cells per region and year: obligations by the year they start, contributions by the day they count."""
    regions = {row.id: row for row in db.session.scalars(select(LabourMarketRegion))}
    cells: dict[tuple[int, int], dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    contractors: dict[tuple[int, int], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    obligation_year = extract("year", Obligation.starts_on)
    statement = select(
        Obligation.region_id,
        obligation_year,
        Obligation.contract_value_cents,
        Obligation.percentage,
        Obligation.contractor_id,
    )
    if year is not None:
        statement = statement.where(obligation_year == year)
    for region_id, starts_year, value_cents, percentage, contractor_id in db.session.execute(statement):
        cell = cells[(region_id, int(starts_year))]
        cell["obligations"] += 1
        cell["required_cents"] += int(required_cents(value_cents, percentage))
        contractors[(region_id, int(starts_year))]["obligations"].add(contractor_id)
    counted_year = extract("year", Contribution.counts_on)
    approved = (
        select(
            Obligation.region_id,
            counted_year,
            Contribution.kind,
            Obligation.contractor_id,
            func.sum(Contribution.counted_cents),
            func.sum(Contribution.amount_cents),
            func.count(),
        )
        .join(Obligation, Contribution.obligation_id == Obligation.id)
        .where(Contribution.status == "approved", Contribution.counts_on.is_not(None))
        .group_by(Obligation.region_id, counted_year, Contribution.kind, Obligation.contractor_id)
    )
    if year is not None:
        approved = approved.where(counted_year == year)
    for region_id, cell_year, kind, contractor_id, counted, invoiced, count in db.session.execute(approved):
        key = (region_id, int(cell_year))
        cell = cells[key]
        contractors[key][kind].add(contractor_id)
        cell["approved_cents"] += int(counted or 0)
        if kind == "purchase":
            cell["purchases_cents"] += int(invoiced or 0)
        elif kind == "hire":
            cell["hires"] += int(count)
            cell["hires_approved_cents"] += int(counted or 0)
    reached = (
        select(Obligation.region_id, counted_year, func.count(func.distinct(Contribution.organisation_id)))
        .join(Obligation, Contribution.obligation_id == Obligation.id)
        .where(Contribution.status == "approved", Contribution.kind == "purchase")
        .group_by(Obligation.region_id, counted_year)
    )
    if year is not None:
        reached = reached.where(counted_year == year)
    for region_id, cell_year, enterprises in db.session.execute(reached):
        if (region_id, int(cell_year)) in cells:
            cells[(region_id, int(cell_year))]["enterprises"] = int(enterprises)
    for key, (people, fte) in _people(year).items():
        if key in cells:
            cells[key]["people"], cells[key]["fte"] = people, fte
    result = []
    for (region_id, cell_year), figures in cells.items():
        region = regions[region_id]
        parts = contractors[(region_id, cell_year)].values()
        if any(len(part) < MIN_CONTRACTORS for part in parts):
            result.append(Cell(region.name, region.slug, cell_year, **dict.fromkeys(FIGURES)))
        else:
            result.append(Cell(region.name, region.slug, cell_year, **figures))
    return sorted(result, key=lambda cell: (-cell.year, cell.region))


FIGURES = ("obligations", "required_cents", "approved_cents", "purchases_cents", "enterprises", "hires",
           "hires_approved_cents", "people", "fte")  # fmt: skip


def _people(year: int | None) -> dict[tuple[int, int], tuple[int, Decimal]]:
    """People placed and full-time equivalents per region and year a hire counts in (its start)."""
    counted_year = extract("year", Contribution.counts_on)
    columns = (Obligation.region_id, counted_year, Contribution.obligation_id, Contribution.person_reference,
               Contribution.id, Contribution.hours_per_week)  # fmt: skip
    statement = (
        select(*columns)
        .join(Obligation, Contribution.obligation_id == Obligation.id)
        .where(Contribution.status == "approved", Contribution.kind == "hire")
        .where(Contribution.counts_on.is_not(None))
    )
    if year is not None:
        statement = statement.where(counted_year == year)
    people: dict[tuple[int, int], dict[Any, impact.Person]] = defaultdict(dict)
    for region_id, cell_year, obligation_id, reference, hire_id, hours in db.session.execute(statement):
        key = (obligation_id, reference) if reference else ("hire", hire_id)
        person = people[(region_id, int(cell_year))].setdefault(key, impact.Person(reference or None))
        person.hours = max(person.hours, Decimal(str(hours or 0)))
    found = {}
    for cell, persons in people.items():
        summary = impact.summarise(persons.values(), date.min)
        found[cell] = (summary.people, summary.fte)
    return found


def as_json(cell: Cell) -> dict[str, Any]:
    def euros(cents: int | None) -> str | None:
        return None if cents is None else f"{Decimal(cents) / 100:.2f}"

    return {
        "region": cell.region,
        "region_slug": cell.region_slug,
        "year": cell.year,
        "obligations": cell.obligations,
        "withheld": cell.withheld,
        "required": euros(cell.required_cents),
        "approved": euros(cell.approved_cents),
        "purchases_with_social_enterprises": euros(cell.purchases_cents),
        "enterprises_reached": cell.enterprises,
        "hires": cell.hires,
        "hires_approved": euros(cell.hires_approved_cents),
        "people_placed": cell.people,
        "full_time_equivalents": None if cell.fte is None else f"{cell.fte}",
    }
