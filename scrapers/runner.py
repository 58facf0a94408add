"""Run register spiders in this process and return their reports; storing is the caller's step.

A crawl returns validated records and the report needed to judge the run. It writes
nothing: the command or job that called it stores the run afterwards (marketplace.registers.
ingest), outside Scrapy's reactor, so scrapers never import the app. Every setting comes in
as an argument (the app reads IMPACTMARKT_* once at start-up); loopback targets (a mirror or
the snapshot) run unthrottled.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
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
PUBLIC_SITES = {
    register: "{0.scheme}://{0.netloc}/".format(urlsplit(url)) for register, url in LIVE_START_URLS.items()
}


@dataclass(frozen=True)
class CrawlOptions:
    """How to crawl: who we are, how long to wait for a page, where the HTTP cache lives."""

    contact_url: str = "https://impactmarkt.nl/over/crawler"
    timeout: float = 30.0
    cache_dir: Path | None = None
    progress: bool = True
    # Each register's public site: records read from a copy on this machine (the snapshot `make run`
    # serves, a test server) link there; a register crawled elsewhere is its own public site.
    public_sites: Mapping[str, str] = field(default_factory=lambda: dict(PUBLIC_SITES))


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    try:
        return ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
    except (OSError, ValueError):
        return False


def crawl_settings(
    start_urls: Mapping[str, str], options: CrawlOptions, overrides: Mapping[str, Any] | None = None
) -> Settings:
    """Project settings for this run."""
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    user_agent = f"Impactmarkt-registercrawler/0.1 (+{options.contact_url})"
    settings.set("USER_AGENT", user_agent, priority="project")
    settings.set("DOWNLOAD_TIMEOUT", options.timeout, priority="project")
    settings.set("IMPACTMARKT_PROGRESS", options.progress, priority="project")
    if options.cache_dir is not None:
        settings.set("HTTPCACHE_DIR", str(Path(options.cache_dir).resolve()), priority="project")
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
    start_urls: Mapping[str, str],
    options: CrawlOptions | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> list[CrawlReport]:
    """Crawl the given registers (concurrently, one reactor) and return one report each.

    Scrapy's reactor runs once per process: call this once, from a command or a job process.
    """
    options = options or CrawlOptions()
    process = CrawlerProcess(
        crawl_settings(start_urls, options, {"LOG_INSTALL_ROOT_HANDLER": False, **(overrides or {})})
    )
    reports = []
    for register, url in start_urls.items():
        report = CrawlReport(register=register, start_url=url)
        reports.append(report)
        public_site = options.public_sites.get(register) if is_loopback(url) else None
        process.crawl(SPIDERS[register], start_url=url, report=report, public_site=public_site)
    process.start()
    return reports
