"""Search speed: p50/p95 of a query with two facets, per backend, and the search page's
requests per second under gunicorn (2 workers) against a static page from the same server.

Organisations are generated as register records and stored through the real crawl ingest
(so entity resolution and indexing run as in production).

    .venv/bin/python -m benchmarks.search [--sizes 5000 50000] [--backends whoosh postgresql]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import psycopg

from benchmarks.common import fresh_app
from marketplace import search
from marketplace.registers.ingest import ingest_report
from marketplace.search.documents import sector_cpv
from marketplace.search.query import SearchQuery
from matching.places import municipality_rows
from matching.records import RegisterRecord
from scrapers.report import CrawlReport

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get(
    "IMPACTMARKT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
WORDS = ["Schoonmaak", "Koffie", "Fiets", "Hout", "Brood", "Zorg", "Klus", "Groen", "Stof", "Thee", "Drukwerk",
         "Catering", "Tuin", "Was", "Papier", "Glas", "Kaas", "Zeep", "Post", "Verhuis"]  # fmt: skip
HEADS = [
    "bedrijf",
    "werkplaats",
    "makerij",
    "service",
    "atelier",
    "collectief",
    "diensten",
    "studio",
    "winkel",
    "lab",
]
SURNAMES = ["Jansen", "De Vries", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "De Boer", "Bos", "Vos", "Peters",
            "Hendriks", "Dekker", "Brouwer", "Dijkstra", "De Graaf", "Kok", "Jacobs", "Willems", "Koster", "Prins"]  # fmt: skip
MISSIONS = ["Wij bieden werk aan mensen met een afstand tot de arbeidsmarkt.", "Wij leiden statushouders op in ons vak.",
            "Wij werken met jongeren zonder startkwalificatie.", "Wij maken nieuwe producten van afval."]  # fmt: skip
PSO_LEVELS = ["Aspirant", "Basistrede", "Trede 1", "Trede 2", "Trede 3"]


def generated(size: int, seed: int = 5) -> dict[str, list[RegisterRecord]]:
    rng = random.Random(seed)
    places = [row["name"] for row in municipality_rows()]
    sectors = list(sector_cpv())
    names = set()
    by_register: dict[str, list[RegisterRecord]] = {"pso": [], "code": [], "senl": []}
    while len(names) < size:
        name = f"{rng.choice(WORDS)}{rng.choice(HEADS)} {rng.choice(SURNAMES)} {rng.choice(places)}"
        if name in names:
            continue
        names.add(name)
        number = len(names)
        register = rng.choices(["pso", "code", "senl"], [5, 3, 2])[0]
        city = name.rsplit(" ", 1)[-1] if " " not in name.split(" ", 2)[-1] else rng.choice(places)
        common = {"register": register, "record_key": f"/{register}/{number}", "name": name, "city": rng.choice(places),
                  "sectors": [rng.choice(sectors)], "mission": rng.choice(MISSIONS), "source_url": f"https://x/{number}"}  # fmt: skip
        if register == "pso":
            level = rng.choice(PSO_LEVELS)
            record = RegisterRecord(**common, level=level, kvk=[str(10_000_000 + number)], pso30plus=level == "Trede 3" and rng.random() < 0.4,
                                    valid_from=date(2025, 6, 1), valid_until=date(2027, 6, 1) + timedelta(days=rng.randrange(300)))  # fmt: skip
        elif register == "code":
            record = RegisterRecord(**{**common, "sectors": [rng.choice(["Arbeidsparticipatie", "Circulaire productie", "Sociale cohesie"])]},
                                    level=rng.choice(["Toegelaten", "Aspirant", "Aangevraagd"]), kvk=[str(10_000_000 + number)])  # fmt: skip
        else:
            record = RegisterRecord(**common, level=rng.choice(["Lid", "BOOST"]))
        del city
        by_register[register].append(record)
    return by_register


def fill(app, size: int) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    with app.app_context():
        for register, records in generated(size).items():
            report = CrawlReport(register=register, start_url="https://generated.example/")
            report.records, report.links_found, report.detail_pages, report.listing_pages = (
                records,
                len(records),
                len(records),
                1,
            )
            ingest_report(report)
        if app.extensions["impactmarkt_search"].name == "whoosh":
            search.reindex_all()  # one bulk build instead of per-commit updates
    return time.perf_counter() - started


def query_latencies(app, runs: int = 200) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    rng = random.Random(1)
    regions = sorted({row["labour_market_region"] for row in municipality_rows()})
    timings = []
    with app.app_context():
        search.search(SearchQuery(text="schoonmaak"))  # warm the facet matrix, as a running server has it
        for _ in range(runs):
            query = SearchQuery(
                text=rng.choice([w.lower() for w in WORDS]),
                filters={
                    "region": (rng.choice(regions),),
                    "label": (rng.choice(["pso:Trede 3", "pso:Trede 2", "code:Toegelaten", "senl:Lid"]),),
                },
            )
            started = time.perf_counter()
            search.search(query)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def requests_per_second(port: int, path: str, seconds: float = 8.0, connections: int = 8) -> float:
    """wrk when installed, else a keep-alive Python client with as many threads."""
    if shutil.which("wrk"):
        out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{int(seconds)}s", f"http://127.0.0.1:{port}{path}"],
                             capture_output=True, text=True, check=True).stdout  # fmt: skip
        return float(next(line for line in out.splitlines() if line.startswith("Requests/sec")).split()[1])
    count = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        nonlocal count
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        done = 0
        while time.monotonic() < deadline:
            connection.request("GET", path)
            connection.getresponse().read()
            done += 1
        with lock:
            count += done

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return count / seconds


def warm_up(port: int, path: str, limit_seconds: float = 120.0) -> None:
    """Until 20 requests in a row answer in under 100 ms: each worker builds its facet matrix on
    its first search (seconds at 50,000 organisations), which must not fall in the measurement."""
    quick, deadline = 0, time.monotonic() + limit_seconds
    while quick < 20 and time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.perf_counter()
        connection.request("GET", path)
        connection.getresponse().read()
        quick = quick + 1 if time.perf_counter() - started < 0.1 else 0


def under_gunicorn(
    database_url: str, index_dir: str, backend: str, page_cache: bool = True
) -> tuple[float, float]:
    port = free_port()
    env = {**os.environ, "IMPACTMARKT_DATABASE_URL": database_url, "IMPACTMARKT_SEARCH_INDEX_DIR": index_dir,
           "IMPACTMARKT_SEARCH_BACKEND": backend, "IMPACTMARKT_SECRET_KEY": "benchmark",
           "IMPACTMARKT_SEARCH_PAGE_CACHE": "1" if page_cache else "0"}  # fmt: skip
    server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        for _ in range(200):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request(
                    "GET", "/static/css/site.css"
                )
                break
            except OSError:
                time.sleep(0.1)
        search_path = "/organisaties?q=schoonmaak&region=Twente&label=pso%3ATrede+3"
        warm_up(port, search_path)
        return requests_per_second(port, "/static/css/site.css"), requests_per_second(port, search_path)
    finally:
        server.terminate()
        server.wait()


def postgres_database() -> str:
    name = f"impactmarkt_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return POSTGRES.rsplit("/", 1)[0] + "/" + name


def drop_postgres_database(url: str) -> None:
    with psycopg.connect(POSTGRES.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 50000])
    parser.add_argument("--backends", nargs="+", default=["whoosh", "postgresql"])
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn load test")
    args = parser.parse_args()
    for size in args.sizes:
        for backend in args.backends:
            with tempfile.TemporaryDirectory() as tmp:
                url = (
                    postgres_database()
                    if backend == "postgresql"
                    else f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
                )
                try:
                    app = fresh_app(Path(tmp), url)
                    app.config["SEARCH_BACKEND"] = backend
                    app.extensions["impactmarkt_search"] = search.make_backend(app)
                    seconds = fill(app, size)
                    p50, p95 = query_latencies(app)
                    line = f"{backend:10} {size:6} organisations: filled in {seconds:5.0f} s; two-facet query p50 {p50:5.1f} ms, p95 {p95:5.1f} ms"
                    if not args.no_load:
                        index_dir = str(Path(tmp) / "search-index")
                        static, page = under_gunicorn(url, index_dir, backend)
                        _, uncached = under_gunicorn(url, index_dir, backend, page_cache=False)
                        line += (
                            f"; gunicorn -w 2: static {static:5.0f} req/s, search page {page:5.0f} req/s ({page / static:.0%}),"
                            f" without the page cache {uncached:4.0f} req/s ({uncached / static:.0%})"
                        )
                    print(line, flush=True)
                finally:
                    if backend == "postgresql":
                        from marketplace.core.extensions import db

                        with app.app_context():
                            db.engine.dispose()
                        drop_postgres_database(url)


if __name__ == "__main__":
    main()
