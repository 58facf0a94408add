"""The first pages, as a visitor sees them: Dutch by default, English on request."""

from __future__ import annotations

import re

from tests.factories import code, ingest, login, pso, senl, user


def seed() -> None:
    ingest(
        pso("1-brood-zin", "Brood & Zin", "Deventer", "Trede 3", kvk=("12345678",), pso30plus=True),
        pso("2-groen", "Groenwerk Twente B.V.", "Enschede", "Trede 2", kvk=("22345678",)),
        code("brood-zin", "Brood en Zin", "Deventer", kvk=["12345678"], legal_form="Stichting", mission="Brood bakken met iedereen."),
        code("nieuw", "Nieuwkomer", "Den Haag", "Aangevraagd"),
        senl("stof", "Stof & Zo", "Hoofddorp", "BOOST"),
    )  # fmt: skip


def test_home_shows_search_and_counts_per_label_in_dutch(client) -> None:
    seed()
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert 'role="search"' in html and "Zoeken" in html
    # "Nieuwkomer" only applied to the Code register: an application is not a label.
    assert "3 ondernemingen met een geldig keurmerk" in html
    assert "Aangevraagd" not in html
    assert "PSO 30+" in html and "Toegelaten" in html and "BOOST" in html


def test_english_is_one_click_away_and_sticks(client) -> None:
    seed()
    switched = client.get("/taal/en?next=/organisaties")
    assert switched.status_code == 302 and switched.headers["Location"] == "/organisaties"
    html = client.get("/organisaties").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Organisations" in html and "organisations found" in html
    assert client.get("/taal/en?next=https://evil.example/").headers["Location"] == "/"


def test_listing_filters_by_name_and_register_and_pages(client) -> None:
    seed()
    html = client.get("/organisaties?q=brood").get_data(as_text=True)
    assert "Brood &amp; Zin" in html and "Groenwerk" not in html
    html = client.get("/organisaties?register=senl").get_data(as_text=True)
    assert "Stof &amp; Zo" in html and "Groenwerk" not in html
    assert client.get("/organisaties?pagina=abc&register=bestaatniet").status_code == 200


def test_profile_shows_labels_place_region_and_source(client) -> None:
    seed()
    html = client.get("/organisaties/brood-zin").get_data(as_text=True)
    assert "Brood &amp; Zin" in html
    assert "Trede 3" in html and "PSO 30+" in html and "Toegelaten" in html  # one KvK, two registers
    assert "Deventer" in html and "Stedendriehoek en Noordwest Veluwe" in html and "Overijssel" in html
    assert "https://pso.example/organisatie/1-brood-zin.html" in html
    html = client.get("/organisaties/stof-zo").get_data(as_text=True)
    assert "Haarlemmermeer" in html and "Groot Amsterdam" in html
    assert client.get("/organisaties/bestaat-niet").status_code == 404


def test_every_page_sends_security_headers(client) -> None:
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_api_lists_organisations_and_answers_errors_in_json(client) -> None:
    seed()
    data = client.get("/api/v1/organisations?register=pso").get_json()
    assert data["total"] == 2 and {item["name"] for item in data["items"]} == {
        "Brood & Zin",
        "Groenwerk Twente B.V.",
    }
    one = client.get("/api/v1/organisations/brood-zin").get_json()
    assert {label["register"] for label in one["labels"]} == {"pso", "code"}
    missing = client.get("/api/v1/organisations/bestaat-niet")
    assert missing.status_code == 404 and missing.is_json and "message" in missing.get_json()["error"]
    bad = client.get("/api/v1/organisations?page=x")
    assert bad.status_code == 400 and bad.is_json


def test_crawl_runs_page_is_for_admins_only(client) -> None:
    seed()
    assert client.get("/beheer/crawls").status_code == 302
    user("inkoper@gemeente.example", "procurer")
    user("beheer@impactmarkt.example", "admin")
    login(client, "inkoper@gemeente.example")
    assert client.get("/beheer/crawls").status_code == 403
    client2 = client.application.test_client()
    response = login(client2, "beheer@impactmarkt.example")
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    html = client2.get("/beheer/crawls").get_data(as_text=True)
    assert "Crawls van de registers" in html and "volledig" in html


def test_login_with_a_wrong_password_says_so_and_logs_nobody_in(client) -> None:
    user("a@b.example", "admin")
    response = login(client, "a@b.example", "fout-wachtwoord-123")
    assert response.status_code == 200
    assert "horen niet bij elkaar" in response.get_data(as_text=True)
    assert client.get("/beheer/").status_code == 302


