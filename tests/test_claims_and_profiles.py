"""Entrepreneurs claim their listed profile (code by mail, or a coordinator decides), then edit it.
Register facts stay read-only, owners' edits survive crawls, and every change is versioned."""

from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import func, select

from marketplace import search
from marketplace.core.audit_model import AuditLogEntry
from marketplace.core.extensions import db
from marketplace.organisations.models import Organisation
from marketplace.organisations.owner_models import Claim, OrganisationImage, OrganisationOwner, ProfileVersion
from marketplace.profiles.plain_text import to_html
from marketplace.search.query import SearchQuery
from tests.factories import code, ingest, last_mail_to, login, post_form, pso, senl, user


def seed() -> tuple[Organisation, Organisation]:
    ingest(
        pso(
            "1-uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=("11111111",), website="https://www.deuil.nl"
        ),
        code("glans", "Glans & Co", "Utrecht", kvk=["22222222"]),
        senl("stof", "Stof & Zo", "Hoofddorp"),
    )
    uil = db.session.scalar(select(Organisation).where(Organisation.name == "Schoonmaakbedrijf De Uil"))
    glans = db.session.scalar(select(Organisation).where(Organisation.name == "Glans & Co"))
    return uil, glans


def claim_by_code(app, client, organisation: Organisation, address: str) -> None:  # type: ignore[no-untyped-def]
    page = f"/ondernemer/claim/{organisation.slug}"
    post_form(client, f"{page}/code", {"email": address}, page=page)
    mailed = re.search(r"\b(\d{6})\b", last_mail_to(app, address).get_content()).group(1)
    claim_id = db.session.scalar(select(func.max(Claim.id)))
    response = post_form(client, f"/ondernemer/claim/code/{claim_id}", {"code": mailed})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]


def test_claim_by_code_to_an_address_at_the_registered_website(app, client) -> None:
    uil, _ = seed()
    user("jan@example.org", "contractor")
    login(client, "jan@example.org")
    page = f"/ondernemer/claim/{uil.slug}"
    wrong = post_form(client, f"{page}/code", {"email": "jan@gmail.com"}, page=page)
    assert "eindigt op @deuil.nl" in wrong.get_data(as_text=True)
    post_form(client, f"{page}/code", {"email": "jan@deuil.nl"}, page=page)
    claim_id = db.session.scalar(select(func.max(Claim.id)))
    bad = post_form(client, f"/ondernemer/claim/code/{claim_id}", {"code": "000000"})
    assert "klopt niet" in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(OrganisationOwner)) == 0
    mailed = re.search(r"\b(\d{6})\b", last_mail_to(app, "jan@deuil.nl").get_content()).group(1)
    assert post_form(client, f"/ondernemer/claim/code/{claim_id}", {"code": mailed}).status_code == 302
    assert client.get(f"/ondernemer/{uil.id}/bewerken").status_code == 200
    actions = db.session.scalars(select(AuditLogEntry.action).order_by(AuditLogEntry.id)).all()
    assert actions == ["claim.code_sent", "claim.code_wrong", "claim.approved_by_code"]


def test_claim_without_a_domain_waits_for_a_coordinator_of_the_region(app, client) -> None:
    _, glans = seed()
    user("piet@example.org", "contractor")
    user("utrecht@regio.example", "coordinator", regions=("Midden-Utrecht",))
    user("twente@regio.example", "coordinator", regions=("Twente",))
    login(client, "piet@example.org")
    page = f"/ondernemer/claim/{glans.slug}"
    post_form(client, f"{page}/beoordeling", {"motivation": "Ik ben de oprichter."}, page=page)
    claim_id = db.session.scalar(select(Claim.id))
    twente = client.application.test_client()
    login(twente, "twente@regio.example")
    assert "Glans &amp; Co" not in twente.get("/coordinator/claims").get_data(as_text=True)
    refused = post_form(
        twente,
        f"/coordinator/claims/{claim_id}",
        {"decision": "approve", "reason": "ok"},
        page="/coordinator/claims",
    )
    assert refused.status_code == 404
    utrecht = client.application.test_client()
    login(utrecht, "utrecht@regio.example")
    assert "Ik ben de oprichter." in utrecht.get("/coordinator/claims").get_data(as_text=True)
    no_reason = post_form(
        utrecht,
        f"/coordinator/claims/{claim_id}",
        {"decision": "approve", "reason": ""},
        page="/coordinator/claims",
    )
    assert (
        no_reason.status_code == 400
        and db.session.scalar(select(func.count()).select_from(OrganisationOwner)) == 0
    )
    post_form(
        utrecht,
        f"/coordinator/claims/{claim_id}",
        {"decision": "approve", "reason": "KvK-uittreksel gezien."},
        page="/coordinator/claims",
    )
    assert db.session.scalar(select(func.count()).select_from(OrganisationOwner)) == 1
    assert "KvK-uittreksel gezien." in last_mail_to(app, "piet@example.org").get_content()
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "claim.approved"))
    assert entry.details["reason"] == "KvK-uittreksel gezien." and entry.region_id is not None


