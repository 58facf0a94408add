"""Coordinator reports and monitor at scale: server-side render times.

Builds 5,000 obligations over the 35 labour-market regions with 100,000 contributions
(purchases from 2,000 enterprises, hires, activities; approved, pending, rejected), then
renders, through the Flask test client, every report view, the monitor, the review queue and
the open-data page, for an admin (all 35 regions) and for the coordinator of one region.
Prints p50 and worst of 5 runs per page. Target: every page under 500 ms server-side.

    .venv/bin/python -m benchmarks.reports [--database-url URL]

For PostgreSQL give an empty database, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/bench_reports
(create it first: createdb -h 127.0.0.1 -U postgres bench_reports).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select

from benchmarks.common import fresh_app
from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.core.extensions import db
from marketplace.core.geography import LabourMarketRegion, Municipality
from marketplace.organisations.models import Organisation
from marketplace.sroi.models import Contribution, Obligation

PASSWORD = "een-lang-wachtwoord-42"
OBLIGATIONS = 5_000
CONTRIBUTIONS = 100_000
ENTERPRISES = 2_000
CONTRACTORS = 300
LABELS = ["code:Toegelaten", "code:Aspirant", "senl:Lid", "pso:Trede 2", "pso:Trede 3"]
BLOCKS = ["participatiewet_over_2y", "participatiewet_under_2y", "wajong", "learn_work_place"]
VIEWS = ["authority", "region", "period", "label", "kind", "spend", "hires"]


def seed(rng: random.Random) -> None:
    regions = list(db.session.scalars(select(LabourMarketRegion.id)))
    municipalities = list(db.session.execute(select(Municipality.id, Municipality.region_id)))
    accounts.create_user("beheer@bench.example", PASSWORD, ["admin"])
    accounts.create_user("twente@bench.example", PASSWORD, ["coordinator"], ["Twente"])
    now = datetime(2026, 10, 1)
    db.session.execute(insert(User), [dict(email=f"c{n}@bouw.example", display_name=f"Bouwer {n}", locale="nl",
                                           created_at=now) for n in range(CONTRACTORS)])  # fmt: skip
    contractor_ids = list(db.session.scalars(select(User.id).where(User.email.like("c%@bouw.example"))))
    db.session.execute(insert(Organisation), [dict(slug=f"onderneming-{n}", name=f"Onderneming {n}",
                       municipality_id=rng.choice(municipalities)[0], sectors=[], regions_served=[],
                       field_sources={}, created_at=now, updated_at=now) for n in range(ENTERPRISES)])  # fmt: skip
    organisation_ids = list(db.session.scalars(select(Organisation.id)))
    authorities = [f"Gemeente {n}" for n in range(120)]
    rows = []
    for n in range(OBLIGATIONS):
        start = date(2025, 1, 1) + timedelta(days=rng.randrange(600))
        rows.append(dict(contractor_id=rng.choice(contractor_ids), title=f"Opdracht {n}",
                         contracting_authority=rng.choice(authorities), contract_reference="",
                         contract_value_cents=rng.randrange(10_000, 5_000_000) * 100, percentage=Decimal(5),
                         region_id=rng.choice(regions), ruleset_id="oost-nederland-bouwblokken-v05",
                         starts_on=start, ends_on=start + timedelta(days=rng.randrange(200, 1100)), needs="",
                         cpv_codes=[], created_at=now))  # fmt: skip
    db.session.execute(insert(Obligation), rows)
    obligation_ids = list(db.session.scalars(select(Obligation.id)))
    contributions = []
    for n in range(CONTRIBUTIONS):
        kind = rng.random()
        status = rng.choices(["approved", "pending", "rejected"], [70, 20, 10])[0]
        day = date(2025, 1, 1) + timedelta(days=rng.randrange(700))
        row = dict(obligation_id=rng.choice(obligation_ids), counted_cents=rng.randrange(100, 5_000_000),
                   ruleset_id="oost-nederland-bouwblokken-v05", ruleset_version=1, supplements=[], reasons=[],
                   review_reasons=[], status=status, counts_on=day,
                   created_at=now - timedelta(days=rng.randrange(60)))  # fmt: skip
        if kind < 0.6:
            amount = rng.randrange(10_000, 10_000_000)
            row |= dict(kind="purchase", organisation_id=rng.choice(organisation_ids), invoice_number=f"F-{n}",
                        invoice_date=day, amount_cents=amount, counted_label=rng.choice(LABELS),
                        counted_cents=amount // rng.choice([1, 2]))  # fmt: skip
        elif kind < 0.9:
            row |= dict(kind="hire", block=rng.choice(BLOCKS), hours_per_week=Decimal(rng.choice([16, 24, 36])),
                        starts_on=day, ends_on=day + timedelta(days=365))  # fmt: skip
        else:
            row |= dict(kind="activity", hours=Decimal(rng.randrange(1, 80)))
        contributions.append(row)
    for start in range(0, len(contributions), 20_000):
        db.session.execute(insert(Contribution), contributions[start : start + 20_000])
    db.session.commit()


def timed(client, path: str, runs: int = 5) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty PostgreSQL database; default: SQLite in a temp folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = fresh_app(Path(tmp), args.database_url)
        app.config["TODAY"] = date(2026, 11, 1)
        with app.app_context():
            started = time.perf_counter()
            seed(random.Random(13))
            print(f"seed:     {OBLIGATIONS:,} obligations, {CONTRIBUTIONS:,} contributions, 35 regions "
                  f"in {time.perf_counter() - started:.1f} s on {db.engine.dialect.name}")  # fmt: skip
        app.config["WTF_CSRF_ENABLED"] = False
        pages = [*(f"/coordinator/rapportages?weergave={view}" for view in VIEWS), "/coordinator/monitor",
                 "/coordinator/wachtrij", "/coordinator/", "/coordinator/logboek"]  # fmt: skip
        worst = 0.0
        for who in ("beheer@bench.example", "twente@bench.example"):
            client = app.test_client()
            client.post("/inloggen", data={"email": who, "password": PASSWORD})
            scope = "admin, 35 regions" if who.startswith("beheer") else "coordinator, Twente"
            for path in pages:
                p50, slowest = timed(client, path)
                worst = max(worst, slowest)
                print(f"{scope:20} {path:45} p50 {p50:7.1f} ms  worst {slowest:7.1f} ms")
        client = app.test_client()
        p50, slowest = timed(client, "/open-data")
        worst = max(worst, slowest)
        print(f"{'public':20} {'/open-data':45} p50 {p50:7.1f} ms  worst {slowest:7.1f} ms")
        print(f"slowest page: {worst:.1f} ms (target < 500 ms) -> {'OK' if worst < 500 else 'TOO SLOW'}")


if __name__ == "__main__":
    main()
