"""PSO certificate register: an HTML table with pagination, one detail page per certificate."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response
from scrapy.selector import Selector

from matching import normalise
from matching.records import RegisterRecord
from matching.text import clean
from scrapers.spiders.base import RegisterSpider, field_text, first_number, own_text, record_key

# --- Layout: when the register's pages change, this block changes. ----------------------
# The listing table is read by its header names, in any column order; each column is known by
# the names registers use for it.
COLUMN_NAMES = {
    "name": ("organisatie", "naam", "onderneming", "bedrijf", "bedrijfsnaam", "organisatienaam"),
    "city": ("plaats", "woonplaats", "vestigingsplaats", "vestiging", "gemeente"),
    "level": ("trede", "niveau", "tredeniveau", "certificaat", "certificaatniveau"),
    "pso30plus": ("pso 30+", "30+", "pso30+", "pso 30 plus"),
    "valid_until": ("geldig tot", "geldig t/m", "geldig tot en met", "vervaldatum", "einddatum"),
}
REQUIRED_COLUMNS = ("name", "level")
TABLES = "table"
DETAIL_LINK = "a[href*='/organisatie/']::attr(href)"
NEXT_PAGE = "a[rel=next]::attr(href)"
STATED_TOTAL = "p.register-telling::text"  # "299 certificaten — pagina 1 van 12"
DETAIL_NAME = "h1 ::text"
DETAIL_FACTS = "dl"
FACT_LABELS = {
    "kvk": ("kvk-nummer", "kvk", "kvk-nummers", "kvk nummer"),
    "city": ("vestigingsplaats", "plaats", "woonplaats"),
    "province": ("provincie",),
    "level": ("trede", "niveau"),
    "pso30plus": ("pso 30+", "30+"),
    "valid_from": ("ingangsdatum", "geldig vanaf", "datum certificering"),
    "valid_until": ("geldig tot", "geldig t/m", "vervaldatum"),
    "sector": ("branche", "sector"),
    "website": ("website", "internet"),
}
# -------------------------------------------------------------------------------------------


def _text(selection: Any) -> str:
    return clean(" ".join(selection.getall()))


def _known(label: str, names: dict[str, tuple[str, ...]]) -> str | None:
    folded = clean(label).rstrip(":").lower()
    return next((key for key, spellings in names.items() if folded in spellings), None)


def read_header(table: Selector) -> dict[str, int]:
    """Column positions by meaning, from the table's header cells."""
    header = table.css("thead tr") or table.css("tr")
    cells = header[0].css("th, td") if header else []
    columns: dict[str, int] = {}
    for position, cell in enumerate(cells):
        meaning = _known(_text(cell.css("::text")), COLUMN_NAMES)
        if meaning and meaning not in columns:
            columns[meaning] = position
    return columns


def register_table(response: Response) -> tuple[Selector | None, dict[str, int], str]:
    """The table that holds the register, its columns, and (when none fits) what is missing."""
    seen: list[str] = []
    for table in response.css(TABLES):
        columns = read_header(table)
        if all(column in columns for column in REQUIRED_COLUMNS):
            return table, columns, ""
        seen.append(", ".join(_text(cell.css("::text")) for cell in table.css("tr")[:1].css("th, td")))
    if not seen:
        return None, {}, "geen registertabel op de pagina"
    return None, {}, f"registertabel zonder kolom voor naam en trede (kolommen: {'; '.join(seen)[:200]})"


class PsoSpider(RegisterSpider):
    name = "pso"
    register = "pso"

    def parse_listing(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if self.report.stated_total is None:
            self.report.stated_total = first_number(response.css(STATED_TOTAL).get())
        table, columns, problem = register_table(response)
        if table is None:
            self.layout_changed(response, problem)
            return
        rows = [row for row in table.css("tr") if row.css("td")]
        links = 0
        for row in rows:
            cells = row.css("td")
            link = row.css(DETAIL_LINK).get() or cells[columns["name"]].css("a::attr(href)").get()
            if not link:
                continue
            links += 1
            self.report.links_found += 1

            def cell(meaning: str, cells: Any = cells) -> str:
                position = columns.get(meaning)
                inside = position is not None and position < len(cells)
                return _text(cells[position].css("::text")) if inside else ""

            yield self.detail_request(
                response.urljoin(link),
                listed_city=cell("city"),
                listed_level=cell("level"),
                listed_pso30=cell("pso30plus"),
                listed_valid_until=cell("valid_until"),
            )
        if not links:
            self.listing_unrecognised(response, "geen leesbare rijen in de registertabel")
            return
        next_page = response.css(NEXT_PAGE).get()
        if next_page:
            yield self.listing_request(response.urljoin(next_page))

    def parse_detail(self, response: Response, **listed: str) -> Iterator[RegisterRecord]:
        name = _text(response.css(DETAIL_NAME))
        facts: dict[str, Any] = {}
        for dt in response.css(DETAIL_FACTS).css("dt"):
            key = _known(_text(dt.css("::text")), FACT_LABELS)
            if key is None or key in facts:
                continue
            # The page was parsed as a browser parses it (base.as_a_browser_reads_it): the dd holds
            # its own field and nothing of the next, whatever it wraps the text in (p, li, span).
            dd = dt.xpath("following::dd[1]")
            if key == "website":
                facts[key] = own_text(dd.xpath(".//@href")) or field_text(dd)
            else:
                facts[key] = field_text(dd)
        if not name or ("kvk" not in facts and "level" not in facts):
            self.layout_changed(response, "geen naam of certificaatgegevens (dt/dd) op de detailpagina")
            return
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
            source_url=self.public_url(response.url),
            fetched_url=response.url,
        )
