"""The Code Sociale Ondernemingen and SENL readers on saved pages with unclosed elements and broken
markup (issue 22, as done for PSO in test_spiders_offline.py): a field left open never carries
into the next one, and a page a browser shows the same is read the same."""

from __future__ import annotations

import json

import pytest
from scrapy.http import TextResponse

from matching.records import RegisterRecord
from scrapers.report import CrawlReport
from scrapers.snapshot_server import SNAPSHOT_DIR
from scrapers.spiders.code import CodeSpider
from scrapers.spiders.senl import SenlSpider
from tests.test_spiders_offline import BASE, listing_rows, saved

DETAIL = "/register/achterhoekse-schilderwerken/"
ORIGINAL = (SNAPSHOT_DIR / "code" / DETAIL.lstrip("/") / "index.html").read_text(encoding="utf-8")
KVK_LINE = "<p><strong>KvK-nummer:</strong> 02248707</p>"


def code_record(text: str | None = None) -> RegisterRecord:
    spider = CodeSpider(start_url=BASE + "/register/")
    found = list(spider.read_detail(saved("code", DETAIL, text, page_kind="detail")))
    assert len(found) == 1, spider.report.parse_errors
    return found[0]


EXPECTED = code_record()


def test_the_saved_code_page_reads_as_the_register_shows_it() -> None:
    assert EXPECTED.kvk == ["02248707"] and EXPECTED.city == "Doetinchem"
    assert (EXPECTED.legal_form, EXPECTED.level) == ("Stichting", "Toegelaten")
    assert "achterhoekseschilderwerken.nl" in (EXPECTED.website or "")
    assert str(EXPECTED.valid_from) == "2020-06-14" and EXPECTED.sectors == ["Arbeidsparticipatie"]


@pytest.mark.parametrize("tag", ["span", "b", "strong", "em", "a", "p", "li"])
def test_an_element_left_open_in_the_kvk_field_never_carries_into_the_fields_after_it(tag: str) -> None:
    """HTML5 closes a <span> at the paragraph's end but re-opens a <b>, <strong>, <em> or <a> in
    every paragraph after it (the "reconstruct the active formatting elements" step): the next
    labels then stand inside that element, not directly in their paragraph."""
    assert KVK_LINE in ORIGINAL
    if tag == "p":
        opened = KVK_LINE.replace("</p>", "")
    elif tag == "li":
        opened = "<ul><li><strong>KvK-nummer:</strong> 02248707"  # a list item never closed
    else:
        opened = KVK_LINE.replace(" 02248707", f" <{tag}>02248707")
    leaky = ORIGINAL.replace(KVK_LINE, opened).replace("juni 2028", "25-07-2025")
    read = code_record(leaky)
    assert read.kvk == EXPECTED.kvk
    assert (read.legal_form, read.city, read.level, read.valid_from) == (
        EXPECTED.legal_form, EXPECTED.city, EXPECTED.level, EXPECTED.valid_from,
    )
    assert read.website == EXPECTED.website and read.sectors == EXPECTED.sectors


def test_every_closing_tag_of_the_facts_dropped_reads_the_same() -> None:
    sloppy = ORIGINAL
    for closing in ("</p>", "</li>", "</span>", "</strong>", "</a>"):
        sloppy = sloppy.replace(closing, "")
    read = code_record(sloppy)
    assert (read.kvk, read.city, read.legal_form, read.valid_from) == (
        EXPECTED.kvk, EXPECTED.city, EXPECTED.legal_form, EXPECTED.valid_from,
    )


def test_an_open_label_never_swallows_its_own_value_or_the_next_label() -> None:
    # "<strong>KvK-nummer: 02248707" with no </strong>: the label and its value in one element.
    leaky = ORIGINAL.replace(KVK_LINE, "<p><strong>KvK-nummer: 02248707</p>")
    read = code_record(leaky)
    assert read.kvk == EXPECTED.kvk and read.legal_form == EXPECTED.legal_form


