"""Spiders on saved responses, in-process (as City Bureau's city-scrapers test theirs): fast checks
of what each spider reads from a page, including pages laid out differently or sloppily.
The end-to-end crawls over real HTTP are in test_spiders.py and the crawl fault tests."""

from __future__ import annotations

import re

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse

from matching.records import RegisterRecord
from scrapers.report import CrawlReport
from scrapers.snapshot_server import SNAPSHOT_DIR
from scrapers.spiders.code import CodeSpider
from scrapers.spiders.pso import PsoSpider
from scrapers.spiders.senl import SenlSpider
from tests.register_server import HEADER_RENAMES, MALFORMED, reorder_columns

BASE = "https://register.example"
DE_VONK = "/organisatie/10223-maatschap-testlab-de-vonk.html"


def saved(register: str, path: str, text: str | None = None, **meta: object) -> HtmlResponse:
    local = SNAPSHOT_DIR / register / path.lstrip("/")
    local = local / "index.html" if local.is_dir() else local
    body = text if text is not None else local.read_text(encoding="utf-8")
    request = Request(BASE + path, meta=meta)
    return HtmlResponse(BASE + path, body=body.encode(), encoding="utf-8", request=request,
                        headers={"Content-Type": "text/html; charset=utf-8"})  # fmt: skip


def listing_rows(spider, response) -> list[dict]:  # type: ignore[no-untyped-def]
    return [
        {"url": request.url, **request.cb_kwargs}
        for request in spider.read_listing(response)
        if request.callback == spider.read_detail
    ]


def pso_record(text: str | None = None) -> RegisterRecord:
    spider = PsoSpider(start_url=BASE + "/register/index.html")
    (record,) = list(spider.read_detail(saved("pso", DE_VONK, text, page_kind="detail")))
    return record


def test_pso_listing_reads_rows_by_header_names_in_any_order() -> None:
    spider = PsoSpider(start_url=BASE + "/register/index.html")
    plain = listing_rows(spider, saved("pso", "/register/index.html"))
    original = (SNAPSHOT_DIR / "pso/register/index.html").read_text(encoding="utf-8")
    for variant in (reorder_columns(original), original.replace("<th>Plaats</th>", "<th>Vestigingsplaats</th>")
                    .replace("<th>Trede</th>", "<th>Niveau</th>").replace("<th>Organisatie</th>", "<th>Naam</th>")):  # fmt: skip
        other = PsoSpider(start_url=BASE + "/register/index.html")
        assert listing_rows(other, saved("pso", "/register/index.html", variant)) == plain
    assert len(plain) == 25 and spider.report.stated_total == 299
    assert plain[0]["listed_city"] == "Doetinchem" and plain[0]["listed_level"] == "Trede 2"


def test_pso_listing_without_readable_rows_or_known_headers_is_unreadable_not_empty() -> None:
    original = (SNAPSHOT_DIR / "pso/register/index.html").read_text(encoding="utf-8")
    empty = re.sub(r"<tr><td>.*?</tr>", "", original, flags=re.S)
    spider = PsoSpider(start_url=BASE + "/register/index.html")
    assert listing_rows(spider, saved("pso", "/register/index.html", empty)) == []
    assert "geen leesbare rijen" in spider.report.listing_failures[0]
    unknown = original.replace("<th>Trede</th>", "<th>Stap</th>")
    spider = PsoSpider(start_url=BASE + "/register/index.html")
    assert listing_rows(spider, saved("pso", "/register/index.html", unknown)) == []
    assert "kolom voor naam en trede" in spider.report.layout_problems[0]


def test_pso_detail_is_read_the_same_with_renamed_fields_and_unclosed_elements() -> None:
    expected = pso_record()
    assert expected.kvk == ["86037999", "37784273", "36944840"] and expected.city == "Delft"
    original = (SNAPSHOT_DIR / "pso" / DE_VONK.lstrip("/")).read_text(encoding="utf-8")
    renamed = original
    for old, new in HEADER_RENAMES.items():
        renamed = renamed.replace(old, new)
    sloppy = original
    for old, new in MALFORMED.items():
        sloppy = sloppy.replace(old, new)
    assert pso_record(renamed) == expected
    assert pso_record(sloppy) == expected