def test_each_count_on_the_home_page_links_to_exactly_that_label_and_level(app, client) -> None:
    import re
    from html import unescape

    from tests.factories import code, ingest, pso

    ingest(
        pso("1-a", "Alfa", "Enschede", level="Trede 2"), pso("2-b", "Beta", "Enschede", level="Trede 2"),
        pso("3-c", "Gamma", "Enschede", level="Trede 3", pso30plus=True), pso("4-d", "Delta", "Zwolle", level="Aspirant"),
        code("e", "Epsilon", "Utrecht"),
    )  # fmt: skip
    home = client.get("/").get_data(as_text=True)
    links = re.findall(
        r'<td>([^<]*)</td>\s*<td>([^<]*)</td>\s*<td class="num"><a href="([^"]+)">(\d+)</a>', home
    )
    assert {(level, int(count)) for _register, level, _href, count in links} >= {
        ("Trede 2", 2),
        ("PSO 30+", 1),
        ("Aspirant", 1),
    }
    for _register, level, href, count in links:
        page = client.get(unescape(href)).get_data(as_text=True)
        found = re.search(r"(\d+) (?:organisaties|organisatie|resultaten|resultaat)", page)
        assert found and int(found.group(1)) == int(count), (level, href, found and found.group(0))


def test_the_crawler_user_agent_points_to_a_page_that_explains_it(app, client) -> None:
    from urllib.parse import urlsplit

    path = urlsplit(app.config["CRAWL_CONTACT_URL"]).path
    page = client.get(path)
    assert page.status_code == 200 and "robots.txt" in page.get_data(as_text=True)
    assert "Zelf aanmelden kan niet" in client.get("/over").get_data(as_text=True)
    for about in ("/privacy", "/toegankelijkheid", "/contact"):
        answer = client.get(about)
        assert answer.status_code == 200 and app.config["CONTACT_EMAIL"] in answer.get_data(as_text=True), (
            about
        )
    home = client.get("/").get_data(as_text=True)
    assert 'rel="icon"' in home and "/over/crawler" in home
    assert client.get("/favicon.ico").status_code == 301
    assert client.get("/static/favicon.svg").status_code == 200


def test_home_says_what_impactmarkt_is_for_whom_with_a_way_in_for_each(client) -> None:
    seed()
    html = client.get("/").get_data(as_text=True)
    lead = re.search(r'<p class="lead">(.*?)</p>', html).group(1)
    for group in ("inkopers", "opdrachtnemers", "sociale ondernemers", "SROI-coördinatoren"):
        assert group in lead
    ways_in = re.search(r'<ul class="ways-in">(.*?)</ul>', html, re.S).group(1)
    for link in ('href="/organisaties"', 'href="/opdrachtnemer/"', 'href="/coordinator/"', 'href="/inkoopvragen/"'):
        assert link in ways_in
    assert 'href="/over#woorden"' in html and 'href="/over#sroi"' in html
    levels = re.findall(r"<td>(Trede \d|PSO 30\+|Toegelaten|BOOST)</td>", html)
    assert levels == ["Trede 2", "Trede 3", "PSO 30+", "Toegelaten", "BOOST"]  # ladder order, PSO first
    assert 'id="woorden"' in client.get("/over").get_data(as_text=True)


def test_api_returns_what_owners_add_and_documents_its_parameters(app, client) -> None:
    from marketplace.core.extensions import db
    from marketplace.organisations.models import Organisation
    from marketplace.organisations.owner_models import Offering

    seed()
    organisation = db.session.query(Organisation).filter_by(slug="stof-zo").one()
    organisation.description, organisation.regions_served = "<p>Wij naaien.</p>", ["Haaglanden"]
    organisation.contact_email, organisation.contact_phone = "info@stof.example", "070 123 45 67"
    db.session.add(Offering(organisation_id=organisation.id, cpv_code="18", title="Bedrijfskleding"))
    db.session.commit()
    one = client.get("/api/v1/organisations/stof-zo").get_json()
    assert one["description"] == "<p>Wij naaien.</p>" and one["regions_served"] == ["Haaglanden"]
    assert one["contact"]["email"] == "info@stof.example"
    assert one["offerings"][0]["cpv_code"] == "18" and one["offerings"][0]["cpv_name"]
    spec = client.get("/api/v1/openapi.json").get_json()
    parameters = {p["name"]: p for p in spec["paths"]["/organisations"]["get"]["parameters"]}
    assert {"q", "pso_vanaf", "letterlijk", "label", "register", "page", "pagina", "per_page", "sort"} <= set(parameters)
    assert "pso:Trede 2" in parameters["label"]["schema"]["items"]["enum"]
    assert "code:Aangevraagd" not in parameters["label"]["schema"]["items"]["enum"]
    assert all(p.get("description") or p["schema"].get("description") or p["schema"].get("enum") or
               p["schema"].get("items", {}).get("enum") for p in parameters.values()), parameters  # fmt: skip
    assert client.get("/api/v1/organisations?label=pso:Trede%209").status_code == 400
