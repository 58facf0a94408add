"""Item pipelines: validate each record and keep it on the run's report.

Spiders never store anything: the caller of scrapers.runner.run_crawls stores the returned
reports (marketplace.registers.ingest), in one transaction per run, after the crawl.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from matching.records import InvalidRecord, RegisterRecord
from scrapers.spiders.base import RegisterSpider

PROGRESS_EVERY = 100


class ValidateRecordPipeline:
    """Drops and counts records that cannot list an enterprise; counts missing optional fields.
    (Scrapy 2.13+ passes no spider to pipelines: each takes it from its crawler.)"""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidateRecordPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> RegisterRecord:
        spider = self.crawler.spider
        assert isinstance(spider, RegisterSpider)
        try:
            record = item.validate()
        except InvalidRecord as error:
            spider.report.parse_errors.append(str(error))
            raise DropItem(str(error)) from error
        spider.report.missing_fields.update(record.missing_fields())
        return record


class CollectRecordPipeline:
    """Keeps the run's records on its report and notes when the spider finished."""

    def __init__(self, crawler: Crawler, progress: bool) -> None:
        self.crawler = crawler
        self.progress = progress

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CollectRecordPipeline:
        return cls(crawler, crawler.settings.getbool("IMPACTMARKT_PROGRESS", True))

    def process_item(self, item: RegisterRecord) -> RegisterRecord:
        spider = self.crawler.spider
        assert isinstance(spider, RegisterSpider)
        spider.report.records.append(item)
        count = len(spider.report.records)
        if self.progress and count % PROGRESS_EVERY == 0:
            print(f"  {spider.register}: {count} records …", file=sys.stderr, flush=True)
        return item

    def close_spider(self) -> None:
        spider = self.crawler.spider
        assert isinstance(spider, RegisterSpider)
        spider.report.finished = time.monotonic()
