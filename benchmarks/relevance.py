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

With --blind it instead scores the blind-judged sets (issue 25): the development set
benchmarks/data/judged_needs_dev.json (25 needs; enterprises not judged are unknown, counted as not
useful and reported) in five folds, and the held-out set benchmarks/data/judged_needs_heldout.json
(25 needs, judged exhaustively). Per need: precision@10 (grade >= 1 and grade 2), nDCG@10 (gains
0/1/3, ideal from all graded enterprises) and the share of grade-2 enterprises in the top 10. Every
judged register slug is mapped onto the organisation that holds that listing, so an enterprise with
several listings counts once. --keep DIR keeps the filled database there and reuses it. Each set
is scored twice: the one list of rank() (near and far together), and the suppliers page's first
list (rank_lists().near), which leaves those further away than the need asks for its second list
(a shorter first list scores its empty places as misses).

    .venv/bin/python -m benchmarks.relevance [--database-url URL]
    .venv/bin/python -m benchmarks.relevance --blind [--keep DIR] [--per-need]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
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

import matching.ranking.rank as ranking_module
from marketplace import create_app
from marketplace.core.extensions import db
from marketplace.core.geography import LabourMarketRegion, Municipality
from marketplace.organisations.models import Label, Organisation
from marketplace.procurement import supplier_matching
from marketplace.sroi.models import RegionRuleSet
from marketplace.sroi.rulesets import services as sroi_rulesets
from matching.ranking import WEIGHTS, CandidatePool, Need, Weights, rank, rank_lists
from matching.text import fold

JUDGED = Path(__file__).with_name("data") / "judged_needs.yaml"
BLIND = {
    "dev": Path(__file__).with_name("data") / "judged_needs_dev.json",
    "heldout": Path(__file__).with_name("data") / "judged_needs_heldout.json",
}
FOLDS = 5
GAINS = {0: 0, 1: 1, 2: 3}
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


def organisation_of_slugs() -> dict[str, list[tuple[int, str]]]:
    """Register slug (the last part of a listing's page address) -> [(organisation id, folded place)]."""
    found: dict[str, list[tuple[int, str]]] = {}
    rows = db.session.execute(
        select(Label.source_url, Label.organisation_id, Organisation.merged_into_id, Municipality.name)
        .join(Organisation, Label.organisation_id == Organisation.id)
        .outerjoin(Municipality, Organisation.municipality_id == Municipality.id)
    )
    for url, organisation_id, merged_into, place in rows:
        slug = url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
        slug = re.sub(r"^\d+-", "", slug)
        found.setdefault(slug, []).append((merged_into or organisation_id, fold(place or "")))
    for organisation_id, slug, merged_into in db.session.execute(
        select(Organisation.id, Organisation.slug, Organisation.merged_into_id)
    ):
        found.setdefault(slug, []).append((merged_into or organisation_id, ""))
    return found


def graded_organisations(
    judgments: dict[str, int], slugs: dict[str, list[tuple[int, str]]]
) -> dict[int, int]:
    """Organisation id -> grade (the highest of its judged slugs); "slug-place" keys pick by place."""
    grades: dict[int, int] = {}
    for key, grade in judgments.items():
        holders = {organisation for organisation, _place in slugs.get(key, [])}
        if not holders and "-" in key:
            base, place = key.rsplit("-", 1)
            holders = {o for o, at in slugs.get(base, []) if place in at.replace(" ", "-")}
        for organisation in holders:
            grades[organisation] = max(grades.get(organisation, 0), grade)
    return grades


def blind_need(case: dict) -> Need:
    obligation = case["obligation"]
    region = db.session.scalar(
        select(LabourMarketRegion).where(LabourMarketRegion.name == obligation["region"])
    )
    ruleset = sroi_rulesets.region_ruleset(region).ruleset_id
    return Need(
        obligation["needs"] or "",
        tuple(obligation.get("cpv") or ()),
        date.fromisoformat(obligation["starts_on"]),
        date.fromisoformat(obligation["ends_on"]),
        # a region without a known rule set (the rules issue): relevance is still measured, over
        # every listed supplier (see relevant_rank), as the page offers them with "counting unknown"
        sroi_rulesets.rules(ruleset) if ruleset != sroi_rulesets.NO_RULESET else None,
        municipality=obligation.get("municipality"),
        region=region.name,
        province=supplier_matching.main_province(region.id),
        remaining=Decimal("50000.00"),
        today=TODAY,
    )


