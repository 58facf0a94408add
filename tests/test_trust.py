"""Defects that would break trust on the day they happen (issue 9), each pinned by a test.

Labels are true on the day of the request, whatever day the index was written; links in
mails never come from the Host header; redirects, exports and numbers cannot be turned
against the site or its users.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from marketplace import search
from marketplace.core import clock
from marketplace.core.extensions import db
from marketplace.directory import services as directory
from marketplace.organisations.models import Label
from marketplace.search.query import SearchQuery
from tests.factories import code, ingest, last_mail_to, post_form, pso, user

RUNS_OUT = date(2026, 11, 15)


def seed() -> None:
    ingest(
        pso("1-kort", "Kortlopend Schoonmaak B.V.", "Enschede", "Trede 2", kvk=("11111111",), valid_until=RUNS_OUT),
        pso("2-lang", "Langlopend Groen B.V.", "Hengelo", "Trede 1", kvk=("22222222",), valid_until=date(2028, 1, 1)),
        code("nieuw", "Nieuwkomer Catering", "Utrecht", "Aangevraagd", valid_from=date(2026, 10, 1)),
    )  # fmt: skip


def everything_on(client, day: date) -> dict[str, object]:
    """What every public view says about listed organisations on `day`."""
    with clock.frozen(day):
        result = search.search(SearchQuery())
        api = client.get("/api/v1/organisations").get_json()
        export = client.get("/organisaties/export.csv").get_data(as_text=True)
        return {
            "database": directory.listed_total(),
            "search": sorted(hit.name for hit in result.hits),
            "facet": dict(result.facets["label"]),
            "api": api["total"],
            "export": sum(1 for line in export.splitlines()[1:] if "Kortlopend" in line or "Langlopend" in line),
            "home": "2 ondernemingen" in client.get("/").get_data(as_text=True),
        }


def test_a_certificate_that_runs_out_leaves_search_api_and_exports_that_day_without_reindex(
    app, client
) -> None:
    seed()
    before = everything_on(client, RUNS_OUT)
    assert before["database"] == before["api"] == 2 == len(before["search"])
    assert before["facet"] == {"pso:Trede 1": 1, "pso:Trede 2": 1}
    after = everything_on(client, RUNS_OUT + timedelta(days=1))
    assert after["database"] == after["api"] == 1
    assert after["search"] == ["Langlopend Groen B.V."]
    assert after["facet"] == {"pso:Trede 1": 1}
    assert after["export"] == 1
    with clock.frozen(RUNS_OUT + timedelta(days=1)):
        expired = search.search(SearchQuery(include_expired=True))
        kort = next(hit for hit in expired.hits if hit.name.startswith("Kortlopend"))
        assert not kort.listed


def test_grace_runs_out_on_its_day_in_search_and_on_the_profile(app, client) -> None:
    seed()
    label = db.session.scalar(select(Label).where(Label.record_key == "/organisatie/2-lang.html"))
    label.state, label.grace_since = "grace", clock.start_of(date(2026, 10, 1))
    db.session.commit()
    last_day = date(2026, 10, 1) + timedelta(days=app.config["GRACE_DAYS"] - 1)
    assert last_day > RUNS_OUT  # by then only the grace label can list anyone
    with clock.frozen(last_day):
        hits = search.search(SearchQuery(text="Langlopend")).hits
        assert [hit.in_grace for hit in hits] == [True]
        assert directory.listed_total() == 1
    with clock.frozen(last_day + timedelta(days=1)):
        assert search.search(SearchQuery(text="Langlopend")).hits == []
        assert directory.listed_total() == 0
        assert "verlopen" in client.get(f"/organisaties/{label.organisation.slug}").get_data(as_text=True)


def test_an_application_to_the_code_register_is_not_a_label(app, client) -> None:
    seed()
    assert "Nieuwkomer Catering" not in [hit.name for hit in search.search(SearchQuery()).hits]
    assert "Nieuwkomer Catering" not in [hit.name for hit in search.search(SearchQuery(text="catering")).hits]
    assert "code:Aangevraagd" not in dict(search.search(SearchQuery(include_expired=True)).facets["label"])
    assert client.get("/api/v1/organisations?q=Nieuwkomer").get_json()["total"] == 0
    slug = db.session.scalar(select(Label).where(Label.register == "code")).organisation.slug
    page = client.get(f"/organisaties/{slug}").get_data(as_text=True)
    assert "aangevraagd" in page
    assert "01-10-2026" not in page and "2026-10-01" not in page  # no "geldig vanaf" for an application
    api = client.get(f"/api/v1/organisations/{slug}").get_json()
    assert api["labels"][0]["state"] == "applied" and api["labels"][0]["valid_from"] is None


def test_a_forged_host_header_never_reaches_a_reset_link(app, client) -> None:
    user("a@gemeente.example", "procurer")
    refused = client.get("/wachtwoord-vergeten", headers={"Host": "evil.example"})
    assert refused.status_code == 400
    post_form(client, "/wachtwoord-vergeten", {"email": "a@gemeente.example"})
    body = last_mail_to(app, "a@gemeente.example").get_content()
    assert "https://impactmarkt.test/wachtwoord-herstellen/" in body
    assert "evil.example" not in body


def test_openapi_servers_and_export_links_use_the_public_url(app, client) -> None:
    seed()
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["servers"] == [{"url": "https://impactmarkt.test/api/v1"}]
    export = client.get("/organisaties/export.csv").get_data(as_text=True)
    assert "https://impactmarkt.test/organisaties/" in export


@pytest.mark.parametrize(
    "target",
    ["/%09/evil.example", "/%0A/evil.example", "//evil.example", "/\\evil.example", "/%5Cevil.example",
     "/%2F%2Fevil.example", "https://evil.example/", "/%252F%252Fevil.example", "javascript:alert(1)"],
)  # fmt: skip
def test_redirects_after_language_switch_and_login_stay_on_the_site(app, client, target: str) -> None:
    assert client.get("/taal/en", query_string={"next": target}).headers["Location"] == "/"
    user("a@gemeente.example", "procurer")
    token_page = f"/inloggen?next={target}"
    response = post_form(
        client, "/inloggen", {"email": "a@gemeente.example", "password": "een-lang-wachtwoord-42"}, page=token_page
    )
    assert response.status_code == 302 and response.headers["Location"] == "/inkoper/"  # the role's start
    with app.test_client() as other:
        response = post_form(
            other, f"/inloggen?next={target}", {"email": "a@gemeente.example", "password": "een-lang-wachtwoord-42"}
        )
        assert response.status_code == 302 and response.headers["Location"] == "/inkoper/"


def test_a_same_site_next_still_works(app, client) -> None:
    assert client.get("/taal/en?next=/organisaties%3Fq%3Dbrood").headers["Location"] == "/organisaties?q=brood"


FORMULAS = ["=HYPERLINK(\"http://evil.example\")", "+31 6 1234", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def test_exports_carry_no_formulas_and_no_characters_excel_refuses(app, client) -> None:
    ingest(*[
        pso(f"{n}-f", f"{start} Schoonmaak", "Enschede", kvk=(f"1000000{n}",)) for n, start in enumerate(FORMULAS)
    ], pso("9-ctl", "Bel\x07 Schoonmaak", "Enschede", kvk=("19999999",)))  # fmt: skip
    export = client.get("/organisaties/export.csv?q=schoonmaak")
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    names = [row[0] for row in rows if row and not row[0].startswith("#")][1:]
    assert len(names) == 7
    assert all(not name.startswith(("=", "+", "-", "@", "\t", "\r")) for name in names)
    workbook = client.get("/organisaties/export.xlsx?q=schoonmaak")
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(workbook.data)).active
    cells = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert len(cells) == 7 and all(isinstance(cell, str) and cell[0] not in "=+-@\t\r" for cell in cells)
    assert "Bel Schoonmaak" in cells
    assert all(row[0].data_type == "s" for row in sheet.iter_rows(min_row=2))


@pytest.mark.parametrize("value", ["²", "١", "0", "-1", "1e3", "99999999999999999999", " 2"])
def test_numbers_in_query_strings_are_read_strictly(app, client, value: str) -> None:
    for name in ("pagina", "per_page"):
        assert client.get("/organisaties", query_string={name: value}).status_code == 200
    for name in ("page", "per_page"):
        response = client.get("/api/v1/organisations", query_string={name: value})
        assert response.status_code == 400 and name in response.get_json()["error"]["message"]


def test_a_405_names_the_allowed_methods(app, client) -> None:
    response = client.delete("/organisaties")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET"}
    api = client.post("/api/v1/organisations")
    assert api.status_code == 405 and "GET" in api.headers["Allow"]


def test_an_index_of_an_older_document_format_rebuilds_itself_from_the_database(app) -> None:
    from dataclasses import replace

    from marketplace.search.documents import documents

    seed()
    old = [replace(doc, format=1) for doc in documents()]
    search.backend().rebuild(old)
    assert sorted(hit.name for hit in search.search(SearchQuery()).hits) == ["Kortlopend Schoonmaak B.V.", "Langlopend Groen B.V."]
