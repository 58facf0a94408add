"""Decide whether a crawl run is complete enough to delist anyone.

A run is complete only when every listing page answered, it found at least 70% of the
records of the last complete run (and as many as the register says it holds), and fewer
than 2% of its pages failed. Anything else is a failed run that changes no label.
"""

from __future__ import annotations

from scrapers.report import CrawlReport

MIN_SHARE_OF_LAST_RUN = 0.70
MAX_FAILED_PAGE_SHARE = 0.02


def failure_reasons(report: CrawlReport, last_complete_records: int | None) -> list[str]:
    """Plain-Dutch reasons why this run cannot be trusted; empty when it is complete."""
    reasons: list[str] = []
    if report.layout_problems:
        reasons.append(
            f"de opmaak van het register is veranderd op {len(report.layout_problems)} pagina('s), "
            f"bijvoorbeeld {report.layout_problems[0]}"
        )
    if report.listing_failures:
        reasons.append(
            f"{len(report.listing_failures)} overzichtspagina('s) gaven geen bruikbaar antwoord, "
            f"bijvoorbeeld {report.listing_failures[0]}"
        )
    found = len(report.records)
    if found == 0:
        reasons.append("het register leverde geen enkele inschrijving op")
    if report.stated_total and report.links_found < report.stated_total:
        reasons.append(
            f"het register noemt {report.stated_total} inschrijvingen, "
            f"de overzichtspagina's toonden er {report.links_found}"
        )
    if last_complete_records and found < MIN_SHARE_OF_LAST_RUN * last_complete_records:
        reasons.append(
            f"{found} inschrijvingen gevonden, minder dan 70% van de {last_complete_records} "
            "van de laatste volledige crawl"
        )
    if report.pages_total and report.error_count / report.pages_total >= MAX_FAILED_PAGE_SHARE:
        example = (report.detail_failures + report.parse_errors)[0]
        reasons.append(
            f"{report.error_count} van {report.pages_total} pagina's konden niet worden gelezen "
            f"(2% of meer), bijvoorbeeld {example}"
        )
    return reasons
