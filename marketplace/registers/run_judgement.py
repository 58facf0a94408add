"""Decide whether a crawl run is complete enough to delist anyone.

A run is complete only when every listing page answered, it found at least 70% of the
records of the last complete run (and as many as the register says it holds), and fewer
than 2% of its pages failed. Anything else is a failed run that changes no label.
"""

from __future__ import annotations

from matching.reasons import Reason
from scrapers.report import CrawlReport

MIN_SHARE_OF_LAST_RUN = 0.70
MAX_FAILED_PAGE_SHARE = 0.02


def failure_reasons(report: CrawlReport, last_complete_records: int | None) -> list[Reason]:
    """Why this run cannot be trusted, as reasons (put into words where shown); empty when complete."""
    reasons: list[Reason] = []
    if report.layout_problems:
        reasons.append(
            Reason(
                "crawl.layout_changed",
                {"count": len(report.layout_problems), "example": report.layout_problems[0]},
            )
        )
    if report.listing_failures:
        reasons.append(
            Reason(
                "crawl.listing_failed",
                {"count": len(report.listing_failures), "example": report.listing_failures[0]},
            )
        )
    found = len(report.records)
    if found == 0:
        reasons.append(Reason("crawl.nothing_found"))
    if report.stated_total and report.links_found < report.stated_total:
        reasons.append(
            Reason("crawl.fewer_than_stated", {"stated": report.stated_total, "found": report.links_found})
        )
    if last_complete_records and found < MIN_SHARE_OF_LAST_RUN * last_complete_records:
        reasons.append(Reason("crawl.fewer_than_last_run", {"found": found, "last": last_complete_records}))
    if report.pages_total and report.error_count / report.pages_total >= MAX_FAILED_PAGE_SHARE:
        example = (report.detail_failures + report.parse_errors)[0]
        reasons.append(
            Reason(
                "crawl.too_many_unread",
                {"count": report.error_count, "total": report.pages_total, "example": example},
            )
        )
    return reasons
