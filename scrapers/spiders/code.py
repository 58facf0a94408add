"""Register of the Code Sociale Ondernemingen: a WordPress card grid, one page per enterprise."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scrapy.http import Response
from scrapy.selector import Selector

from matching import normalise
from matching.records import RegisterRecord
from matching.text import clean
from scrapers.spiders.base import RegisterSpider, first_number, own_text, record_key

# --- Selectors: when the register's layout changes, this block changes. -------------------
# A card is any article that links to an enterprise's register page, wherever the grid stands.
LISTING_CARDS = "article"
CARD_LINK = "a[href*='/register/']::attr(href)"
CARD_CITY = "[class*=plaats] ::text, [class*=vestiging] ::text"
CARD_STATUS = "[class*=status] ::text"
CARD_AREAS = "ul[class*=impact] li ::text"
NEXT_PAGE = "a.next.page-numbers::attr(href)"
STATED_TOTAL = "p.register-aantal::text"  # "197 ondernemingen"
DETAIL_NAME = "h1 ::text"
# Facts are "<strong>Label:</strong> value" lines, wherever the theme puts them.
DETAIL_META_LINES = "p:has(> strong), div:has(> strong), li:has(> strong)"
DETAIL_AREAS = "ul.impactgebieden li ::text"
DETAIL_MISSION = "div.missie ::text"
META_LABELS = {
    "Vestigingsplaats": "city",
    "KvK-nummer": "kvk",
    "Rechtsvorm": "legal_form",
    "Website": "website",
    "Status": "status",
    "In het register sinds": "since",
    "Volgende toetsing": "next_review",
}
# -------------------------------------------------------------------------------------------


def _text(selection: Any) -> str:
    return clean(" ".join(selection.getall()))


def _enterprise_link(card: Selector) -> str | None:
    """The card's link to one enterprise's page (/register/<slug>/), not to a listing page."""
    links = card.css(CARD_LINK).getall()
    return next((href for href in links if re.search(r"/register/(?!page/)[^/]+/?$", href)), None)


def _field_value(label: Selector) -> Selector | list:
    """The nodes after a <strong>Label:</strong> up to the next label or block: several fields
    in one <p> (or an unclosed <p>) must not run into each other."""
    return label.xpath(
        "following-sibling::node()[count(preceding-sibling::strong) = $n]"
        "[not(self::strong or self::p or self::div or self::ul or self::li)]",
        n=int(float(label.xpath("count(preceding-sibling::strong)").get() or 0)) + 1,
    )


class CodeSpider(RegisterSpider):
    name = "code"
    register = "code"

    def parse_listing(self, response: Response) -> Iterator[Any]:
        if self.report.stated_total is None:
            self.report.stated_total = first_number(response.css(STATED_TOTAL).get())
        cards = [card for card in response.css(LISTING_CARDS) if _enterprise_link(card)]
        if not cards:
            why = "geen ondernemingen (artikelen met een link naar het register) in het overzicht"
            self.layout_changed(response, why)
            return
        for card in cards:
            link = _enterprise_link(card)
            self.report.links_found += 1
            yield self.detail_request(
                response.urljoin(link),
                listed_city=_text(card.css(CARD_CITY)),
                listed_status=_text(card.css(CARD_STATUS)),
                listed_areas=[clean(area) for area in card.css(CARD_AREAS).getall() if clean(area)],
            )
        next_page = response.css(NEXT_PAGE).get()
        if next_page:
            yield self.listing_request(response.urljoin(next_page))

    @staticmethod
    def read_meta(lines: Any) -> dict[str, str]:
        meta: dict[str, str] = {}
        for label in lines.xpath("./strong"):
            key = META_LABELS.get(clean(label.xpath("string()").get()).rstrip(":"))
            if key is None or key in meta:
                continue
            nodes = _field_value(label)
            if key == "website":
                meta[key] = own_text(nodes.xpath("./@href | .//@href")) or own_text(nodes)
            else:
                meta[key] = own_text(nodes)
        return meta

    def parse_detail(self, response: Response, **listed: Any) -> Iterator[RegisterRecord]:
        name = _text(response.css(DETAIL_NAME)[:1])
        lines = response.css(DETAIL_META_LINES)
        if not name or not lines:
            why = "geen naam of registergegevens (<strong>Label:</strong> waarde) op de pagina"
            self.layout_changed(response, why)
            return
        meta = self.read_meta(lines)
        areas = [clean(area) for area in response.css(DETAIL_AREAS).getall() if clean(area)]
        yield RegisterRecord(
            register="code",
            record_key=record_key(response.url),
            name=name,
            level=meta.get("status") or listed.get("listed_status") or None,
            legal_form=meta.get("legal_form") or None,
            kvk=normalise.kvk_numbers(meta.get("kvk")),
            city=meta.get("city") or listed.get("listed_city") or None,
            website=normalise.website(meta.get("website")),
            sectors=areas or listed.get("listed_areas") or [],
            valid_from=normalise.dutch_date(meta.get("since")),
            next_review=normalise.dutch_date(meta.get("next_review")),
            mission=_text(response.css(DETAIL_MISSION)) or None,
            source_url=self.public_url(response.url),
            fetched_url=response.url,
        )
