"""Issue 27 through the app: the market scan's counts agree with its lists, the feasibility
sentence follows the threshold, lots, a certificate ending within the contract is marked, the
PDF says what the page says, bad input changes nothing, save/share/rerun shows what changed, in
Dutch and English, by command and by API, and the page passes axe in Chromium (also at 390 px)."""

from __future__ import annotations

import html
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core.extensions import db
from marketplace.market_scan import words
from marketplace.market_scan.models import MarketScan, MarketScanRun
from marketplace.organisations.models import Organisation
from marketplace.sroi.rulesets import company_lists
from matching.analysis import index_terms
from matching.labels import LabelFacts
from matching.market_scan import BAND_KEYS, BUCKETS, Question, ScanIndex, entries, scan
from matching.places import position
from matching.ranking import Candidate, CandidatePool
from tests.browser import axe_violations, chromium, live_server, require_chromium
from tests.factories import PASSWORD, code, csrf_token, ingest, login, post_form, pso, senl, user

PROCURER = "inkoper@enschede.nl"
LONG = {"valid_from": date(2025, 1, 1), "valid_until": date(2029, 6, 30)}


def records() -> list:  # type: ignore[type-arg]
    return [
        pso("schoon", "Schoon Enschede", "Enschede", "Trede 2", pso30plus=True, sectors=["Schoonmaak"],
            mission="Schoonmaak van kantoren en scholen"),  # valid until 2027-01-01: ends within the contract
        pso("glans", "Glans Hengelo", "Hengelo", "Trede 3", pso30plus=True, sectors=["Schoonmaak"], **LONG),
        pso("poets", "Poets Almelo", "Almelo", "Basistrede", pso30plus=True, sectors=["Schoonmaak"], **LONG),
        pso("dak", "Dakwerk Enschede", "Enschede", "Trede 1", sectors=["Dakwerk"], **LONG),
        code("veeg", "Veegwerk Zwolle", "Zwolle", mission="Schoonmaak en glazenwassen voor bedrijven"),
        senl("utrecht", "Schone Stad Utrecht", "Utrecht", "BOOST", sectors=["Schoonmaak"]),
        pso("kook", "Kookstudio Enschede", "Enschede", "Trede 1", pso30plus=True, sectors=["Catering"], **LONG),
        code("korst", "Bakkerij De Korst", "Enschede", "Aspirant", mission="Brood en catering voor kantoren"),
    ]  # fmt: skip


def world() -> None:
    ingest(*records())
    user(PROCURER, "procurer")


def ask(**changes: str) -> dict[str, str]:
    return {"behoefte": "schoonmaak", "plaats": "Enschede", "straal": "50", "begin": "2027-01-01",
            "einde": "2028-12-31", "drempel": "3"} | changes  # fmt: skip


def as_api(values: dict[str, str]) -> dict[str, str]:
    names = {"behoefte": "need", "cpv": "cpv", "plaats": "place", "straal": "radius_km", "begin": "starts_on",
             "einde": "ends_on", "drempel": "threshold"}  # fmt: skip
    return {names[key]: value for key, value in values.items()}


def api_scan(client, **changes: str) -> dict:  # type: ignore[no-untyped-def]
    answer = client.get("/api/v1/market-scan", query_string=as_api(ask(**changes)))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()


def page_counts(page: str) -> dict[str, int]:
    return {key: int(count) for key, count in re.findall(r'<td data-count="([^"]+)">(\d+)</td>', page)}


