"""Issue 24, the plan: a contractor's planned contributions per contract year, valued under the
obligation's rule set; the coordinator's decision (approve, or ask changes with a reason) as a
conversation that holds against a second decision; progress per year and "at risk" against the
plan on the monitor; reporting deadlines with reminders (never twice) and "overdue"; the command
line, the API, the supplier ranking's one click and the pages. Real database, real services."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core import clock
from marketplace.core.audit_model import AuditLogEntry
from marketplace.core.extensions import db
from marketplace.sroi.models import Obligation
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.plans import changes, deadlines, overview
from marketplace.sroi.plans import services as plans
from marketplace.sroi.plans.models import Plan, ProgressReport
from marketplace.sroi.reports import monitoring, reminders
from marketplace.sroi.reports import services as sroi_reports
from marketplace.sroi.review import decisions
from marketplace.sroi.rulesets import services as sroi_rulesets
from matching.sroi.monitoring import Thresholds
from matching.sroi.plan_progress import behind_plan, contract_years, planned_by
from tests.browser import axe_violations, chromium, live_server, require_chromium
from tests.factories import PASSWORD, code, csrf_token, ingest, last_mail_to, login, outbox, post_form, user

CONTRACTOR = "bouw@aannemer.example"
COORDINATOR = "twente@regio.example"
OTHER_COORDINATOR = "utrecht@regio.example"


def person(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


@pytest.fixture
def world(app) -> dict:
    ingest(code("uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=["11111111"], valid_from=date(2021, 3, 12)))
    user(CONTRACTOR, "contractor")
    user(COORDINATOR, "coordinator", regions=("Twente",))
    user(OTHER_COORDINATOR, "coordinator", regions=("Midden-Utrecht",))
    oost = {**sroi_rulesets.version_row("oost-nederland-bouwblokken-v05").data, "fulltime_hours_per_week": 36}
    sroi_rulesets.save_version(oost, None, "voltijd 36 uur")
    db.session.commit()
    # Today is 2026-11-01 (tests/conftest.py): the contract's second year, two months before its end.
    obligation = obligations.create_obligation(person(CONTRACTOR), {
        "title": "Renovatie stadhuis", "contracting_authority": "Gemeente Enschede", "contract_value_excl_vat": "1000000",
        "starts_on": "2025-01-01", "ends_on": "2026-12-31", "region": "Twente", "needs": "schoonmaak van kantoren",
        "cpv": ["90910000"]})  # fmt: skip
    return {"obligation": obligation, "id": obligation.id}


def purchases(amount_per_year: str) -> dict:
    return {"lines": [
        {"year": 1, "kind": "purchase", "supplier": "11111111", "amount_excl_vat": amount_per_year},
        {"year": 2, "kind": "purchase", "supplier": "11111111", "amount_excl_vat": amount_per_year},
    ], "note": "inkoop schoonmaak bij De Uil"}  # fmt: skip


def approved_purchase(obligation: Obligation, number: str, amount: str, day: str = "2025-06-01") -> None:
    added = obligations.add_contribution(obligation, {"kind": "purchase", "supplier": "11111111", "invoice_number": number,
                                                      "invoice_date": day, "amount_excl_vat": amount})  # fmt: skip
    decisions.approve(person(COORDINATOR), added.contribution.id)


def test_contract_years_and_what_a_plan_expects_by_a_day() -> None:
    years = contract_years(date(2025, 3, 15), date(2027, 6, 30))
    assert years == [(date(2025, 3, 15), date(2026, 3, 14)), (date(2026, 3, 15), date(2027, 3, 14)),
                     (date(2027, 3, 15), date(2027, 6, 30))]  # fmt: skip
    plan = {1: Decimal("3650.00"), 2: Decimal("3650.00")}
    assert planned_by(plan, date(2025, 1, 1), date(2026, 12, 31), date(2024, 6, 1)) == Decimal("0.00")
    assert planned_by(plan, date(2025, 1, 1), date(2026, 12, 31), date(2025, 1, 10)) == Decimal("100.00")
    assert planned_by(plan, date(2025, 1, 1), date(2026, 12, 31), date(2026, 1, 10)) == Decimal("3750.00")
    assert planned_by(plan, date(2025, 1, 1), date(2026, 12, 31), date(2027, 1, 1)) == Decimal("7300.00")
    limits = Thresholds(Decimal("0.50"), Decimal("0.25"))
    late = date(2026, 11, 1)
    behind = behind_plan(Decimal("1000"), Decimal("499"), date(2025, 1, 1), date(2026, 12, 31), late, limits)
    assert behind is not None and behind.params["of_plan"] == "49"
    assert behind_plan(Decimal("1000"), Decimal("500"), date(2025, 1, 1), date(2026, 12, 31), late, limits) is None
    early = date(2025, 6, 1)  # far behind, but most of the period is still to come
    assert behind_plan(Decimal("1000"), Decimal("0"), date(2025, 1, 1), date(2026, 12, 31), early, limits) is None


def test_a_plan_is_valued_per_year_under_the_obligations_rule_set(world) -> None:
    obligation = world["obligation"]
    plan = plans.propose(obligation, person(CONTRACTOR), {"lines": [
        {"year": 1, "kind": "hire", "block": "werkervaringsplek_proefplaatsing", "hours_per_week": 36, "months": 6},
        {"year": 2, "kind": "purchase", "supplier": "11111111", "amount_excl_vat": "12000"},
        {"year": 2, "kind": "activity", "hours": 10},
    ]})  # fmt: skip
    assert (plan.version, plan.status, plan.ruleset_id) == (1, "proposed", "oost-nederland-bouwblokken-v05")
    assert [line.planned_cents for line in plan.lines][:2] == [450_000, 1_200_000]  # 6 x 750, 100% of the invoice
    assert plan.total_cents == sum(line.planned_cents for line in plan.lines)
    assert plan.lines[0].reasons and plan.lines[0].reasons[0]["code"].startswith("sroi.")


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ({"year": 1, "kind": "hire", "block": "leerwerkplek_bbl", "hours_per_week": 36}, "Bouwblok leerwerkplek_bbl bestaat niet"),
        ({"year": 3, "kind": "activity", "hours": 5}, "Kies een contractjaar van 1 tot en met 2"),
        ({"year": 1, "kind": "purchase", "supplier": "onbekend-bedrijf", "amount_excl_vat": "10"}, "onbekend-bedrijf"),
        ({"year": 1, "kind": "hire", "block": "werkervaringsplek_proefplaatsing", "hours_per_week": 36, "months": 13}, "1 tot en met 12 maanden"),
        ({"year": 1, "kind": "donation"}, "donation"),
    ],
)  # fmt: skip
def test_a_plan_with_a_bad_line_is_refused_whole_and_changes_nothing(world, line, words) -> None:
    good = {"year": 1, "kind": "activity", "hours": 5}
    with pytest.raises(plans.PlanRefused) as refused:
        plans.propose(world["obligation"], person(CONTRACTOR), {"lines": [good, line]})
    assert str(refused.value).startswith("Regel 2 van het plan:") and words in str(refused.value)
    assert db.session.scalar(select(func.count()).select_from(Plan)) == 0


def test_another_rule_sets_block_is_refused(world) -> None:
    # A Utrecht building block in a Twente (V05) obligation's plan.
    utrecht_block = next(iter(sroi_rulesets.rules("utrecht-bouwblokkenmodel").hires))
    assert utrecht_block not in sroi_rulesets.rules("oost-nederland-bouwblokken-v05").hires
    with pytest.raises(plans.PlanRefused, match="bestaat niet in"):
        plans.propose(world["obligation"], person(CONTRACTOR),
                      {"lines": [{"year": 1, "kind": "hire", "block": utrecht_block, "hours_per_week": 36}]})  # fmt: skip


def test_approval_and_changes_asked_are_a_conversation_that_holds(app, world) -> None:
    obligation, coordinator = world["obligation"], person(COORDINATOR)
    first = plans.propose(obligation, person(CONTRACTOR), purchases("10000"))
    assert "Nieuw SROI-plan om te beoordelen" in last_mail_to(app, COORDINATOR)["Subject"]
    with pytest.raises(plans.PlanRefused, match="Geef een reden"):
        plans.ask_changes(first.id, coordinator, "  ")
    with pytest.raises(LookupError):  # another region's coordinator does not see it
        plans.approve(first.id, person(OTHER_COORDINATOR))
    plans.ask_changes(first.id, coordinator, "Plan ook aanstellingen in jaar 2.")
    mail = last_mail_to(app, CONTRACTOR)
    assert "Wijzigingen gevraagd" in mail["Subject"] and "Plan ook aanstellingen in jaar 2." in mail.get_content()
    with pytest.raises(plans.PlanRefused, match="al beslist"):  # a second decision is refused, never applied
        plans.approve(first.id, coordinator)
    second = plans.propose(obligation, person(CONTRACTOR), purchases("15000"))
    db.session.refresh(first)
    # The new proposal replaces the one with changes asked; both versions are kept.
    assert (first.status, second.version, second.status) == ("replaced", 2, "proposed")
    assert [p.status for p in plans.versions(obligation.id)] == ["proposed", "replaced"]
    plans.approve(second.id, coordinator, "Akkoord.")
    assert plans.in_force(obligation.id).id == second.id
    with pytest.raises(plans.PlanRefused):
        plans.ask_changes(second.id, coordinator, "toch niet")
    actions = db.session.scalars(select(AuditLogEntry.action).where(AuditLogEntry.subject_type == "obligation")).all()
    assert actions == ["plan.proposed", "plan.changes_asked", "plan.proposed", "plan.approved"]
    said = [(m.side, m.action, m.body) for m in plans.messages([first.id, second.id])]
    assert said[1] == ("coordinator", "changes_asked", "Plan ook aanstellingen in jaar 2.")


def test_a_new_proposal_replaces_a_waiting_one_and_versions_are_kept(world) -> None:
    obligation = world["obligation"]
    first = plans.propose(obligation, person(CONTRACTOR), purchases("10000"))
    second = plans.propose(obligation, person(CONTRACTOR), purchases("11000"))
    db.session.refresh(first)
    assert (first.status, second.status, second.version) == ("replaced", "proposed", 2)
    with pytest.raises(plans.PlanRefused):  # the replaced version cannot be approved any more
        plans.approve(first.id, person(COORDINATOR))


def test_progress_per_year_and_at_risk_judged_against_the_plan(app, world) -> None:
    obligation, coordinator = world["obligation"], person(COORDINATOR)
    approved_purchase(obligation, "F-1", "20000")  # 40% of the required 50.000: at risk against the total
    standing = monitoring.overview({obligation.region_id}).standings[0]
    assert standing.risk is not None and standing.risk.code == "monitor.at_risk"
    plan = plans.propose(obligation, person(CONTRACTOR), purchases("12000"))
    plans.approve(plan.id, coordinator)
    # The plan expects 12.000 + 12.000 x 305/365 = 22.027,40 by 1 November 2026: 20.000 is 90% of that.
    standing = monitoring.overview({obligation.region_id}).standings[0]
    assert standing.planned_due == Decimal("22027.40") and standing.risk is None
    life = overview.of(obligation)
    assert [(y.number, y.planned, y.approved) for y in life.progress.years] == [
        (1, Decimal("12000"), Decimal("20000")), (2, Decimal("12000"), Decimal("0"))]  # fmt: skip
    assert life.progress.required == Decimal("50000.00") and life.progress.planned_total == Decimal("24000")
    # An ambitious plan: 60% approved of the total is fine, but far behind this plan.
    approved_purchase(obligation, "F-2", "10000", "2026-02-01")
    big = plans.propose(obligation, person(CONTRACTOR), purchases("40000"))
    plans.approve(big.id, coordinator)
    standing = monitoring.overview({obligation.region_id}).standings[0]
    assert standing.risk is not None and standing.risk.code == "monitor.behind_plan"
    assert "loopt achter op het plan" in monitoring_page(app, obligation)


def monitoring_page(app, obligation: Obligation) -> str:  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, COORDINATOR)
    page = client.get("/coordinator/monitor").get_data(as_text=True)
    assert f'href="/coordinator/verplichtingen/{obligation.id}"' in page  # issue 26: rows link to the obligation
    return page


def test_deadlines_reminders_once_and_overdue_until_reported(app, world) -> None:
    obligation, coordinator = world["obligation"], person(COORDINATOR)
    with pytest.raises(plans.PlanRefused, match="niet binnen het contract"):
        deadlines.set_schedule(coordinator, obligation, {"dates": ["2027-03-01"]})
    with pytest.raises(plans.PlanRefused, match="1 tot en met 24"):
        deadlines.set_schedule(coordinator, obligation, {"interval_months": "0"})
    deadlines.set_schedule(coordinator, obligation, {"interval_months": 6, "dates": ["2026-11-10"]})
    days = [d.due_on for d in deadlines.of(obligation)]
    assert days == [date(2025, 7, 1), date(2026, 1, 1), date(2026, 7, 1), date(2026, 11, 10), date(2026, 12, 31)]
    assert deadlines.overdue_since([obligation.id], clock.today()) == {obligation.id: date(2025, 7, 1)}
    standing = monitoring.overview({obligation.region_id}).overdue
    assert [s.overdue_since for s in standing] == [date(2025, 7, 1)]
    # Today is 1 November: the deadline of 10 November is within the reminder window; running the
    # reminders twice the same day sends one mail.
    before = len(outbox(app))
    assert reminders.send_due().deadlines == 1
    assert reminders.send_due().deadlines == 0
    mails = outbox(app)[before:]
    assert [m["To"] for m in mails if "Voortgangsrapportage" in m["Subject"]] == [CONTRACTOR]
    assert any("uiterlijk 10 nov 2026: Renovatie stadhuis" in m["Subject"] for m in mails)
    # The contractor confirms the open periods one by one; each once.
    owner = person(CONTRACTOR)
    for expected in (date(2025, 7, 1), date(2026, 1, 1), date(2026, 7, 1)):
        assert deadlines.confirm_report(owner, obligation).due_on == expected
    assert deadlines.overdue_since([obligation.id], clock.today()) == {}
    assert deadlines.confirm_report(owner, obligation).due_on == date(2026, 11, 10)  # its period has begun
    with pytest.raises(plans.PlanRefused, match="geen rapportage"):  # the last period has not begun
        deadlines.confirm_report(owner, obligation)
    assert db.session.scalar(select(func.count()).select_from(ProgressReport)) == 4
    with clock.frozen(date(2026, 12, 20)):  # the last deadline: one reminder, then none
        assert reminders.send_due().deadlines == 1
        assert reminders.send_due().deadlines == 0
        assert deadlines.confirm_report(owner, obligation).due_on == date(2026, 12, 31)
    with clock.frozen(date(2027, 1, 5)):
        assert deadlines.overdue_since([obligation.id], clock.today()) == {}


def test_the_contractor_confirms_a_report_by_button(app, client, world) -> None:
    deadlines.set_schedule(person(COORDINATOR), world["obligation"], {"interval_months": 12})
    login(client, CONTRACTOR)
    page = f"/opdrachtnemer/verplichtingen/{world['id']}"
    shown = client.get(page).get_data(as_text=True)
    assert "te laat" in shown and "Voortgangsrapportage bevestigen" in shown
    answer = post_form(client, f"{page}/rapportage", {}, page=page, follow_redirects=True)
    assert "Uw voortgangsrapportage tot 01-01-2026 is bevestigd." in answer.get_data(as_text=True)


def test_the_contractor_proposes_by_form_and_the_coordinator_decides_on_the_obligation_page(app, world) -> None:
    contractor, coordinator = app.test_client(), app.test_client()
    login(contractor, CONTRACTOR)
    form_page = f"/opdrachtnemer/verplichtingen/{world['id']}/plan"
    assert contractor.get(form_page).status_code == 200
    bad = post_form(contractor, form_page, {"regel-0-jaar": "1", "regel-0-soort": "hire", "regel-0-bouwblok": "",
                                            "regel-0-uren_per_week": "36"})  # fmt: skip
    assert bad.status_code == 400 and "Regel 1 van het plan" in bad.get_data(as_text=True)
    sent = post_form(contractor, form_page, {
        "regel-0-jaar": "1", "regel-0-soort": "hire", "regel-0-bouwblok": "werkervaringsplek_proefplaatsing",
        "regel-0-uren_per_week": "36", "regel-0-maanden": "12",
        "regel-1-jaar": "2", "regel-1-soort": "purchase", "regel-1-leverancier": "11111111", "regel-1-bedrag": "5000",
        "regel-2-jaar": "1", "regel-2-soort": "", "toelichting": "Eerste voorstel"}, follow_redirects=True)  # fmt: skip
    assert "Uw plan is verstuurd" in sent.get_data(as_text=True)
    plan = plans.latest(world["id"])
    assert [(line.year, line.kind, line.planned_cents) for line in plan.lines] == [(1, "hire", 900_000), (2, "purchase", 500_000)]
    login(coordinator, COORDINATOR)
    page = f"/coordinator/verplichtingen/{world['id']}"
    shown = coordinator.get(page).get_data(as_text=True)
    assert "Werkervaringsplek" in shown and "werkervaringsplek_proefplaatsing" not in shown
    assert "Eerste voorstel" in shown and "Plan goedkeuren" in shown
    asked = post_form(coordinator, f"{page}/plan/{plan.id}", {"besluit": "wijzigen", "toelichting": ""}, page=page)
    assert asked.status_code == 400 and "Geef een reden" in asked.get_data(as_text=True)
    post_form(coordinator, f"{page}/plan/{plan.id}", {"besluit": "goedkeuren", "toelichting": "Prima"}, page=page)
    again = post_form(coordinator, f"{page}/plan/{plan.id}", {"besluit": "wijzigen", "toelichting": "x"}, page=page)
    assert again.status_code == 400 and "al beslist" in again.get_data(as_text=True)
    assert plans.in_force(world["id"]).id == plan.id
    # Region check: Utrecht's coordinator gets the same answer as for a missing obligation.
    other = app.test_client()
    login(other, OTHER_COORDINATOR)
    assert other.get(page).status_code == 404 and other.get("/coordinator/verplichtingen/999999").status_code == 404
    assert contractor.get(page).status_code == 403


def test_a_purchase_joins_the_plan_from_the_supplier_ranking_in_one_click(app, client, world) -> None:
    login(client, CONTRACTOR)
    ranking = f"/opdrachtnemer/verplichtingen/{world['id']}/leveranciers"
    page = client.get(ranking).get_data(as_text=True)
    assert "Opnemen in plan" in page
    added = post_form(client, f"/opdrachtnemer/verplichtingen/{world['id']}/plan/inkoop",
                      {"leverancier": "schoonmaakbedrijf-de-uil", "bedrag": "7500.00"}, page=ranking,
                      follow_redirects=True)  # fmt: skip
    text = added.get_data(as_text=True)
    assert "De inkoop staat in uw concept-plan" in text and 'value="7500.00"' in text
    draft = plans.draft_of(world["id"])
    assert [(line.year, line.kind, line.amount_cents) for line in draft.lines] == [(2, "purchase", 750_000)]
    assert plans.latest(world["id"]) is None  # a draft is not a version and not sent


def test_plan_set_on_the_command_line(app, world, tmp_path: Path) -> None:
    runner = app.test_cli_runner()

    def run(data: object, obligation_id: int = world["id"]):  # type: ignore[no-untyped-def]
        path = tmp_path / f"plan-{len(list(tmp_path.iterdir()))}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        result = runner.invoke(args=["sroi", "plan", "set", "--obligation", str(obligation_id), "--json", str(path)])
        db.session.remove()
        return result

    done = run(purchases("10000"))
    assert done.exit_code == 0, done.output
    shown = json.loads(done.output)
    assert (shown["version"], shown["status"], shown["total"]) == (1, "proposed", "20000.00")
    assert shown["lines"][0]["supplier"] == "schoonmaakbedrijf-de-uil"
    refused = run({"lines": [{"year": 1, "kind": "hire", "block": "bestaat_niet", "hours_per_week": 36}]})
    assert refused.exit_code != 0 and "Bouwblok bestaat_niet bestaat niet" in refused.output
    assert run({"lines": []}).exit_code != 0
    assert run(purchases("1"), obligation_id=999999).exit_code != 0


def test_plan_through_the_api(app, client, world) -> None:
    url = f"/api/v1/obligations/{world['id']}/plan"
    assert client.post(url, json=purchases("10000")).status_code == 401
    login(client, CONTRACTOR)
    created = client.post(url, json=purchases("10000"))
    assert created.status_code == 201 and created.get_json()["total"] == "20000.00"
    bad = client.post(url, json={"lines": [{"year": 1, "kind": "hire", "block": "bestaat_niet", "hours_per_week": "36"}]})
    assert bad.status_code == 400 and "bestaat niet" in bad.get_json()["error"]["message"]
    assert client.post(url, json={"lines": "veel"}).status_code == 400
    assert client.post("/api/v1/obligations/999999/plan", json=purchases("1")).status_code == 404
    document = client.get("/api/v1/openapi.json").get_json()
    assert "/obligations/{obligation_id}/plan" in document["paths"] and "PlanIn" in document["components"]["schemas"]


def test_the_council_report_shows_plan_and_figures_per_obligation(world) -> None:
    obligation = world["obligation"]
    plan = plans.propose(obligation, person(CONTRACTOR), purchases("12000"))
    plans.approve(plan.id, person(COORDINATOR))
    report = sroi_reports.build("obligation", sroi_reports.ReportFilter(frozenset({obligation.region_id})))
    row = report.rows[0]
    assert (row["required_now"], row["planned"], row["planned_due"]) == (5_000_000, 2_400_000, 2_202_740)
    assert row["value_original"] == row["value_now"] == 100_000_000


def test_english_reader_gets_the_plan_page_in_english(app, client, world) -> None:
    login(client, CONTRACTOR)
    page = client.get(f"/opdrachtnemer/verplichtingen/{world['id']}/plan?lang=en").get_data(as_text=True)
    assert "Contract year" in page and "Send plan" in page and "Contractjaar" not in page
    assert csrf_token(client, f"/opdrachtnemer/verplichtingen/{world['id']}/plan")


def _sign_in(page, base: str, email: str, language: str = "nl") -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/inloggen?lang={language}")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_load_state()
    page.goto(f"{base}/taal/{language}")  # the choice is kept for the session (after redirects too)


@pytest.mark.browser
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_new_pages_are_axe_clean_usable_at_390_pixels_and_by_keyboard(app, world, language: str) -> None:
    require_chromium()
    obligation = world["obligation"]
    plans.propose(obligation, person(CONTRACTOR), purchases("12000"))
    deadlines.set_schedule(person(COORDINATOR), obligation, {"interval_months": 6})
    changes.apply(person(COORDINATOR), obligation, {"kind": "extra_work", "amount_excl_vat": "10000", "reason": "Meer"})
    found = []
    with live_server(app) as base, chromium() as context:
        page = context.new_page()
        _sign_in(page, base, CONTRACTOR, language)
        for path in (f"/opdrachtnemer/verplichtingen/{obligation.id}", f"/opdrachtnemer/verplichtingen/{obligation.id}/plan"):
            page.goto(f"{base}{path}?lang={language}")
            assert page.locator("main h1").count() == 1, path
            found += [(path, v) for v in axe_violations(page)]
        with chromium() as coordinator:
            other = coordinator.new_page()
            _sign_in(other, base, COORDINATOR, language)
            path = f"/coordinator/verplichtingen/{obligation.id}"
            other.goto(f"{base}{path}?lang={language}")
            found += [(path, v) for v in axe_violations(other)]
            other.set_viewport_size({"width": 390, "height": 844})
            other.goto(f"{base}{path}?lang={language}")
            assert other.evaluate("document.documentElement.scrollWidth") <= 390
            # Keyboard only: from the explanation field, Tab reaches "approve"; Enter decides.
            other.locator("#toelichting").fill("Akkoord" if language == "nl" else "Agreed")
            other.locator("#toelichting").focus()
            other.keyboard.press("Tab")
            approve = "Plan goedkeuren" if language == "nl" else "Approve plan"
            assert other.evaluate("document.activeElement.textContent") == approve
            with other.expect_navigation():
                other.keyboard.press("Enter")
            done = "Het plan is goedgekeurd." if language == "nl" else "The plan has been approved."
            assert done in other.inner_text("main")
    assert found == [], json.dumps(found, indent=1)
    assert plans.in_force(obligation.id) is not None