def relevant_rank(need: Need, pool: CandidatePool, weights: Weights) -> list:  # type: ignore[type-arg]
    """The top 10 as the page shows them; without rules nothing counts, so all that fit are shown."""
    return rank(need, pool, weights, limit=10, include_uncounted=need.rules is None)


def page_rank(need: Need, pool: CandidatePool, weights: Weights) -> list:  # type: ignore[type-arg]
    """The first list as the suppliers page shows it: those near enough (within the distance the
    need asks, else where distance stops counting, or in its region); the page lists the others
    apart under "Verder weg" (matching.ranking.rank_lists)."""
    lists = rank_lists(need, pool, weights, limit=10, further_limit=0, include_uncounted=need.rules is None)
    return lists.near


def blind_scores(ids: list[int], grades: dict[int, int]) -> dict[str, float]:
    top = ids[:10]
    gains = [GAINS[grades.get(i, 0)] / math.log2(r + 2) for r, i in enumerate(top)]
    ideal = sorted((GAINS[g] for g in grades.values()), reverse=True)[:10]
    best = sum(g / math.log2(r + 2) for r, g in enumerate(ideal))
    recommendable = [i for i, g in grades.items() if g == 2]
    return {
        "p10_useful": sum(1 for i in top if grades.get(i, 0) >= 1) / 10,
        "p10_recommend": sum(1 for i in top if grades.get(i, 0) == 2) / 10,
        "ndcg10": sum(gains) / best if best else (1.0 if not top else 0.0),
        "recall2": sum(1 for i in top if i in recommendable) / len(recommendable)
        if recommendable
        else float("nan"),
        "unjudged": sum(1 for i in top if i not in grades) / 10,
        "shown": len(top),
    }


def mean(values: list[float]) -> float:
    kept = [v for v in values if not math.isnan(v)]
    return sum(kept) / len(kept) if kept else float("nan")


def report(label: str, rows: list[dict[str, float]]) -> None:
    keys = ("p10_useful", "p10_recommend", "ndcg10", "recall2", "unjudged")
    print(f"{label:22} " + "  ".join(f"{key} {mean([r[key] for r in rows]):.3f}" for key in keys))


def blind(pool: CandidatePool, rank_need, per_need: bool) -> dict[str, list[dict[str, float]]]:  # type: ignore[no-untyped-def]
    slugs = organisation_of_slugs()
    results: dict[str, list[dict[str, float]]] = {}
    for name, path in BLIND.items():
        cases = json.loads(path.read_text(encoding="utf-8"))
        rows = []
        for case in cases:
            grades = graded_organisations(case["judgments"], slugs)
            ranked = rank_need(blind_need(case), pool)
            row = blind_scores([item.candidate.organisation_id for item in ranked], grades)
            quotes = [
                (quote, " ".join(pool.text.raw[pool.index_of[item.candidate.organisation_id]].values()))
                for item in ranked[:10]
                for quote in item.part("fit").reason.params.get("quotes", ())
            ]
            row["quotes"] = len(quotes)
            row["quotes_not_own"] = sum(1 for quote, own in quotes if quote not in own)
            rows.append(row)
            if per_need and name == "dev":  # the held-out needs are not looked at one by one
                shown = ", ".join(
                    f"{item.candidate.slug}:{grades.get(item.candidate.organisation_id, '?')}"
                    for item in ranked[:10]
                )
                print(f"  {case['id']} p@10 {row['p10_useful']:.1f} nDCG {row['ndcg10']:.2f} | {shown}")
        results[name] = rows
    return results


