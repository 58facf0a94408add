"""Crawl + ingest throughput: a generated PSO-style register of N enterprises served on loopback.

Prints records per second for the crawl, for the ingest, and for both, the peak memory, and
the time to crawl and ingest the whole shared snapshot (all three registers).

    .venv/bin/python -m benchmarks.crawl [--size 20000]
"""

from __future__ import annotations

import argparse
import logging
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from benchmarks.common import fresh_app, peak_memory_mb
from benchmarks.resolve import SURNAMES, WORDS_A, WORDS_B, WORDS_C
from marketplace import search
from marketplace.registers.ingest import ingest_report, store_report
from scrapers.runner import CrawlOptions, run_crawls
from scrapers.snapshot_server import serve_snapshot

PLACES = [
    "Enschede",
    "Deventer",
    "Utrecht",
    "Den Haag",
    "Hoofddorp",
    "Zwolle",
    "Tilburg",
    "Groningen",
    "Almere",
]
LEVELS = ["Aspirant", "Basistrede", "Trede 1", "Trede 2", "Trede 3"]
PAGE_SIZE = 25


def unique_names(rng: random.Random, size: int) -> list[str]:
    """Enterprise names as registers show them: trade words and family names, no serial numbers."""
    names: dict[str, None] = {}
    while len(names) < size:
        names[f"{rng.choice(WORDS_A)} {rng.choice(WORDS_B)}{rng.choice(WORDS_C)} {rng.choice(SURNAMES)}"] = (
            None
        )
    return list(names)


def generate_register(folder: Path, size: int, seed: int = 7) -> None:
    """Write a PSO-layout register: listing pages of 25 rows and one detail page per certificate."""
    rng = random.Random(seed)
    (folder / "register").mkdir(parents=True)
    (folder / "organisatie").mkdir()
    (folder / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    pages = -(-size // PAGE_SIZE)
    names = unique_names(rng, size)
    for page in range(1, pages + 1):
        rows = []
        for number in range((page - 1) * PAGE_SIZE, min(page * PAGE_SIZE, size)):
            name = names[number]
            level = rng.choice(LEVELS)
            place = rng.choice(PLACES)
            until = date(2027, 1, 1) + timedelta(days=rng.randrange(700))
            path = f"/organisatie/{number}-cert.html"
            rows.append(
                f'<tr><td><a href="{path}">{name}</a></td><td>{place}</td><td>{level}</td><td></td>'
                f"<td>{until:%d-%m-%Y}</td></tr>"
            )
            (folder / path.lstrip("/")).write_text(
                f"<html><body><h1>{name}</h1><dl class='certificaat'>"
                f"<dt>KvK-nummer</dt><dd>{10000000 + number} (hoofdaanvrager)</dd>"
                f"<dt>Vestigingsplaats</dt><dd>{place}</dd><dt>Provincie</dt><dd>Overijssel</dd>"
                f"<dt>Trede</dt><dd>{level}</dd><dt>PSO 30+</dt><dd>Nee</dd>"
                f"<dt>Ingangsdatum</dt><dd>01-01-2025</dd><dt>Geldig tot</dt><dd>{until:%d-%m-%Y}</dd>"
                f"<dt>Branche</dt><dd>Schoonmaak</dd></dl></body></html>"
            )
        next_link = (
            f'<a href="/register/pagina-{page + 1}.html" rel="next">Volgende</a>' if page < pages else ""
        )
        name = "index.html" if page == 1 else f"pagina-{page}.html"
        (folder / "register" / name).write_text(
            f"<html><body><p class='register-telling'>{size} certificaten</p>"
            f"<table class='pso-register'><thead><tr><th>Organisatie</th></tr></thead><tbody>{''.join(rows)}"
            f"</tbody></table><nav class='paginering'>{next_link}</nav></body></html>"
        )


@contextmanager
def serve_in_subprocess(folder: Path) -> Iterator[str]:
    """A register server in its own process, so it does not share the crawler's interpreter lock."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as attempt:
                if attempt.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--snapshot-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.getLogger("scrapy").setLevel(logging.ERROR)
    if args.snapshot_only:
        crawl_snapshot()
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        generate_register(work / "site", args.size)
        app = fresh_app(work)
        options = CrawlOptions(progress=False, cache_dir=work / "cache")
        with app.app_context(), serve_in_subprocess(work / "site") as base:
            started = time.perf_counter()
            (report,) = run_crawls({"pso": base + "/register/index.html"}, options)
            crawl_seconds = time.perf_counter() - started
            started = time.perf_counter()
            outcome = ingest_report(report)
            ingest_seconds = time.perf_counter() - started
            search.wait_for_index()
            indexed_seconds = time.perf_counter() - started
            started = time.perf_counter()
            again = ingest_report(report)
            reingest_seconds = time.perf_counter() - started
        records = len(report.records)
        print(f"generated register: {args.size} enterprises, {records} records crawled, run {outcome.status}")
        print(f"crawl:            {crawl_seconds:7.1f} s  {records / crawl_seconds:8.0f} records/s")
        print(
            f"ingest (new):     {ingest_seconds:7.1f} s  {records / ingest_seconds:8.0f} records/s"
            f"  (search index current after {indexed_seconds:.1f} s: {records / indexed_seconds:.0f} records/s)"
        )
        print(
            f"ingest (again):   {reingest_seconds:7.1f} s  {records / reingest_seconds:8.0f} records/s"
            f" ({again.unchanged} unchanged)"
        )
        total = crawl_seconds + ingest_seconds
        print(f"crawl + ingest:   {total:7.1f} s  {records / total:8.0f} records/s")
        print(f"peak memory:      {peak_memory_mb():7.0f} MB")
    # Twisted's reactor runs once per process: the snapshot crawl gets its own.
    subprocess.run([sys.executable, "-m", "benchmarks.crawl", "--snapshot-only"], check=True)


def crawl_snapshot() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = fresh_app(Path(tmp))
        with app.app_context(), serve_snapshot() as start_urls:
            started = time.perf_counter()
            reports = run_crawls(start_urls, CrawlOptions(progress=False, cache_dir=Path(tmp) / "cache"))
            outcomes = [store_report(report) for report in reports]
            search.wait_for_index()
            seconds = time.perf_counter() - started
        count = sum(len(r.records) for r in reports)
        statuses = ", ".join(f"{o.register} {o.status}" for o in outcomes)
        print(f"shared snapshot:  {seconds:7.1f} s for {count} records crawled and ingested ({statuses})")


if __name__ == "__main__":
    main()