def test_counts_by_label_level_and_band_agree_with_the_list(app, client) -> None:
    world()
    login(client, PROCURER)
    data = api_scan(client)
    names = {item["name"] for item in data["enterprises"]}
    assert names == {"Schoon Enschede", "Glans Hengelo", "Poets Almelo", "Veegwerk Zwolle", "Schone Stad Utrecht"}
    within = [item for item in data["enterprises"] if item["within_radius"]]
    assert {item["name"] for item in within} == {"Schoon Enschede", "Glans Hengelo", "Poets Almelo"}
    counts = data["counts"]
    assert counts["within_radius"] == len(within) == 3 and counts["fitting"] == 5
    for bucket in BUCKETS:
        assert counts["by_label"][bucket] == sum(bucket in item["counted_as"] for item in within), bucket
    assert counts["by_label"]["pso:30+"] == 3 and counts["by_label"]["pso:Trede 3"] == 1
    everyone = data["enterprises"]
    for limit in (25, 50, 100):
        expected = sum(item["km"] is not None and item["km"] <= limit for item in everyone)
        assert counts["by_band"][f"within_{limit}"] == expected, limit
    assert counts["by_band"]["beyond_100"] == sum(item["km"] is not None and item["km"] > 100 for item in everyone)
    assert set(counts["by_band"]) == set(BAND_KEYS)
    assert counts["by_band"]["beyond_100"] == 1  # Utrecht
    assert [item["km"] for item in within] == sorted(item["km"] for item in within)  # nearest first
    assert within[0]["name"] == "Schoon Enschede"
    for item in everyone:  # the evidence is the supplier's own words
        assert item["evidence"] and all(quote.lower().count("schoonmaak") for quote in item["evidence"])
    assert data["sizes_known"] is False
    assert [source["register"] for source in data["sources"]] == ["pso", "code", "senl"]
    assert all(source["crawled_at"] for source in data["sources"])
    page = client.get("/inkoper/marktscan/", query_string=ask()).get_data(as_text=True)
    assert page_counts(page) == counts["by_label"] | counts["by_band"]


def test_the_feasibility_sentence_follows_the_threshold(app, client) -> None:
    world()
    login(client, PROCURER)
    three = api_scan(client)["counts"]
    assert three["reserved_feasible"] is True and three["pso30_within_radius"] == 3
    assert three["judgement"]["text"].startswith(
        "3 leveranciers met PSO 30+ binnen 50 km bieden schoonmaak: voorbehouden aanbesteden lijkt haalbaar"
    )
    four = api_scan(client, drempel="4")["counts"]
    assert four["reserved_feasible"] is False and "lijkt niet haalbaar" in four["judgement"]["text"]
    near = api_scan(client, straal="5")["counts"]  # only Schoon Enschede within 5 km
    assert near["judgement"]["text"].startswith("1 leverancier met PSO 30+ binnen 5 km biedt schoonmaak")
    assert near["reserved_feasible"] is False
    none = api_scan(client, behoefte="dakwerk")["counts"]
    assert none["judgement"]["code"] == "scan.reserved_none" and none["within_radius"] == 1
    page = client.get("/inkoper/marktscan/", query_string=ask(drempel="4")).get_data(as_text=True)
    assert "lijkt niet haalbaar (u wilde er minstens 4)" in html.unescape(page)
    assert "genoeg capaciteit" in page


def test_a_need_of_several_parts_is_counted_per_lot(app, client) -> None:
    world()
    login(client, PROCURER)
    data = api_scan(client, behoefte="schoonmaak en catering")
    lots = {lot["part"]: lot["counts"] for lot in data["lots"]}
    assert set(lots) == {"schoonmaak", "catering"}
    assert lots["schoonmaak"]["pso30_within_radius"] == 3 and lots["schoonmaak"]["reserved_feasible"]
    assert lots["catering"]["within_radius"] == 2 and lots["catering"]["pso30_within_radius"] == 1
    assert not lots["catering"]["reserved_feasible"]
    page = client.get("/inkoper/marktscan/", query_string=ask(behoefte="schoonmaak en catering"))
    assert "In percelen" in page.get_data(as_text=True)
    assert api_scan(client)["lots"] == []  # one part: no lots


def test_a_certificate_ending_within_the_contract_is_marked(app, client) -> None:
    world()
    login(client, PROCURER)
    items = {item["name"]: item for item in api_scan(client)["enterprises"]}
    assert items["Schoon Enschede"]["certificate_ends_within_contract"] is True  # until 2027-01-01
    assert items["Schoon Enschede"]["labels"][0]["valid_until"] == "2027-01-01"
    assert items["Glans Hengelo"]["certificate_ends_within_contract"] is False  # until 2029-06-30
    assert items["Veegwerk Zwolle"]["certificate_ends_within_contract"] is False  # no end date
    page = client.get("/inkoper/marktscan/", query_string=ask()).get_data(as_text=True)
    assert "<strong>PSO Trede 2 · PSO 30+, geldig tot 01-01-2027 (eindigt binnen het contract)</strong>" in page
    later = api_scan(client, einde="2026-12-31", begin="2026-11-01")["enterprises"]
    assert not any(item["certificate_ends_within_contract"] for item in later)


