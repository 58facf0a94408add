"""The Scrapy project: one spider per register; pipelines hand records to marketplace services."""
