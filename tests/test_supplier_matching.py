"""Issue 12 through the app: the ranking for an obligation on the page, by command and by API;
keeping, contacting and the outcome of a match; "not for us"; bad input."""

from __future__ import annotations

import json
import re
from datetime import date

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.core.extensions import db
from marketplace.organisations.models import Organisation
from marketplace.organisations.owner_models import OrganisationOwner
from marketplace.procurement import supplier_matching
from marketplace.sroi.models import Obligation, SupplierMatch
from marketplace.sroi.obligations import services as obligations
from tests.factories import code, csrf_token, ingest, last_mail_to, login, post_form, senl, user

CONTRACTOR = "bouw@aannemer.example"


def world(app) -> int:  # type: ignore[no-untyped-def]
    ingest(
        code("glans", "Glans Schoonmaak", "Enschede", kvk=["11111111"], valid_from=date(2021, 3, 12),
             sectors=["Schoonmaak"], mission="Schoonmaak van kantoren en scholen"),
        code("bak", "Bakkerij De Korst", "Enschede", kvk=["22222222"], valid_from=date(2021, 3, 12),
             sectors=["Catering"], mission="Brood en catering"),
        senl("veeg", "Veegwerk", "Hengelo", kvk=["33333333"], mission="schoonmaakdiensten"),
    )  # fmt: skip
    user(CONTRACTOR, "contractor")
    user("eigenaar@glans.example", "entrepreneur")
    owner = db.session.scalar(select(User).where(User.email == "eigenaar@glans.example"))
    glans = db.session.scalar(select(Organisation).where(Organisation.name == "Glans Schoonmaak"))
    db.session.add(OrganisationOwner(organisation_id=glans.id, user_id=owner.id))
    db.session.commit()
    contractor = db.session.scalar(select(User).where(User.email == CONTRACTOR))
    obligation = obligations.create_obligation(contractor, {
        "title": "Renovatie stadhuis", "contracting_authority": "Gemeente Enschede",
        "contract_value_excl_vat": "1000000", "starts_on": "2026-01-01", "ends_on": "2027-12-31",
        "region": "Twente", "needs": "schoonmaak van kantoren"})  # fmt: skip
    return obligation.id


