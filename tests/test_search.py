"""Search, facets, exports and the API. The same tests run on Whoosh (SQLite run) and on
PostgreSQL full-text search (PostgreSQL run); documents are indexed when the ingest commits."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from marketplace import search
from marketplace.core.extensions import db
from marketplace.organisations.models import Label
from marketplace.search.query import SearchQuery
from matching.analysis import compound_parts, index_terms, plural_to_singular
from tests.factories import code, ingest, pso, senl


def seed() -> None:
    ingest(
        pso("1-uil", "Coöperatie Schoonmaakbedrijf De Uil", "Enschede", "Trede 3", kvk=("11111111",), pso30plus=True, sectors=["Schoonmaak en glazenwassen"]),
        pso("2-glans", "Glans Schoonmaak B.V.", "Hengelo", "Trede 2", kvk=("22222222",), sectors=["Schoonmaak en glazenwassen"]),
        pso("3-brood", "Brood & Zin", "Deventer", "Trede 3", kvk=("33333333",), sectors=["Voedingsmiddelen"]),
        pso("4-oud", "Oude Fietsenmakerij", "Almelo", "Trede 1", kvk=("44444444",), sectors=["Detailhandel en reparatie"], valid_until=date(2025, 1, 1)),
        code("koffie", "Koffiebranderij Twente", "Enschede", mission="Wij branden koffie en bieden werk aan statushouders.", sectors=["Arbeidsparticipatie"]),
        code("catering", "Catering Samen", "Utrecht", "Aspirant", mission="Lunches en catering voor kantoren.", sectors=["Voedseltransitie"]),
        senl("fietsen", "Fietsen voor Iedereen", "Zwolle", "BOOST", sectors=["Mobiliteit"], mission="Wij repareren fietsen."),
        senl("drukwerk", "Drukkerij Anders", "Den Haag", sectors=["Media & communicatie"]),
    )  # fmt: skip


def names(query: SearchQuery) -> list[str]:
    return [hit.name for hit in search.search(query).hits]


def test_plurals_and_compounds_where_snowball_alone_fails() -> None:
    from whoosh.lang.snowball.dutch import DutchStemmer

    snowball = DutchStemmer()
    assert snowball.stem("fiets") != snowball.stem("fietsen")  # why the light plural rules exist
    assert snowball.stem("bedrijf") != snowball.stem("bedrijven")
    for plural, singular in [("fietsen", "fiets"), ("bedrijven", "bedrijf"), ("huizen", "huis"), ("bakkers", "bakker"),
                             ("kansen", "kans"), ("werkplaatsen", "werkplaats"), ("drukkerijen", "drukkerij"), ("auto's", "auto")]:  # fmt: skip
        assert plural_to_singular(plural) == singular == plural_to_singular(singular)
    assert compound_parts("schoonmaakbedrijf") == ("schoonmaak", "bedrijf")
    assert {"schoonmaakbedrijf", "schoonmaak", "bedrijf"} <= set(index_terms("Schoonmaakbedrijven"))
    assert "cooperatie" in index_terms("Coöperatie")


@pytest.mark.parametrize(
    "words", ["schoonmaak", "schoonmaakbedrijven", "schonmaak", "SCHOONMAAK", "Schoonmaakbedrijf"]
)
def test_cleaners_are_found_however_the_word_is_written(app, words: str) -> None:
    seed()
    found = names(SearchQuery(text=words))
    assert "Coöperatie Schoonmaakbedrijf De Uil" in found
    assert "Brood & Zin" not in found


def test_typos_plurals_and_places(app) -> None:
    seed()
    assert "Fietsen voor Iedereen" in names(SearchQuery(text="fiets"))
    assert "Koffiebranderij Twente" in names(SearchQuery(text="koffie enschede"))
    assert names(SearchQuery(text="koffiebranderijen")) == ["Koffiebranderij Twente"]
    assert "Drukkerij Anders" in names(SearchQuery(text="drukkerij den haag"))


def test_nothing_found_suggests_a_nearby_word(app) -> None:
    seed()
    result = search.search(SearchQuery(text="kofiebrandrij"))
    assert result.total == 0
    assert result.suggestion == "koffiebranderij"


def test_snippets_mark_the_search_words(app) -> None:
    seed()
    (hit,) = search.search(SearchQuery(text="statushouders")).hits
    assert "<mark>statushouders</mark>" in hit.snippet


def test_facets_count_what_the_query_finds_and_filters_combine(app) -> None:
    seed()
    everything = search.search(SearchQuery())
    assert everything.total == 7  # the expired fietsenmakerij is out by default
    assert dict(everything.facets["register"]) == {"pso": 3, "code": 2, "senl": 2}
    cleaners = search.search(SearchQuery(text="schoonmaak"))
    assert dict(cleaners.facets["region"]) == {"Twente": 2}
    assert ("pso:30+", 1) in cleaners.facets["label"]
    assert ("90", 2) in cleaners.facets["cpv"]
    narrowed = search.search(
        SearchQuery(text="schoonmaak", filters={"label": ("pso:Trede 3",), "region": ("Twente",)})
    )
    assert [hit.name for hit in narrowed.hits] == ["Coöperatie Schoonmaakbedrijf De Uil"]
    either = search.search(SearchQuery(filters={"register": ("code", "senl")}))
    assert either.total == 4
    impact = search.search(SearchQuery(filters={"impact": ("Arbeidsparticipatie",)}))
    assert [hit.name for hit in impact.hits] == ["Koffiebranderij Twente"]


def test_expired_labels_leave_default_results_and_grace_is_marked(app) -> None:
    seed()
    assert "Oude Fietsenmakerij" not in names(SearchQuery(text="fietsenmakerij"))
    assert "Oude Fietsenmakerij" in names(SearchQuery(text="fietsenmakerij", include_expired=True))
    label = db.session.scalar(select(Label).where(Label.record_key == "/register/catering/"))
    label.state = "grace"
    label.grace_since = label.last_seen - timedelta(days=3)
    db.session.commit()  # the index follows the commit
    (hit,) = search.search(SearchQuery(text="catering")).hits
    assert hit.in_grace


def test_sorting_and_paging(app) -> None:
    seed()
    by_name = names(SearchQuery(sort="name", per_page=100))
    assert by_name == sorted(by_name, key=str.casefold)
    first, second = (search.search(SearchQuery(sort="name", per_page=3, page=n)) for n in (1, 2))
    assert first.pages == 3 and not {h.id for h in first.hits} & {h.id for h in second.hits}


def test_reindex_rebuilds_from_the_database(app) -> None:
    seed()
    assert search.reindex_all() == 8
    assert "Brood & Zin" in names(SearchQuery(text="brood"))


def test_search_page_keeps_filters_in_links_and_works_without_javascript(client) -> None:
    seed()
    html = client.get("/organisaties?q=schoonmaak&region=Twente&per_page=1").get_data(as_text=True)
    assert "2 organisaties gevonden" in html
    assert 'name="region" value="Twente" checked' in html
    assert "pagina=2" in html and "region=Twente" in html and "q=schoonmaak" in html
    # One small script only opens the filter panel on wide screens; without it, "Filters" opens it.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/filters.js">']
    assert '<details class="filters">' in html and "<summary>Filters (1 gekozen)</summary>" in html
    assert client.get("/organisaties?pagina=xyz&sort=bogus&per_page=-3").status_code == 200
    assert "Bedoelde u" in client.get("/organisaties?q=kofiebrandrij").get_data(as_text=True)


def test_exports_hold_every_row_and_the_filters(client) -> None:
    seed()
    response = client.get("/organisaties/export.csv?register=pso&register=code&per_page=1")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True).lstrip("\ufeff")
    lines = text.splitlines()
    assert "# Filter: Register;PSO, Code Sociale Ondernemingen" in lines
    rows = list(
        csv.DictReader(
            io.StringIO("\n".join(line for line in lines if not line.startswith("#"))), delimiter=";"
        )
    )
    assert len(rows) == 5  # every row, not one page
    uil = next(row for row in rows if row["Naam"].startswith("Coöperatie"))
    assert (uil["PSO"], uil["PSO 30+"], uil["Arbeidsmarktregio"]) == ("Trede 3", "ja", "Twente")
    workbook = load_workbook(io.BytesIO(client.get("/organisaties/export.xlsx?q=schoonmaak").data))
    assert workbook.sheetnames == ["Organisaties", "Filters"]
    assert workbook["Organisaties"].max_row == 3
    assert ["Zoekwoorden", "schoonmaak"] in [
        [c.value for c in row] for row in workbook["Filters"].iter_rows()
    ]


def test_api_searches_with_the_same_filters_and_answers_errors_in_json(client) -> None:
    seed()
    data = client.get("/api/v1/organisations?q=schoonmaak&label=pso:30%2B").get_json()
    assert data["total"] == 1 and data["items"][0]["labels"][0]["pso30plus"] is True
    assert data["items"][0]["labour_market_region"] == "Twente"
    assert {"value": "Twente", "count": 1} in data["facets"]["region"]
    for bad in ("page=0", "per_page=500", "sort=random", "page=abc"):
        response = client.get(f"/api/v1/organisations?{bad}")
        assert response.status_code == 400 and response.is_json and response.get_json()["error"]["message"]
    assert client.get("/api/v1/organisations/none").get_json()["error"]["status"] == 404


def test_openapi_document_describes_every_route_and_parameter(client) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert {"/organisations", "/organisations/{slug}", "/obligations", "/obligations/{obligation_id}"} <= set(document["paths"])
    parameters = {p["name"] for p in document["paths"]["/organisations"]["get"]["parameters"]}
    assert {"q", "page", "per_page", "sort", "region", "label", "cpv", "municipality"} <= parameters
    for rule in client.application.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi":
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            assert path in document["paths"]
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert method.lower() in document["paths"][path], (method, path)


def test_each_database_run_uses_its_own_search_backend(app) -> None:
    from tests.conftest import BACKEND

    assert search.backend().name == ("postgresql" if BACKEND == "postgresql" else "whoosh")


def test_offerings_are_searchable_and_add_their_cpv_category(app) -> None:
    from marketplace.accounts.models import User
    from marketplace.organisations.models import Organisation
    from marketplace.profiles import services as profiles
    from tests.factories import user

    seed()
    user("eigenaar@x.example", "entrepreneur")
    owner = db.session.scalar(select(User))
    brood = db.session.scalar(select(Organisation).where(Organisation.name == "Brood & Zin"))
    profiles.add_offering(brood, owner, "555", "Lunchcatering voor vergaderingen", "Broodjes en soep", None)
    assert names(SearchQuery(text="lunchcatering")) == ["Brood & Zin"]
    assert "Brood & Zin" in names(SearchQuery(filters={"cpv": ("55",)}))


def test_the_whoosh_fork_imports_cleanly_with_warnings_as_errors_and_is_pinned() -> None:
    import subprocess
    import sys
    from importlib.metadata import version
    from pathlib import Path

    modules = "whoosh, whoosh.index, whoosh.fields, whoosh.query, whoosh.searching, whoosh.analysis, marketplace.search.whoosh_backend"
    completed = subprocess.run(
        [sys.executable, "-W", "error", "-c", f"import {modules}"], capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
    setup = (Path(__file__).resolve().parent.parent / "setup.cfg").read_text()
    assert f"whoosh-reloaded=={version('whoosh-reloaded')}" in setup


@pytest.mark.parametrize(
    ("typed", "finds"),
    [
        ("schoonmaker", "Glans Schoonmaak B.V."),
        ("schoonmakers", "Coöperatie Schoonmaakbedrijf De Uil"),
        ("glazenwasser", "Glans Schoonmaak B.V."),
        ("reiniging", "Glans Schoonmaak B.V."),
        ("cleaning", "Glans Schoonmaak B.V."),
        ("fietsenmakers", "Oude Fietsenmakerij"),
        ("bicycle repair", "Fietsen voor Iedereen"),
        ("printing", "Drukkerij Anders"),
        ("drukker", "Drukkerij Anders"),
        ("catering", "Catering Samen"),
        ("coffee", "Koffiebranderij Twente"),
    ],
)
def test_agent_nouns_and_english_trade_words_find_their_trade(app, typed: str, finds: str) -> None:
    seed()
    found = names(SearchQuery(text=typed, include_expired=True))
    assert finds in found
    assert "Brood & Zin" not in found


def test_schoonmaker_no_longer_suggests_maker(app) -> None:
    seed()
    result = search.search(SearchQuery(text="schoonmaker"))
    assert result.total == 2 and result.suggestion is None


def test_a_place_in_the_query_filters_on_that_place(app) -> None:
    seed()
    twente = search.search(SearchQuery(text="schoonmaak twente"))
    assert twente.places == (("region", "Twente"),)
    assert {hit.name for hit in twente.hits} == {"Coöperatie Schoonmaakbedrijf De Uil", "Glans Schoonmaak B.V."}
    assert names(SearchQuery(text="schoonmaak hengelo")) == ["Glans Schoonmaak B.V."]
    assert names(SearchQuery(text="catering utrecht")) == ["Catering Samen"]
    assert names(SearchQuery(text="drukwerk den haag")) == ["Drukkerij Anders"]
    assert names(SearchQuery(text="schoonmaak overijssel")) == names(SearchQuery(text="schoonmaak twente"))
    assert names(SearchQuery(text="schoonmaak utrecht")) == []
    # Asked to take the words literally, "twente" is a word (the coffee roaster's name holds it).
    literal = search.search(SearchQuery(text="koffie twente", literal=True))
    assert literal.places == () and [hit.name for hit in literal.hits] == ["Koffiebranderij Twente"]


def test_a_kvk_number_finds_its_enterprise_however_it_is_typed(app) -> None:
    seed()
    for typed in ("22222222", "2222 2222", "KvK 22222222", "kvk-nummer: 2222 2222"):
        assert names(SearchQuery(text=typed)) == ["Glans Schoonmaak B.V."], typed


def test_pso_level_or_higher_is_one_choice_and_results_show_their_labels(app, client) -> None:
    seed()
    result = search.search(SearchQuery(pso_from="Trede 2"))
    assert {hit.name for hit in result.hits} == {"Coöperatie Schoonmaakbedrijf De Uil", "Glans Schoonmaak B.V.", "Brood & Zin"}
    assert dict(result.pso_from_counts) == {"Aspirant": 3, "Basistrede": 3, "Trede 1": 3, "Trede 2": 3, "Trede 3": 2}
    uil = next(hit for hit in result.hits if hit.name.startswith("Coöperatie"))
    assert uil.labels == ["pso:Trede 3", "pso:30+"]
    page = client.get("/organisaties?pso_vanaf=Trede+2").get_data(as_text=True)
    assert re.search(r'type="radio"[^>]*name="pso_vanaf"[^>]*value="Trede 2"[^>]*checked', page)
    assert "3 organisaties gevonden" in page
    assert "PSO Trede 3" in page and "PSO 30+" in page  # labels at a glance in the result list
    assert client.get("/api/v1/organisations?pso_vanaf=Trede+3").get_json()["total"] == 2


def test_a_pso_level_and_a_ticked_label_both_hold(app, client) -> None:
    """The level's count is what choosing it gives: a ticked label and the level narrow together."""
    seed()
    code_only = SearchQuery(filters={"label": ("code:Toegelaten",)})
    assert names(code_only) == ["Koffiebranderij Twente"]
    both = SearchQuery(filters={"label": ("code:Toegelaten",)}, pso_from="Trede 2")
    result = search.search(both)
    assert dict(result.pso_from_counts)["Trede 2"] == 0
    assert result.total == 0 and result.hits == []
    ticked_pso = search.search(SearchQuery(filters={"label": ("pso:30+",)}, pso_from="Trede 3"))
    assert [hit.name for hit in ticked_pso.hits] == ["Coöperatie Schoonmaakbedrijf De Uil"]
    assert dict(ticked_pso.pso_from_counts)["Trede 3"] == ticked_pso.total == 1
    api = client.get("/api/v1/organisations?label=code%3AToegelaten&pso_vanaf=Trede+2").get_json()
    assert api["total"] == 0


