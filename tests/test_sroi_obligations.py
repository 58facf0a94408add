"""Obligations and contributions through the real services and the `impactmarkt sroi` commands:
rule sets as versioned data, valuations kept with their version, duplicates and bad input refused."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from marketplace.core.extensions import db
from marketplace.sroi.models import Contribution, Obligation, RegionRuleSet, RuleSetVersion
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.rulesets import services as sroi_rulesets
from tests.factories import code, ingest, pso, senl, user

OBLIGATION = {
    "contractor": "bouw@aannemer.example", "title": "Renovatie stadhuis", "contracting_authority": "Gemeente Enschede",
    "contract_reference": "ENS-2026-014", "contract_value_excl_vat": "1000000", "starts_on": "2026-01-01",
    "ends_on": "2027-12-31", "region": "Twente", "needs": "schoonmaak van kantoren", "cpv": ["90910000"],
}  # fmt: skip


@pytest.fixture
def cli(app, tmp_path: Path):  # type: ignore[no-untyped-def]
    ingest(
        code("uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=["11111111"], valid_from=date(2021, 3, 12)),
        senl("fiets", "Fietsen voor Iedereen", "Zwolle"),
        pso("1-oud", "Oud Groen B.V.", "Hengelo", kvk=("22222222",), valid_from=date(2024, 1, 1), valid_until=date(2026, 3, 14)),
    )  # fmt: skip
    user("bouw@aannemer.example", "contractor")
    runner = app.test_cli_runner()

    def run(*arguments: str, data: dict | None = None):  # type: ignore[no-untyped-def]
        args = list(arguments)
        if data is not None:
            path = tmp_path / f"input-{len(list(tmp_path.iterdir()))}.json"
            path.write_text(json.dumps(data), encoding="utf-8")
            args += ["--json", str(path)]
        result = runner.invoke(args=args)
        db.session.remove()
        return result

    return run


def test_every_region_has_an_explicit_status_and_nothing_stands_in(cli) -> None:
    # Issue 28: its own rule set, the Oost-Nederland convenant where a source ties the region to it
    # (wspregiozwolle.nl, daarwerkenweaan.nl 1 mei 2019, rblmidden-gelre.nl), or "no rule set known".
    defaults = {row.region.name: row for row in db.session.scalars(select(RegionRuleSet))}
    assert len(defaults) == 35
    assert defaults["Rivierenland"].ruleset_id == "rijnvicus-bouwblokken"
    assert defaults["Midden-Utrecht"].ruleset_id == "utrecht-bouwblokkenmodel"
    assert {defaults[r].ruleset_id for r in ("Twente", "Regio Zwolle", "Stedendriehoek en Noordwest Veluwe",
                                             "Midden-Gelderland")} == {"oost-nederland-bouwblokken-v05"}  # fmt: skip
    assert {defaults[r].ruleset_id for r in ("Achterhoek", "Rijk van Nijmegen", "Rijnmond")} == {""}
    # Registered all the same: it waits for the coordinator's choice of rule set (issue 28, round 3).
    waits = cli("sroi", "obligation", "create", data={**OBLIGATION, "region": "Rijnmond"})
    assert waits.exit_code == 0, waits.output
    assert (json.loads(waits.output)["ruleset"], json.loads(waits.output)["waiting_for_ruleset"]) == ("", True)


def test_commands_register_value_and_show_an_obligation(cli) -> None:
    created = cli("sroi", "obligation", "create", data=OBLIGATION)
    assert created.exit_code == 0, created.output
    obligation = json.loads(created.output)
    assert (obligation["required"], obligation["remaining"], obligation["ruleset"]) == ("50000.00", "50000.00", "oost-nederland-bouwblokken-v05")
    purchase = {"kind": "purchase", "supplier": "11111111", "invoice_number": "F-001", "invoice_date": "2026-05-02", "amount_excl_vat": "12000"}
    added = cli("sroi", "contribution", "add", "--obligation", str(obligation["id"]), data=purchase)
    assert added.exit_code == 0, added.output
    valued = json.loads(added.output)
    assert (valued["amount"], valued["counts"], valued["version"]) == ("12000.00", True, 1)
    assert valued["reasons"][0]["text"] == (
        "inkoop bij Code Sociale Ondernemingen (Toegelaten): 100% van €\xa012.000,00 excl. btw = €\xa012.000,00")
    # V05 states no full-time hours: a per-year hire is "onbekend" until the coordinator sets them (issue 28).
    hire = {"kind": "hire", "block": "participatiewet_over_2y", "hours_per_week": 18, "start": "2026-01-01", "end": "2026-12-31"}
    unknown = json.loads(cli("sroi", "contribution", "add", "--obligation", str(obligation["id"]), data=hire).output)
    assert unknown["amount"] == "0.00" and unknown["reasons"][0]["text"].endswith("onbekend: uw coördinator stelt dit vast")
    place = {"kind": "hire", "block": "werkervaringsplek_proefplaatsing", "hours_per_week": 18, "start": "2026-01-01", "end": "2026-12-31"}
    assert cli("sroi", "contribution", "add", "--obligation", str(obligation["id"]), data=place).exit_code == 0
    shown = json.loads(cli("sroi", "obligation", "show", str(obligation["id"]), "--json").output)
    # Today is 1 November: the place's months after today are planned, not pending (issue 23).
    assert (shown["counted"], shown["pending"], shown["remaining"]) == ("0.00", "19525.00", "50000.00")
    assert shown["planned"] == "1475.00"
    assert [(c["kind"], c["counted"], c["status"]) for c in shown["contributions"]] == [
        ("purchase", "12000.00", "pending"), ("hire", "0.00", "pending"), ("hire", "9000.00", "pending")]  # fmt: skip
    listed = json.loads(cli("sroi", "rulesets", "list", "--json").output)
    assert {"id": "utrecht-bouwblokkenmodel", "version": 2, "name": listed[2]["name"]} in listed


def test_sroi_value_prints_a_valuation_without_storing_it(cli) -> None:
    expired = {"kind": "purchase", "supplier": "22222222", "invoice_number": "X", "invoice_date": "2026-05-02", "amount_excl_vat": 1000}
    result = cli("sroi", "value", "--ruleset", "utrecht-bouwblokkenmodel@2", data=expired)
    assert result.exit_code == 0, result.output
    valued = json.loads(result.output)
    assert (valued["amount"], valued["counts"], valued["ruleset"], valued["version"]) == ("0.00", False, "utrecht-bouwblokkenmodel", 2)
    assert valued["reasons"][0]["text"] == "PSO (Trede 2) gold tot 14-03-2026, factuurdatum 02-05-2026: telt niet mee"
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == 0


def test_a_contribution_keeps_its_rule_set_version_after_an_edit_until_revalued(cli, app) -> None:
    obligation_id = json.loads(cli("sroi", "obligation", "create", data=OBLIGATION).output)["id"]
    hire = {"kind": "hire", "block": "werkervaringsplek_proefplaatsing", "hours_per_week": 36, "start": "2026-01-01", "end": "2026-12-31"}
    assert json.loads(cli("sroi", "contribution", "add", "--obligation", str(obligation_id), data=hire).output)["amount"] == "9000.00"
    exported = cli("sroi", "rulesets", "export", "oost-nederland-bouwblokken-v05")
    assert exported.exit_code == 0 and "werkervaringsplek_proefplaatsing" in exported.output
    edited = Path(app.instance_path) / "edited.yaml"
    edited.write_text(exported.output.replace("per_month: 750", "per_month: 800"), encoding="utf-8")
    imported = cli("sroi", "rulesets", "import", str(edited), "--why", "nieuwe tabel 2027")
    assert json.loads(imported.output) == {"imported": [{"id": "oost-nederland-bouwblokken-v05", "version": 2}]}
    assert json.loads(cli("sroi", "rulesets", "import", str(edited)).output) == {"imported": []}  # unchanged: no version
    assert db.session.scalar(select(func.count()).select_from(RuleSetVersion).where(
        RuleSetVersion.ruleset_id == "oost-nederland-bouwblokken-v05")) == 2  # fmt: skip
    stored = db.session.scalar(select(Contribution))
    assert (stored.counted_cents, stored.ruleset_version) == (900_000, 1)
    coordinator = user("coordinator@twente.example", "coordinator", regions=("Twente",))
    from marketplace.accounts.models import User

    coordinator = db.session.scalar(select(User).where(User.email == "coordinator@twente.example"))
    obligations.revalue(stored, coordinator, "tabel 2027 geldt ook voor dit contract")
    assert (stored.counted_cents, stored.ruleset_version) == (960_000, 2)


def test_the_same_invoice_counts_once_across_obligations(cli) -> None:
    first = json.loads(cli("sroi", "obligation", "create", data=OBLIGATION).output)["id"]
    second = json.loads(cli("sroi", "obligation", "create", data={**OBLIGATION, "title": "Tweede contract"}).output)["id"]
    purchase = {"kind": "purchase", "supplier": "schoonmaakbedrijf-de-uil", "invoice_number": "F-9", "invoice_date": "2026-05-02", "amount_excl_vat": "500"}
    by_name = {**purchase, "supplier": "  schoonmaakbedrijf de UIL "}  # found by its name too
    assert cli("sroi", "contribution", "add", "--obligation", str(first), data=purchase).exit_code == 0
    again = cli("sroi", "contribution", "add", "--obligation", str(second), data=by_name)
    assert again.exit_code != 0 and "Factuur F-9 van deze leverancier telt al mee" in again.output
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == 1


@pytest.mark.parametrize(
    ("change", "words"),
    [({"contract_value_excl_vat": "-1"}, "groter dan nul"), ({"contract_value_excl_vat": "1e400"}, "groter dan nul"),
     ({"contract_value_excl_vat": "veel"}, "bedrag in euro"), ({"ends_on": "2025-12-31"}, "einddatum ligt voor"),
     ({"region": "Atlantis"}, "Onbekende arbeidsmarktregio"), ({"title": ""}, "Vul de naam van de opdracht in"),
     ({"percentage": "150"}, "tussen 0 en 100"), ({"starts_on": "1-1-2026"}, "datum in")],
)  # fmt: skip
def test_a_bad_obligation_is_refused_with_a_clear_message_and_changes_nothing(cli, change: dict, words: str) -> None:
    result = cli("sroi", "obligation", "create", data={**OBLIGATION, **change})
    assert result.exit_code != 0 and words in result.output, result.output
    assert db.session.scalar(select(func.count()).select_from(Obligation)) == 0


@pytest.mark.parametrize(
    ("contribution", "words"),
    [({"kind": "purchase", "supplier": "99999999", "invoice_number": "1", "invoice_date": "2026-05-02", "amount_excl_vat": 10}, "geen onderneming met een keurmerk"),
     ({"kind": "purchase", "supplier": "11111111", "invoice_number": "1", "invoice_date": "2029-05-02", "amount_excl_vat": 10}, "buiten de looptijd"),
     ({"kind": "purchase", "supplier": "11111111", "invoice_number": "1", "invoice_date": "2026-05-02", "amount_excl_vat": "0.001"}, "hele centen"),
     ({"kind": "hire", "block": "participatiewet_over_2y", "hours_per_week": 99, "start": "2026-01-01", "end": "2026-02-01"}, "uren"),
     ({"kind": "hire", "block": "participatiewet_over_2y", "hours_per_week": 20, "start": "2026-03-01", "end": "2026-02-01"}, "einddatum ligt voor"),
     ({"kind": "hire", "block": "bestaat_niet", "hours_per_week": 20, "start": "2026-01-01", "end": "2026-02-01"}, "Bouwblok bestaat_niet"),
     ({"kind": "gift"}, "Onbekende soort bijdrage")],
)  # fmt: skip
def test_a_bad_contribution_is_refused_with_a_clear_message_and_changes_nothing(cli, contribution: dict, words: str) -> None:
    obligation_id = json.loads(cli("sroi", "obligation", "create", data=OBLIGATION).output)["id"]
    result = cli("sroi", "contribution", "add", "--obligation", str(obligation_id), data=contribution)
    assert result.exit_code != 0 and words in result.output, result.output
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == 0


def test_rule_sets_load_once_and_keep_their_versions(app) -> None:
    assert sroi_rulesets.load_published() == 0
    assert [(r["id"], r["version"]) for r in sroi_rulesets.listing()] == [
        ("oost-nederland-bouwblokken-v05", 1), ("rijnvicus-bouwblokken", 1), ("utrecht-bouwblokkenmodel", 2)]  # fmt: skip
