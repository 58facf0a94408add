"""The social-return API for signed-in contractors: JSON in, JSON out, own obligations only."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from marketplace.core.extensions import db
from marketplace.sroi.models import Contribution, Obligation
from tests.factories import code, ingest, login, user

OBLIGATION = {"title": "Renovatie stadhuis", "contracting_authority": "Gemeente Enschede",
              "contract_value_excl_vat": "1000000", "starts_on": "2026-01-01", "ends_on": "2027-12-31",
              "region": "Twente", "cpv": ["90910000"]}  # fmt: skip


def test_a_contractor_registers_an_obligation_and_a_purchase_through_the_api(app, client) -> None:
    ingest(code("uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=["11111111"], valid_from=date(2021, 3, 12)))
    user("bouw@aannemer.example", "contractor")
    assert client.post("/api/v1/obligations", json=OBLIGATION).status_code == 401
    login(client, "bouw@aannemer.example")
    created = client.post("/api/v1/obligations", json=OBLIGATION)
    assert created.status_code == 201, created.get_json()
    obligation = created.get_json()
    assert (obligation["required"], obligation["ruleset"]) == ("50000.00", "oost-nederland-bouwblokken-v05")
    purchase = {"kind": "purchase", "supplier": "11111111", "invoice_number": "F-1", "invoice_date": "2026-05-02",
                "amount_excl_vat": "12000"}  # fmt: skip
    valued = client.post(f"/api/v1/obligations/{obligation['id']}/contributions", json=purchase)
    assert valued.status_code == 201 and valued.get_json()["amount"] == "12000.00"
    assert valued.get_json()["reasons"][0]["code"] == "sroi.purchase"
    english = client.get(f"/api/v1/obligations/{obligation['id']}?lang=en").get_json()
    assert english["pending"] == "12000.00"
    assert english["contributions"][0]["reasons"][0]["text"].startswith("purchase from Code Sociale Ondernemingen")
    assert [o["id"] for o in client.get("/api/v1/obligations").get_json()] == [obligation["id"]]


def test_the_api_refuses_what_it_should_and_changes_nothing(app, client) -> None:
    user("bouw@aannemer.example", "contractor")
    user("ander@aannemer.example", "contractor")
    user("inkoper@gemeente.example", "procurer")
    login(client, "bouw@aannemer.example")
    obligation_id = client.post("/api/v1/obligations", json=OBLIGATION).get_json()["id"]
    bad = [({**OBLIGATION, "contract_value_excl_vat": "-1"}, "groter dan nul"), ({**OBLIGATION, "region": "Atlantis"}, "Atlantis"),
           ({**OBLIGATION, "surprise": 1}, "surprise"), ({**OBLIGATION, "title": "x" * 100_000}, "title")]  # fmt: skip
    for body, words in bad:
        response = client.post("/api/v1/obligations", json=body)
        assert response.status_code == 400 and words in response.get_json()["error"]["message"], body
    assert client.post("/api/v1/obligations", data="title=x").status_code == 415
    budget = {"kind": "activity", "hours": "-1"}
    assert client.post(f"/api/v1/obligations/{obligation_id}/contributions", json=budget).status_code == 400
    other = app.test_client()
    login(other, "ander@aannemer.example")
    assert other.get(f"/api/v1/obligations/{obligation_id}").status_code == 404
    assert other.post(f"/api/v1/obligations/{obligation_id}/contributions", json={"kind": "activity", "hours": "5"}).status_code == 404
    procurer = app.test_client()
    login(procurer, "inkoper@gemeente.example")
    assert procurer.get("/api/v1/obligations").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == 0
    assert db.session.scalar(select(func.count()).select_from(Obligation)) == 1
