"""SROI valuation and progress: how fast the engine and the obligation page are.

Prints: valuing 100,000 generated contributions (hires, purchases, activities) in
matching.sroi alone; the progress of 10,000 obligations with 50 contributions each from the
database; 450 contributions of a real mix (hires under the rule set's blocks, purchases from
enterprises listed through the ingest service, activities) added and valued through the same
service the contractor's form uses; and the obligation page rendered server-side with those
500 contributions.
Targets: 100,000 valuations under 2 s; an obligation page under 50 ms.

    .venv/bin/python -m benchmarks.sroi [--database-url URL]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select

from benchmarks.common import fresh_app
from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.core.extensions import db
from marketplace.core.geography import LabourMarketRegion
from marketplace.registers.ingest import ingest_report
from marketplace.sroi.models import Contribution, Obligation
from marketplace.sroi.obligations import services as obligations
from matching.labels import LabelFacts
from matching.records import RegisterRecord
from matching.sroi import (
    Activity,
    Hire,
    Purchase,
    parse,
    published,
    value_activity,
    value_hire,
    value_purchase,
)
from scrapers.report import CrawlReport

RULESETS = [parse(entry, n) for entries in published().values() for n, entry in enumerate(entries, 1)]


def generated_contributions(count: int, seed: int = 7) -> list[tuple[object, object]]:
    rng = random.Random(seed)
    labels = [
        LabelFacts("code", "Toegelaten", False, "active", valid_from=date(2021, 3, 1)),
        LabelFacts("senl", "Lid", False, "active", first_seen=date(2024, 1, 1)),
        LabelFacts("pso", "Trede 2", False, "active", valid_from=date(2025, 1, 1), valid_until=date(2027, 1, 1)),
    ]
    work = []
    for _ in range(count):
        rules = rng.choice(RULESETS)
        kind = rng.random()
        start = date(2026, 1, 1) + timedelta(days=rng.randrange(365))
        if kind < 0.5:
            block = rng.choice(list(rules.hires))
            item = Hire(block, Decimal(rng.choice([8, 16, 24, 32, 36])), start, start + timedelta(days=rng.randrange(30, 1200)))
        elif kind < 0.9:
            item = Purchase(start, Decimal(rng.randrange(100, 200_000)) / 100 * 100, (rng.choice(labels),))
        else:
            item = Activity(Decimal(rng.randrange(1, 80)))
        work.append((item, rules))
    return work


def value(item: object, rules: object) -> object:
    if isinstance(item, Hire):
        return value_hire(item, rules)  # type: ignore[arg-type]
    if isinstance(item, Purchase):
        return value_purchase(item, rules)  # type: ignore[arg-type]
    return value_activity(item, rules)  # type: ignore[arg-type, arg-type]


def bench_valuation() -> None:
    work = generated_contributions(100_000)
    started = time.perf_counter()
    total = sum((value(item, rules).amount for item, rules in work), Decimal(0))  # type: ignore[attr-defined]
    seconds = time.perf_counter() - started
    print(f"valuation:  100,000 contributions in {seconds:.2f} s ({100_000 / seconds:,.0f}/s), total € {total:,.2f}  (target < 2 s)")


SUPPLIERS = [
    RegisterRecord(register="code", record_key="/register/bench-uil/", name="Schoonmaakbedrijf De Uil", level="Toegelaten",
                   city="Enschede", kvk=["11111111"], valid_from=date(2021, 3, 12), source_url="https://code.example/register/bench-uil/"),
    RegisterRecord(register="pso", record_key="/organisatie/bench-groen.html", name="Groen en Zo B.V.", level="Trede 2",
                   city="Hengelo", kvk=["22222222"], valid_from=date(2025, 1, 1), valid_until=date(2027, 1, 1),
                   source_url="https://pso.example/organisatie/bench-groen.html"),
    RegisterRecord(register="senl", record_key="/leden/bench-korst/", name="Bakkerij De Korst", level="Lid", membership="Lid",
                   city="Almelo", kvk=["33333333"], source_url="https://senl.example/leden/bench-korst/"),
]  # fmt: skip


def listed_suppliers() -> list[str]:
    """Three enterprises listed through the crawl ingest service, one per register; their KvK numbers."""
    for register in ("pso", "code", "senl"):
        report = CrawlReport(register=register, start_url=f"https://{register}.example/")
        report.records = [record for record in SUPPLIERS if record.register == register]
        report.links_found = report.detail_pages = len(report.records)
        report.listing_pages = 1
        ingest_report(report)
    return [record.kvk[0] for record in SUPPLIERS]


def real_mix(obligation: Obligation, count: int, seed: int = 11) -> dict[str, int]:
    """`count` contributions through obligations.add_contribution (validated, valued, stored)."""
    rng = random.Random(seed)
    suppliers = listed_suppliers()
    blocks = list(published_blocks(obligation.ruleset_id))
    made: dict[str, int] = {}
    for n in range(count):
        day = obligation.starts_on + timedelta(days=rng.randrange(300))
        roll = rng.random()
        if roll < 0.4:
            values = {"kind": "hire", "block": rng.choice(blocks), "hours_per_week": str(rng.choice([8, 16, 24, 36])),
                      "start": day.isoformat(), "end": (day + timedelta(days=rng.randrange(60, 400))).isoformat()}  # fmt: skip
        elif roll < 0.85:
            values = {"kind": "purchase", "supplier": rng.choice(suppliers), "invoice_number": f"BENCH-{n}",
                      "invoice_date": day.isoformat(), "amount_excl_vat": f"{rng.randrange(100, 2_000_000) / 100:.2f}"}  # fmt: skip
        else:
            values = {"kind": "activity", "hours": str(rng.randrange(1, 40))}
        contribution = obligations.add_contribution(obligation, values).contribution
        made[contribution.kind] = made.get(contribution.kind, 0) + 1
    return made


def published_blocks(ruleset_id: str) -> list[str]:
    rules = next(rules for rules in RULESETS if rules.id == ruleset_id)
    return list(rules.hires)


def bench_database(database_url: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = fresh_app(Path(tmp), database_url)
        with app.app_context():
            accounts.create_user("bench@aannemer.example", "een-lang-wachtwoord-42", ["contractor"])
            contractor = db.session.scalar(select(User))
            twente = db.session.scalar(select(LabourMarketRegion.id).where(LabourMarketRegion.name == "Twente"))
            started = time.perf_counter()
            rows = [dict(contractor_id=contractor.id, title=f"Opdracht {n}", contracting_authority="Gemeente",
                         contract_reference="", contract_value_cents=100_000_000, percentage=Decimal(5), region_id=twente,
                         ruleset_id="oost-nederland-bouwblokken-v05", starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31),
                         needs="", cpv_codes=[]) for n in range(10_000)]  # fmt: skip
            db.session.execute(insert(Obligation), rows)
            ids = list(db.session.scalars(select(Obligation.id).order_by(Obligation.id)))
            contributions = [dict(obligation_id=i, kind="activity", hours=Decimal(10), counted_cents=100_000,
                                  ruleset_id="utrecht-bouwblokkenmodel", ruleset_version=2, supplements=[], reasons=[],
                                  review_reasons=[], status=("approved" if n % 2 else "pending"))
                             for i in ids for n in range(50)]  # fmt: skip
            for start in range(0, len(contributions), 20_000):
                db.session.execute(insert(Contribution), contributions[start : start + 20_000])
            big = ids[0]
            db.session.commit()
            print(f"database:   10,000 obligations and 500,000 contributions stored in {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            for obligation in db.session.scalars(select(Obligation)):
                obligations.progress(obligation)
            seconds = time.perf_counter() - started
            print(f"progress:   10,000 obligations in {seconds:.2f} s ({seconds / 10_000 * 1000:.2f} ms each)")
            # One obligation with 450 more contributions, a real mix added and valued through the
            # service as a contractor's form does: hires under every block of its rule set,
            # purchases from listed enterprises of each register, and activities.
            started = time.perf_counter()
            mix = real_mix(db.session.get(Obligation, big), 450)
            db.session.commit()
            seconds = time.perf_counter() - started
            print(f"service:    {sum(mix.values())} contributions valued and stored through the service in {seconds:.2f} s "
                  f"({', '.join(f'{kind} {n}' for kind, n in sorted(mix.items()))})")  # fmt: skip
        client = app.test_client()
        client.post("/inloggen", data={"email": "bench@aannemer.example", "password": "een-lang-wachtwoord-42"})
        app.config["WTF_CSRF_ENABLED"] = False
        client.post("/inloggen", data={"email": "bench@aannemer.example", "password": "een-lang-wachtwoord-42"})
        times = []
        for _ in range(30):
            started = time.perf_counter()
            response = client.get(f"/opdrachtnemer/verplichtingen/{big}")
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        times.sort()
        print(f"page:       obligation with 500 contributions: p50 {statistics.median(times):.1f} ms, "
              f"p95 {times[int(len(times) * 0.95) - 1]:.1f} ms server-side  (target < 50 ms)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (an empty database); default: SQLite in a temp folder")
    args = parser.parse_args()
    bench_valuation()
    bench_database(args.database_url)


if __name__ == "__main__":
    main()