def tune(pool: CandidatePool) -> Weights:
    """Choose the distance weight, the fit floor and the distance at which nearness ends on the
    development set only, by 5-fold cross-validation (each fold scored with the setting chosen on
    the other four); returns the setting best on all 25 dev needs."""
    slugs = organisation_of_slugs()
    cases = json.loads(BLIND["dev"].read_text(encoding="utf-8"))
    grades = [graded_organisations(case["judgments"], slugs) for case in cases]
    needs = [blind_need(case) for case in cases]
    grid = [
        (d, f, k) for d in (50, 100, 200, 300, 400) for f in (0.2, 0.3, 0.45) for k in (60.0, 90.0, 150.0)
    ]
    table: dict[tuple[int, float, float], list[float]] = {}
    for distance, floor, far in grid:
        ranking_module.FIT_FLOOR, ranking_module.FAR_KM = floor, far
        weights = Weights(WEIGHTS.fit, WEIGHTS.counts, WEIGHTS.validity, distance, WEIGHTS.spread)
        table[(distance, floor, far)] = [
            blind_scores([i.candidate.organisation_id for i in relevant_rank(n, pool, weights)], g)["ndcg10"]
            for n, g in zip(needs, grades, strict=True)
        ]
    for fold_number in range(FOLDS):
        train = [i for i in range(len(cases)) if i % FOLDS != fold_number]
        test = [i for i in range(len(cases)) if i % FOLDS == fold_number]
        best = max(grid, key=lambda key: mean([table[key][i] for i in train]))
        print(
            f"fold {fold_number + 1}: chosen on the other folds distance {best[0]}, floor {best[1]}, "
            f"far {best[2]:.0f} km: train nDCG {mean([table[best][i] for i in train]):.3f}, "
            f"this fold {mean([table[best][i] for i in test]):.3f}"
        )
    best = max(grid, key=lambda key: mean(table[key]))
    print(
        f"best on all dev: distance {best[0]}, floor {best[1]}, far {best[2]:.0f} km: nDCG {mean(table[best]):.3f}"
    )
    ranking_module.FIT_FLOOR, ranking_module.FAR_KM = best[1], best[2]
    return Weights(WEIGHTS.fit, WEIGHTS.counts, WEIGHTS.validity, best[0], WEIGHTS.spread)


def main_blind(keep: str | None, per_need: bool, tuning: bool = False) -> None:
    folder = Path(keep) if keep else Path(tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'relevance.sqlite'}"
    if (folder / "relevance.sqlite").exists():
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "SEARCH_INDEX_DIR": str(folder / "index"),
                "TODAY": TODAY,
                "SECRET_KEY": "benchmark",
            }
        )
    else:
        app = snapshot_app(url, folder)
    with app.app_context():
        pool = supplier_matching.candidate_pool()
        print(f"pool: {len(pool)} listed enterprises from the snapshot on {db.engine.dialect.name}")
        weights = tune(pool) if tuning else WEIGHTS
        print("one list, near and far together (matching.ranking.rank):")
        results = blind(pool, lambda need, pool: relevant_rank(need, pool, weights), per_need)
        dev = results["dev"]
        for fold_number in range(FOLDS):
            report(f"dev fold {fold_number + 1} (5 needs)", dev[fold_number::FOLDS])
        report("dev all 25", dev)
        report("held-out 25", results["heldout"])
        print("the page's first list, those further away left for its second list (rank_lists):")
        near = blind(pool, lambda need, pool: page_rank(need, pool, weights), False)
        report("dev all 25", near["dev"])
        report("held-out 25", near["heldout"])
        rows = results["dev"] + results["heldout"]
        print(
            f"quoted claims in the top 10s: {sum(int(r['quotes']) for r in rows)}, "
            f"not in the supplier's own texts: {sum(int(r['quotes_not_own']) for r in rows)}; "
            f"shown without any quote or CPV class: "
            f"{sum(1 for r in rows if r['shown'] and not r['quotes'])} needs"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", help="an empty PostgreSQL database; default: SQLite in a temp folder"
    )
    parser.add_argument("--blind", action="store_true", help="score the blind-judged dev and held-out sets")
    parser.add_argument("--keep", help="with --blind: keep (and reuse) the filled database in this folder")
    parser.add_argument("--tune", action="store_true", help="with --blind: cross-validate settings on dev")
    parser.add_argument("--per-need", action="store_true", help="with --blind: print each need's top 10")
    args = parser.parse_args()
    if args.blind:
        main_blind(args.keep, args.per_need, args.tune)
        return
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
