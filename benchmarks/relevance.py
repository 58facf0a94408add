"""How good the supplier ranking is: precision@10 and nDCG@10 on judged cases, and how
concentrated exposure is across 1,000 generated obligations, with and without the spread part.

Fills a fresh database from the repository's register snapshot through the real spiders (as
`make run` does), then ranks the 36 judged needs in benchmarks/data/judged_needs.yaml (what a
coordinator would pick; see its header) and 1,000 generated obligations in which the contractor
keeps the top three suppliers each time (their open matches grow, which the spread part sees).
A generated obligation asks for one of the judged needs or one of the register sectors (so demand
covers every trade the registers list), in a random region under that region's rule set.
Prints the figures. Targets: the 10% most-shown suppliers take at most a third of all top-10
places, at a cost of at most 2% nDCG@10.

    .venv/bin/python -m benchmarks.relevance [--database-url URL]
"""

from __future__ import annotations

import argparse
import math
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml
from flask import Flask
from sqlalchemy import select

from marketplace import create_app
from marketplace.core.extensions import db
from marketplace.core.geography import LabourMarketRegion
from marketplace.organisations.models import Organisation
from marketplace.procurement import supplier_matching
from marketplace.sroi.models import RegionRuleSet
from marketplace.sroi.rulesets import services as sroi_rulesets
from matching.ranking import WEIGHTS, CandidatePool, Need, Weights, rank

JUDGED = Path(__file__).with_name("data") / "judged_needs.yaml"
TODAY = date(2026, 11, 1)
GENERATED = 1_000
KEPT = 3


def fill(database_url: str, index_dir: str) -> None:
    env = {
        **os.environ,
        "IMPACTMARKT_DATABASE_URL": database_url,
        "IMPACTMARKT_SEARCH_INDEX_DIR": index_dir,
        "IMPACTMARKT_TODAY": TODAY.isoformat(),
    }
    command = str(Path(sys.executable).with_name("impactmarkt"))
    for arguments in (["db", "upgrade"], ["refdata", "load"], ["registers", "fill"]):
        subprocess.run([command, *arguments], env=env, check=True, capture_output=True)


def snapshot_app(url: str, folder: Path) -> Flask:
    """An app on a database filled from the register snapshot (for the ranking and search benchmarks)."""
    fill(url, str(folder / "index"))
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SEARCH_INDEX_DIR": str(folder / "index"),
            "TODAY": TODAY,
            "SECRET_KEY": "benchmark",
        }
    )


def need(text: str, region: str, ruleset: str) -> Need:
    region_id = db.session.scalar(select(LabourMarketRegion.id).where(LabourMarketRegion.name == region))
    return Need(
        text,
        (),
        date(2026, 1, 1),
        date(2027, 12, 31),
        sroi_rulesets.rules(ruleset),
        region=region,
        province=supplier_matching.main_province(region_id),
        remaining=Decimal("50000.00"),
        today=TODAY,
    )


def ndcg_at_10(slugs: list[str], relevant: dict[str, int]) -> float:
    gains = [(2 ** relevant.get(slug, 0) - 1) / math.log2(rank + 2) for rank, slug in enumerate(slugs[:10])]
    ideal = sorted(relevant.values(), reverse=True)[:10]
    best = sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(ideal))
    return sum(gains) / best if best else 0.0


def judged(
    pool: CandidatePool, cases: list[dict], weights: Weights, open_matches: dict[int, int]
) -> tuple[float, float]:
    precisions, ndcgs = [], []
    for case in cases:
        ranked = rank(
            need(case["needs"], case["region"], case["ruleset"]), pool, weights, open_matches=open_matches
        )
        slugs = [item.candidate.slug for item in ranked]
        precisions.append(sum(1 for slug in slugs if slug in case["relevant"]) / 10)
        ndcgs.append(ndcg_at_10(slugs, case["relevant"]))
    return sum(precisions) / len(precisions), sum(ndcgs) / len(ndcgs)


def simulate(pool: CandidatePool, cases: list[dict], weights: Weights) -> tuple[float, dict[int, int]]:
    """1,000 obligations; each time the contractor keeps the top three. Returns the share of all
    top-10 places taken by the 10% most-shown suppliers, and the open matches at the end."""
    rng = random.Random(11)
    sectors = {
        sector.lower()
        for sectors in db.session.scalars(select(Organisation.sectors))
        for sector in sectors or []
    }
    texts = sorted({case["needs"] for case in cases}) + sorted(sectors)
    regions = db.session.execute(
        select(LabourMarketRegion.name, RegionRuleSet.ruleset_id)
        .join(RegionRuleSet)
        .where(RegionRuleSet.ruleset_id != "rijnvicus-bouwblokken")
    ).all()
    shown: Counter[int] = Counter()
    open_matches: dict[int, int] = {}
    for _ in range(GENERATED):
        region, ruleset = rng.choice(regions)
        ranked = rank(need(rng.choice(texts), region, ruleset), pool, weights, open_matches=open_matches)
        for position, item in enumerate(ranked):
            shown[item.candidate.organisation_id] += 1
            if position < KEPT:
                open_matches[item.candidate.organisation_id] = (
                    open_matches.get(item.candidate.organisation_id, 0) + 1
                )
    top = max(1, round(len(pool) * 0.10))
    share = sum(count for _id, count in shown.most_common(top)) / max(sum(shown.values()), 1)
    return share, open_matches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", help="an empty PostgreSQL database; default: SQLite in a temp folder"
    )
    args = parser.parse_args()
    cases = yaml.safe_load(JUDGED.read_text(encoding="utf-8"))["cases"]
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'relevance.sqlite'}"
        app = snapshot_app(url, Path(tmp))
        with app.app_context():
            pool = supplier_matching.candidate_pool()
            print(
                f"pool:       {len(pool)} listed enterprises from the snapshot on {db.engine.dialect.name}; "
                f"{len(cases)} judged cases"
            )
            precision, ndcg = judged(pool, cases, WEIGHTS, {})
            print(f"judged:     precision@10 {precision:.3f}, nDCG@10 {ndcg:.3f} (no open matches)")
            for label, weights in (("with spread", WEIGHTS), ("without spread", WEIGHTS.without_spread())):
                share, open_matches = simulate(pool, cases, weights)
                after_p, after_ndcg = judged(pool, cases, weights, open_matches)
                print(
                    f"{label:15} 10% most-shown suppliers take {share:.1%} of top-10 places over {GENERATED:,} "
                    f"obligations; judged afterwards: precision@10 {after_p:.3f}, nDCG@10 {after_ndcg:.3f}"
                )


if __name__ == "__main__":
    main()
