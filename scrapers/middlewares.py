"""Downloader middlewares: backoff between retries, and an HTTP cache that never hides a failure."""

from __future__ import annotations

import asyncio

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware
from scrapy.http import Response


class RetryBackoffMiddleware:
    """Delays a retried request by base * 2^(attempt-1) seconds, capped; sits after RetryMiddleware."""

    def __init__(self, base: float, maximum: float) -> None:
        self.base = base
        self.maximum = maximum

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryBackoffMiddleware:
        settings = crawler.settings
        return cls(settings.getfloat("RETRY_BACKOFF_BASE", 2.0), settings.getfloat("RETRY_BACKOFF_MAX", 60.0))

    async def process_request(self, request: Request) -> None:  # Scrapy 2.13+: no spider argument
        attempt = int(request.meta.get("retry_times", 0))
        if attempt > 0 and self.base > 0:
            await asyncio.sleep(min(self.maximum, self.base * 2 ** (attempt - 1)))


class NoStaleOnErrorCacheMiddleware(HttpCacheMiddleware):
    """The HTTP cache for conditional requests, without serving a stale copy when a download fails.

    Scrapy's cache answers a failed download, and (RFC 2616 policy) a 5xx answer, with the
    cached page; for a register crawl that would hide an outage. The cache may save bandwidth
    on a 304, never stand in for a page that did not answer: a run must then fail, with its reason.
    """

    def process_exception(self, request: Request, exception: Exception) -> None:
        request.meta.pop("cached_response", None)
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status >= 500:
            request.meta.pop("cached_response", None)
            return response
        return super().process_response(request, response)
