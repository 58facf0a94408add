"""Shortlists (make, add, share with colleagues, export) and purchase requests (post, public
without personal data, daily digest to matching enterprises, offers, compare, close)."""

from __future__ import annotations

import csv
import io
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core.extensions import db
from marketplace.organisations.models import Organisation
from marketplace.organisations.owner_models import OrganisationOwner
from marketplace.procurement import purchase_requests
from marketplace.procurement.models import PurchaseRequest, Shortlist
from tests.factories import code, csrf_token, ingest, login, outbox, post_form, user


def listed() -> tuple[Organisation, Organisation]:
    ingest(
        code("glans", "Glans Schoonmaak", "Enschede", kvk=["11111111"], valid_from=date(2021, 3, 12),
             sectors=["Schoonmaak"], mission="Schoonmaak van kantoren"),
        code("korst", "Bakkerij De Korst", "Enschede", kvk=["22222222"], valid_from=date(2021, 3, 12),
             sectors=["Catering"], mission="Brood, lunch en catering"),
    )  # fmt: skip
    glans = db.session.scalar(select(Organisation).where(Organisation.name == "Glans Schoonmaak"))
    korst = db.session.scalar(select(Organisation).where(Organisation.name == "Bakkerij De Korst"))
    return glans, korst


def test_a_procurer_keeps_a_list_shares_it_with_colleagues_and_exports_it(app, client) -> None:
    glans, korst = listed()
    user("inkoper@enschede.nl", "procurer")
    user("collega@enschede.nl", "procurer")
    user("buiten@hengelo.nl", "procurer")
    login(client, "inkoper@enschede.nl")
    assert "Welkom" in client.get("/inkoper/").get_data(as_text=True)
    assert post_form(client, "/lijsten/", {"name": "  "}, page="/lijsten/").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Shortlist)) == 0
    made = post_form(client, "/lijsten/", {"name": "Schoonmaak stadhuis"}, page="/lijsten/")
    list_path = made.headers["Location"]
    shortlist = db.session.scalar(select(Shortlist))
    page = client.get(f"/organisaties/{glans.slug}").get_data(as_text=True)
    assert "Op een lijst zetten" in page
    for organisation in (glans, korst, glans):
        post_form(client, "/lijsten/toevoegen", {"shortlist_id": shortlist.id, "organisation_id": organisation.id,
                                                   "note": "offerte vragen"}, page=f"/organisaties/{glans.slug}")  # fmt: skip
    db.session.expire_all()
    assert len(db.session.get(Shortlist, shortlist.id).items) == 2
    exported = client.get(f"{list_path}/export.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = [
        row for row in csv.reader(io.StringIO(exported), delimiter=";") if row and not row[0].startswith("#")
    ]
    assert {row[0] for row in rows[1:]} == {"Glans Schoonmaak", "Bakkerij De Korst"}
    assert client.get(f"{list_path}/export.xlsx").status_code == 200
    colleague, outsider = app.test_client(), app.test_client()
    login(colleague, "collega@enschede.nl")
    login(outsider, "buiten@hengelo.nl")
    assert colleague.get(list_path).status_code == 404  # not shared yet
    post_form(client, f"{list_path}/delen", {"email": "Collega@Enschede.nl"}, page=list_path)
    assert "Glans Schoonmaak" in colleague.get(list_path).get_data(as_text=True)
    assert outsider.get(list_path).status_code == 404
    token = csrf_token(colleague, list_path)
    assert colleague.post(f"{list_path}/delen", data={"csrf_token": token, "email": "buiten@hengelo.nl"}).status_code == 403
    member = db.session.get(Shortlist, shortlist.id).members[0]
    post_form(client, f"{list_path}/delen/{member.id}/stoppen", {}, page=list_path)
    assert colleague.get(list_path).status_code == 404  # no longer shared with them


