"""Run register spiders in this process and return their reports.

Start URLs come from the command line, else IMPACTMARKT_REGISTER_<NAME>_URL, else the
REGISTER_START_URLS setting (the live registers). Loopback targets (a mirror or the snapshot) run unthrottled.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from scrapers import settings as default_settings
from scrapers.report import CrawlReport
from scrapers.spiders.base import RegisterSpider
from scrapers.spiders.code import CodeSpider
from scrapers.spiders.pso import PsoSpider
from scrapers.spiders.senl import SenlSpider

SPIDERS: dict[str, type[RegisterSpider]] = {"pso": PsoSpider, "code": CodeSpider, "senl": SenlSpider}
LIVE_START_URLS = default_settings.REGISTER_START_URLS


def start_url_for(register: str, given: str | None = None) -> str:
    return (
        given or os.environ.get(f"IMPACTMARKT_REGISTER_{register.upper()}_URL") or LIVE_START_URLS[register]
    )


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    try:
        return ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
    except (OSError, ValueError):
        return False


def crawl_settings(start_urls: Mapping[str, str], overrides: Mapping[str, Any] | None = None) -> Settings:
    """Project settings for this run; IMPACTMARKT_CRAWL_* variables tune time-outs and the cache."""
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    contact = os.environ.get("IMPACTMARKT_CRAWL_CONTACT_URL", "https://impactmarkt.nl/over/crawler")
    settings.set("USER_AGENT", f"Impactmarkt-registercrawler/0.1 (+{contact})", priority="project")
    if "IMPACTMARKT_CRAWL_TIMEOUT" in os.environ:
        settings.set("DOWNLOAD_TIMEOUT", float(os.environ["IMPACTMARKT_CRAWL_TIMEOUT"]), priority="project")
    cache_dir = os.environ.get("IMPACTMARKT_CRAWL_CACHE_DIR")
    if cache_dir:
        settings.set("HTTPCACHE_DIR", str(Path(cache_dir).resolve()), priority="project")
    if start_urls and all(is_loopback(url) for url in start_urls.values()):
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="project")
        settings.set("DOWNLOAD_DELAY", 0, priority="project")
        settings.set("CONCURRENT_REQUESTS", 32, priority="project")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 32, priority="project")
        settings.set("RETRY_BACKOFF_BASE", 0.1, priority="project")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def run_crawls(
    start_urls: Mapping[str, str], overrides: Mapping[str, Any] | None = None
) -> list[CrawlReport]:
    """Crawl the given registers (concurrently, one reactor) and return one report each."""
    process = CrawlerProcess(
        crawl_settings(start_urls, {"LOG_INSTALL_ROOT_HANDLER": False, **(overrides or {})})
    )
    reports = []
    for register, url in start_urls.items():
        report = CrawlReport(register=register, start_url=url)
        reports.append(report)
        process.crawl(SPIDERS[register], start_url=url, report=report)
    process.start()
    return reports