def test_a_second_claim_on_an_owned_profile_goes_to_a_coordinator(app, client) -> None:
    uil, _ = seed()
    user("jan@example.org", "contractor")
    login(client, "jan@example.org")
    claim_by_code(app, client, uil, "jan@deuil.nl")
    other = client.application.test_client()
    user("kees@example.org", "contractor")
    login(other, "kees@example.org")
    page = f"/ondernemer/claim/{uil.slug}"
    assert "al een beheerder" in other.get(page).get_data(as_text=True)
    refused = post_form(other, f"{page}/code", {"email": "kees@deuil.nl"}, page=page)
    assert "al een eigenaar" in refused.get_data(as_text=True)
    post_form(other, f"{page}/beoordeling", {"motivation": "Ik ben de nieuwe directeur."}, page=page)
    assert db.session.scalar(select(Claim.status).where(Claim.motivation.is_not(None))) == "review"
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "claim.review_requested"))
    assert entry.details["already_owned"] is True


def test_owner_edits_are_sanitised_versioned_shown_and_survive_a_crawl(app, client) -> None:
    uil, _ = seed()
    uil_id = uil.id
    user("jan@example.org", "contractor")
    login(client, "jan@example.org")
    claim_by_code(app, client, uil, "jan@deuil.nl")
    edit = f"/ondernemer/{uil.id}/bewerken"
    saved = post_form(client, edit, {
        "description": "Wij maken **schoon**.<script>alert(1)</script><img src=x onerror=alert(2)>\n\n- kantoren\n- ramen",
        "contact_email": "info@deuil.nl", "contact_phone": "053 123 45 67", "contact_postcode": "7511 ab",
        "regions_served": ["Twente", "Achterhoek"], "target_groups": "Statushouders", "impact_statement": "",
        "name": "Andere naam", "kvk": "99999999",  # register facts: ignored
    })  # fmt: skip
    assert saved.status_code == 302
    db.session.remove()
    uil = db.session.get(Organisation, uil_id)
    # Plain text in, paragraphs and lists out; pasted HTML keeps only its words.
    assert uil.description == "<p>Wij maken <strong>schoon</strong>.</p><ul><li>kantoren</li><li>ramen</li></ul>"
    form = client.get(edit).get_data(as_text=True)
    assert "Wij maken **schoon**.\n\n- kantoren\n- ramen</textarea>" in form  # edited as text, never HTML
    assert (uil.contact_postcode, uil.name, uil.kvk) == ("7511AB", "Schoonmaakbedrijf De Uil", "11111111")
    assert uil.field_sources["description"]["source"] == "owner"
    public = client.get(f"/organisaties/{uil.slug}").get_data(as_text=True)
    assert "<strong>schoon</strong>" in public and "<script>" not in public and "onerror" not in public
    assert "info@deuil.nl" in public and "Twente, Achterhoek" in public
    history = client.get(f"/ondernemer/{uil_id}/geschiedenis").get_data(as_text=True)
    assert "Over uw onderneming" in history and "description" not in history  # field names in words
    version = db.session.scalar(select(ProfileVersion))
    assert version.changes["description"][0] is None and version.user_id is not None

    ingest(
        pso(
            "1-uil",
            "Schoonmaakbedrijf De Uil B.V.",
            "Enschede",
            "Trede 3",
            kvk=("11111111",),
            website="https://www.deuil.nl",
        )
    )
    db.session.remove()
    crawled = db.session.get(Organisation, uil_id)
    assert crawled.name == "Schoonmaakbedrijf De Uil B.V."  # register fact updated by the crawl
    assert crawled.description.startswith("<p>Wij maken <strong>schoon</strong>.</p><ul>")  # owner's text untouched
    assert crawled.contact_email == "info@deuil.nl"