def test_a_list_is_shared_with_named_colleagues_never_with_an_e_mail_domain(app, client) -> None:
    # Issue 22: "shared with colleagues of the same e-mail domain" shared with every gmail.com user.
    listed()
    user("inkoper@gmail.com", "procurer")
    user("vreemde@gmail.com", "contractor")
    user("collega@gmail.com", "procurer")
    user("ondernemer@gmail.com", "entrepreneur")
    login(client, "inkoper@gmail.com")
    list_path = post_form(client, "/lijsten/", {"name": "Geheim"}, page="/lijsten/").headers["Location"]
    stranger, colleague = app.test_client(), app.test_client()
    login(stranger, "vreemde@gmail.com")
    login(colleague, "collega@gmail.com")
    refused = post_form(client, f"{list_path}/delen", {"email": "ondernemer@gmail.com"}, page=list_path,
                        follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "Er is geen inkoper of opdrachtnemer met dit e-mailadres" in refused
    post_form(client, f"{list_path}/delen", {"email": "nobody@gmail.com"}, page=list_path)
    post_form(client, f"{list_path}/delen", {"email": "collega@gmail.com"}, page=list_path)
    assert colleague.get(list_path).status_code == 200
    assert stranger.get(list_path).status_code == 404  # same domain, not invited
    assert "Geheim" not in stranger.get("/lijsten/").get_data(as_text=True)
    assert [m.user.email for m in db.session.get(Shortlist, int(list_path.rsplit("/", 1)[-1])).members] == [
        "collega@gmail.com"
    ]


def test_a_purchase_request_is_public_without_personal_data_and_gets_offers(app, client) -> None:
    glans, korst = listed()
    user("inkoper@enschede.nl", "procurer")
    user("eigenaar@korst.example", "entrepreneur")
    owner = db.session.scalar(select(User).where(User.email == "eigenaar@korst.example"))
    db.session.add(OrganisationOwner(organisation_id=korst.id, user_id=owner.id))
    db.session.commit()
    login(client, "inkoper@enschede.nl")
    for bad, words in (({"title": "Lunch", "region": ""}, "Onbekende arbeidsmarktregio"),
                       ({"title": "Lunch", "region": "Twente", "budget": "-1"}, "groter"),
                       ({"title": "Lunch", "region": "Twente", "description": "x" * 100_000}, "te lang"),
                       ({"title": "", "region": "Twente"}, "Vul")):  # fmt: skip
        response = post_form(client, "/inkoopvragen/nieuw", bad)
        assert response.status_code == 400, bad
        assert words in response.get_data(as_text=True), bad
    assert db.session.scalar(select(func.count()).select_from(PurchaseRequest)) == 0
    posted = post_form(client, "/inkoopvragen/nieuw", {"title": "Lunch voor 40 mensen", "region": "Twente",
                       "description": "Catering voor een bijeenkomst", "budget": "1.500", "deadline": "2026-12-15"})  # fmt: skip
    assert posted.status_code == 302
    detail = posted.headers["Location"]
    public = app.test_client().get(detail).get_data(as_text=True)
    assert "Lunch voor 40 mensen" in public and "inkoper@enschede.nl" not in public
    assert "Lunch voor 40 mensen" in app.test_client().get("/inkoopvragen/").get_data(as_text=True)
    sent = app.test_cli_runner().invoke(args=["requests", "digest"])
    assert '"mails": 1' in sent.output, sent.output
    digest = [m for m in outbox(app) if m["To"] == "eigenaar@korst.example"]
    assert len(digest) == 1 and "Lunch voor 40 mensen" in digest[0].get_content()
    assert '"mails": 0' in app.test_cli_runner().invoke(args=["requests", "digest"]).output  # told once
    entrepreneur = app.test_client()
    login(entrepreneur, "eigenaar@korst.example")
    assert "Lunch voor 40 mensen" in entrepreneur.get("/ondernemer/").get_data(as_text=True)
    answer = post_form(entrepreneur, f"{detail}/reageren", {"organisation_id": korst.id, "message": "Wij verzorgen het",
                                                             "price": "1.200"}, page=detail)  # fmt: skip
    assert answer.status_code == 302
    again = post_form(
        entrepreneur, f"{detail}/reageren", {"organisation_id": korst.id, "message": "Nog eens"}, page=detail
    )
    assert again.status_code == 302 and "al gereageerd" in entrepreneur.get(detail).get_data(as_text=True)
    token = csrf_token(entrepreneur, detail)
    assert entrepreneur.post(f"{detail}/reageren", data={"csrf_token": token, "organisation_id": glans.id,
                                                         "message": "niet van mij"}).status_code == 403  # fmt: skip
    mine = client.get(detail).get_data(as_text=True)
    assert "Wij verzorgen het" in mine and "Bakkerij De Korst" in mine
    post_form(client, f"{detail}/sluiten", {}, page=detail)
    assert app.test_client().get(detail).status_code == 404
    assert "Lunch voor 40 mensen" not in app.test_client().get("/inkoopvragen/").get_data(as_text=True)
    assert purchase_requests.open_requests() == []


def test_a_new_request_reaches_fitting_dashboards_at_once_suggests_suppliers_and_mails_each_offer(app, client) -> None:
    glans, korst = listed()
    user("inkoper@enschede.nl", "procurer")
    user("eigenaar@korst.example", "entrepreneur")
    user("eigenaar@glans.example", "entrepreneur")
    for email, organisation in (("eigenaar@korst.example", korst), ("eigenaar@glans.example", glans)):
        owner = db.session.scalar(select(User).where(User.email == email))
        db.session.add(OrganisationOwner(organisation_id=organisation.id, user_id=owner.id))
    db.session.commit()
    entrepreneur, cleaner = app.test_client(), app.test_client()
    login(entrepreneur, "eigenaar@korst.example")
    login(cleaner, "eigenaar@glans.example")
    assert "Nu geen." in entrepreneur.get("/ondernemer/").get_data(as_text=True)
    login(client, "inkoper@enschede.nl")
    posted = post_form(client, "/inkoopvragen/nieuw", {"title": "Lunch en catering voor 40 mensen", "region": "Twente",
                       "description": "Brood en lunch voor een bijeenkomst"})  # fmt: skip
    detail = posted.headers["Location"]
    # No digest has run: the fitting enterprise sees the request on its dashboard now.
    assert "Lunch en catering voor 40 mensen" in entrepreneur.get("/ondernemer/").get_data(as_text=True)
    assert "Lunch en catering voor 40 mensen" not in cleaner.get("/ondernemer/").get_data(as_text=True)
    mine = client.get(detail).get_data(as_text=True)
    suggestions = mine[mine.index('id="voorstellen"') :]
    assert f'href="/organisaties/{korst.slug}"' in suggestions and "Glans Schoonmaak" not in suggestions
    assert 'id="voorstellen"' not in app.test_client().get(detail).get_data(as_text=True)  # its requester only
    before = len([m for m in outbox(app) if m["To"] == "inkoper@enschede.nl"])
    post_form(entrepreneur, f"{detail}/reageren", {"organisation_id": korst.id, "message": "Wij verzorgen één lunch",
                                                    "price": "1.200"}, page=detail)  # fmt: skip
    offers = [m for m in outbox(app) if m["To"] == "inkoper@enschede.nl"]
    assert len(offers) == before + 1
    body = offers[-1].get_content()
    assert "Bakkerij De Korst" in body and "Wij verzorgen één lunch" in body and "€\xa01.200,00" in body
    assert detail in body and "Lunch en catering voor 40 mensen" in offers[-1]["Subject"]
    # The written .eml itself: valid UTF-8 (ASCII on the wire), read back to "één".
    (raw,) = [f.read_bytes() for f in Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml")
              if b"Wij verzorgen" in message_from_bytes(f.read_bytes(), policy=policy.default).get_content().encode()]  # fmt: skip
    raw.decode("utf-8")
    assert b"\xe9\xe9n" not in raw and b'charset="utf-8"' in raw
    assert "één" in message_from_bytes(raw, policy=policy.default).get_content()


def test_a_new_list_is_made_from_the_add_control_and_notes_travel_into_csv_and_excel(app, client) -> None:
    glans, korst = listed()
    user("inkoper@enschede.nl", "procurer")
    login(client, "inkoper@enschede.nl")
    page = client.get(f"/organisaties/{glans.slug}").get_data(as_text=True)
    assert 'name="new_list"' in page and "Maak eerst een lijst" not in page
    refused = post_form(client, "/lijsten/toevoegen", {"organisation_id": glans.id, "new_list": "x" * 500},
                        page=f"/organisaties/{glans.slug}")  # fmt: skip
    assert refused.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Shortlist)) == 0  # refused as a whole
    made = post_form(client, "/lijsten/toevoegen", {"organisation_id": glans.id, "new_list": "Schoonmaak stadhuis",
                     "note": "offerte vragen; bel €\u00a05 terug"}, page=f"/organisaties/{glans.slug}")  # fmt: skip
    list_path = made.headers["Location"]
    shortlist = db.session.scalar(select(Shortlist))
    assert shortlist.name == "Schoonmaak stadhuis" and [i.note for i in shortlist.items] == ["offerte vragen; bel €\u00a05 terug"]
    page = client.get(f"/organisaties/{korst.slug}").get_data(as_text=True)
    assert "Schoonmaak stadhuis" in page  # the list now to choose, a new one still possible
    post_form(client, "/lijsten/toevoegen", {"organisation_id": korst.id, "shortlist_id": shortlist.id},
              page=f"/organisaties/{korst.slug}")  # fmt: skip
    exported = client.get(f"{list_path}/export.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = [row for row in csv.reader(io.StringIO(exported), delimiter=";") if row and not row[0].startswith("#")]
    note_at = rows[0].index("Notitie")
    assert {row[0]: row[note_at] for row in rows[1:]} == {
        "Glans Schoonmaak": "offerte vragen; bel €\u00a05 terug",
        "Bakkerij De Korst": "",
    }
    workbook = load_workbook(io.BytesIO(client.get(f"{list_path}/export.xlsx").data))
    sheet = list(workbook.active.values)
    assert sheet[0][-1] == "Notitie" and {r[0]: r[-1] for r in sheet[1:]}["Glans Schoonmaak"] == "offerte vragen; bel €\u00a05 terug"