def test_the_pdf_counts_equal_the_page_counts(app, client) -> None:
    world()
    login(client, PROCURER)
    page = client.get("/inkoper/marktscan/", query_string=ask()).get_data(as_text=True)
    shown = page_counts(page)
    answer = client.get("/inkoper/marktscan/export.pdf", query_string=ask())
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.data))
    width, height = (float(value) for value in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4
    text = " ".join("\n".join(p.extract_text() for p in reader.pages).split())
    with app.test_request_context():
        for key, count in shown.items():
            name = words.bucket_name(key) if ":" in key else words.band_name(key)
            assert f"{name} {count}" in text, (name, count)
    assert "3 leveranciers met PSO 30+ binnen 50 km bieden schoonmaak" in text
    assert "Prestatieladder Socialer Ondernemen (PSO), laatst volledig gecrawld" in text  # the sources
    assert "Schoon Enschede" in text and "Schone Stad Utrecht" in text  # the list
    csv_text = client.get("/inkoper/marktscan/export.csv", query_string=ask()).get_data(as_text=True)
    assert "# PSO 30+;3" in csv_text and "Schoon Enschede" in csv_text
    assert client.get("/inkoper/marktscan/export.xlsx", query_string=ask()).status_code == 200


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"plaats": "Atlantis"}, "We kennen de plaats ‘Atlantis’ niet"),
        ({"straal": "-5"}, "Kies een straal van 1 tot en met 300 km"),
        ({"straal": "10000"}, "Kies een straal van 1 tot en met 300 km"),
        ({"behoefte": "   "}, "Beschrijf wat u zoekt, of geef een CPV-code"),
        ({"begin": "2027-01-01", "einde": "2026-12-31"}, "Het contract kan niet eindigen voordat het begint"),
        ({"cpv": "9091"}, "is geen CPV-code"),
        ({"drempel": "0"}, "Kies een drempel van 1 tot en met 100"),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(app, client, tmp_path: Path, changes, message) -> None:
    world()
    login(client, PROCURER)
    page = client.get("/inkoper/marktscan/", query_string=ask(**changes))
    assert page.status_code == 400 and message in html.unescape(page.get_data(as_text=True))
    assert 'role="alert"' in page.get_data(as_text=True)
    assert client.get("/inkoper/marktscan/export.pdf", query_string=ask(**changes)).status_code == 400
    saved = post_form(client, "/inkoper/marktscan/bewaren", {"naam": "Fout", **ask(**changes)},
                      page="/inkoper/marktscan/", follow_redirects=True)  # fmt: skip
    assert message in html.unescape(saved.get_data(as_text=True))
    assert db.session.scalar(select(func.count()).select_from(MarketScan)) == 0
    api = client.get("/api/v1/market-scan", query_string=as_api(ask(**changes)))
    assert api.status_code == 400 and api.is_json
    file = tmp_path / "scan.json"
    answers = as_api(ask(**changes))
    file.write_text(json.dumps({**answers, "cpv": answers.get("cpv", "").split()}), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["scan", "--json", str(file)])
    assert result.exit_code == 2 and result.stdout == ""
    english = client.get("/inkoper/marktscan/", query_string=ask(**changes, lang="en"))
    assert english.status_code == 400


def test_the_command_prints_the_same_scan_as_the_api(app, client, tmp_path: Path) -> None:
    world()
    login(client, PROCURER)
    file = tmp_path / "scan.json"
    file.write_text(json.dumps({"need": "schoonmaak", "cpv": [], "place": "Enschede", "radius_km": 50,
                                "starts_on": "2027-01-01", "ends_on": "2028-12-31", "threshold": 3}))  # fmt: skip
    result = app.test_cli_runner().invoke(args=["scan", "--json", str(file)])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    api = api_scan(client)
    assert printed["counts"] == api["counts"]
    assert [item["organisation"] for item in printed["enterprises"]] == [i["organisation"] for i in api["enterprises"]]
    assert printed["counts"]["judgement"]["text"].startswith("3 leveranciers met PSO 30+")
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/market-scan" in spec["paths"] and "MarketScan" in spec["components"]["schemas"]
    anonymous = app.test_client().get("/api/v1/market-scan", query_string=as_api(ask()))
    assert anonymous.status_code == 401
    user("bouw@aannemer.example", "contractor")
    contractor = app.test_client()
    login(contractor, "bouw@aannemer.example")
    assert contractor.get("/api/v1/market-scan", query_string=as_api(ask())).status_code == 403
    assert contractor.get("/inkoper/marktscan/").status_code == 403