def test_code_listing_cards_with_unclosed_elements_keep_each_card_its_own() -> None:
    original = (SNAPSHOT_DIR / "code/register/index.html").read_text(encoding="utf-8")
    plain = listing_rows(CodeSpider(start_url=BASE + "/register/"), saved("code", "/register/"))
    sloppy = original.replace("</span>", "").replace("</li>", "")
    rows = listing_rows(CodeSpider(start_url=BASE + "/register/"), saved("code", "/register/", sloppy))
    assert rows == plain
    assert plain[0]["listed_city"] == "Doetinchem" and plain[0]["listed_status"] == "Toegelaten"


# --- SENL: members come as JSON, whose text fields the page puts in as HTML (innerHTML) ----------


def senl_records(items: list[dict]) -> list[RegisterRecord]:
    spider = SenlSpider(start_url=BASE + "/leden/", report=CrawlReport("senl", BASE + "/leden/"))
    spider.endpoint = BASE + "/wp-json/senl/v1/leden/page-{page}.json"
    body = json.dumps({"total": len(items), "pages": 1, "page": 1, "items": items}).encode()
    response = TextResponse(BASE + "/wp-json/senl/v1/leden/page-1.json", body=body, encoding="utf-8")
    return [item for item in spider.parse_json_page(response, page=1) if isinstance(item, RegisterRecord)]


MEMBER = {
    "naam": "Brood &amp; Zin", "plaats": "Zwolle", "provincie": "Overijssel", "sector": "Horeca",
    "website": "broodenzin.nl", "lidmaatschap": "Lid", "omschrijving": "Wij bakken brood.",
    "url": "/leden/brood-en-zin/",
}  # fmt: skip


@pytest.mark.parametrize(
    ("field", "markup", "shown"),
    [
        ("naam", "<b>Brood &amp; Zin", "Brood & Zin"),
        ("naam", "<span class='x'>Brood</span> &amp; <em>Zin", "Brood & Zin"),
        ("omschrijving", "<p>Wij bakken <strong>brood<p>en taart", "Wij bakken brood en taart"),
        ("omschrijving", "<ul><li>brood<li>taart</ul>", "brood taart"),
        ("plaats", "Zwolle<br>", "Zwolle"),
        ("sector", "<dd>Horeca", "Horeca"),
    ],
)
def test_senl_fields_holding_broken_markup_read_as_the_page_shows_them(field: str, markup: str, shown: str) -> None:
    (record,) = senl_records([{**MEMBER, field: markup}])
    value = {"naam": record.name, "omschrijving": record.mission, "plaats": record.city,
             "sector": (record.sectors or [""])[0]}[field]  # fmt: skip
    assert value == shown
    assert "<" not in (record.name + (record.mission or "") + (record.city or ""))


def test_senl_markup_in_one_member_never_reaches_the_next() -> None:
    first, second = senl_records([{**MEMBER, "naam": "<b>Brood &amp; Zin"}, {**MEMBER, "naam": "Glans", "url": "/leden/glans/"}])
    assert (first.name, second.name) == ("Brood & Zin", "Glans")


def test_senl_text_that_only_looks_like_markup_is_kept() -> None:
    (record,) = senl_records([{**MEMBER, "naam": "Werk &lt;3 Zorg", "omschrijving": "5 < 7 en 9 > 8"}])
    assert record.name == "Werk <3 Zorg" and record.mission == "5 < 7 en 9 > 8"


def test_senl_members_page_with_unclosed_elements_still_names_its_json_source() -> None:
    original = (SNAPSHOT_DIR / "senl/leden/index.html").read_text(encoding="utf-8")
    sloppy = original.replace("</p>", "").replace("</li>", "").replace("<h1>", "<h1><span>")
    spider = SenlSpider(start_url=BASE + "/leden/")
    (request,) = list(spider.read_listing(saved("senl", "/leden/", sloppy)))
    assert request.url == BASE + "/wp-json/senl/v1/leden/page-1.json"
