"""Rules as published, round 3 (issue 28): an obligation in a region without a rule set waits for the
coordinator's choice instead of being refused; regions keep lists of SW companies and learn-work
companies; a counting cap holds per person; an SENL membership counts from a start proven with evidence;
a version waiting for review never values anything. Through the real services, pages and database."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core.audit_model import AuditLogEntry
from marketplace.core.extensions import db
from marketplace.core.geography import LabourMarketRegion
from marketplace.core.reasons import explain
from marketplace.core.refusals import ServiceError
from marketplace.organisations.models import Organisation
from marketplace.procurement.models import Shortlist
from marketplace.sroi.models import Contribution, Obligation, RegionRuleSet
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.obligations import waiting
from marketplace.sroi.reports.services import label_words
from marketplace.sroi.review import decisions
from marketplace.sroi.rulesets import company_lists
from marketplace.sroi.rulesets import services as sroi_rulesets
from matching.labels import LabelFacts
from matching.sroi import Hire, Purchase, parse, published, value_hire, value_purchase
from matching.sroi.valuation import person_months
from tests.factories import code, csrf_token, ingest, login, senl, user

OOST = "oost-nederland-bouwblokken-v05"
OOST_ENTRY = published()[OOST][0]
RIJNVICUS = "rijnvicus-bouwblokken"
CONTRACT = {"title": "Onderhoud kades", "contracting_authority": "Gemeente Rotterdam", "contract_value_excl_vat": "1000000",
            "starts_on": "2026-01-01", "ends_on": "2029-12-31"}  # fmt: skip


def _owner() -> User:
    user("bouw@aannemer.example", "contractor")
    found = db.session.scalar(select(User).where(User.email == "bouw@aannemer.example"))
    assert found is not None
    return found


def _coordinator(app, region: str):  # type: ignore[no-untyped-def]
    email = f"coordinator@{region.lower().replace(' ', '-')}.example"
    user(email, "coordinator", regions=(region,))
    client = app.test_client()
    login(client, email)
    return client, db.session.scalar(select(User).where(User.email == email))


def _text(page: str) -> str:
    return " ".join(re.sub(r"<[^>]*>", " ", page).replace("&#39;", "'").split())


# --- 1. An obligation in a region without a rule set waits for the coordinator's choice ----------------


def test_an_obligation_without_a_rule_set_is_registered_and_waits_with_its_value_unknown(app) -> None:
    ingest(code("uil", "Schoonmaakbedrijf De Uil", "Rotterdam", kvk=["11111111"], valid_from=date(2021, 3, 12)))
    owner = _owner()
    obligation = obligations.create_obligation(owner, {**CONTRACT, "region": "Rijnmond"})
    assert obligation.ruleset_id == "" and waiting.is_waiting(obligation)
    purchase = obligations.add_contribution(obligation, {"kind": "purchase", "supplier": "11111111", "invoice_number": "F-1",
                                                         "invoice_date": "2026-05-02", "amount_excl_vat": "12000"})  # fmt: skip
    hire = obligations.add_contribution(obligation, {"kind": "hire", "block": "participatiewet_over_2y", "hours_per_week": "36",
                                                     "start": "2026-01-01", "end": "2026-12-31"})  # fmt: skip
    for prepared in (purchase, hire):
        assert (prepared.contribution.counted_cents, prepared.contribution.ruleset_id) == (0, "")
        assert [r.code for r in prepared.valuation.reasons] == ["sroi.waiting_for_ruleset"]
    with app.test_request_context(), force_locale("nl"):
        assert explain(purchase.valuation.reasons[0]).startswith("waarde onbekend: deze verplichting wacht op regelset")
    # Plain words on the contractor's pages, in Dutch and English.
    client = app.test_client()
    login(client, "bouw@aannemer.example")
    page = _text(client.get(f"/opdrachtnemer/verplichtingen/{obligation.id}").get_data(as_text=True))
    assert "Deze verplichting wacht op regelset." in page and "waarde onbekend" in page
    assert "waarde onbekend: wacht op regelset" in _text(
        client.get(f"/opdrachtnemer/bijdragen/{hire.contribution.id}").get_data(as_text=True))
    assert "Voor Rijnmond is nog geen regelset bekend" in page
    english = _text(client.get(f"/opdrachtnemer/verplichtingen/{obligation.id}?lang=en").get_data(as_text=True))
    assert "This obligation is waiting for a rule set." in english and "value unknown" in english
    assert "Wacht op regelset:" in _text(client.get("/opdrachtnemer/").get_data(as_text=True))


def test_the_coordinator_chooses_the_rule_set_then_everything_is_valued_once(app) -> None:
    owner = _owner()
    obligation = obligations.create_obligation(owner, {**CONTRACT, "region": "Rijnmond"})
    hire = obligations.add_contribution(obligation, {"kind": "hire", "block": "ww", "hours_per_week": "20",
                                                     "start": "2026-01-01", "end": "2026-12-31"})  # fmt: skip
    hire_id, obligation_id = hire.contribution.id, obligation.id
    client, coordinator = _coordinator(app, "Rijnmond")
    queue = _text(client.get("/coordinator/wachtrij").get_data(as_text=True))
    assert "Verplichtingen die wachten op regelset (1)" in queue and "Wacht op regelset: waarde onbekend." in queue
    assert "Wacht op regelset" in _text(client.get("/coordinator/monitor").get_data(as_text=True))
    # Nothing to approve while the value is unknown.
    with pytest.raises(ServiceError, match="wacht op regelset"):
        decisions.approve(coordinator, hire_id)
    coordinator_id = coordinator.id
    token = csrf_token(client, "/coordinator/wachtrij")
    chosen = client.post(f"/coordinator/verplichtingen/{obligation.id}/regelset", data={"csrf_token": token, "ruleset": RIJNVICUS})
    assert chosen.status_code == 302
    db.session.remove()
    stored = db.session.get(Contribution, hire_id)
    # rijnvicus.nl: "WW Uitkeringsduur niet van belang € 10.000,-"; its full-time hours are unknown, so
    # the value says "onbekend" (never a silent figure) under the chosen rule set.
    assert (stored.ruleset_id, stored.ruleset_version) == (RIJNVICUS, 1)
    assert [r["code"] for r in stored.reasons] == ["sroi.figure_unknown", "sroi.ruleset_chosen"]
    assert db.session.get(Obligation, obligation_id).ruleset_id == RIJNVICUS
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "sroi.obligation_ruleset"))
    assert entry is not None and entry.details["after"] == RIJNVICUS and entry.actor_id == coordinator_id
    # A second choice is refused and changes nothing.
    again = client.post(f"/coordinator/verplichtingen/{obligation_id}/regelset", data={"csrf_token": token, "ruleset": OOST},
                        follow_redirects=True)  # fmt: skip
    assert "Deze verplichting heeft al een regelset" in again.get_data(as_text=True)
    db.session.remove()
    assert db.session.get(Obligation, obligation_id).ruleset_id == RIJNVICUS
    assert db.session.scalar(select(func.count()).select_from(AuditLogEntry).where(AuditLogEntry.action == "sroi.obligation_ruleset")) == 1
    # Another region's coordinator cannot choose for it.
    other, _ = _coordinator(app, "Twente")
    assert other.post(f"/coordinator/verplichtingen/{obligation_id}/regelset",
                      data={"csrf_token": csrf_token(other, "/coordinator/wachtrij"), "ruleset": OOST}).status_code == 404  # fmt: skip


def test_choosing_the_regions_rule_set_values_the_obligations_that_waited(app) -> None:
    ingest(code("uil", "Schoonmaakbedrijf De Uil", "Rotterdam", kvk=["11111111"], valid_from=date(2021, 3, 12)))
    owner = _owner()
    obligation = obligations.create_obligation(owner, {**CONTRACT, "region": "Rijnmond"})
    assert obligation.percentage_from_ruleset
    purchase = obligations.add_contribution(obligation, {"kind": "purchase", "supplier": "11111111", "invoice_number": "F-1",
                                                         "invoice_date": "2026-05-02", "amount_excl_vat": "12000"})  # fmt: skip
    purchase_id, obligation_id = purchase.contribution.id, obligation.id
    client, _ = _coordinator(app, "Rijnmond")
    region_id = db.session.scalar(select(LabourMarketRegion.id).where(LabourMarketRegion.name == "Rijnmond"))
    token = csrf_token(client, "/coordinator/regelsets")
    response = client.post(f"/coordinator/regelsets/regio/{region_id}", data={"csrf_token": token, "ruleset": OOST},
                           follow_redirects=True)  # fmt: skip
    assert "nu hun waarde hebben: 1" in response.get_data(as_text=True)
    db.session.remove()
    stored = db.session.get(Contribution, purchase_id)
    # V05 (Twente practice, wizzr.nl): the Code register counts; 100% of the invoice excl. VAT.
    assert (stored.ruleset_id, stored.counted_cents) == (OOST, 1200000)
    assert db.session.get(Obligation, obligation_id).percentage == Decimal("5.00")


def test_the_ranking_shows_counting_as_unknown_for_a_waiting_obligation(app) -> None:
    from marketplace.procurement.supplier_matching import need_for

    owner = _owner()
    obligation = obligations.create_obligation(owner, {**CONTRACT, "region": "Rijnmond"})
    need = need_for(obligation)
    assert need.rules is not None and need.rules.labels_unknown and not need.rules.purchases
    with app.test_request_context(), force_locale("en"):
        assert explain({"code": "ranking.counts_unknown", "params": {"ruleset": need.rules.name}}).count("no rule set known") == 1


# --- 2. Regions' lists of SW companies and learn-work companies ----------------------------------------


def test_a_purchase_from_a_company_on_the_regions_sw_list_counts_as_its_table_says(app) -> None:
    # rijnvicus.nl SROI bouwblokkenmethode: "Bij dienstverlening of productie door een SW-bedrijf geldt de
    # waarde van de betaalde rekeningen exclusief btw."
    ingest(code("werkbaan", "Werkbaan Rivierenland", "Tiel", kvk=["33333333"], valid_from=date(2021, 1, 1)))
    owner = _owner()
    obligation = obligations.create_obligation(owner, {**CONTRACT, "contracting_authority": "Gemeente Tiel", "region": "Rivierenland"})
    organisation = db.session.scalar(select(Organisation).where(Organisation.kvk == "33333333"))
    rules = sroi_rulesets.rules(RIJNVICUS)
    facts = obligations.label_facts(organisation)
    before = value_purchase(Purchase(date(2026, 5, 2), Decimal(1000), facts), rules)
    assert before.amount == 0  # the Code label is not what Rijnvicus counts

    client, _ = _coordinator(app, "Rivierenland")
    token = csrf_token(client, "/coordinator/bedrijvenlijsten")
    added = client.post("/coordinator/bedrijvenlijsten", data={"csrf_token": token, "region": obligation.region_id,
                        "kind": "sw_company", "organisation": "33333333", "source": "brief van Rijnvicus, 3 maart 2026"})  # fmt: skip
    assert added.status_code == 302
    listed = company_lists.companies_on_list("rivierenland", "sw_company")
    assert [(c.kvk, c.name, c.organisation_id) for c in listed] == [("33333333", "Werkbaan Rivierenland", organisation.id)]
    assert company_lists.companies_on_list("rivierenland", "learn_work_company") == []
    assert company_lists.companies_on_list("twente", "sw_company") == []
    prepared = obligations.add_contribution(obligation, {"kind": "purchase", "supplier": "33333333", "invoice_number": "R-1",
                                                         "invoice_date": "2026-05-02", "amount_excl_vat": "1000"})  # fmt: skip
    assert prepared.valuation.amount == Decimal("1000.00") and prepared.contribution.counted_label == "list:sw_company"
    with app.test_request_context(), force_locale("nl"):
        assert explain(prepared.valuation.reasons[0]).startswith("inkoop bij SW-bedrijf (op de lijst van de regio): 100%")
    with app.test_request_context(), force_locale("en"):
        assert "SW company (on the region's list)" in explain(prepared.valuation.reasons[0])
    page = _text(client.get("/coordinator/bedrijvenlijsten").get_data(as_text=True))
    assert "Werkbaan Rivierenland · KvK 33333333" in page and "brief van Rijnvicus" in page
    with app.test_request_context(), force_locale("en"):  # reports name the list, never its key
        assert label_words("list:sw_company") == "SW company (sheltered-work company)"
    assert db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "sroi.company_listed")) is not None


def test_a_company_we_do_not_list_goes_on_by_name_and_kvk_and_comes_off_with_a_reason(app) -> None:
    client, coordinator = _coordinator(app, "Rivierenland")
    region_id = db.session.scalar(select(LabourMarketRegion.id).where(LabourMarketRegion.name == "Rivierenland"))
    row = company_lists.add(coordinator, region_id, "learn_work_company", kvk="4444 4444", name="Leerwerkbedrijf Betuwe",
                            source="website van de gemeente")  # fmt: skip
    assert (row.kvk, row.organisation_id) == ("44444444", None)
    assert [c.name for c in company_lists.companies_on_list("rivierenland", "learn_work_company")] == ["Leerwerkbedrijf Betuwe"]
    for bad, code_ in (({"kvk": "123", "name": "X", "source": "s"}, "companies.bad_kvk"),
                       ({"kvk": "44444444", "name": "Leerwerkbedrijf Betuwe", "source": "s"}, "companies.already_listed"),
                       ({"kvk": "55555555", "name": "Y", "source": " "}, "companies.source_needed"),
                       ({"organisation": "bestaat-niet", "source": "s"}, "companies.unknown_organisation")):  # fmt: skip
        with pytest.raises(ServiceError) as refused:
            company_lists.add(coordinator, region_id, "learn_work_company", **bad)
        assert refused.value.reason.code == code_
    assert len(company_lists.companies_on_list("rivierenland", "learn_work_company")) == 1
    # Another region's coordinator may not change Rivierenland's list.
    other, _ = _coordinator(app, "Twente")
    token = csrf_token(other, "/coordinator/bedrijvenlijsten")
    assert other.post("/coordinator/bedrijvenlijsten", data={"csrf_token": token, "region": region_id, "kind": "sw_company",
                      "kvk": "66666666", "name": "Z", "source": "s"}).status_code == 403  # fmt: skip
    assert other.post(f"/coordinator/bedrijvenlijsten/{row.id}/verwijderen", data={"csrf_token": token, "why": "x"}).status_code == 404
    token = csrf_token(client, "/coordinator/bedrijvenlijsten")
    gone = client.post(f"/coordinator/bedrijvenlijsten/{row.id}/verwijderen", data={"csrf_token": token, "why": "failliet"})
    assert gone.status_code == 302 and company_lists.companies_on_list("rivierenland", "learn_work_company") == []
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "sroi.company_unlisted"))
    assert entry is not None and entry.details["why"] == "failliet"
    assert client.post(f"/coordinator/bedrijvenlijsten/{row.id}/verwijderen", data={"csrf_token": token, "why": "x"}).status_code == 404


# --- 3. A counting cap per person, across contributions ------------------------------------------------


def test_a_cap_per_person_holds_across_contributions_in_matching() -> None:
    # impactoost.nl/bouwblokken V05: "Participatiewet > 2 jaar € 40.000 per jaar 2 jaar" (hours set to 36).
    rules = parse({**OOST_ENTRY, "fulltime_hours_per_week": 36})
    first = Hire("participatiewet_over_2y", Decimal(36), date(2026, 1, 1), date(2027, 6, 30))
    second = Hire("participatiewet_over_2y", Decimal(36), date(2027, 7, 1), date(2028, 12, 31))
    assert value_hire(first, rules).amount == Decimal("60000.00")  # 18 months
    before = person_months([first], rules)
    assert before == 18
    capped = value_hire(second, rules, before)
    assert capped.amount == Decimal("20000.00")  # 6 months left of 24
    assert capped.reasons[1].code == "sroi.person_capped" and capped.reasons[1].params["months"] == "6"
    assert value_hire(second, rules, Decimal(24)).amount == 0


def test_two_entries_for_the_same_person_count_the_cap_once_together(app) -> None:
    entry = {**published()[OOST][-1], "fulltime_hours_per_week": 36}
    sroi_rulesets.save_version(entry, None, "uren vastgesteld")  # a published change: approved
    db.session.commit()
    owner = _owner()
    obligation = obligations.create_obligation(owner, {**CONTRACT, "contracting_authority": "Gemeente Enschede", "region": "Twente"})
    hire = {"kind": "hire", "block": "participatiewet_over_2y", "hours_per_week": "36"}
    first = obligations.add_contribution(obligation, {**hire, "start": "2026-01-01", "end": "2027-12-31", "person_reference": "P-7"})
    second = obligations.add_contribution(obligation, {**hire, "start": "2028-01-01", "end": "2029-12-31", "person_reference": "P-7"})
    other = obligations.add_contribution(obligation, {**hire, "start": "2028-01-01", "end": "2029-12-31", "person_reference": "P-8"})
    assert first.valuation.amount == Decimal("80000.00")
    assert second.valuation.amount == 0 and "sroi.person_capped" in [r.code for r in second.valuation.reasons]
    assert other.valuation.amount == Decimal("80000.00")
    # Revaluing the first looks only at what came before it: still two full years.
    _, coordinator = _coordinator(app, "Twente")
    assert obligations.revalue(db.session.get(Contribution, first.contribution.id), coordinator, "controle").valuation.amount == Decimal("80000.00")


# --- 4. SENL: counted from a start proven with evidence ----------------------------------------------


def test_an_senl_membership_counts_from_a_proven_earlier_start() -> None:
    # wizzr.nl (Twente): "Ook de leden van van Social Enterprise NL worden erkend en tellen voor 50% mee".
    oost = parse(OOST_ENTRY)
    member = LabelFacts("senl", "Lid", False, "active", first_seen=date(2026, 12, 2))
    seen_only = value_purchase(Purchase(date(2026, 6, 1), Decimal(1000), (member,)), oost)
    proven = value_purchase(Purchase(date(2026, 6, 1), Decimal(1000), (member,), date(2025, 1, 1)), oost)
    assert seen_only.amount == 0 and proven.amount == Decimal("500.00")
    assert proven.reasons[1].code == "sroi.senl_member_proven"
    assert proven.reasons[1].params == {"since": "2025-01-01", "known_since": "2026-12-02"}
    later = value_purchase(Purchase(date(2026, 6, 1), Decimal(1000), (member,), date(2026, 7, 1)), oost)
    assert later.amount == 0  # a start after the invoice proves nothing


def test_a_proven_senl_start_needs_evidence_and_the_reason_says_whose(app) -> None:
    ingest(senl("fiets", "Fietsen voor Iedereen", "Zwolle", kvk=["77777777"]))
    owner = _owner()
    obligation = obligations.create_obligation(owner, {**CONTRACT, "contracting_authority": "Gemeente Zwolle", "region": "Regio Zwolle"})
    purchase = {"kind": "purchase", "supplier": "77777777", "invoice_number": "S-1", "invoice_date": "2026-06-01",
                "amount_excl_vat": "1000", "senl_member_since": "2025-01-01"}  # fmt: skip
    with pytest.raises(ServiceError, match="bewijsstuk"):
        obligations.add_contribution(obligation, purchase)
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == 0
    prepared = obligations.add_contribution(obligation, purchase, "bewijs.pdf")
    assert prepared.valuation.amount == Decimal("500.00")
    with app.test_request_context(), force_locale("nl"):
        assert explain(prepared.valuation.reasons[1]) == (
            "lid van Social Enterprise NL sinds 01-01-2025, volgens het bewijsstuk van de opdrachtnemer"
            " (bij ons bekend sinds 01-11-2026)"
        )
    plain = obligations.add_contribution(obligation, {**purchase, "invoice_number": "S-2", "senl_member_since": ""})
    assert plain.valuation.amount == 0  # from the day we first saw it: 01-11-2026


# --- 5. A version waiting for review never values anything -------------------------------------------


def test_a_pending_version_is_never_used_for_valuation(app) -> None:
    _, coordinator = _coordinator(app, "Twente")
    entry = published()[OOST][-1]
    changed = {**entry, "hires": [{**block, "per_month": 9999} if block["block"] == "werkervaringsplek_proefplaatsing" else block
                                  for block in entry["hires"]]}  # fmt: skip
    pending = sroi_rulesets.save_version(changed, coordinator, "hoger")
    db.session.commit()
    assert pending is not None and pending.review_status == "pending"
    assert sroi_rulesets.rules(OOST).version == pending.version - 1
    with pytest.raises(ServiceError, match="goedgekeurde versie"):
        sroi_rulesets.rules(OOST, pending.version)
    owner = _owner()
    obligation = obligations.create_obligation(owner, {**CONTRACT, "contracting_authority": "Gemeente Enschede", "region": "Twente"})
    # V05: "Werkervaringsplek/proefplaatsing € 750 per maand": the figure in force, never the pending 9999.
    place = obligations.add_contribution(obligation, {"kind": "hire", "block": "werkervaringsplek_proefplaatsing",
                                                      "hours_per_week": "20", "start": "2026-03-01", "end": "2026-03-31"})  # fmt: skip
    assert place.valuation.amount == Decimal("750.00") and place.contribution.ruleset_version == pending.version - 1


def test_a_rule_set_with_only_a_pending_version_values_nothing_and_cannot_be_chosen(app) -> None:
    _, coordinator = _coordinator(app, "Rijnmond")
    sroi_rulesets.save_version({**OOST_ENTRY, "id": "alleen-wachtend", "name": "Wachtend"}, coordinator, "nieuw")
    db.session.commit()
    with pytest.raises(ServiceError, match="goedgekeurde versie"):
        sroi_rulesets.rules("alleen-wachtend")
    region_id = db.session.scalar(select(LabourMarketRegion.id).where(LabourMarketRegion.name == "Rijnmond"))
    with pytest.raises(ServiceError, match="goedgekeurde versie"):
        sroi_rulesets.choose_region_default(coordinator, region_id, "alleen-wachtend")
    assert db.session.get(RegionRuleSet, region_id).ruleset_id == ""


def test_the_columns_nothing_read_are_gone() -> None:
    assert "stand_in" not in RegionRuleSet.__table__.c
    assert not {"shared", "colleagues_domain"} & set(Shortlist.__table__.c.keys())


# --- The pages in a real browser: WCAG 2.1 AA, both languages, 390 px ---------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_waiting_and_region_list_pages_have_no_wcag_violations(app, language: str) -> None:
    from tests.browser import axe_violations, chromium, htmlcs_errors, live_server, require_chromium
    from tests.factories import PASSWORD

    require_chromium()
    owner = _owner()
    obligation = obligations.create_obligation(owner, {**CONTRACT, "region": "Rijnmond"})
    obligations.add_contribution(obligation, {"kind": "activity", "hours": "3"})
    user("coordinator@rijnmond.example", "coordinator", regions=("Rijnmond",))
    coordinator = db.session.scalar(select(User).where(User.email == "coordinator@rijnmond.example"))
    region_id = obligation.region_id
    company_lists.add(coordinator, region_id, "sw_company", kvk="33333333", name="Werkbedrijf Rijnmond", source="brief")
    found = []
    with live_server(app) as base, chromium() as context:
        for email, paths in (("bouw@aannemer.example", ("/opdrachtnemer/", f"/opdrachtnemer/verplichtingen/{obligation.id}",
                                                        "/opdrachtnemer/verplichtingen/nieuw")),
                             ("coordinator@rijnmond.example", ("/coordinator/bedrijvenlijsten", "/coordinator/wachtrij",
                                                               "/coordinator/regelsets"))):  # fmt: skip
            page = context.new_page()
            page.goto(f"{base}/inloggen?lang={language}")
            page.fill("#email", email)
            page.fill("#password", PASSWORD)
            page.press("#password", "Enter")
            page.wait_for_load_state()
            for path in paths:
                page.goto(base + path)
                assert page.locator("main h1").count() == 1, path
                found += [(path, v) for v in [*axe_violations(page), *htmlcs_errors(page)]]
            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(base + paths[0])
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, paths[0]
            page.close()
    assert found == [], found
