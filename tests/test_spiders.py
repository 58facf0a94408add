"""Each spider against the repository's register snapshot, served on 127.0.0.1.

Exact counts per register, exact fields for a sample of records, and the snapshot's traps:
entities in names, stray whitespace, KvK numbers with spaces and dots, a certificate with
three KvK numbers, a detail page without its level, missing places and websites.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from scrapers.snapshot_server import SNAPSHOT_DIR
from tests.crawling import crawl
from tests.register_server import serve_register

pytestmark = pytest.mark.slow

TRUTH = [json.loads(line) for line in (SNAPSHOT_DIR / "truth-dev.jsonl").read_text().splitlines()]


def truth_keys(register: str) -> set[str]:
    return {row["record_key"] for row in TRUTH if row["register"] == register}


def crawl_snapshot(app, register: str, tmp_path: Path) -> dict[str, dict]:
    with serve_register(SNAPSHOT_DIR / register, register) as start_url:
        result = crawl(app, register, start_url, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "VOLLEDIG" in result.stdout
    # No third-party deprecation noise in the crawl's log (Scrapy 2.13+ passes components no spider).
    assert "DeprecationWarning" not in result.stdout + result.stderr, result.stderr[-2000:]
    by_key = {record["record_key"]: record for record in result.records}
    assert len(by_key) == len(result.records)
    return by_key


def without_source(record: dict) -> dict:
    return {key: value for key, value in record.items() if key not in ("source_url", "fetched_url")}


def test_pso_spider_reads_every_certificate_with_its_facts(app, tmp_path: Path) -> None:
    records = crawl_snapshot(app, "pso", tmp_path)
    assert len(records) == 299
    assert set(records) == truth_keys("pso")
    assert Counter(r["level"] for r in records.values()) == {
        "Trede 2": 91, "Trede 1": 82, "Trede 3": 76, "Basistrede": 25, "Aspirant": 25,
    }  # fmt: skip
    assert sum(r["pso30plus"] for r in records.values()) == 38
    assert without_source(records["/organisatie/10223-maatschap-testlab-de-vonk.html"]) == {
        "register": "pso",
        "record_key": "/organisatie/10223-maatschap-testlab-de-vonk.html",
        "name": "Maatschap Testlab De Vonk",
        "level": "Trede 1",
        "legal_form": None,
        "kvk": ["86037999", "37784273", "36944840"],
        "city": "Delft",
        "province": "Zuid-Holland",
        "website": "https://www.testlabdevonk.nl",
        "sectors": ["ICT-dienstverlening"],
        "pso30plus": False,
        "valid_from": "2024-03-31",
        "valid_until": "2026-03-31",
        "next_review": None,
        "mission": None,
        "membership": None,
    }
    buitengewoon = records["/organisatie/5961-adviesbureau-buitengewoon.html"]
    assert (buitengewoon["kvk"], buitengewoon["city"], buitengewoon["pso30plus"], buitengewoon["website"]) == (
        ["71545645"], "'s-Gravenhage", True, None,
    )  # fmt: skip
    assert records["/organisatie/10715-amsterdamse-specerijenhandel-bv.html"]["kvk"] == ["32905476"]
    # The detail page leaves out its level; the listing row supplies it.
    assert records["/organisatie/24121-pakketservice-bollenstreek.html"]["level"] == "Trede 2"
    names = {r["name"] for r in records.values()}
    assert {
        "Brood & Zin",
        "Testlab De Werf B.V.",
        "Theekracht (Stichting)",
        "Coöperatie De Nieuwe Schoonmaak U.A.",
    } <= names
    # Read from the copy on a loopback port, each record links to the register's own public page.
    assert all(r["fetched_url"].startswith("http://127.0.0.1:") for r in records.values())
    assert {key: r["source_url"] for key, r in records.items()} == {
        key: "https://www.pso-nederland.nl" + key for key in records
    }


def test_code_spider_reads_every_enterprise_with_its_status(app, tmp_path: Path) -> None:
    records = crawl_snapshot(app, "code", tmp_path)
    assert len(records) == 197
    assert set(records) == truth_keys("code")
    assert Counter(r["level"] for r in records.values()) == {
        "Toegelaten": 131,
        "Aspirant": 46,
        "Aangevraagd": 20,
    }
    assert without_source(records["/register/achterhoekse-schilderwerken/"]) == {
        "register": "code",
        "record_key": "/register/achterhoekse-schilderwerken/",
        "name": "Achterhoekse Schilderwerken",
        "level": "Toegelaten",
        "legal_form": "Stichting",
        "kvk": ["02248707"],
        "city": "Doetinchem",
        "province": None,
        "website": "https://www.achterhoekseschilderwerken.nl",
        "sectors": ["Arbeidsparticipatie"],
        "pso30plus": False,
        "valid_from": "2020-06-14",
        "valid_until": None,
        "next_review": "2028-06-01",
        "mission": "Wij voeren onderhoud en schilderwerk uit aan woningen. Zo creëren we werk voor statushouders.",
        "membership": None,
    }
    creche = records["/register/creche-de-bij-v-o-f/"]
    assert (creche["city"], creche["legal_form"], creche["sectors"]) == (
        None,
        "VOF",
        ["Zorg", "Arbeidsparticipatie"],
    )
    assert sum(1 for r in records.values() if r["next_review"] is None) == 20
    assert sum(1 for r in records.values() if r["website"] is None) == 39


def test_senl_spider_reads_members_from_the_json_behind_the_page(app, tmp_path: Path) -> None:
    records = crawl_snapshot(app, "senl", tmp_path)
    assert len(records) == 177
    assert set(records) == truth_keys("senl")
    assert Counter(r["membership"] for r in records.values()) == {"Lid": 133, "BOOST": 44}
    assert all(r["kvk"] == [] for r in records.values())
    assert sum(1 for r in records.values() if r["website"] is None) == 44
    assert records["/leden/brood-zin/"]["name"] == "Brood & Zin"
    assert records["/leden/honing-zonen/"]["name"] == "Honing & Zonen"
    assert without_source(records["/leden/achterhoeks-keramiekatelier/"]) == {
        "register": "senl",
        "record_key": "/leden/achterhoeks-keramiekatelier/",
        "name": "Achterhoeks Keramiekatelier",
        "level": "Lid",
        "legal_form": None,
        "kvk": [],
        "city": "Doetinchem",
        "province": "Gelderland",
        "website": "https://achterhoeks-keramiekatelier.nl",
        "sectors": ["Maakindustrie"],
        "pso30plus": False,
        "valid_from": None,
        "valid_until": None,
        "next_review": None,
        "mission": "Wij maken servies en keramiek met de hand en bieden werk aan jongeren zonder startkwalificatie.",
        "membership": "Lid",
    }
    assert records["/leden/specerijenhandel-middelburg-b-v/"]["city"] is None
