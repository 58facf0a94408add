"""What one crawl of one register found: the records and everything needed to judge the run."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from matching.records import RegisterRecord


@dataclass
class CrawlReport:
    register: str
    start_url: str
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    listing_pages: int = 0
    listing_failures: list[str] = field(default_factory=list)
    detail_pages: int = 0
    detail_failures: list[str] = field(default_factory=list)
    parse_errors: list[str] = field(default_factory=list)
    unread_keys: set[str] = field(default_factory=set)  # record keys whose detail page failed
    layout_problems: list[str] = field(default_factory=list)  # pages laid out as the spider does not know
    stated_total: int | None = None
    links_found: int = 0
    records: list[RegisterRecord] = field(default_factory=list)
    missing_fields: Counter[str] = field(default_factory=Counter)

    @property
    def duration(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    @property
    def pages_total(self) -> int:
        return self.listing_pages + self.detail_pages

    @property
    def pages_failed(self) -> int:
        return len(self.listing_failures) + len(self.detail_failures) + len(self.parse_errors)

    @property
    def error_count(self) -> int:
        return len(self.detail_failures) + len(self.parse_errors)
