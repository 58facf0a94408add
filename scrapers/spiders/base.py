"""Shared machinery for register spiders: bookkeeping of pages, failures and the stated total.

Each register module keeps its selectors at the top, so a layout change on a real site is
a change to one file; this base class only counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

import html5lib
import lxml.html
import scrapy
from scrapy.http import HtmlResponse, Response
from twisted.python.failure import Failure

from matching.records import RegisterRecord
from matching.text import clean
from scrapers.report import CrawlReport

_FIRST_NUMBER = re.compile(r"\d[\d.]*")


def as_a_browser_reads_it(response: Response) -> Response:
    """The page re-parsed by the HTML5 algorithm (html5lib), as a browser builds its tree, and
    written out with every element closed: a <dt> or <dd> ends whatever the field before it left
    open (span, b, strong, p, li, dd), so one field can never run into the next. lxml's own parser
    (libxml2's HTML 4 rules) keeps an unclosed inline element open over the fields after it."""
    if not isinstance(response, HtmlResponse):
        return response
    tree = html5lib.parse(response.text, treebuilder="lxml", namespaceHTMLElements=False)
    body = lxml.html.tostring(tree, encoding="unicode", method="html")
    return response.replace(body=body.encode("utf-8"), encoding="utf-8")


# Elements a browser shows on a line of their own: their text never runs into the text beside them.
_LINE_ELEMENTS = frozenset(
    {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "br", "tr", "td", "th", "h1", "h2", "h3", "h4",
     "h5", "h6", "section", "article", "blockquote"}
)  # fmt: skip


def html_text(value: str) -> str:
    """The text a browser shows for `value` put into a page as HTML (innerHTML): markup, broken
    or not, parsed by the HTML5 algorithm and dropped, entities decoded, blocks kept apart by a
    space; text that only looks like markup ("5 < 7") stays as it is."""
    if "<" not in value and "&" not in value:
        return clean(value)
    fragment = html5lib.parseFragment(value, treebuilder="lxml", namespaceHTMLElements=False)
    parts: list[str] = []

    def walk(element: Any) -> None:
        block = isinstance(element.tag, str) and element.tag in _LINE_ELEMENTS
        if block:
            parts.append(" ")
        if isinstance(element.tag, str) and element.tag not in ("script", "style") and element.text:
            parts.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append(" ")

    for node in fragment:  # the lxml tree builder gives a fragment as its text and elements
        if isinstance(node, str):
            parts.append(node)
        else:
            walk(node)
            if node.tail:
                parts.append(node.tail)
    return " ".join("".join(parts).split())


# The nodes that belong to an element itself: text and inline children, not a block element that
# malformed HTML left inside it (an unclosed <dd>, <p> or <li> swallows the next field).
BLOCKS = ("dt", "dd", "p", "li", "div", "ul", "ol", "dl", "table", "section", "h1", "h2", "h3", "h4")
OWN_NODES = "./text() | ./*[" + " and ".join(f"not(self::{tag})" for tag in BLOCKS) + "]"


FIELD_TAGS = frozenset({"dt", "dd"})


def field_text(selection: Any) -> str:
    """The text of a definition field (the first dd or dt selected): everything inside it except
    a dt or dd nested in it. A browser nests the next field inside an unclosed <li> (HTML5 closes
    no list item at a <dt>); that nested field is its own, never part of this one."""
    if not selection:
        return ""
    field = selection[0].root
    parts: list[str] = []

    def walk(element: Any) -> None:
        if element.text:
            parts.append(element.text)
        for child in element:
            nested_field = isinstance(child.tag, str) and child.tag in FIELD_TAGS
            if nested_field:
                continue  # it and what follows it in its own text belong to the next fields
            if isinstance(child.tag, str):  # an element (not a comment)
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(field)
    return clean(" ".join(parts))


def own_text(selection: Any) -> str:
    """Text of the selected own nodes (see OWN_NODES), whitespace folded."""
    parts = [node.get() if isinstance(node.root, str) else node.xpath("string()").get() for node in selection]
    return clean(" ".join(part or "" for part in parts))


def record_key(url: str) -> str:
    """The detail path that identifies a record in its register: '/organisatie/123-naam.html'."""
    return urlsplit(url).path or "/"


def first_number(text: str | None) -> int | None:
    match = _FIRST_NUMBER.search(text or "")
    return int(match.group(0).replace(".", "")) if match else None


def is_truncated(response: Response) -> bool:
    """An HTML page cut off on the way (no closing </html>): its facts cannot be trusted."""
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    if "html" not in content_type:
        return False
    return b"</html>" not in response.body[-4096:].lower()


class RegisterSpider(scrapy.Spider):
    register: ClassVar[str]

    def __init__(
        self, start_url: str, report: CrawlReport | None = None, public_site: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.start_url = start_url
        self.report = report or CrawlReport(register=self.register, start_url=start_url)
        self.public_site = public_site

    def public_url(self, fetched_url: str) -> str:
        """The register's own public address of a page we fetched, perhaps from a copy (the
        snapshot `make run` serves on a temporary port): people follow this link, not the copy's."""
        if not self.public_site:
            return fetched_url
        site, page = urlsplit(self.public_site), urlsplit(fetched_url)
        return urlunsplit((site.scheme, site.netloc, page.path, page.query, ""))

    async def start(self) -> Any:  # Scrapy >= 2.13
        yield self.listing_request(self.start_url)

    def listing_request(self, url: str, **kwargs: Any) -> scrapy.Request:
        self.report.listing_pages += 1
        # Listing pages first: they reveal the detail pages, so the crawl frontier grows early.
        return scrapy.Request(
            url, callback=self.read_listing, errback=self.listing_failed, priority=10, **kwargs
        )

    def detail_request(self, url: str, **cb_kwargs: Any) -> scrapy.Request:
        self.report.detail_pages += 1
        return scrapy.Request(
            url,
            callback=self.read_detail,
            errback=self.detail_failed,
            cb_kwargs=cb_kwargs,
            meta={"page_kind": "detail"},
        )

    def read_listing(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if is_truncated(response):
            self.listing_unrecognised(response, "de pagina kwam onvolledig binnen (geen </html>)")
            return iter(())
        return self.parse_listing(response, **kwargs)

    def read_detail(self, response: Response, **listing: Any) -> Iterator[Any]:
        if is_truncated(response):
            self.detail_unrecognised(response, "de pagina kwam onvolledig binnen (geen </html>)")
            return iter(())
        return self.parse_detail(as_a_browser_reads_it(response), **listing)

    def listing_failed(self, failure: Failure) -> None:
        self.report.listing_failures.append(f"{failure.request.url}: {failure.getErrorMessage()}")  # type: ignore[attr-defined]

    def detail_failed(self, failure: Failure) -> None:
        url = failure.request.url  # type: ignore[attr-defined]
        self.report.unread_keys.add(record_key(url))
        self.report.detail_failures.append(f"{url}: {failure.getErrorMessage()}")

    def listing_unrecognised(self, response: Response, why: str) -> None:
        self.report.listing_failures.append(f"{response.url}: {why}")

    def layout_changed(self, response: Response, why: str) -> None:
        """The page is not laid out as this spider knows: the run fails and names the part."""
        self.report.layout_problems.append(f"{record_key(response.url)}: {why}")
        if response.meta.get("page_kind") == "detail":
            self.detail_unrecognised(response, why)
        else:
            self.listing_unrecognised(response, why)

    def detail_unrecognised(self, response: Response, why: str) -> None:
        self.report.unread_keys.add(record_key(response.url))
        self.report.parse_errors.append(f"{response.url}: {why}")

    def parse_listing(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        raise NotImplementedError

    def parse_detail(self, response: Response, **listing: Any) -> Iterator[RegisterRecord]:
        raise NotImplementedError
