"""Who may use which route: every role, and anonymous, against every route that reads or changes
non-public data. A new route must be listed here, or this test fails."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.core.database import utcnow
from marketplace.core.extensions import db
from marketplace.market_scan import saved as market_scans
from marketplace.market_scan import services as market_scan_services
from marketplace.organisations.models import Organisation
from marketplace.organisations.owner_models import Claim, Offering, OrganisationOwner
from marketplace.procurement import purchase_requests, shortlists
from marketplace.resolution.models import ResolutionReview
from marketplace.sroi.models import Contribution, SupplierMatch
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.plans import services as plans
from marketplace.sroi.rulesets import company_lists
from marketplace.sroi.rulesets import services as sroi_rulesets
from tests.factories import code, csrf_token, ingest, login, pso, user

PUBLIC = {
    "static", "public.home", "public.organisations", "public.organisation", "public.export_results", "public.set_language",
    "public.media", "auth.login", "auth.register", "auth.forgot_password", "auth.confirm", "auth.reset_password",
    "api.organisations", "api.organisation", "api.openapi", "api.open_data_totals", "public.open_data_page",
    "public.open_data_csv", "public.about", "public.crawler", "public.privacy", "public.accessibility",
    "public.contact", "public.favicon",
    # For load balancers and the metrics scraper; /metrics answers only the loopback or a bearer token
    # (tests/test_operations.py).
    "healthz", "readyz", "metrics",
    # The contractor API answers 401/403/404 in JSON itself: checked in tests/test_sroi_api.py.
    "api.obligation_list", "api.obligation_create", "api.obligation_detail", "api.contribution_create",
    "api.obligation_matches", "requests.index", "requests.detail",
    # The market-scan API answers 401/403 in JSON itself: checked in tests/test_market_scan.py.
    "market_scan_api.market_scan",
    # The plan and contract-change API answers 401/403/404 in JSON itself: tests/test_sroi_plans.py,
    # tests/test_contract_changes.py.
    "plan_api.plan_propose", "plan_api.change_create",
    # The settlement API answers 401/403/404 in JSON itself: checked in tests/test_sroi_settlement.py.
    "settlement_api.settlement_detail", "settlement_api.settlement_create",
    # The bulk import API answers 401/403/404 in JSON itself: checked in tests/test_sroi_bulk_import.py.
    "bulk_api.import_template", "bulk_api.import_file",
    # Where an invitation mail leads: the signed link is the key, the page says how to sign in
    # (tests/test_sroi_chain.py); accepting it needs a contractor (contractor.chain_accept).
    "contractor.chain_invitation",
}  # fmt: skip
SIGNED_IN = {"auth.logout", "auth.delete_account", "account.overview", "account.change_name", "account.change_email",
             "account.confirm_email", "account.change_password", "account.download_data", "entrepreneur.claim", "entrepreneur.claim_by_code",
             "entrepreneur.claim_by_review", "entrepreneur.enter_code"}  # fmt: skip
BY_ROLE = {
    "procurer.dashboard": {"procurer"},
    "contractor.dashboard": {"contractor"},
    "contractor.new_obligation": {"contractor"},
    "contractor.obligation": {"contractor"},
    "contractor.add_contribution": {"contractor"},
    "contractor.contribution": {"contractor"},
    "contractor.answer": {"contractor"},
    "contractor.withdraw": {"contractor"},
    "contractor.evidence_file": {"contractor"},
    "contractor.document_file": {"contractor"},
    "contractor.message_file": {"contractor"},
    "contractor.suppliers": {"contractor"},
    "contractor.plan": {"contractor"},
    "contractor.propose_plan": {"contractor"},
    "contractor.plan_add_purchase": {"contractor"},
    "contractor.confirm_report": {"contractor"},
    "coordinator.obligation": {"coordinator", "admin"},
    "coordinator.decide_plan": {"coordinator", "admin"},
    "coordinator.change_contract": {"coordinator", "admin"},
    "coordinator.set_deadlines": {"coordinator", "admin"},
    "contractor.chain_page": {"contractor"},
    "contractor.chain_invite": {"contractor"},
    "contractor.chain_end": {"contractor"},
    "contractor.chain_accept": {"contractor"},
    "contractor.chain_memberships": {"contractor"},
    "contractor.subcontract": {"contractor"},
    "contractor.subcontract_add": {"contractor"},
    "contractor.subcontract_contribution": {"contractor"},
    "contractor.subcontract_evidence": {"contractor"},
    "contractor.subcontract_document": {"contractor"},
    "contractor.bulk_page": {"contractor"},
    "contractor.bulk_template": {"contractor"},
    "contractor.bulk_upload": {"contractor"},
    "contractor.bulk_subcontract_page": {"contractor"},
    "contractor.bulk_subcontract_template": {"contractor"},
    "contractor.bulk_subcontract_upload": {"contractor"},
    "lists.index": {"procurer", "contractor"},
    "lists.create": {"procurer", "contractor"},
    "lists.detail": {"procurer", "contractor"},
    "lists.add_by_form": {"procurer", "contractor"},
    "lists.remove_item": {"procurer", "contractor"},
    "lists.share": {"procurer", "contractor"},
    "lists.unshare": {"procurer", "contractor"},
    "lists.export": {"procurer", "contractor"},
    "requests.new": {"procurer", "contractor"},
    "requests.create": {"procurer", "contractor"},
    "requests.respond": {"owner", "other_owner"},
    "requests.close": {"procurer", "contractor"},
    "contractor.keep_supplier": {"contractor"},
    "contractor.contact_supplier": {"contractor"},
    "contractor.match_outcome": {"contractor"},
    "entrepreneur.dashboard": {"owner", "other_owner"},
    "coordinator.dashboard": {"coordinator", "admin"},
    "coordinator.review_queue": {"coordinator", "admin"},
    "coordinator.decide": {"coordinator", "admin"},
    "coordinator.claim_queue": {"coordinator", "admin"},
    "coordinator.decide_claim": {"coordinator", "admin"},
    "coordinator.rulesets": {"coordinator", "admin"},
    "coordinator.ruleset": {"coordinator", "admin"},
    "coordinator.edit_ruleset": {"coordinator", "admin"},
    "coordinator.copy_ruleset": {"coordinator", "admin"},
    "coordinator.choose_default": {"coordinator", "admin"},
    "coordinator.company_lists_page": {"coordinator", "admin"},
    "coordinator.add_company": {"coordinator", "admin"},
    "coordinator.remove_company": {"coordinator", "admin"},
    "coordinator.choose_obligation_ruleset": {"coordinator", "admin"},
    "coordinator.contributions": {"coordinator", "admin"},
    "coordinator.revalue": {"coordinator", "admin"},
    "coordinator.queue": {"coordinator", "admin"},
    "coordinator.decide_contribution": {"coordinator", "admin"},
    "coordinator.contribution": {"coordinator", "admin"},
    "coordinator.evidence_file": {"coordinator"},
    "coordinator.document_file": {"coordinator"},
    "coordinator.message_file": {"coordinator"},
    "coordinator.approve_selected": {"coordinator", "admin"},
    "coordinator.decide_match": {"coordinator", "admin"},
    "coordinator.decide_ruleset_version": {"coordinator", "admin"},
    "coordinator.audit_log": {"coordinator", "admin"},
    "coordinator.audit_log_export": {"coordinator", "admin"},
    "coordinator.monitor": {"coordinator", "admin"},
    "coordinator.set_thresholds": {"coordinator", "admin"},
    "coordinator.reports": {"coordinator", "admin"},
    "coordinator.report_export": {"coordinator", "admin"},
    "coordinator.settle_page": {"coordinator", "admin"},
    "coordinator.settle": {"coordinator", "admin"},
    "coordinator.settlement_letter": {"coordinator", "admin"},
    "contractor.contractor_letter": {"contractor"},
    "contractor.impact_page": {"contractor"},
    "contractor.report_still_employed": {"contractor"},
    "admin.dashboard": {"admin"},
    "admin.crawl_runs": {"admin"},
    "admin.job_list": {"admin"},
    "admin.start_job": {"admin"},
    "admin.job_export": {"admin"},
    "market_scan.index": {"procurer"},
    "market_scan.export": {"procurer"},
    "market_scan.save": {"procurer"},
    "market_scan.detail": {"procurer"},
    "market_scan.rerun": {"procurer"},
    "market_scan.share": {"procurer"},
    "market_scan.unshare": {"procurer"},
    "market_scan.saved_export": {"procurer"},
}
OWNER_ONLY = {"entrepreneur.edit", "entrepreneur.add_offering", "entrepreneur.remove_offering",
              "entrepreneur.add_image", "entrepreneur.history", "entrepreneur.not_for_us"}  # fmt: skip
PERSONAS = ["anonymous", "procurer", "contractor", "owner", "other_owner", "coordinator", "admin"]


def test_every_route_is_classified(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    classified = PUBLIC | SIGNED_IN | set(BY_ROLE) | OWNER_ONLY
    assert endpoints - classified == set(), "classify these routes in tests/test_authorization.py"
    assert classified - endpoints == set()


@pytest.fixture
def world(app: Flask) -> dict:
    ingest(
        pso("1-uil", "De Uil", "Enschede", kvk=("11111111",)),
        code("glans", "Glans", "Enschede", kvk=["22222222"]),
    )
    uil = db.session.scalar(select(Organisation).where(Organisation.name == "De Uil"))
    glans = db.session.scalar(select(Organisation).where(Organisation.name == "Glans"))
    user("inkoper@x.example", "procurer")
    user("opdrachtnemer@x.example", "contractor")
    user("eigenaar@x.example", "entrepreneur")
    user("ander@x.example", "entrepreneur")
    user("coordinator@x.example", "coordinator", regions=("Twente",))
    user("beheer@x.example", "admin")
    owner = db.session.scalar(select(User).where(User.email == "eigenaar@x.example"))
    other = db.session.scalar(select(User).where(User.email == "ander@x.example"))
    db.session.add_all([OrganisationOwner(organisation_id=uil.id, user_id=owner.id),
                        OrganisationOwner(organisation_id=glans.id, user_id=other.id)])  # fmt: skip
    offering = Offering(organisation_id=uil.id, cpv_code="909", title="Schoonmaak")
    claim = Claim(
        organisation_id=uil.id,
        user_id=other.id,
        status="review",
        motivation="x",
        region_id=uil.municipality.region_id,
    )
    review = ResolutionReview(
        left_record="pso:/a",
        right_record="pso:/b",
        score=5,
        reasons=[],
        left_region_id=uil.municipality.region_id,
        created_at=utcnow(),
    )
    db.session.add_all([offering, claim, review])
    db.session.commit()
    contractor = db.session.scalar(select(User).where(User.email == "opdrachtnemer@x.example"))
    obligation = obligations.create_obligation(contractor, {
        "title": "Opdracht", "contracting_authority": "Gemeente", "contract_value_excl_vat": "100000",
        "starts_on": "2026-01-01", "ends_on": "2026-12-31", "region": "Twente"})  # fmt: skip
    contribution = obligations.add_contribution(obligation, {"kind": "activity", "hours": "3"}).contribution
    plan = plans.propose(obligation, contractor, {"lines": [{"year": 1, "kind": "activity", "hours": 3}]})
    match = SupplierMatch(obligation_id=obligation.id, organisation_id=uil.id, score=1.0, status="accepted")
    db.session.add(match)
    admin = db.session.scalar(select(User).where(User.email == "beheer@x.example"))
    base = sroi_rulesets.version_row("oost-nederland-bouwblokken-v05")
    version = sroi_rulesets.save_version({**base.data, "name": "Oost-Nederland, gewijzigd"}, admin, "test")
    db.session.commit()
    procurer = db.session.scalar(select(User).where(User.email == "inkoper@x.example"))
    shortlist = shortlists.create(procurer, "Schoonmaak")
    shortlists.add(procurer, shortlist, uil.id)
    user("collega@x.example", "procurer")
    shortlists.invite(procurer, shortlist, "collega@x.example")  # a named colleague, none of the personas
    asked = purchase_requests.create(procurer, {"title": "Catering", "region": "Twente"})
    scan = market_scans.save(procurer, "Verkenning", market_scan_services.question_from(
        {"need": "schoonmaak", "place": "Enschede", "radius_km": 50, "starts_on": "2027-01-01",
         "ends_on": "2028-12-31"}))  # fmt: skip
    listed = company_lists.add(admin, uil.municipality.region_id, "sw_company", kvk="33333333", name="SW Twente",
                               source="test")  # fmt: skip
    return {"slug": uil.slug, "organisation_id": uil.id, "offering_id": offering.id, "claim_id": claim.id,
            "review_id": review.id, "filename": "nothing.png", "token": "x", "code": "nl", "file_format": "csv",
            "obligation_id": obligation.id, "kind": "purchase", "ruleset_id": "oost-nederland-bouwblokken-v05",
            "region_id": uil.municipality.region_id, "contribution_id": contribution.id, "match_id": match.id,
            "version_id": version.id, "shortlist_id": shortlist.id, "item_id": shortlist.items[0].id,
            "member_id": shortlist.members[0].id, "request_id": asked.id, "message_id": 1,
            "scan_id": scan.id, "document_id": 1, "plan_id": plan.id, "entry_id": listed.id, "invitation_id": 1}  # fmt: skip


EMAILS = {"procurer": "inkoper@x.example", "contractor": "opdrachtnemer@x.example", "owner": "eigenaar@x.example",
          "other_owner": "ander@x.example", "coordinator": "coordinator@x.example", "admin": "beheer@x.example"}  # fmt: skip


def allowed(endpoint: str, persona: str) -> bool:
    if endpoint in PUBLIC:
        return True
    if persona == "anonymous":
        return False
    if endpoint in SIGNED_IN:
        return True
    if endpoint in OWNER_ONLY:
        return persona == "owner"
    return persona in BY_ROLE[endpoint]


def refused(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 403 or (
        response.status_code == 302 and "/inloggen" in response.headers["Location"]
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_authorisation_matrix(app: Flask, world: dict, persona: str) -> None:
    client = app.test_client()
    if persona != "anonymous":
        assert login(client, EMAILS[persona]).status_code == 302
    token = csrf_token(client, "/inloggen")
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC or rule.endpoint in ("auth.logout",):
            continue
        path = rule.build({arg: world[arg] for arg in rule.arguments}, append_unknown=False)[1]
        method = "GET" if "GET" in rule.methods else "POST"
        data = {"csrf_token": token, "decision": "split", "reason": "test"}
        response = client.get(path) if method == "GET" else client.post(path, data=data)
        assert response.status_code != 500, path
        if allowed(rule.endpoint, persona):
            assert not refused(response), f"{persona} was refused {method} {path}"
        else:
            assert refused(response), f"{persona} got {response.status_code} on {method} {path}"
        checked += 1
    assert checked == len(SIGNED_IN | set(BY_ROLE) | OWNER_ONLY) - 1


def test_an_owner_cannot_edit_another_organisation_by_changing_an_id(app: Flask, world: dict) -> None:
    client = app.test_client()
    login(client, "eigenaar@x.example")
    glans_id = db.session.scalar(select(Organisation.id).where(Organisation.name == "Glans"))
    token = csrf_token(client, f"/ondernemer/{world['organisation_id']}/bewerken")
    for path in (
        f"/ondernemer/{glans_id}/bewerken",
        f"/ondernemer/{glans_id}/aanbod",
        f"/ondernemer/{glans_id}/geschiedenis",
    ):
        assert client.post(path, data={"csrf_token": token, "description": "overgenomen"}).status_code in (
            403,
            405,
        )
    other_offering = Offering(organisation_id=glans_id, cpv_code="909", title="Van een ander")
    db.session.add(other_offering)
    db.session.commit()
    stolen = client.post(
        f"/ondernemer/{world['organisation_id']}/aanbod/{other_offering.id}/verwijderen",
        data={"csrf_token": token},
    )
    assert stolen.status_code == 404
    assert db.session.get(Offering, other_offering.id) is not None
    assert db.session.get(Organisation, glans_id).description is None


def test_every_form_refuses_a_missing_csrf_token(app: Flask, world: dict) -> None:
    client = app.test_client()
    login(client, "beheer@x.example")
    for path in ("/inloggen", "/registreren", "/wachtwoord-vergeten", f"/coordinator/dubbelen/{world['review_id']}",
                 f"/coordinator/claims/{world['claim_id']}", "/account/verwijderen"):  # fmt: skip
        response = client.post(path, data={"decision": "merge", "email": "a@b.example"})
        assert response.status_code in (200, 400), path
        assert not re.search(r"Opgeslagen|beslissing is opgeslagen", response.get_data(as_text=True))
    assert db.session.get(Claim, world["claim_id"]).status == "review"
    assert db.session.get(ResolutionReview, world["review_id"]).status == "open"


def test_a_contractor_cannot_see_or_add_to_another_contractors_obligation(app: Flask, world: dict) -> None:
    user("ander-bedrijf@x.example", "contractor")
    client = app.test_client()
    login(client, "ander-bedrijf@x.example")
    path = f"/opdrachtnemer/verplichtingen/{world['obligation_id']}"
    assert client.get(path).status_code == 404
    token = csrf_token(client, "/opdrachtnemer/verplichtingen/nieuw")
    sneaked = client.post(f"{path}/bijdragen/activity", data={"csrf_token": token, "hours": "10"})
    assert sneaked.status_code == 404
    assert db.session.scalar(select(db.func.count()).select_from(Contribution)) == 1  # the world's own one
