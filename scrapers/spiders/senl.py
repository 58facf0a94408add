"""Social Enterprise NL members: a JavaScript page that loads its list from a JSON endpoint.

The spider reads the endpoint the page names and takes each member from the JSON; the
member's detail page is the record key, as on the page itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from matching import normalise
from matching.records import RegisterRecord
from scrapers.spiders.base import RegisterSpider, html_text, record_key

# --- Selectors and JSON fields: when the register changes, this block changes. -------------
ENDPOINT_ATTRIBUTE = "#ledenlijst::attr(data-endpoint)"  # "/wp-json/senl/v1/leden/page-{page}.json"
PAGE_PLACEHOLDER = "{page}"
# Each field by the names the register (a WordPress site) has used or may use for it.
JSON_TOTAL = ("total", "totaal", "count", "aantal")
JSON_PAGES = ("pages", "paginas", "pagina's", "total_pages")
JSON_ITEMS = ("items", "leden", "members", "data")
ITEM_FIELDS = {
    "name": ("naam", "name", "titel", "title"),
    "city": ("plaats", "vestigingsplaats", "woonplaats", "city"),
    "province": ("provincie", "province"),
    "sector": ("sector", "branche"),
    "website": ("website", "url_website", "site"),
    "membership": ("lidmaatschap", "membership", "type"),
    "mission": ("omschrijving", "beschrijving", "description"),
    "url": ("url", "link", "permalink"),
}
# -------------------------------------------------------------------------------------------


_MISSING = object()


def first_of(data: Any, names: tuple[str, ...], default: Any = _MISSING) -> Any:
    """The value of the first of `names` the object has; KeyError when none (and no default)."""
    for name in names:
        if isinstance(data, dict) and name in data:
            return data[name]
    if default is _MISSING:
        raise KeyError(names[0])
    return default


class SenlSpider(RegisterSpider):
    name = "senl"
    register = "senl"

    def parse_listing(self, response: Response) -> Iterator[Any]:
        """The members page: find the JSON endpoint and ask for its first page."""
        endpoint = response.css(ENDPOINT_ATTRIBUTE).get()
        if not endpoint or PAGE_PLACEHOLDER not in endpoint:
            self.listing_unrecognised(response, "de ledenpagina noemt geen JSON-bron")
            return
        self.endpoint = response.urljoin(endpoint)
        yield self.json_request(1)

    def json_request(self, page: int) -> Any:
        request = self.listing_request(self.endpoint.replace(PAGE_PLACEHOLDER, str(page)))
        return request.replace(callback=self.parse_json_page, cb_kwargs={"page": page})

    def parse_json_page(self, response: Response, page: int) -> Iterator[Any]:
        try:
            data = json.loads(response.text)
            items = first_of(data, JSON_ITEMS)
            pages = int(first_of(data, JSON_PAGES))
            if not isinstance(items, list):
                raise TypeError("items")
        except (ValueError, KeyError, TypeError) as error:
            why = f"geen geldige ledenlijst ({error.__class__.__name__}: {error})"
            self.layout_changed(response, why[:200])
            return
        if not items:
            self.listing_unrecognised(response, "lege ledenlijst")
            return
        if page == 1:
            self.report.stated_total = int(first_of(data, JSON_TOTAL, 0) or 0) or None
            for next_page in range(2, pages + 1):
                yield self.json_request(next_page)
        for item in items:
            self.report.links_found += 1
            self.report.detail_pages += 1
            record = self.member_record(response, item)
            if record is not None:
                yield record

    def member_record(self, response: Response, item: Any) -> RegisterRecord | None:
        if not isinstance(item, dict):
            self.detail_unrecognised(response, f"lid zonder naam of adres: {str(item)[:80]}")
            return None

        def get(key: str) -> str:
            # The members page puts the fields in as HTML (innerHTML): read them as a browser
            # shows them, so an unclosed <b> or <p> in one field is markup, never a name.
            return html_text(str(first_of(item, ITEM_FIELDS[key], "") or ""))

        if not get("url") or not get("name"):
            self.detail_unrecognised(response, f"lid zonder naam of adres: {str(item)[:80]}")
            return None
        url = response.urljoin(get("url"))
        return RegisterRecord(
            register="senl",
            record_key=record_key(url),
            name=get("name"),
            level=get("membership") or None,
            membership=get("membership") or None,
            city=get("city") or None,
            province=get("province") or None,
            website=normalise.website(get("website")),
            sectors=[get("sector")] if get("sector") else [],
            mission=get("mission") or None,
            source_url=self.public_url(url),
            fetched_url=url,
        )

    def parse_detail(self, response: Response, **listing: Any) -> Iterator[RegisterRecord]:
        return iter(())
