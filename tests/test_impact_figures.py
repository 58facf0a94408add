"""Impact beyond euros (issue 24): people placed (distinct person references on approved hires),
full-time equivalents, target groups by their names, months employed and whether people are still
employed (the contractor's report), per obligation, contractor and region; the reports show them
next to the euros; open data carries them with the same suppression of small groups, and no
difference of published figures gives away a withheld one."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from itertools import combinations

import pytest
from flask import Flask
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.sroi.models import Contribution, Obligation
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.reports import services as reports
from marketplace.sroi.settlement import impact
from marketplace.sroi.settlement.models import EmploymentCheck
from tests.factories import code, ingest, login, post_form, user

CONTRACTOR = "bouw@aannemer.example"
PARTICIPATION, PLACEMENT, LEARN_WORK = ("Participatiewet, langer dan 2 jaar uitkering",
                                        "Werkervaringsplek of proefplaatsing", "Leerling BBL (leerbaan), niveau 1 en 2")  # fmt: skip


def person(email: str) -> User:
    if db.session.scalar(select(User).where(User.email == email)) is None:
        user(email, "contractor")
    return db.session.scalar(select(User).where(User.email == email))


def obligation_of(email: str, region: str = "Twente", year: int = 2026) -> Obligation:
    return obligations.create_obligation(person(email), {
        "title": f"Opdracht van {email}", "contracting_authority": "Gemeente", "contract_value_excl_vat": "400000",
        "starts_on": f"{year}-01-01", "ends_on": f"{year}-12-31", "region": region})  # fmt: skip


def hire(obligation: Obligation, block: str, hours: str, start: str, end: str, reference: str | None) -> None:
    obligations.add_contribution(obligation, {"kind": "hire", "block": block, "hours_per_week": hours, "start": start,
                                              "end": end, "person_reference": reference})  # fmt: skip


def approve_all() -> None:
    for contribution in db.session.scalars(select(Contribution).where(Contribution.status == "pending")):
        contribution.status = "approved"
    db.session.commit()


def placed() -> Obligation:
    """P-1: two hires (Jan-Jun 18 h, Jul-Sep 20 h); P-2: a learn-work place (Mar-Aug, 32 h); one
    placement without a reference (Feb-Apr, 10 h); a rejected hire of P-9 that must not count."""
    obligation = obligation_of(CONTRACTOR)
    hire(obligation, "participatiewet_over_2y", "18", "2026-01-01", "2026-06-30", "P-1")
    hire(obligation, "werkervaringsplek_proefplaatsing", "20", "2026-07-01", "2026-09-30", "P-1")
    hire(obligation, "bbl_level_1_2", "32", "2026-03-01", "2026-08-31", "P-2")
    hire(obligation, "werkervaringsplek_proefplaatsing", "10", "2026-02-01", "2026-04-30", None)
    approve_all()
    hire(obligation, "bbl_level_1_2", "36", "2026-03-01", "2026-08-31", "P-9")
    db.session.scalar(select(Contribution).where(Contribution.person_reference == "P-9")).status = "rejected"
    db.session.commit()
    return obligation


def test_people_fte_months_and_target_groups_of_an_obligation(app: Flask) -> None:
    found = impact.of_obligation(placed())
    assert (found.people, found.unreferenced) == (2, 1)
    assert found.fte == Decimal("1.7")  # (20 + 32 + 10) / 36: each person by their largest hours a week
    assert found.months == Decimal("17.9")  # 273 + 184 + 89 days
    assert found.months_each == Decimal("7.5")  # (273 + 184) / 2 people
    assert found.target_groups == [(PLACEMENT, 2), (LEARN_WORK, 1), (PARTICIPATION, 1)]
    assert found.still_employed == 0


def test_the_contractor_reports_still_employed_and_bad_reports_change_nothing(app: Flask) -> None:
    obligation = placed()
    contractor = person(CONTRACTOR)
    with pytest.raises(ServiceError, match="Kies een persoon"):
        impact.report_still_employed(contractor, obligation, {"person_reference": "P-404", "employed_on": "2026-10-01"})
    with pytest.raises(ServiceError, match="toekomst"):
        impact.report_still_employed(contractor, obligation, {"person_reference": "P-2", "employed_on": "2026-12-01"})
    with pytest.raises(LookupError):
        impact.report_still_employed(person("ander@aannemer.example"), obligation,
                                     {"person_reference": "P-2", "employed_on": "2026-10-01"})  # fmt: skip
    assert db.session.scalar(select(func.count()).select_from(EmploymentCheck)) == 0
    impact.report_still_employed(contractor, obligation, {"person_reference": "P-1", "employed_on": "2026-08-01"})
    assert impact.of_obligation(obligation).still_employed == 0  # during the hire: says nothing about staying on
    client = app.test_client()
    login(client, CONTRACTOR)
    path = f"/opdrachtnemer/verplichtingen/{obligation.id}/impact"
    refused = post_form(client, path, {"person_reference": "P-2", "employed_on": "morgen"})
    assert refused.status_code == 400 and "datum" in refused.get_data(as_text=True)
    done = post_form(client, path, {"person_reference": "P-2", "employed_on": "2026-10-15"}, follow_redirects=True)
    page = done.get_data(as_text=True)
    assert done.status_code == 200 and "nog in dienst" in page and LEARN_WORK in page and "bbl_level_1_2" not in page
    assert impact.of_obligation(obligation).still_employed == 1
    kept = json.loads(client.get("/account/mijn-gegevens.json").get_data(as_text=True))  # what we keep about them
    assert [r["employed_on"] for r in kept["obligations"][0]["still_employed_reports"]] == ["2026-08-01", "2026-10-15"]
    other = app.test_client()
    login(other, "ander@aannemer.example")
    assert other.get(path).status_code == 404


def test_impact_per_contractor_and_region_in_the_reports_next_to_the_euros(app: Flask) -> None:
    first = placed()
    second = obligation_of("ander@aannemer.example")
    hire(second, "bbl_level_1_2", "36", "2026-01-01", "2026-06-30", "P-1")  # another contractor's P-1: another person
    approve_all()
    per_contractor = impact.impact_by("contractor", region_ids={first.region_id})
    assert per_contractor[first.contractor_id].people == 2 and per_contractor[second.contractor_id].people == 1
    assert impact.impact_by("region")[first.region_id].people == 3
    wanted = reports.ReportFilter(frozenset({first.region_id}))
    by_region = reports.build("impact", wanted)
    assert (by_region.rows[0]["region"], by_region.rows[0]["people"], by_region.rows[0]["fte"]) == ("Twente", 3, Decimal("2.7"))
    assert by_region.totals["approved"] == db.session.scalar(
        select(func.sum(Contribution.counted_cents)).where(Contribution.status == "approved"))  # fmt: skip
    by_contractor = reports.build("impact_contractor", wanted)
    assert sorted((row["contractor"], row["people"]) for row in by_contractor.rows) == \
        [("ander@aannemer.example", 1), (CONTRACTOR, 2)]  # fmt: skip
    assert by_contractor.totals["people"] == 3
    user("coord@twente.example", "coordinator", regions=("Twente",))
    client = app.test_client()
    login(client, "coord@twente.example")
    page = client.get("/coordinator/rapportages?weergave=impact&lang=en").get_data(as_text=True)
    assert "People placed in work" in page and "Work-based learning student (BBL), level 1 and 2" in page
    exported = client.get("/coordinator/rapportages.csv?weergave=impact_contractor").get_data(as_text=True)
    assert "bbl_level_1_2" not in exported and LEARN_WORK in exported


IMPACT = ("people_placed", "full_time_equivalents")
FIGURES = ("obligations", "required", "approved", "purchases_with_social_enterprises", "enterprises_reached",
           "hires", "hires_approved", *IMPACT)  # fmt: skip


def open_world() -> None:
    """Twente 2026: three contractors place five people (published). Midden-Gelderland 2026: one
    contractor places seven (withheld). Twente 2027: two contractors place eleven (withheld)."""
    ingest(code("uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=["11111111"], valid_from=date(2021, 3, 12)))
    plan = [("c0", "Twente", 2026, [18, 20]), ("c1", "Twente", 2026, [12, 16]), ("c2", "Twente", 2026, [8]),
            ("c3", "Midden-Gelderland", 2026, [10] * 7), ("c0", "Twente", 2027, [13] * 6), ("c1", "Twente", 2027, [11] * 5)]  # fmt: skip
    for number, (who, region, year, hours) in enumerate(plan):
        made = obligation_of(f"{who}@bouw.example", region, year)
        obligations.add_contribution(made, {"kind": "purchase", "supplier": "11111111", "invoice_number": f"F-{number}",
                                            "invoice_date": f"{year}-05-02", "amount_excl_vat": f"{1000 + number * 111}.37"})  # fmt: skip
        for index, per_week in enumerate(hours):
            hire(made, "bbl_level_1_2", str(per_week), f"{year}-01-01", f"{year}-06-30", f"{who}-{index}")
    approve_all()


def test_open_data_carries_people_and_fte_and_withholds_them_with_small_groups(app: Flask, client) -> None:
    open_world()
    cells = {(c["region"], c["year"]): c for c in client.get("/api/v1/open-data").get_json()["cells"]}
    twente = cells[("Twente", 2026)]
    assert (twente["people_placed"], twente["full_time_equivalents"]) == (5, "2.1")  # 74 hours / 36
    for withheld in (("Midden-Gelderland", 2026), ("Twente", 2027)):
        assert [cells[withheld][name] for name in FIGURES] == [None] * len(FIGURES), withheld
    exported = client.get("/open-data.csv").get_data(as_text=True)
    assert "Mensen aan het werk geholpen" in exported and ";7;" not in exported
    paths = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["OpenDataCell"]["properties"]
    assert set(IMPACT) <= set(paths)


def test_no_difference_of_published_figures_gives_away_withheld_people_or_fte(app: Flask, client) -> None:
    open_world()
    hidden: set[Decimal] = set()
    for (region_id, year), (people, fte) in open_people().items():
        if (region_id, year) != (twente_id(), 2026):
            hidden |= {Decimal(people), fte}
    assert {Decimal(7), Decimal("1.9"), Decimal(11), Decimal("3.7")} <= hidden  # the check has something to find
    published: list[Decimal] = []
    for year in (None, 2026, 2027):
        query = "" if year is None else f"?year={year}"
        for cell in client.get(f"/api/v1/open-data{query}").get_json()["cells"]:
            published += [Decimal(str(cell[name])) for name in FIGURES if cell[name] is not None]
    differences = {abs(a - b) for a, b in combinations(published, 2)} | set(published)
    assert differences.isdisjoint(hidden), sorted(differences & hidden)


def twente_id() -> int:
    return db.session.scalar(select(Obligation.region_id).join(Obligation.region).where(Obligation.title.like("%c2@%")))


def open_people() -> dict[tuple[int, int], tuple[int, Decimal]]:
    """What each cell would say about people and FTE, straight from the stored hires."""
    found: dict[tuple[int, int], list[Decimal]] = {}
    for obligation in db.session.scalars(select(Obligation)):
        hours = [Decimal(c.hours_per_week) for c in obligation.contributions if c.kind == "hire"]
        found.setdefault((obligation.region_id, obligation.starts_on.year), []).extend(hours)
    return {key: (len(hours), (sum(hours) / 36).quantize(Decimal("0.1"))) for key, hours in found.items()}