def test_a_later_date_never_leaks_into_the_kvk_number() -> None:
    original = (SNAPSHOT_DIR / "pso" / DE_VONK.lstrip("/")).read_text(encoding="utf-8")
    # Every dt and dd left open, and the list in a wrapper that keeps the parser from closing them.
    leaky = original.replace("</dd>", "").replace("</dt>", "").replace('<dl class="certificaat">', '<dl class="certificaat"><div>')
    assert leaky != original
    assert pso_record(leaky).kvk == ["86037999", "37784273", "36944840"]


def test_a_truncated_detail_page_is_unread_and_named() -> None:
    original = (SNAPSHOT_DIR / "pso" / DE_VONK.lstrip("/")).read_text(encoding="utf-8")
    spider = PsoSpider(start_url=BASE + "/register/index.html")
    assert list(spider.read_detail(saved("pso", DE_VONK, original[: len(original) // 2]))) == []
    assert spider.report.unread_keys == {DE_VONK}


def test_code_cards_and_detail() -> None:
    spider = CodeSpider(start_url=BASE + "/register/")
    rows = listing_rows(spider, saved("code", "/register/"))
    assert len(rows) == 12 and spider.report.stated_total == 197
    detail = "/register/achterhoekse-schilderwerken/"
    (record,) = list(spider.read_detail(saved("code", detail, page_kind="detail")))
    assert (record.name, record.level, record.legal_form) == ("Achterhoekse Schilderwerken", "Toegelaten", "Stichting")


def test_senl_json_page() -> None:
    spider = SenlSpider(start_url=BASE + "/leden/", report=CrawlReport("senl", BASE + "/leden/"))
    spider.endpoint = BASE + "/wp-json/senl/v1/leden/page-{page}.json"
    body = (SNAPSHOT_DIR / "senl/wp-json/senl/v1/leden/page-1.json").read_bytes()
    response = TextResponse(BASE + "/wp-json/senl/v1/leden/page-1.json", body=body, encoding="utf-8")
    found = list(spider.parse_json_page(response, page=1))
    records = [item for item in found if isinstance(item, RegisterRecord)]
    assert len(records) == 50 and spider.report.stated_total == 177
    assert all("&amp;" not in record.name and "&#" not in record.name for record in records)


def test_code_fields_sharing_one_paragraph_never_run_into_each_other() -> None:
    detail = "/register/achterhoekse-schilderwerken/"
    original = (SNAPSHOT_DIR / "code/register/achterhoekse-schilderwerken/index.html").read_text(encoding="utf-8")
    squeezed = original.replace("02248707</p>\n<p><strong>Rechtsvorm:", "02248707<br><strong>Rechtsvorm:")
    squeezed = squeezed.replace("</p>\n<p><strong>In het register sinds:", " <strong>In het register sinds:")
    assert squeezed != original
    spider = CodeSpider(start_url=BASE + "/register/")
    (plain,) = list(spider.read_detail(saved("code", detail, page_kind="detail")))
    (record,) = list(spider.read_detail(saved("code", detail, squeezed, page_kind="detail")))
    assert record == plain
    assert record.kvk == ["02248707"] and record.legal_form == "Stichting"


@pytest.mark.parametrize("tag", ["span", "b", "strong", "dd", "p", "li"])
def test_an_unclosed_element_never_carries_one_field_into_another(tag: str) -> None:
    """Issue 22: an unclosed <span> carried the later fields into the KvK numbers (25-07-2025
    read as KvK 25072025). Pages are parsed as a browser parses them (HTML5), so a <dt> or <dd>
    ends an open inline element or paragraph, and the next field stays its own."""
    expected = pso_record()
    original = (SNAPSHOT_DIR / "pso" / DE_VONK.lstrip("/")).read_text(encoding="utf-8")
    first_dd = original.index("<dd>86037999")
    end_of_kvk = original.index("</dd>", first_dd)
    kvk_field = original[first_dd:end_of_kvk]
    # The field's own </dd> is dropped every time; for the other tags an element opened in it too.
    opened = kvk_field if tag == "dd" else kvk_field.replace("<dd>", f"<dd><{tag}>", 1)
    leaky = original[:first_dd] + opened + original[end_of_kvk + len("</dd>"):]
    # A later date in the form the issue saw, in a field of its own.
    leaky = leaky.replace("<dd>31-03-2024</dd>", "<dd>25-07-2025</dd>")
    read = pso_record(leaky)
    assert read.kvk == expected.kvk
    assert read.city == expected.city
