"""PSO certificate register: an HTML table with pagination, one detail page per certificate."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from matching import normalise
from matching.records import RegisterRecord
from matching.text import clean
from scrapers.spiders.base import RegisterSpider, first_number, record_key

# --- Selectors: when the register's layout changes, this block changes. -------------------
LISTING_ROWS = "table.pso-register tbody tr"
ROW_LINK = "td:nth-child(1) a::attr(href)"
ROW_CITY = "td:nth-child(2) ::text"
ROW_LEVEL = "td:nth-child(3) ::text"
ROW_PSO30 = "td:nth-child(4) ::text"
ROW_VALID_UNTIL = "td:nth-child(5) ::text"
NEXT_PAGE = "nav.paginering a[rel=next]::attr(href)"
STATED_TOTAL = "p.register-telling::text"  # "299 certificaten — pagina 1 van 12"
DETAIL_NAME = "h1 ::text"
DETAIL_FACTS = "dl.certificaat"
FACT_LABELS = {
    "KvK-nummer": "kvk",
    "Vestigingsplaats": "city",
    "Provincie": "province",
    "Trede": "level",
    "PSO 30+": "pso30plus",
    "Ingangsdatum": "valid_from",
    "Geldig tot": "valid_until",
    "Branche": "sector",
    "Website": "website",
}
# -------------------------------------------------------------------------------------------


def _text(selection: Any) -> str:
    return clean(" ".join(selection.getall()))


class PsoSpider(RegisterSpider):
    name = "pso"
    register = "pso"

    def parse_listing(self, response: Response) -> Iterator[Any]:
        if self.report.stated_total is None:
            self.report.stated_total = first_number(response.css(STATED_TOTAL).get())
        rows = response.css(LISTING_ROWS)
        if not rows:
            self.listing_unrecognised(response, "geen rijen in de registertabel")
            return
        for row in rows:
            link = row.css(ROW_LINK).get()
            if not link:
                continue
            self.report.links_found += 1
            yield self.detail_request(
                response.urljoin(link),
                listed_city=_text(row.css(ROW_CITY)),
                listed_level=_text(row.css(ROW_LEVEL)),
                listed_pso30=_text(row.css(ROW_PSO30)),
                listed_valid_until=_text(row.css(ROW_VALID_UNTIL)),
            )
        next_page = response.css(NEXT_PAGE).get()
        if next_page:
            yield self.listing_request(response.urljoin(next_page))

    def parse_detail(self, response: Response, **listed: str) -> Iterator[RegisterRecord]:
        facts_list = response.css(DETAIL_FACTS)
        name = _text(response.css(DETAIL_NAME))
        if not facts_list or not name:
            self.detail_unrecognised(response, "geen naam of certificaatgegevens op de pagina")
            return
        facts: dict[str, Any] = {}
        for dt in facts_list.css("dt"):
            key = FACT_LABELS.get(clean(dt.css("::text").get()))
            dd = dt.xpath("following-sibling::dd[1]")
            if key == "website":
                facts[key] = dd.css("a::attr(href)").get() or _text(dd.css("::text"))
            elif key:
                facts[key] = _text(dd.css("::text"))
        # The listing row is a second source for facts a detail page sometimes leaves out.
        level = facts.get("level") or listed.get("listed_level")
        yield RegisterRecord(
            register="pso",
            record_key=record_key(response.url),
            name=name,
            level=level or None,
            kvk=normalise.kvk_numbers(facts.get("kvk")),
            city=facts.get("city") or listed.get("listed_city") or None,
            province=facts.get("province") or None,
            website=normalise.website(facts.get("website")),
            sectors=[facts["sector"]] if facts.get("sector") else [],
            pso30plus=normalise.yes_no(facts.get("pso30plus") or listed.get("listed_pso30")),
            valid_from=normalise.dutch_date(facts.get("valid_from")),
            valid_until=normalise.dutch_date(facts.get("valid_until") or listed.get("listed_valid_until")),
            source_url=response.url,
        )
