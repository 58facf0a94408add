"""Issue 24, the contract as it really runs: meerwerk, minderwerk and extensions change the
contract value and end date and the required amount follows; each change keeps its date,
reason and maker and goes in the audit log; pages and the council report show the original and
the current figures; a change ending the contract before it started, or making the value zero
or negative, is refused and changes nothing. Through the services, the command line, the API
and the coordinator's page, on the real database."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from marketplace.accounts.models import User
from marketplace.core.audit_model import AuditLogEntry
from marketplace.core.extensions import db
from marketplace.sroi.models import Obligation
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.plans import changes
from marketplace.sroi.plans.models import ContractChange
from marketplace.sroi.plans.services import PlanRefused
from marketplace.sroi.reports import monitoring
from marketplace.sroi.reports import services as sroi_reports
from tests.factories import login, post_form, user

CONTRACTOR = "bouw@aannemer.example"
COORDINATOR = "twente@regio.example"
OTHER_COORDINATOR = "utrecht@regio.example"


def person(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


@pytest.fixture
def contract(app) -> Obligation:
    user(CONTRACTOR, "contractor")
    user(COORDINATOR, "coordinator", regions=("Twente",))
    user(OTHER_COORDINATOR, "coordinator", regions=("Midden-Utrecht",))
    return obligations.create_obligation(person(CONTRACTOR), {
        "title": "Renovatie stadhuis", "contracting_authority": "Gemeente Enschede", "contract_value_excl_vat": "1000000",
        "starts_on": "2026-01-01", "ends_on": "2027-12-31", "region": "Twente"})  # fmt: skip


def stored(obligation_id: int) -> tuple[int, date]:
    db.session.expire_all()
    found = db.session.get(Obligation, obligation_id)
    return found.contract_value_cents, found.ends_on


def test_extra_work_less_work_and_an_extension_move_the_required_amount(contract) -> None:
    coordinator = person(COORDINATOR)
    assert obligations.progress(contract).required == Decimal("50000.00")
    changes.apply(coordinator, contract, {"kind": "extra_work", "amount_excl_vat": "200000", "agreed_on": "2026-06-01",
                                          "reason": "Extra vleugel"})  # fmt: skip
    assert obligations.progress(contract).required == Decimal("60000.00")
    changes.apply(coordinator, contract, {"kind": "less_work", "amount_excl_vat": "50.000,00", "reason": "Minder ramen"})
    changes.apply(coordinator, contract, {"kind": "extension", "ends_on": "2028-06-30", "reason": "Vertraging"})
    assert stored(contract.id) == (115_000_000, date(2028, 6, 30))
    history = changes.history(contract)
    assert (history.original.value_cents, history.original.ends_on, history.original.required) == (
        100_000_000, date(2027, 12, 31), Decimal("50000.00"))  # fmt: skip
    assert (history.current.value_cents, history.current.required) == (115_000_000, Decimal("57500.00"))
    assert [(c.kind, c.value_before_cents, c.value_after_cents) for c in history.changes] == [
        ("extra_work", 100_000_000, 120_000_000), ("less_work", 120_000_000, 115_000_000),
        ("extension", 115_000_000, 115_000_000)]  # fmt: skip
    assert history.changes[0].agreed_on == date(2026, 6, 1) and history.changes[0].made_by_id == coordinator.id
    logged = db.session.scalars(select(AuditLogEntry).where(AuditLogEntry.action == "obligation.changed")).all()
    assert len(logged) == 3 and logged[0].actor_id == coordinator.id and logged[0].region_id == contract.region_id
    assert logged[2].details["before"]["ends_on"] == "2027-12-31" and logged[2].details["reason"] == "Vertraging"
    # The monitor reads the current figures.
    assert monitoring.overview({contract.region_id}).standings[0].required == Decimal("57500.00")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"kind": "extension", "ends_on": "2025-12-31", "reason": "x"}, "kan niet eindigen voordat het begon"),
        ({"kind": "less_work", "amount_excl_vat": "1000000", "reason": "x"}, "nul of negatief"),
        ({"kind": "less_work", "amount_excl_vat": "2000000", "reason": "x"}, "nul of negatief"),
        ({"kind": "extra_work", "amount_excl_vat": "-5", "reason": "x"}, "bedrag"),
        ({"kind": "extra_work", "amount_excl_vat": "abc", "reason": "x"}, "bedrag"),
        ({"kind": "extension", "ends_on": "2027-06-30", "reason": "x"}, "na de huidige einddatum"),
        ({"kind": "extension", "reason": "x"}, "einddatum"),
        ({"kind": "extra_work", "amount_excl_vat": "10", "reason": "  "}, "reden"),
        ({"kind": "opzegging", "reason": "x"}, "Kies meerwerk, minderwerk of verlenging"),
        ({"kind": "extension", "ends_on": "31-12-2028", "reason": "x"}, "einddatum"),
    ],
)  # fmt: skip
def test_a_bad_change_is_refused_in_words_and_changes_nothing(contract, data, words) -> None:
    with pytest.raises(Exception) as refused:
        changes.apply(person(COORDINATOR), contract, data)
    assert words in str(refused.value)
    assert stored(contract.id) == (100_000_000, date(2027, 12, 31))
    assert db.session.scalar(select(func.count()).select_from(ContractChange)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditLogEntry)) == 0


def test_only_the_regions_coordinator_records_a_change(contract) -> None:
    for who in (OTHER_COORDINATOR, CONTRACTOR):
        with pytest.raises(LookupError):
            changes.apply(person(who), contract, {"kind": "extra_work", "amount_excl_vat": "10", "reason": "x"})
    assert stored(contract.id) == (100_000_000, date(2027, 12, 31))


def test_a_change_made_on_stale_figures_is_refused(contract) -> None:
    seen = _as_seen(contract.id)  # the figures a page showed when the change was typed
    # Meanwhile another change was stored (a second worker: a plain UPDATE on the table).
    db.session.execute(update(Obligation).where(Obligation.id == contract.id).values(contract_value_cents=90_000_000))
    db.session.commit()
    with pytest.raises(PlanRefused, match="intussen gewijzigd"):
        changes.apply(person(COORDINATOR), seen, {"kind": "extra_work", "amount_excl_vat": "10", "reason": "x"})
    assert stored(contract.id)[0] == 90_000_000
    assert db.session.scalar(select(func.count()).select_from(ContractChange)) == 0


def _as_seen(obligation_id: int) -> Obligation:
    """The obligation as a page read it, detached: it keeps its figures when the row changes."""
    db.session.expire_all()
    found = db.session.get(Obligation, obligation_id)
    db.session.expunge(found)
    return found


def test_obligation_change_on_the_command_line(app, contract, tmp_path: Path) -> None:
    runner = app.test_cli_runner()

    def run(data: dict, obligation_id: int = contract.id):  # type: ignore[no-untyped-def]
        path = tmp_path / f"change-{len(list(tmp_path.iterdir()))}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        result = runner.invoke(args=["sroi", "obligation", "change", "--obligation", str(obligation_id), "--json", str(path)])
        db.session.remove()
        return result

    done = run({"kind": "extra_work", "amount_excl_vat": "100000", "agreed_on": "2026-05-01", "reason": "Meer werk",
                "by": COORDINATOR})  # fmt: skip
    assert done.exit_code == 0, done.output
    shown = json.loads(done.output)
    assert (shown["value_before"], shown["value_after"]) == ("1000000.00", "1100000.00")
    assert shown["original"]["required"] == "50000.00" and shown["current"]["required"] == "55000.00"
    refused = run({"kind": "extension", "ends_on": "2025-01-01", "reason": "x", "by": COORDINATOR})
    assert refused.exit_code != 0 and "kan niet eindigen voordat het begon" in refused.output
    nobody = run({"kind": "extra_work", "amount_excl_vat": "1", "reason": "x", "by": OTHER_COORDINATOR})
    assert nobody.exit_code != 0 and "geen coördinator" in nobody.output
    assert run({"kind": "extra_work", "amount_excl_vat": "1", "reason": "x", "by": COORDINATOR}, 999999).exit_code != 0
    assert stored(contract.id)[0] == 110_000_000


def test_obligation_change_through_the_api(app, client, contract) -> None:
    url = f"/api/v1/obligations/{contract.id}/changes"
    change = {"kind": "extension", "ends_on": "2028-03-31", "reason": "Vertraging door vergunning"}
    assert client.post(url, json=change).status_code == 401
    login(client, CONTRACTOR)
    assert client.post(url, json=change).status_code == 403
    other = app.test_client()
    login(other, OTHER_COORDINATOR)
    assert other.post(url, json=change).status_code == 404
    coordinator = app.test_client()
    login(coordinator, COORDINATOR)
    created = coordinator.post(url, json=change)
    assert created.status_code == 201 and created.get_json()["ends_after"] == "2028-03-31"
    bad = coordinator.post(url, json={"kind": "less_work", "amount_excl_vat": "5000000", "reason": "x"})
    assert bad.status_code == 400 and "nul of negatief" in bad.get_json()["error"]["message"]
    assert coordinator.post(url, json={"kind": "extension", "reason": "x", "ends_on": "morgen"}).status_code == 400
    assert "/obligations/{obligation_id}/changes" in coordinator.get("/api/v1/openapi.json").get_json()["paths"]


def test_pages_and_the_council_report_show_original_and_current_figures(app, contract) -> None:
    coordinator = app.test_client()
    login(coordinator, COORDINATOR)
    page = f"/coordinator/verplichtingen/{contract.id}"
    bad = post_form(coordinator, f"{page}/wijzigingen", {"soort": "extension", "einddatum": "2025-01-01", "reden": "x"},
                    page=page)  # fmt: skip
    assert bad.status_code == 400 and "kan niet eindigen voordat het begon" in bad.get_data(as_text=True)
    done = post_form(coordinator, f"{page}/wijzigingen", {"soort": "extra_work", "bedrag": "250000", "datum": "2026-09-01",
                                                          "reden": "Extra vleugel"}, page=page, follow_redirects=True)  # fmt: skip
    text = done.get_data(as_text=True)
    assert "De contractwijziging is vastgelegd" in text and "Opdrachtwaarde bij de start" in text
    assert "€\xa01.000.000,00" in text and "€\xa01.250.000,00" in text and "Extra vleugel" in text
    owner = app.test_client()
    login(owner, CONTRACTOR)
    mine = owner.get(f"/opdrachtnemer/verplichtingen/{contract.id}").get_data(as_text=True)
    assert "Verplicht bij de start" in mine and "€\xa062.500,00" in mine and "meerwerk" in mine
    report = sroi_reports.build("obligation", sroi_reports.ReportFilter(frozenset({contract.region_id})))
    row = report.rows[0]
    assert (row["value_original"], row["value_now"], row["required_original"], row["required_now"]) == (
        100_000_000, 125_000_000, 5_000_000, 6_250_000)  # fmt: skip
    shown = coordinator.get("/coordinator/rapportages?weergave=obligation").get_data(as_text=True)
    assert "Per verplichting: plan en contractwijzigingen" in shown and "€\xa01.250.000,00" in shown
