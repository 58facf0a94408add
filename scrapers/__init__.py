"""The Scrapy project: one spider per register. A crawl returns records; it never stores them."""
