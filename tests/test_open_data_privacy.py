"""Open data cannot be differenced (issue 22): a region and year with a part from fewer than three
contractors shows no figure at all, and no difference of published figures equals a withheld one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import combinations

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.core.extensions import db
from marketplace.sroi.models import Contribution, Obligation
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.reports import open_data
from tests.factories import code, ingest, user

FIGURES = ("obligations", "required", "approved", "purchases_with_social_enterprises", "enterprises_reached",
           "hires", "hires_approved")  # fmt: skip


def contractor(email: str) -> User:
    user(email, "contractor")
    return db.session.scalar(select(User).where(User.email == email))


def world() -> None:
    """Twente: three contractors buy and hire (published). Midden-Gelderland: one contractor buys and
    hires, and a second only buys (withheld). Twente 2027: two contractors (withheld)."""
    ingest(code("uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=["11111111"], valid_from=date(2021, 3, 12)))
    people = [contractor(f"c{n}@bouw.example") for n in range(5)]
    plan = [(people[0], "Twente", "2026", "1000000", "1234.56", "18"), (people[1], "Twente", "2026", "2000000", "2000.01", "20"),
            (people[2], "Twente", "2026", "1500000", "777.77", "12"), (people[3], "Midden-Gelderland", "2026", "800000", "4321.09", "16"),
            (people[4], "Midden-Gelderland", "2026", "900000", "555.55", None), (people[0], "Twente", "2027", "700000", "99.99", "8"),
            (people[1], "Twente", "2027", "650000", "101.01", None)]  # fmt: skip
    for number, (person, region, year, value, amount, hours) in enumerate(plan):
        made = obligations.create_obligation(person, {
            "title": f"Opdracht {number}", "contracting_authority": "Gemeente", "contract_value_excl_vat": value,
            "starts_on": f"{year}-01-01", "ends_on": f"{year}-12-31", "region": region})  # fmt: skip
        obligations.add_contribution(made, {"kind": "purchase", "supplier": "11111111", "invoice_number": f"F-{number}",
                                            "invoice_date": f"{year}-05-02", "amount_excl_vat": amount})  # fmt: skip
        if hours:
            obligations.add_contribution(made, {"kind": "hire", "block": "participatiewet_over_2y", "hours_per_week": hours,
                                                "start": f"{year}-01-01", "end": f"{year}-06-30"})  # fmt: skip
    for contribution in db.session.scalars(select(Contribution)):
        contribution.status = "approved"
    db.session.commit()


def hidden_values() -> set[Decimal]:
    """What the withheld cells would have said, straight from the database: every figure of the cell
    and the sums of each kind, in euros and as counts."""
    hidden: set[Decimal] = set()
    cells = {(c.region, c.year): c for c in open_data.totals()}
    for obligation in db.session.scalars(select(Obligation)):
        if not cells[(obligation.region.name, obligation.starts_on.year)].withheld:
            continue
        progress = obligations.progress(obligation)
        hidden.add(progress.required)
        kinds: dict[str, Decimal] = {}
        for item in obligation.contributions:
            kinds[item.kind] = kinds.get(item.kind, Decimal(0)) + Decimal(item.counted_cents) / 100
            hidden.add(Decimal(item.counted_cents) / 100)
            if item.amount_cents:
                hidden.add(Decimal(item.amount_cents) / 100)
        hidden.update(kinds.values())
        hidden.add(sum(kinds.values(), Decimal(0)))
    return hidden - {Decimal(0)}


def test_a_cell_with_fewer_than_three_contractors_shows_no_figure_at_all(app, client) -> None:
    world()
    cells = {(c["region"], c["year"]): c for c in client.get("/api/v1/open-data").get_json()["cells"]}
    assert not cells[("Twente", 2026)]["withheld"] and cells[("Twente", 2026)]["hires"] == 3
    for withheld in (("Midden-Gelderland", 2026), ("Twente", 2027)):
        assert cells[withheld]["withheld"]
        assert [cells[withheld][name] for name in FIGURES] == [None] * len(FIGURES), withheld
    page = client.get("/open-data").get_data(as_text=True)
    assert "Geen cijfers: minder dan 3 opdrachtnemers." in page
    exported = client.get("/open-data.csv").get_data(as_text=True)
    assert "4321.09" not in exported and "4321,09" not in exported


def test_no_difference_of_published_figures_equals_a_withheld_value(app, client) -> None:
    world()
    hidden = hidden_values()
    assert Decimal("4321.09") in hidden and len(hidden) > 5  # the check has something to find
    published: list[Decimal] = []
    for year in (None, 2026, 2027):
        query = "" if year is None else f"?year={year}"
        for cell in client.get(f"/api/v1/open-data{query}").get_json()["cells"]:
            published += [Decimal(str(cell[name])) for name in FIGURES if cell[name] is not None]
    differences = {abs(a - b) for a, b in combinations(published, 2)} | set(published)
    assert differences.isdisjoint(hidden), sorted(differences & hidden)
