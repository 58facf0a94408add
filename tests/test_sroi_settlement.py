"""Settling an obligation (issue 24): the figures it is settled on, settling once, not before the end
unless fulfilled, a settled obligation read-only in every way in (service, form, API, command line),
a correction as a new settlement with its reason, the letter whose totals agree to the cent with the
council report and the obligation page, and obligations counted by status."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core import clock
from marketplace.core.audit_model import AuditLogEntry
from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.sroi.models import Contribution, Obligation
from marketplace.sroi.obligations import conversation
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.reports import monitoring
from marketplace.sroi.reports import services as reports
from marketplace.sroi.review import decisions
from marketplace.sroi.settlement import services as settlement
from marketplace.sroi.settlement.lock import ObligationSettled
from marketplace.sroi.settlement.models import Settlement
from tests.factories import code, csrf_token, ingest, login, post_form, user

CONTRACTOR, COORDINATOR = "bouw@aannemer.example", "coord@twente.example"
AGREED = {"consequence": "compensation", "consequence_text": "Compensatie volgens art. 7 van het contract",
          "consequence_amount": "6515.44"}  # fmt: skip


def person(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def obligation_with_contributions(ends_on: str = "2026-10-31", value: str = "400000") -> Obligation:
    """Twente, 5% of the value required; approved: a purchase (1234.56), a work experience placement
    (2250.00), a learn-work place (10000.00) and a hire valued 0 (V05 names no full-time week); one
    activity still pending."""
    ingest(code("uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=["11111111"], valid_from=date(2021, 3, 12)))
    if person(CONTRACTOR) is None:
        user(CONTRACTOR, "contractor")
        user("ander@aannemer.example", "contractor")
        user(COORDINATOR, "coordinator", regions=("Twente",))
        user("coord@gelderland.example", "coordinator", regions=("Midden-Gelderland",))
    obligation = obligations.create_obligation(person(CONTRACTOR), {
        "title": "Renovatie stadhuis", "contracting_authority": "Gemeente Enschede", "contract_value_excl_vat": value,
        "starts_on": "2026-01-01", "ends_on": ends_on, "region": "Twente"})  # fmt: skip
    made = [
        {"kind": "purchase", "supplier": "11111111", "invoice_number": f"F-{obligation.id}", "invoice_date": "2026-05-02",
         "amount_excl_vat": "1234.56"},
        {"kind": "hire", "block": "werkervaringsplek_proefplaatsing", "hours_per_week": "20", "start": "2026-02-01",
         "end": "2026-04-30", "person_reference": "P-2"},
        {"kind": "hire", "block": "bbl_level_1_2", "hours_per_week": "32", "start": "2026-03-01", "end": "2026-08-31",
         "person_reference": "P-3"},
        {"kind": "hire", "block": "participatiewet_over_2y", "hours_per_week": "18", "start": "2026-01-01",
         "end": "2026-06-30", "person_reference": "P-1"},
    ]  # fmt: skip
    coordinator = person(COORDINATOR)
    for values in made:
        decisions.approve(coordinator, obligations.add_contribution(obligation, values).contribution.id)
    obligations.add_contribution(obligation, {"kind": "activity", "hours": "10"})
    return obligation


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_coordinator_settles_once_with_the_figures_and_the_agreed_consequence(app: Flask) -> None:
    obligation = obligation_with_contributions()
    found = settlement.figures(obligation)
    assert (found.required_cents, found.realised_cents, found.shortfall_cents) == (2000000, 1348456, 651544)
    assert found.per_kind["purchase"] == {"count": 1, "cents": 123456}
    assert found.per_kind["placement"] == {"count": 1, "cents": 225000}
    assert found.per_kind["learn_work"] == {"count": 1, "cents": 1000000}
    assert found.per_kind["hire"] == {"count": 1, "cents": 0}
    with pytest.raises(LookupError):  # another region's coordinator: as if it did not exist
        settlement.settle(person("coord@gelderland.example"), obligation.id, AGREED)
    with pytest.raises(ServiceError, match="afgesproken compensatiebedrag"):
        settlement.settle(person(COORDINATOR), obligation.id, {**AGREED, "consequence_amount": ""})
    row = settlement.settle(person(COORDINATOR), obligation.id, AGREED)
    assert (row.realised_cents, row.shortfall_cents, row.consequence_cents) == (1348456, 651544, 651544)
    assert row.settled_on == clock.today() and len(row.contribution_ids) == 4
    with pytest.raises(ServiceError, match="al afgerekend op 01-11-2026"):
        settlement.settle(person(COORDINATOR), obligation.id, AGREED)
    assert count(Settlement) == 1
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "settlement.settled"))
    assert entry.subject_id == str(obligation.id) and entry.details["after"]["shortfall_cents"] == 651544


def test_settling_before_the_end_date_is_refused_unless_fulfilled(app: Flask) -> None:
    running = obligation_with_contributions(ends_on="2027-12-31")
    with pytest.raises(ServiceError, match="vanaf de einddatum \\(31-12-2027\\)"):
        settlement.settle(person(COORDINATOR), running.id, AGREED)
    assert count(Settlement) == 0
    small = obligation_with_contributions(ends_on="2027-12-31", value="100000")  # 5000.00 required: fulfilled
    row = settlement.settle(person(COORDINATOR), small.id, {"consequence": "none"})
    assert (row.shortfall_cents, row.consequence) == (0, "none")


def _stored(obligation_id: int) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(
        select(Contribution.id, Contribution.status, Contribution.counted_cents, Contribution.block)
        .where(Contribution.obligation_id == obligation_id).order_by(Contribution.id))]  # fmt: skip


def test_a_settled_obligation_is_read_only_in_services_forms_api_and_command_line(app: Flask, tmp_path: Path) -> None:
    obligation = obligation_with_contributions()
    pending = db.session.scalar(select(Contribution).where(Contribution.status == "pending"))
    coordinator, contractor = person(COORDINATOR), person(CONTRACTOR)
    decisions.ask(coordinator, pending.id, "Hoeveel uur precies?")  # questioned: the contractor could answer
    second = obligations.add_contribution(obligation, {"kind": "activity", "hours": "4"}).contribution
    settlement.settle(coordinator, obligation.id, AGREED)
    before, settlements = _stored(obligation.id), count(Settlement)
    activity = {"kind": "activity", "hours": "5"}
    # the services
    refusals = [
        lambda: obligations.add_contribution(obligation, activity),
        lambda: obligations.revalue(second, coordinator, "nieuwe versie"),
        lambda: conversation.withdraw(contractor, second.id),
        lambda: conversation.answer(contractor, pending.id, "18 uur", None),
        lambda: decisions.approve(coordinator, second.id),
        lambda: decisions.reject(coordinator, second.id, "niet aangetoond"),
        lambda: decisions.ask(coordinator, second.id, "Welke dag?"),
        lambda: decisions.correct(coordinator, second.id, decisions.Correction(amount=None, block="x"), "anders"),
    ]
    for refused in refusals:
        with pytest.raises(ObligationSettled, match="afgerekend"):
            refused()
        db.session.rollback()
    assert decisions.approve_many(coordinator, [second.id]) == (0, 1)
    # the forms
    client = app.test_client()
    login(client, CONTRACTOR)
    page = f"/opdrachtnemer/verplichtingen/{obligation.id}"
    added = post_form(client, f"{page}/bijdragen/activity", {"hours": "5"}, page=page)
    assert added.status_code == 400 and "afgerekend" in added.get_data(as_text=True)
    token = csrf_token(client, page)
    client.post(f"/opdrachtnemer/bijdragen/{second.id}/intrekken", data={"csrf_token": token})
    coordinator_client = app.test_client()
    login(coordinator_client, COORDINATOR)
    token = csrf_token(coordinator_client, "/coordinator/wachtrij")
    decided = coordinator_client.post(f"/coordinator/wachtrij/bijdragen/{second.id}",
                                      data={"csrf_token": token, "decision": "approve"}, follow_redirects=True)  # fmt: skip
    assert "afgerekend" in decided.get_data(as_text=True)
    # the API
    api = app.test_client()
    login(api, CONTRACTOR)
    answer = api.post(f"/api/v1/obligations/{obligation.id}/contributions", json=activity)
    assert answer.status_code == 400 and "afgerekend" in answer.get_json()["error"]["message"]
    # the command line
    file = tmp_path / "activity.json"
    file.write_text(json.dumps(activity))
    result = app.test_cli_runner().invoke(args=["sroi", "contribution", "add", "--obligation", str(obligation.id),
                                                "--json", str(file)])  # fmt: skip
    assert result.exit_code != 0 and "afgerekend" in result.output
    db.session.expire_all()
    assert _stored(obligation.id) == before and count(Settlement) == settlements


def test_a_correction_is_a_new_settlement_with_its_reason_and_the_old_one_kept(app: Flask) -> None:
    obligation = obligation_with_contributions()
    coordinator = person(COORDINATOR)
    with pytest.raises(ServiceError, match="nog niet afgerekend"):
        settlement.correct(coordinator, obligation.id, {**AGREED, "reason": "typfout"})
    first = settlement.settle(coordinator, obligation.id, AGREED)
    with pytest.raises(ServiceError, match="reden van de correctie"):
        settlement.correct(coordinator, obligation.id, {**AGREED, "reason": "  "})
    second = settlement.settle_or_correct(coordinator, obligation.id, {
        "consequence": "extension", "consequence_text": "Zes maanden langer", "reason": "Verlenging afgesproken"})  # fmt: skip
    db.session.expire_all()
    assert db.session.get(Settlement, first.id).superseded_at is not None
    assert settlement.current(obligation.id).id == second.id and second.corrects_id == first.id
    assert [row.id for row in settlement.history(obligation.id)] == [second.id, first.id]
    corrected = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "settlement.corrected"))
    assert corrected.details["reason"] == "Verlenging afgesproken"
    assert corrected.details["before"]["consequence"] == "compensation"


def _pdf_text(body: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages).split())


def test_the_letter_agrees_to_the_cent_with_the_report_and_the_obligation_page(app: Flask) -> None:
    obligation = obligation_with_contributions()
    settlement.settle(person(COORDINATOR), obligation.id, AGREED)
    report = reports.by_authority(reports.ReportFilter(frozenset({obligation.region_id})))
    assert (report.totals["required"], report.totals["approved"]) == (2000000, 1348456)
    contractor = app.test_client()
    login(contractor, CONTRACTOR)
    page = " ".join(contractor.get(f"/opdrachtnemer/verplichtingen/{obligation.id}").get_data(as_text=True).split())
    dutch = contractor.get(f"/opdrachtnemer/verplichtingen/{obligation.id}/afrekening.pdf?taal=nl")
    assert dutch.status_code == 200 and dutch.mimetype == "application/pdf"
    text = _pdf_text(dutch.data).replace("\xa0", " ")
    assert text.startswith("Afrekening social return") and "Gemeente Enschede" in text
    for amount in ("€ 20.000,00", "€ 13.484,56", "€ 6.515,44", "€ 1.234,56", "€ 2.250,00", "€ 10.000,00"):
        assert amount in text, amount
    assert "€ 13.484,56" in page.replace("\xa0", " ")  # the obligation page's "Goedgekeurd"
    assert "Werkervaringsplek of proefplaatsing" in text and "werkervaringsplek_proefplaatsing" not in text
    assert re.search(r"Totaal 4 € 13\.484,56", text)
    coordinator = app.test_client()
    login(coordinator, COORDINATOR)
    english = _pdf_text(coordinator.get(f"/coordinator/verplichtingen/{obligation.id}/afrekening.pdf?taal=en").data)
    assert english.startswith("Social return settlement") and "€13,484.56" in english and "€6,515.44" in english
    for email, path in (("ander@aannemer.example", "opdrachtnemer"), ("coord@gelderland.example", "coordinator")):
        other = app.test_client()
        login(other, email)
        assert other.get(f"/{path}/verplichtingen/{obligation.id}/afrekening.pdf").status_code == 404, email


def test_the_settle_page_form_settles_and_refuses_in_words(app: Flask) -> None:
    obligation = obligation_with_contributions()
    client = app.test_client()
    login(client, COORDINATOR)
    path = f"/coordinator/verplichtingen/{obligation.id}/afrekening"
    assert "Gemeente Enschede" in client.get(path).get_data(as_text=True)
    refused = post_form(client, path, {"consequence": "compensation", "consequence_text": "art. 7"})
    assert refused.status_code == 400 and "compensatiebedrag" in refused.get_data(as_text=True)
    assert count(Settlement) == 0
    done = post_form(client, path, {**AGREED, "consequence_amount": "6515,44"}, follow_redirects=True)
    assert done.status_code == 200 and "Afgerekend op 1 nov 2026" in done.get_data(as_text=True)
    assert settlement.current(obligation.id).consequence_cents == 651544
    assert "rekende een verplichting af" in client.get("/coordinator/logboek").get_data(as_text=True)
    other = app.test_client()
    login(other, "coord@gelderland.example")
    assert other.get(path).status_code == 404


def test_the_command_line_and_the_api_settle_and_refuse_a_second_time(app: Flask, tmp_path: Path) -> None:
    first, second = obligation_with_contributions(), obligation_with_contributions()
    file = tmp_path / "settle.json"
    file.write_text(json.dumps({"coordinator": COORDINATOR, **AGREED}))
    runner = app.test_cli_runner()
    done = runner.invoke(args=["sroi", "settle", "--obligation", str(first.id), "--json", str(file)])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["shortfall"] == "6515.44"
    again = runner.invoke(args=["sroi", "settle", "--obligation", str(first.id), "--json", str(file)])
    assert again.exit_code != 0 and "al afgerekend" in again.stderr
    api = app.test_client()
    assert api.post(f"/api/v1/obligations/{second.id}/settlement", json=AGREED).status_code == 401
    login(api, CONTRACTOR)
    assert api.post(f"/api/v1/obligations/{second.id}/settlement", json=AGREED).status_code == 403
    api = app.test_client()
    login(api, COORDINATOR)
    created = api.post(f"/api/v1/obligations/{second.id}/settlement", json=AGREED)
    assert created.status_code == 201 and created.get_json()["realised"] == "13484.56"
    assert created.get_json()["per_kind"]["learn_work"] == {"count": 1, "amount": "10000.00"}
    twice = api.post(f"/api/v1/obligations/{second.id}/settlement", json=AGREED)
    assert twice.status_code == 400 and "al afgerekend" in twice.get_json()["error"]["message"]
    assert api.post(f"/api/v1/obligations/{second.id}/settlement", json={"consequence": "maybe"}).status_code == 400
    assert api.get(f"/api/v1/obligations/{second.id}/settlement").get_json()["id"] == created.get_json()["id"]
    paths = api.get("/api/v1/openapi.json").get_json()["paths"]
    assert set(paths["/obligations/{obligation_id}/settlement"]) == {"get", "post"}
    assert count(Settlement) == 2


def test_the_monitor_and_reports_count_obligations_by_status(app: Flask) -> None:
    settled = obligation_with_contributions()  # ended 31-10-2026, settled below
    overdue = obligation_with_contributions()  # ended, not fulfilled, not settled
    obligation_with_contributions(ends_on="2027-12-31")  # open
    obligation_with_contributions(ends_on="2027-12-31", value="100000")  # fulfilled
    settlement.settle(person(COORDINATOR), settled.id, AGREED)
    region = {settled.region_id}
    standings = {s.obligation.id: s.status for s in monitoring.overview(region).standings}
    assert standings[overdue.id] == "overdue" and standings[settled.id] == "settled"
    assert monitoring.overview(region).status_counts == {"open": 1, "overdue": 1, "fulfilled": 1, "settled": 1}
    report = reports.by_status(reports.ReportFilter(frozenset(region)))
    assert {k: report.totals[k] for k in ("open", "overdue", "fulfilled", "settled")} == \
        {"open": 1, "overdue": 1, "fulfilled": 1, "settled": 1}  # fmt: skip
    with clock.frozen(date(2026, 10, 1)):  # decided on the day asked: before its end it was open
        assert {s.obligation.id: s.status for s in monitoring.overview(region).standings}[overdue.id] == "open"
    client = app.test_client()
    login(client, COORDINATOR)
    page = client.get(f"/coordinator/monitor?regio={settled.region_id}").get_data(as_text=True)
    assert "verlopen, niet afgerekend" in page and f"/coordinator/verplichtingen/{settled.id}/afrekening" in page
    shown = client.get("/coordinator/rapportages?weergave=status&lang=en").get_data(as_text=True)
    assert "overdue, not settled" in shown


@pytest.mark.browser
@pytest.mark.parametrize("language", ["nl", "en"])
def test_settlement_and_impact_pages_in_the_browser_axe_clean_keyboard_and_390_pixels(app: Flask, language: str) -> None:
    from tests.browser import axe_violations, chromium, live_server, require_chromium
    from tests.factories import PASSWORD

    require_chromium()
    obligation = obligation_with_contributions()
    found = []
    with live_server(app) as base, chromium() as context:
        page = context.new_page()

        def sign_in(email: str) -> None:
            page.goto(f"{base}/inloggen?lang={language}")
            page.fill("#email", email)
            page.fill("#password", PASSWORD)
            page.press("#password", "Enter")
            page.wait_for_load_state()

        sign_in(COORDINATOR)
        path = f"/coordinator/verplichtingen/{obligation.id}/afrekening"
        for shown in (path, "/coordinator/monitor", *(f"/coordinator/rapportages?weergave={view}"
                      for view in ("status", "impact", "impact_contractor"))):  # fmt: skip
            page.goto(base + shown)
            assert page.locator("main h1").count() == 1, shown
            found += [(shown, violation) for violation in axe_violations(page)]
        page.goto(base + path)
        page.focus("#gevolg-compensation")
        page.keyboard.press("Space")
        page.focus("#afspraak")
        page.keyboard.type("Compensatie volgens art. 7")
        page.focus("#bedrag")
        page.keyboard.type("6515,44")
        page.focus("main form button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("a[href$='taal=en']").count() == 1, page.inner_text("main")[:1500]
        found += [(path + " (settled)", violation) for violation in axe_violations(page)]
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        context.clear_cookies()
        sign_in(CONTRACTOR)
        impact_path = f"/opdrachtnemer/verplichtingen/{obligation.id}/impact"
        page.goto(base + impact_path)
        found += [(impact_path, violation) for violation in axe_violations(page)]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert settlement.current(obligation.id).consequence_cents == 651544
    assert found == [], found
