"""Shared machinery for register spiders: bookkeeping of pages, failures and the stated total.

Each register module keeps its selectors at the top, so a layout change on a real site is
a change to one file; this base class only counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from matching.records import RegisterRecord
from scrapers.report import CrawlReport

_FIRST_NUMBER = re.compile(r"\d[\d.]*")


def record_key(url: str) -> str:
    """The detail path that identifies a record in its register: '/organisatie/123-naam.html'."""
    return urlsplit(url).path or "/"


def first_number(text: str | None) -> int | None:
    match = _FIRST_NUMBER.search(text or "")
    return int(match.group(0).replace(".", "")) if match else None


class RegisterSpider(scrapy.Spider):
    register: ClassVar[str]

    def __init__(self, start_url: str, report: CrawlReport | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_url = start_url
        self.report = report or CrawlReport(register=self.register, start_url=start_url)

    async def start(self) -> Any:  # Scrapy >= 2.13
        yield self.listing_request(self.start_url)

    def listing_request(self, url: str, **kwargs: Any) -> scrapy.Request:
        self.report.listing_pages += 1
        # Listing pages first: they reveal the detail pages, so the crawl frontier grows early.
        return scrapy.Request(
            url, callback=self.parse_listing, errback=self.listing_failed, priority=10, **kwargs
        )

    def detail_request(self, url: str, **cb_kwargs: Any) -> scrapy.Request:
        self.report.detail_pages += 1
        return scrapy.Request(
            url, callback=self.parse_detail, errback=self.detail_failed, cb_kwargs=cb_kwargs
        )

    def listing_failed(self, failure: Failure) -> None:
        self.report.listing_failures.append(f"{failure.request.url}: {failure.getErrorMessage()}")  # type: ignore[attr-defined]

    def detail_failed(self, failure: Failure) -> None:
        self.report.detail_failures.append(f"{failure.request.url}: {failure.getErrorMessage()}")  # type: ignore[attr-defined]

    def listing_unrecognised(self, response: Response, why: str) -> None:
        self.report.listing_failures.append(f"{response.url}: {why}")

    def detail_unrecognised(self, response: Response, why: str) -> None:
        self.report.parse_errors.append(f"{response.url}: {why}")

    def parse_listing(self, response: Response) -> Iterator[Any]:
        raise NotImplementedError

    def parse_detail(self, response: Response, **listing: Any) -> Iterator[RegisterRecord]:
        raise NotImplementedError
