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
from scrapers.spiders.base import RegisterSpider, first_number, record_key

# --- Selectors: when the register's layout changes, this block changes. -------------------
# A card is any article that links to an enterprise's register page, wherever the grid stands.
LISTING_CARDS = "article"
CARD_LINK = "a[href*='/register/']::attr(href)"
CARD_CITY = "[class*=plaats], [class*=vestiging]"
CARD_STATUS = "[class*=status]"
CARD_AREAS = "ul[class*=impact] li ::text"
NEXT_PAGE = "a.next.page-numbers::attr(href)"
STATED_TOTAL = "p.register-aantal::text"  # "197 ondernemingen"
DETAIL_NAME = "h1 ::text"
# Facts are "<strong>Label:</strong> value" lines, wherever the theme puts them (read in order).
DETAIL_FACTS = "body"
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
CARD_FIELDS = (CARD_CITY, CARD_STATUS)
# -------------------------------------------------------------------------------------------


def _text(selection: Any) -> str:
    return clean(" ".join(selection.getall()))


def _enterprise_link(card: Selector) -> str | None:
    """The card's link to one enterprise's page (/register/<slug>/), not to a listing page."""
    links = card.css(CARD_LINK).getall()
    return next((href for href in links if re.search(r"/register/(?!page/)[^/]+/?$", href)), None)


# Elements that end a line of facts, wherever the theme or a browser's repair put them.
LINE_BREAKS = frozenset(
    {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "br", "h1", "h2", "h3", "h4", "table", "tr", "td",
     "section", "article", "header", "footer"}
)  # fmt: skip
LABEL_START, HREF_START, HREF_END = "\x00", "\x01", "\x02"
# A label: a <strong> that opens with a short name and a colon ("KvK-nummer:"), known or not.
_LABEL = re.compile(LABEL_START + r"\s*([^\n:\x00-\x02]{1,40}?)\s*:")
_MARKS = re.compile(f"[{LABEL_START}{HREF_START}{HREF_END}]")
_HREF = re.compile(f"{HREF_START}([^{HREF_END}]*){HREF_END}")


def _flatten(element: Any, parts: list[str]) -> None:
    """The page's text in reading order: a line break at every block, a mark where each <strong>
    begins (a possible label) and each link's address beside its text. Reading text in order,
    not by an element's children, keeps the facts apart however the markup nests them: HTML5
    re-opens an unclosed <b>, <strong> or <a> in every paragraph after it, so later labels stand
    inside that element instead of directly in their paragraph."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in ("script", "style"):
        return
    if tag in LINE_BREAKS:
        parts.append("\n")
    if tag == "strong":
        parts.append(LABEL_START)
    if tag == "a" and element.get("href"):
        parts.append(f"{HREF_START}{element.get('href')}{HREF_END}")
    if tag and element.text:
        parts.append(element.text)
    for child in element:
        _flatten(child, parts)
        if child.tail:
            parts.append(child.tail)
    if tag in LINE_BREAKS:
        parts.append("\n")


def labelled_facts(root: Any) -> dict[str, tuple[str, list[str]]]:
    """Each known label's value (text and link addresses): from its colon to the next label or
    the end of its line; the first occurrence of a label counts."""
    parts: list[str] = []
    _flatten(root, parts)
    text = "".join(parts)
    labels = list(_LABEL.finditer(text))
    facts: dict[str, tuple[str, list[str]]] = {}
    for index, label in enumerate(labels):
        key = META_LABELS.get(clean(label.group(1)))
        if key is None or key in facts:
            continue
        end = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        value = text[label.end():end].split("\n", 1)[0]
        facts[key] = (clean(_MARKS.sub(" ", _HREF.sub(" ", value))), _HREF.findall(value))
    return facts


def _card_text(card: Selector, css: str) -> str:
    """A card field's own text, without another field or block an unclosed element left nested
    in it (<span class=plaats>Doetinchem<span class=status>… keeps the status out of the city)."""
    found = card.css(css)[:1]
    if not found:
        return ""
    # The nodes themselves are kept (lxml hands out the same proxy while one is alive, not its id).
    field = found[0].root
    inner = [node.root for other in CARD_FIELDS for node in found[0].css(other) if node.root is not field]
    parts: list[str] = []

    def walk(element: Any) -> None:
        parts.append(element.text or "")
        for child in element:
            if not isinstance(child.tag, str) or child.tag in LINE_BREAKS or any(child is n for n in inner):
                break  # what follows a nested field or block is no longer this field's text
            walk(child)
            parts.append(child.tail or "")

    walk(field)
    return clean(" ".join(parts))


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
                listed_city=_card_text(card, CARD_CITY),
                listed_status=_card_text(card, CARD_STATUS),
                listed_areas=[clean(area) for area in card.css(CARD_AREAS).getall() if clean(area)],
            )
        next_page = response.css(NEXT_PAGE).get()
        if next_page:
            yield self.listing_request(response.urljoin(next_page))

    @staticmethod
    def read_meta(page: Any) -> dict[str, str]:
        meta: dict[str, str] = {}
        for key, (value, links) in labelled_facts(page.root).items():
            meta[key] = (links[0] if links else value) if key == "website" else value
        return meta

    def parse_detail(self, response: Response, **listed: Any) -> Iterator[RegisterRecord]:
        name = _text(response.css(DETAIL_NAME)[:1])
        page = response.css(DETAIL_FACTS)[:1]
        meta = self.read_meta(page[0]) if page else {}
        if not name or not meta:
            why = "geen naam of registergegevens (<strong>Label:</strong> waarde) op de pagina"
            self.layout_changed(response, why)
            return
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
