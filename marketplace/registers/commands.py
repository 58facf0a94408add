"""`impactmarkt crawl` and `impactmarkt registers fill`: run the spiders and store what they find."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import click
from flask import current_app

from marketplace import search
from marketplace.core.reasons import explain, explain_all
from marketplace.registers import crawl_alerts
from marketplace.registers.ingest import IngestOutcome, store_report
from matching.reasons import Reason
from scrapers.report import CrawlReport
from scrapers.runner import SPIDERS, CrawlOptions, run_crawls
from scrapers.snapshot_server import serve_snapshot

REGISTER_CHOICES = [*SPIDERS, "all"]


def _summary_line(report: CrawlReport, outcome: IngestOutcome) -> str:
    status = "VOLLEDIG" if outcome.status == "complete" else "MISLUKT"
    line = (
        f"{report.register}: {status} - {outcome.records} inschrijvingen, nieuw {outcome.new}, "
        f"gewijzigd {outcome.changed}, ongewijzigd {outcome.unchanged}, naar herbevestiging "
        f"{outcome.into_grace}, verlopen {outcome.expired}, fouten {outcome.errors}, "
        f"duur {outcome.duration:.1f} s"
    )
    if outcome.reasons:
        line += f"\n  reden: {explain_all(outcome.reasons)}"
    for page in outcome.unread_pages[:20]:
        line += f"\n  {explain(Reason('crawl.unread_page', {'page': page}))}"
    return line


def write_records(reports: list[CrawlReport], path: Path) -> int:
    """Write every validated record as one JSON object a line (the input of `impactmarkt resolve`)."""
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for report in reports:
            for record in report.records:
                handle.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
                count += 1
    return count


def crawl_options() -> CrawlOptions:
    config = current_app.config
    return CrawlOptions(
        contact_url=config["CRAWL_CONTACT_URL"],
        timeout=float(config["CRAWL_TIMEOUT"]),
        cache_dir=Path(config["CRAWL_CACHE_DIR"]),
    )


def crawl_and_store(start_urls: Mapping[str, str], records_out: Path | None = None) -> bool:
    """Crawl, then store each run (one transaction each), print the summary; True when all were complete."""
    click.echo(f"Crawlen: {', '.join(f'{r} ({u})' for r, u in start_urls.items())}", err=True)
    reports = run_crawls(start_urls, crawl_options())
    outcomes = [store_report(report) for report in reports]
    for report, outcome in zip(reports, outcomes, strict=True):
        crawl_alerts.alert_on_layout_change(report, outcome)
    search.wait_for_index()
    for report, outcome in zip(reports, outcomes, strict=True):
        click.echo(_summary_line(report, outcome))
    if records_out is not None:
        count = write_records(reports, records_out)
        click.echo(f"{count} records geschreven naar {records_out}", err=True)
    return all(outcome.status == "complete" for outcome in outcomes)


@click.command("crawl", help="Crawl een register (pso, code, senl) of alle drie en sla het resultaat op.")
@click.argument("register", type=click.Choice(REGISTER_CHOICES))
@click.option("--start-url", help="Begin hier in plaats van bij het live register (een spiegel of kopie).")
@click.option(
    "--records-out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Schrijf ook elk gevalideerd record als JSON-regel naar dit bestand.",
)
def crawl_command(register: str, start_url: str | None, records_out: Path | None) -> None:
    if register == "all" and start_url:
        raise click.UsageError("--start-url hoort bij één register, niet bij 'all'.")
    registers = list(SPIDERS) if register == "all" else [register]
    urls = current_app.config["REGISTER_URLS"]
    if not crawl_and_store({name: start_url or urls[name] for name in registers}, records_out):
        raise SystemExit(1)


@click.group("registers", help="De registerkopie in deze repository.")
def registers_group() -> None:
    pass


@registers_group.command(
    "fill", help="Serveer de meegeleverde registerkopie lokaal en crawl die met de echte spiders."
)
@click.option("--records-out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def registers_fill(records_out: Path | None) -> None:
    with serve_snapshot() as start_urls:
        ok = crawl_and_store(start_urls, records_out)
    if not ok:
        raise SystemExit(1)


COMMANDS = (crawl_command, registers_group)
