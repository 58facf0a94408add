"""Scrapy settings: polite by default (robots.txt, AutoThrottle, backoff, conditional requests).

`scrapers.runner.crawl_settings` adjusts them per run: loopback targets run unthrottled.
"""

BOT_NAME = "impactmarkt"

# Where each spider starts unless the command line or IMPACTMARKT_REGISTER_<NAME>_URL says otherwise.
REGISTER_START_URLS = {
    "pso": "https://www.pso-nederland.nl/register/index.html",
    "code": "https://www.codesocialeondernemingen.nl/register/",
    "senl": "https://www.social-enterprise.nl/leden/",
}
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"

ROBOTSTXT_OBEY = True
USER_AGENT = "Impactmarkt-registercrawler/0.1 (+https://impactmarkt.nl/over/crawler)"
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/json;q=0.9,*/*;q=0.8",
    "Accept-Language": "nl",
    # Revalidate every cached page: with max-age=0 the RFC 2616 cache policy sends
    # If-Modified-Since / If-None-Match (with no-cache it would refetch in full).
    "Cache-Control": "max-age=0",
}

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 60.0

HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.RFC2616Policy"
HTTPCACHE_STORAGE = "scrapy.extensions.httpcache.FilesystemCacheStorage"

DOWNLOADER_MIDDLEWARES = {
    "scrapers.middlewares.RetryBackoffMiddleware": 560,
    "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware": None,
    "scrapers.middlewares.NoStaleOnErrorCacheMiddleware": 900,
}
ITEM_PIPELINES = {
    "scrapers.pipelines.ValidateRecordPipeline": 100,
    "scrapers.pipelines.CollectRecordPipeline": 900,
}

TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "WARNING"
FEED_EXPORT_ENCODING = "utf-8"