def test_offerings_and_images(app, client) -> None:
    uil, _ = seed()
    user("jan@example.org", "contractor")
    login(client, "jan@example.org")
    claim_by_code(app, client, uil, "jan@deuil.nl")
    edit = f"/ondernemer/{uil.id}/bewerken"
    post_form(
        client,
        f"/ondernemer/{uil.id}/aanbod",
        {"cpv_code": "909", "title": "Kantoorschoonmaak", "price_indication": "vanaf € 30 per uur"},
        page=edit,
    )
    assert "Kantoorschoonmaak" in client.get(f"/organisaties/{uil.slug}").get_data(as_text=True)
    png = io.BytesIO()
    Image.new("RGB", (40, 20), "green").save(png, format="PNG")
    uploaded = post_form(client, f"/ondernemer/{uil.id}/afbeelding",
                         {"kind": "logo", "alt_text": "Logo van De Uil", "image": (io.BytesIO(png.getvalue()), "logo.png")},
                         page=edit, content_type="multipart/form-data")  # fmt: skip
    assert uploaded.status_code == 302
    stored = db.session.scalar(select(OrganisationImage))
    served = client.get(f"/media/{stored.filename}")
    assert served.status_code == 200 and served.headers["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(served.data)).size == (40, 20)
    assert client.get("/media/../../secret_key").status_code == 404


def test_registering_from_a_claim_page_comes_back_to_that_claim(app, client) -> None:
    uil, _ = seed()
    claim_page = f"/ondernemer/claim/{uil.slug}"
    to_login = client.get(claim_page)
    assert to_login.status_code == 302 and "/inloggen" in to_login.headers["Location"]
    login_page = client.get(to_login.headers["Location"]).get_data(as_text=True)
    register_link = re.search(r'href="(/registreren\?next=[^"]+)"', login_page).group(1).replace("&amp;", "&")
    form = client.get(register_link).get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="entrepreneur"', form)  # an entrepreneur, presumably
    new = {"name": "Jan", "email": "jan@deuil.nl", "role": "entrepreneur",
           "password": "een-heel-goed-wachtwoord", "password_again": "een-heel-goed-wachtwoord"}  # fmt: skip
    post_form(client, register_link, new)
    link = re.search(r"https://\S+", last_mail_to(app, "jan@deuil.nl").get_content()).group(0)
    confirmed = client.get(link.replace("https://impactmarkt.test", ""))
    assert confirmed.status_code == 302 and confirmed.headers["Location"].endswith(claim_page)


def test_an_owner_sees_edit_on_their_own_page_and_mails_name_the_enterprise(app, client) -> None:
    uil, glans = seed()
    user("jan@example.org", "entrepreneur")
    login(client, "jan@example.org")
    claim_by_code(app, client, uil, "jan@deuil.nl")
    assert "Uw code voor Schoonmaakbedrijf De Uil" in last_mail_to(app, "jan@deuil.nl")["Subject"]
    own = client.get(f"/organisaties/{uil.slug}").get_data(as_text=True)
    assert f'href="/ondernemer/{uil.id}/bewerken">Bewerken</a>' in own and "Dit is mijn onderneming" not in own
    other = client.get(f"/organisaties/{glans.slug}").get_data(as_text=True)
    assert "Dit is mijn onderneming" in other and "bewerken" not in other


def test_the_claims_queue_links_to_the_enterprise_and_the_decision_mail_names_it(app, client) -> None:
    _, glans = seed()
    user("piet@example.org", "entrepreneur")
    user("utrecht@regio.example", "coordinator", regions=("Midden-Utrecht",))
    login(client, "piet@example.org")
    page = f"/ondernemer/claim/{glans.slug}"
    post_form(client, f"{page}/beoordeling", {"motivation": "Ik ben de oprichter."}, page=page)
    claim_id = db.session.scalar(select(Claim.id))
    coordinator = client.application.test_client()
    login(coordinator, "utrecht@regio.example")
    queue = coordinator.get("/coordinator/claims").get_data(as_text=True)
    assert f'<a href="/organisaties/{glans.slug}">Glans &amp; Co</a>' in queue and "KvK 22222222" in queue
    post_form(coordinator, f"/coordinator/claims/{claim_id}", {"decision": "reject", "reason": "Geen bewijs."},
              page="/coordinator/claims")  # fmt: skip
    decided = last_mail_to(app, "piet@example.org")
    assert "Glans & Co" in decided["Subject"] and "Glans & Co is afgewezen" in decided.get_content()


def test_dash_lines_right_after_text_become_a_list_and_snippets_keep_the_breaks(app, client) -> None:
    assert to_html("Wij bieden:\n- glazenwassen\n- kantoren\nBel ons.") == (
        "<p>Wij bieden:</p><ul><li>glazenwassen</li><li>kantoren</li></ul><p>Bel ons.</p>"
    )
    assert to_html("- a\n- b") == "<ul><li>a</li><li>b</li></ul>"
    assert to_html("Eén regel\ntwee regels") == "<p>Eén regel<br>twee regels</p>"
    uil, _ = seed()
    user("jan@example.org", "contractor")
    login(client, "jan@example.org")
    claim_by_code(app, client, uil, "jan@deuil.nl")
    post_form(client, f"/ondernemer/{uil.id}/bewerken", {
        "description": "Wij werken in Enschede.\n\nWij bieden:\n- glazenwassen\n- kantoren",
        "regions_served": ["Twente"]})  # fmt: skip
    db.session.remove()
    assert db.session.get(Organisation, uil.id).description == (
        "<p>Wij werken in Enschede.</p><p>Wij bieden:</p><ul><li>glazenwassen</li><li>kantoren</li></ul>"
    )
    (hit,) = search.search(SearchQuery(text="glazenwassen")).hits
    assert hit.snippet == "Wij werken in Enschede.\nWij bieden:\n- <mark>glazenwassen</mark>\n- kantoren"
    page = client.get("/organisaties?q=glazenwassen").get_data(as_text=True)
    assert "Enschede.Wij" not in page and "bieden:- " not in page