def test_save_share_run_again_and_see_what_changed(app, client) -> None:
    world()
    user("collega@enschede.nl", "procurer")
    user("buiten@hengelo.nl", "procurer")
    login(client, PROCURER)
    made = post_form(client, "/inkoper/marktscan/bewaren", {"naam": "Schoonmaak stadhuis", **ask()},
                     page="/inkoper/marktscan/")  # fmt: skip
    path = made.headers["Location"]
    scan = db.session.scalar(select(MarketScan))
    assert scan.name == "Schoonmaak stadhuis" and scan.question["radius_km"] == 50 and len(scan.runs) == 1
    page = client.get(path).get_data(as_text=True)
    assert page_counts(page)["pso:30+"] == 3
    colleague, outsider = app.test_client(), app.test_client()
    login(colleague, "collega@enschede.nl")
    login(outsider, "buiten@hengelo.nl")
    assert colleague.get(path).status_code == 404
    refused = post_form(client, f"{path}/delen", {"email": "bouw@nergens.example"}, page=path, follow_redirects=True)
    assert "Wij vinden geen inkoper met dit e-mailadres" in refused.get_data(as_text=True)
    post_form(client, f"{path}/delen", {"email": "Collega@Enschede.nl"}, page=path)
    assert colleague.get(path).status_code == 200 and outsider.get(path).status_code == 404
    assert "Schoonmaak stadhuis" in colleague.get("/inkoper/marktscan/").get_data(as_text=True)
    token = csrf_token(colleague, path)
    assert colleague.post(f"{path}/delen", data={"csrf_token": token, "email": "buiten@hengelo.nl"}).status_code == 403
    assert colleague.get(f"{path}/export.pdf").status_code == 200

    fris = pso("fris", "Fris Oldenzaal", "Oldenzaal", "Trede 2", pso30plus=True, sectors=["Schoonmaak"], **LONG)
    ingest(*records(), fris)  # the next complete crawl lists one more
    post_form(colleague, f"{path}/opnieuw", {}, page=path)  # a colleague may; it waits for the new listing
    assert db.session.scalar(select(func.count()).select_from(MarketScanRun)) == 2
    page = html.unescape(client.get(path).get_data(as_text=True))
    assert "Nieuw: Fris Oldenzaal" in page
    assert "PSO 30+: was 3, nu 4" in page
    assert page_counts(page)["pso:30+"] == 4
    post_form(client, f"{path}/opnieuw", {}, page=path)
    assert "Niets: dezelfde ondernemingen en dezelfde aantallen." in client.get(path).get_data(as_text=True)
    member = db.session.get(MarketScan, scan.id).members[0]
    post_form(client, f"{path}/delen/{member.id}/stoppen", {}, page=path)
    assert colleague.get(path).status_code == 404


def test_the_page_and_its_answer_are_in_english_on_request(app, client) -> None:
    world()
    login(client, PROCURER)
    page = html.unescape(client.get("/inkoper/marktscan/", query_string=ask(lang="en")).get_data(as_text=True))
    assert "Market scan" in page and "Marktverkenning" not in page
    assert "3 suppliers with PSO 30+ within 50 km offer schoonmaak: a reserved tender looks feasible" in page
    assert "within 25 km" in page and "Per label and level, within the radius" in page
    assert "(ends within the contract)" in page
    api = client.get("/api/v1/market-scan", query_string=as_api(ask()) | {"lang": "en"}).get_json()
    assert api["counts"]["judgement"]["text"].startswith("3 suppliers with PSO 30+")


@pytest.mark.browser
def test_the_scan_page_passes_axe_works_with_the_keyboard_and_at_390_pixels(app) -> None:
    require_chromium()
    world()
    with live_server(app) as base, chromium() as context:
        page = context.new_page()
        page.goto(base + "/inkoper/marktscan/")  # to the login page first, and back after it
        page.fill("#email", PROCURER)
        page.fill("#password", PASSWORD)
        page.press("#password", "Enter")
        page.wait_for_selector("#behoefte")
        page.focus("#behoefte")
        page.keyboard.type("schoonmaak en catering")
        page.focus("#plaats")
        page.keyboard.type("Enschede")
        page.keyboard.press("Enter")  # the form is sent with the keyboard alone
        page.wait_for_url("**plaats=Enschede*")
        assert "voorbehouden aanbesteden lijkt haalbaar" in page.inner_text("[role=status]")
        assert page.locator("main h1").count() == 1
        assert axe_violations(page) == []
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert axe_violations(page) == []
        page.goto(base + "/inkoper/marktscan/?lang=en")
        assert axe_violations(page) == []