def test_facet_values_are_in_natural_order(app, client) -> None:
    seed()
    labels = [value for value, _count in search.search(SearchQuery(include_expired=True)).facets["label"]]
    from marketplace.search.facet_matrix import natural_order

    ordered = [value for value, _ in natural_order("label", [(value, 1) for value in labels])]
    assert ordered.index("pso:Trede 2") < ordered.index("pso:Trede 3") < ordered.index("pso:30+")
    assert ordered.index("pso:30+") < ordered.index("code:Toegelaten") < ordered.index("code:Aspirant")
    assert ordered.index("senl:Lid") < ordered.index("senl:BOOST")
    page = client.get("/organisaties").get_data(as_text=True)
    shown = re.findall(r'name="label" value="([^"]+)"', page)
    assert shown == [value for value in ordered if value in shown]


def test_exports_speak_the_readers_language(client) -> None:
    seed()
    client.get("/taal/en")
    text = client.get("/organisaties/export.csv?pso_vanaf=Trede+3").get_data(as_text=True).lstrip("\ufeff")
    lines = text.splitlines()
    assert "# PSO level;PSO Trede 3 or higher" in lines and "# Expired labels;not included" in lines
    rows = list(csv.DictReader(io.StringIO("\n".join(line for line in lines if not line.startswith("#"))), delimiter=";"))
    assert rows[0]["Name"] == "Brood & Zin" and rows[0]["PSO 30+"] == "no" and rows[0]["Label status"] == "PSO: valid"
    workbook = load_workbook(io.BytesIO(client.get("/organisaties/export.xlsx").data))
    assert workbook.sheetnames[0] == "Organisations"
