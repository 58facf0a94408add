"""Market scan at scale: one procurer's question against 50,000 listed enterprises.

Seeds 50,000 listed enterprises as benchmarks/match.py does (organisations with a Code, SENL or
PSO label, a third of the PSO ones with 30+, sectors and a mission drawn from 40 trades, in every
municipality), builds the candidate pool once (the marketplace keeps it until the listing
changes) and then times, through the real service (marketplace.market_scan.services: the question
checked, the scan over the pool, counts by label, level and distance band, the judgement, the
lots), a scan of a one-part need and of a three-part need (p50 of 20 each), and the same with the
list behind the counts worded (quotes and labels for every fitting enterprise). Target on this
machine: a scan in under 200 ms.

    .venv/bin/python -m benchmarks.market_scan [--database-url URL]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import insert, select

from benchmarks.common import fresh_app
from benchmarks.match import TRADES
from marketplace.core.extensions import db
from marketplace.core.geography import Municipality
from marketplace.market_scan import services
from marketplace.organisations.models import Label, Organisation
from matching.market_scan import Scan

ENTERPRISES = 50_000
LABELS = [("code", "Toegelaten"), ("code", "Aspirant"), ("senl", "Lid"), ("senl", "BOOST"), ("pso", "Trede 1"),
          ("pso", "Trede 2"), ("pso", "Trede 3"), ("pso", "Basistrede")]  # fmt: skip
TARGET_MS = 200


def seed(rng: random.Random) -> None:
    municipalities = list(db.session.scalars(select(Municipality.id)))
    now = datetime(2026, 10, 1)
    organisations = []
    for n in range(ENTERPRISES):
        trades = rng.sample(TRADES, rng.choice([1, 2, 3]))
        organisations.append(dict(slug=f"onderneming-{n}", name=f"Onderneming {n}", sectors=trades,
                                  mission=f"Wij bieden {' en '.join(trades)} met mensen met een afstand",
                                  municipality_id=rng.choice(municipalities), regions_served=[], field_sources={},
                                  created_at=now, updated_at=now))  # fmt: skip
    for start in range(0, ENTERPRISES, 10_000):
        db.session.execute(insert(Organisation), organisations[start : start + 10_000])
    labels = []
    for organisation_id in db.session.scalars(select(Organisation.id).order_by(Organisation.id)):
        register, level = rng.choice(LABELS)
        until = date(2026, 6, 1 + rng.randrange(28)).replace(year=rng.choice([2027, 2028, 2029]))
        labels.append(dict(organisation_id=organisation_id, register=register, record_key=f"/{organisation_id}",
                           name_as_registered="x", kvk_numbers=[], level=level,
                           pso30plus=register == "pso" and rng.random() < 0.33,
                           valid_from=date(2024, 1, 1), valid_until=until if register == "pso" else None,
                           state="active", first_seen=now, last_seen=now, source_url="https://example.invalid/",
                           register_data={}))  # fmt: skip
    for start in range(0, len(labels), 10_000):
        db.session.execute(insert(Label), labels[start : start + 10_000])
    db.session.commit()


def timed(work: Callable[[], object], times: int = 20) -> tuple[float, float, object]:
    found: list[float] = []
    result = None
    for _ in range(times):
        started = time.perf_counter()
        result = work()
        found.append((time.perf_counter() - started) * 1000)
    return statistics.median(found), max(found), result


def question(need: str) -> dict[str, object]:
    return {"need": need, "cpv": [], "place": "Utrecht", "radius_km": 50, "starts_on": "2027-01-01",
            "ends_on": "2028-12-31", "threshold": 3}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty PostgreSQL database; default: SQLite in a temp folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = fresh_app(Path(tmp), args.database_url)
        app.config["TODAY"] = date(2026, 11, 1)
        with app.app_context(), app.test_request_context():
            started = time.perf_counter()
            seed(random.Random(27))
            print(f"seed:    {ENTERPRISES:,} enterprises in {time.perf_counter() - started:.1f} s "
                  f"on {db.engine.dialect.name}")  # fmt: skip
            started = time.perf_counter()
            index = services.scan_index()
            services.run(services.question_from(question("schoonmaak")))  # the labels laid out for the day
            print(f"pool:    {len(index.pool):,} candidates and their labels on the day in "
                  f"{time.perf_counter() - started:.2f} s (once per listing change)")  # fmt: skip
            for need in ("schoonmaak", "schoonmaak, catering en groenonderhoud"):
                p50, worst, result = timed(lambda need=need: services.run(services.question_from(question(need))))
                assert isinstance(result, Scan)
                tally = result.tally
                print(f"scan:    '{need}' over {len(index.pool):,}: p50 {p50:.1f} ms, worst {worst:.1f} ms "
                      f"(target < {TARGET_MS} ms); {tally.fitting:,} fit, {tally.within_radius:,} within 50 km, "
                      f"{tally.pso30_within:,} PSO 30+, {len(result.lots)} lots")  # fmt: skip
            one = services.question_from(question("schoonmaak"))
            p50, worst, listed = timed(lambda: services.listed(services.run(one)), 5)
            assert isinstance(listed, list)
            print(f"listed:  the same scan with the list behind the counts worded ({len(listed):,} enterprises "
                  f"with quotes and labels): p50 {p50:.1f} ms, worst {worst:.1f} ms")  # fmt: skip

if __name__ == "__main__":
    main()