def test_the_counting_on_its_own_bands_grace_expired_and_unknown_places() -> None:
    """matching.market_scan without the app: a label in grace counts, an expired one does not, an
    enterprise whose place is unknown is in its own band and never within the radius."""
    day = date(2026, 11, 1)
    valid = LabelFacts("pso", "Trede 2", True, "active", valid_from=date(2025, 1, 1), valid_until=date(2029, 1, 1))
    grace = LabelFacts("code", "Toegelaten", False, "grace", valid_from=date(2021, 1, 1), grace_since=date(2026, 10, 1))
    expired = LabelFacts("pso", "Trede 3", True, "active", valid_from=date(2023, 1, 1), valid_until=date(2026, 1, 1))

    def candidate(number: int, labels: tuple, place: tuple) -> Candidate:  # type: ignore[type-arg]
        return Candidate(number, f"s-{number}", f"Schoon {number}", frozenset(index_terms("schoonmaak")), (), labels,
                         *place, texts=(("sector", "Schoonmaak"),))  # fmt: skip

    pool = CandidatePool([
        candidate(1, (valid,), ("Enschede", "Twente", "Overijssel")),
        candidate(2, (grace,), ("Hengelo", "Twente", "Overijssel")),
        candidate(3, (expired,), ("Enschede", "Twente", "Overijssel")),
        candidate(4, (valid,), (None, None, None)),
        candidate(5, (valid,), ("Maastricht", "Zuid-Limburg", "Limburg")),
    ])  # fmt: skip
    question = Question("schoonmaak", (), "Enschede", position("Enschede"), 25, day, date(2028, 12, 31), 2, day)
    index = ScanIndex(pool)
    result = scan(question, index)
    assert result.tally.fitting == 4  # the expired one is not listed
    assert result.tally.within_radius == 2 and result.tally.by_label["code:Toegelaten"] == 1
    assert result.tally.by_band == {"within_25": 2, "within_50": 2, "within_100": 2, "beyond_100": 1, "unknown": 1}
    assert result.tally.pso30_within == 1 and not result.tally.feasible
    listed = {entry.organisation_id: entry for entry in entries(result, index)}
    assert listed[4].band == "unknown" and listed[4].km is None and not listed[4].within_radius
    assert listed[2].labels[0].state == "grace"
    assert [entry.organisation_id for entry in entries(result, index)][:2] == [1, 2]  # within the radius first


def test_sw_companies_on_a_coordinators_list_count_towards_a_reserved_tender(app, client) -> None:
    """Art. 2.82 admits SW companies beside PSO 30+ enterprises: a listed enterprise that a region's
    coordinator put on the list of SW companies (issue 28) counts when it fits within the radius."""
    ingest(*records(), code("wsw", "Werkbedrijf Twente", "Enschede", kvk=["55555555"],
                            mission="Schoonmaak en groenonderhoud door mensen met een arbeidsbeperking"))  # fmt: skip
    user(PROCURER, "procurer")
    user("coordinator@twente.example", "coordinator", regions=("Twente",))
    login(client, PROCURER)
    before = api_scan(client, drempel="4")["counts"]
    assert (before["pso30_within_radius"], before["sw_companies_within_radius"]) == (3, 0)
    assert before["reserved_feasible"] is False
    werkbedrijf = db.session.scalar(select(Organisation).where(Organisation.name == "Werkbedrijf Twente"))
    coordinator = db.session.scalar(select(User).where(User.email == "coordinator@twente.example"))
    company_lists.add(coordinator, werkbedrijf.municipality.region_id, "sw_company",
                      organisation=werkbedrijf.slug, source="brief van de gemeente")  # fmt: skip
    db.session.commit()
    after = api_scan(client, drempel="4")["counts"]
    assert (after["pso30_within_radius"], after["sw_companies_within_radius"]) == (3, 1)
    assert after["reserved_feasible"] is True
    page = client.get("/inkoper/marktscan/", query_string=ask(drempel="4")).get_data(as_text=True)
    assert "op de lijst van zijn regio heeft gezet: 1." in html.unescape(page)