def test_the_command_prints_the_ranking_with_parts_that_add_up(app) -> None:
    obligation_id = world(app)
    result = app.test_cli_runner().invoke(
        args=["match", "--obligation", str(obligation_id), "--top", "5", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    names = [supplier["name"] for supplier in data["suppliers"]]
    assert names == ["Glans Schoonmaak", "Veegwerk"]  # the bakery does not fit
    for supplier in data["suppliers"]:
        assert supplier["score"] == sum(part["score"] for part in supplier["parts"])
        assert [p["part"] for p in supplier["parts"]] == ["fit", "counts", "validity", "distance", "spread"]
        assert all(p["reason"]["text"] for p in supplier["parts"])
    glans = data["suppliers"][0]
    assert (
        "inkoop telt 100 procent mee onder Bouwblokken SROI Oost-Nederland V05"
        in glans["parts"][1]["reason"]["text"]
    )
    assert glans["closes_gap_with"] == data["remaining"] == "50000.00"
    assert data["suppliers"][1]["closes_gap_with"] == "100000.00"  # SENL counts half
    missing = app.test_cli_runner().invoke(args=["match", "--obligation", "999999", "--json"])
    assert missing.exit_code == 2


def test_every_quoted_claim_is_the_suppliers_own_words(app) -> None:
    obligation_id = world(app)
    result = app.test_cli_runner().invoke(
        args=["match", "--obligation", str(obligation_id), "--top", "5", "--json"]
    )
    data = json.loads(result.output)
    assert data["suppliers"]
    for supplier in data["suppliers"]:
        organisation = db.session.scalar(
            select(Organisation).where(Organisation.slug == supplier["organisation"])
        )
        own = " ".join([organisation.name, *(organisation.sectors or []), organisation.mission or "",
                        organisation.description or "", organisation.impact_statement or ""])  # fmt: skip
        fit = supplier["parts"][0]["reason"]
        assert supplier["evidence"] == fit["params"]["quotes"] and isinstance(supplier["km"], int)
        assert fit["params"]["quotes"], supplier["name"]
        for quote in fit["params"]["quotes"]:
            assert quote in own, (supplier["name"], quote)
            assert f"‘{quote}’" in fit["text"]


def test_the_api_gives_the_same_ranking_and_only_for_the_own_obligation(app, client) -> None:
    obligation_id = world(app)
    login(client, CONTRACTOR)
    answer = client.get(f"/api/v1/obligations/{obligation_id}/matches?top=1")
    assert answer.status_code == 200
    body = answer.get_json()
    assert [s["organisation"] for s in body["suppliers"]] == [
        db.session.scalar(select(Organisation.slug).where(Organisation.name == "Glans Schoonmaak"))
    ]
    assert client.get(f"/api/v1/obligations/{obligation_id}/matches?top=0").status_code == 400
    assert client.get(f"/api/v1/obligations/{obligation_id}/matches?top=abc").status_code == 400
    user("ander@aannemer.example", "contractor")
    other = app.test_client()
    login(other, "ander@aannemer.example")
    assert other.get(f"/api/v1/obligations/{obligation_id}/matches").status_code == 404


def test_keep_contact_and_outcome_reach_the_supplier_and_the_coordinator(app, client) -> None:
    obligation_id = world(app)
    user("twente@regio.example", "coordinator", regions=("Twente",))
    login(client, CONTRACTOR)
    page_path = f"/opdrachtnemer/verplichtingen/{obligation_id}/leveranciers"
    page = client.get(page_path).get_data(as_text=True)
    assert "biedt ‘Schoonmaak’" in page and "0 km (Enschede, Twente): in uw arbeidsmarktregio" in page
    assert "Inkoop bij Glans Schoonmaak telt volledig mee: met €\xa050.000,00 vult u alles in" in page
    assert "/400" not in page and "score " not in page and "matches: 0" not in page  # words, no points
    glans = db.session.scalar(select(Organisation).where(Organisation.name == "Glans Schoonmaak"))
    kept = post_form(client, f"{page_path}/{glans.id}/bewaren", {}, page=page_path)
    assert kept.status_code == 302
    match = db.session.scalar(select(SupplierMatch))
    assert (match.status, match.organisation_id) == ("proposed", glans.id)
    assert sum(part["score"] for part in match.reasons) == int(match.score)
    empty = post_form(client, f"/opdrachtnemer/verplichtingen/{obligation_id}/matches/{match.id}/contact",
                      {"message": " "}, page=page_path)  # fmt: skip
    assert empty.status_code == 302
    assert "Schrijf een kort bericht" in client.get(page_path).get_data(as_text=True)
    post_form(client, f"/opdrachtnemer/verplichtingen/{obligation_id}/matches/{match.id}/contact",
              {"message": "Kunt u ons kantoor schoonmaken?"}, page=page_path)  # fmt: skip
    mail = last_mail_to(app, "eigenaar@glans.example")
    assert "Kunt u ons kantoor schoonmaken?" in mail.get_content() and CONTRACTOR in mail.get_content()
    assert "Glans Schoonmaak" in mail["Subject"]
    db.session.expire_all()
    assert db.session.get(SupplierMatch, match.id).status == "contacted"
    post_form(client, f"/opdrachtnemer/verplichtingen/{obligation_id}/matches/{match.id}/uitkomst",
              {"outcome": "accepted"}, page=page_path)  # fmt: skip
    coordinator = app.test_client()
    login(coordinator, "twente@regio.example")
    queue = coordinator.get("/coordinator/wachtrij?soort=match").get_data(as_text=True)
    assert "Glans Schoonmaak" in queue and "aanvaard" in queue


def test_a_purchase_from_a_matched_supplier_links_the_match(app, client) -> None:
    obligation_id = world(app)
    login(client, CONTRACTOR)
    page_path = f"/opdrachtnemer/verplichtingen/{obligation_id}/leveranciers"
    glans = db.session.scalar(select(Organisation).where(Organisation.name == "Glans Schoonmaak"))
    post_form(client, f"{page_path}/{glans.id}/bewaren", {}, page=page_path)
    obligation = obligations.obligation_for(db.session.scalar(select(User).where(User.email == CONTRACTOR)),
                                            obligation_id)  # fmt: skip
    added = obligations.add_contribution(obligation, {"kind": "purchase", "supplier": "11111111",
                                                      "invoice_number": "F-1", "invoice_date": "2026-05-02",
                                                      "amount_excl_vat": "2000"}).contribution  # fmt: skip
    match = db.session.scalar(select(SupplierMatch))
    assert match.contribution_id == added.id and match.status == "accepted"


def test_not_for_us_takes_an_enterprise_out_of_the_ranking(app, client) -> None:
    obligation_id = world(app)
    login(client, CONTRACTOR)
    page_path = f"/opdrachtnemer/verplichtingen/{obligation_id}/leveranciers"
    glans = db.session.scalar(select(Organisation).where(Organisation.name == "Glans Schoonmaak"))
    post_form(client, f"{page_path}/{glans.id}/bewaren", {}, page=page_path)
    owner = app.test_client()
    login(owner, "eigenaar@glans.example")
    dashboard = owner.get("/ondernemer/").get_data(as_text=True)
    assert (
        "Renovatie stadhuis" in dashboard and "<title>Mijn ondernemingen – Impactmarkt</title>" in dashboard
    )
    said = post_form(
        owner, f"/ondernemer/{glans.id}/matches/{obligation_id}/niet-voor-ons", {}, page="/ondernemer/"
    )
    assert said.status_code == 302
    names = [
        s["name"] for s in client.get(f"/api/v1/obligations/{obligation_id}/matches").get_json()["suppliers"]
    ]
    assert names == ["Veegwerk"]


def test_bad_input_on_the_suppliers_page_gets_a_clear_message(app, client) -> None:
    obligation_id = world(app)
    login(client, CONTRACTOR)
    page_path = f"/opdrachtnemer/verplichtingen/{obligation_id}/leveranciers"
    for query in ("budget=-1", "besteding=veel", "budget=" + "9" * 30):
        response = client.get(f"{page_path}?{query}")
        assert response.status_code == 400, query
        assert "bedrag in euro" in response.get_data(as_text=True)
    fine = client.get(f"{page_path}?budget=60000&besteding=20000").get_data(as_text=True)
    assert "Een combinatie binnen uw budget" in fine
    assert "bij Glans Schoonmaak telt voor €\xa020.000,00: 40 procent van wat u nog moet invullen" in fine
    for query in ("budget=-5", "besteding=abc", "pagina=0", "pagina=x"):
        answer = client.get(f"{page_path}?{query}")
        assert answer.status_code == 400 and 'role="alert"' in answer.get_data(as_text=True), query
    token = csrf_token(client, page_path)
    assert client.post(f"{page_path}/999999/bewaren", data={"csrf_token": token}).status_code == 404


def test_few_or_no_fitting_suppliers_are_said_plainly(app, client) -> None:
    obligation_id = world(app)
    login(client, CONTRACTOR)
    page_path = f"/opdrachtnemer/verplichtingen/{obligation_id}/leveranciers"
    page = client.get(page_path).get_data(as_text=True)
    assert "2 leveranciers passen bij wat u zoekt in of rond Twente." in page
    obligation = db.session.get(Obligation, obligation_id)
    obligation.needs = "asbestsanering met certificaat"
    db.session.commit()
    empty = client.get(page_path).get_data(as_text=True)
    assert "Geen enkele vermelde onderneming zegt in haar eigen teksten dat zij biedt wat u zoekt" in empty
    assert "Glans" not in empty.split("ranglijst")[-1]


def test_a_listing_change_is_built_in_the_background_while_the_old_pool_serves(app) -> None:
    world(app)
    first = supplier_matching.candidate_pool()
    # the listing changed since this pool was built (its key is of an older generation)
    app.extensions[supplier_matching.POOL_KEY] = (("older listing",), first)
    served = supplier_matching.candidate_pool()  # the request does not wait for a rebuild
    assert served is first
    supplier_matching.wait_for_pool()
    fresh = supplier_matching.candidate_pool()
    assert fresh is not first and {c.name for c in fresh.candidates} == {c.name for c in first.candidates}
    assert supplier_matching.candidate_pool() is fresh  # built once per listing


def test_an_unclaimed_supplier_without_address_gets_its_other_ways_not_a_form_that_loses_text(
    app, client
) -> None:
    obligation_id = world(app)
    veeg = db.session.scalar(select(Organisation).where(Organisation.name == "Veegwerk"))
    veeg.website, veeg.contact_phone = "https://veegwerk.example", "074 123 45 67"
    db.session.commit()
    login(client, CONTRACTOR)
    page_path = f"/opdrachtnemer/verplichtingen/{obligation_id}/leveranciers"
    post_form(client, f"{page_path}/{veeg.id}/bewaren", {}, page=page_path)
    match = db.session.scalar(select(SupplierMatch).where(SupplierMatch.organisation_id == veeg.id))
    page = client.get(page_path).get_data(as_text=True)
    kept = page[page.index('id="lijst"') : page.index('id="ranglijst"')]
    assert f'id="bericht-{match.id}"' not in kept and "<textarea" not in kept  # nobody would read it
    assert "Veegwerk leest nog geen berichten via Impactmarkt" in kept
    assert 'href="https://veegwerk.example"' in kept and 'href="tel:0741234567"' in kept
    assert veeg.labels[0].source_url in kept and "Pagina in het register Social Enterprise NL" in kept
    # The owned enterprise keeps its form: its owner reads the message.
    glans = db.session.scalar(select(Organisation).where(Organisation.name == "Glans Schoonmaak"))
    post_form(client, f"{page_path}/{glans.id}/bewaren", {}, page=page_path)
    kept = client.get(page_path).get_data(as_text=True)
    assert "Bericht aan Glans Schoonmaak" in kept and "Bericht aan Veegwerk" not in kept


def duplicate_ids(page: str) -> list[str]:
    ids = re.findall(r'\sid="([^"]+)"', page)
    return sorted({found for found in ids if ids.count(found) > 1})


def test_every_element_id_is_unique_on_pages_with_many_forms(app, client) -> None:
    obligation_id = world(app)
    user("inkoper@enschede.nl", "procurer")
    login(client, CONTRACTOR)
    page_path = f"/opdrachtnemer/verplichtingen/{obligation_id}/leveranciers"
    for organisation in db.session.scalars(select(Organisation)):
        post_form(client, f"{page_path}/{organisation.id}/bewaren", {}, page=page_path)
    pages = [page_path, f"/opdrachtnemer/verplichtingen/{obligation_id}", "/opdrachtnemer/", "/account", "/lijsten/",
             "/inkoopvragen/nieuw", "/organisaties", "/"]  # fmt: skip
    for path in pages:
        page = client.get(path).get_data(as_text=True)
        assert duplicate_ids(page) == [], path
    ranking = client.get(page_path).get_data(as_text=True)
    assert ranking.count('name="csrf_token"') > 3 and 'id="csrf_token"' not in ranking
    procurer = app.test_client()
    login(procurer, "inkoper@enschede.nl")
    post_form(procurer, "/lijsten/", {"name": "Schoonmaak"}, page="/lijsten/")
    for organisation in db.session.scalars(select(Organisation)):
        post_form(
            procurer,
            "/lijsten/toevoegen",
            {"organisation_id": organisation.id, "shortlist_id": 1},
            page="/lijsten/",
        )
    for path in ("/lijsten/1", "/lijsten/", "/inkoper/", f"/organisaties/{organisation.slug}"):
        assert duplicate_ids(procurer.get(path).get_data(as_text=True)) == [], path


def test_a_need_of_several_parts_shows_the_best_per_part(app, client) -> None:
    obligation_id = world(app)
    obligation = db.session.get(Obligation, obligation_id)
    obligation.needs = "schoonmaak en catering"
    db.session.commit()
    login(client, CONTRACTOR)
    page = client.get(f"/opdrachtnemer/verplichtingen/{obligation_id}/leveranciers").get_data(as_text=True)
    per_part = page.split("De beste leveranciers per onderdeel")[1].split("Alle onderdelen samen")[0]
    assert "<h3>schoonmaak</h3>" in per_part and "<h3>catering</h3>" in per_part
    assert (
        per_part.index("Glans Schoonmaak")
        < per_part.index("<h3>catering</h3>")
        < per_part.index("Bakkerij De Korst")
    )
