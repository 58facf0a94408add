"""Entity resolution: quality on the shared snapshot, speed and memory on 100,000 records.

Quality: the snapshot's register records (crawled from the repository copy over loopback)
are resolved and every pairwise decision is scored against truth-dev.jsonl. Speed: N
generated records with realistic variation (legal forms, "&"/"en", case, typos, place
synonyms, website spellings, chains, namesakes in other towns) resolved on one core.

    .venv/bin/python -m benchmarks.resolve [--size 100000] [--truth PATH]
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import random
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.common import peak_memory_mb
from matching.places import municipality_rows
from matching.resolution.features import record_id
from matching.resolution.resolve import resolve
from scrapers.snapshot_server import SNAPSHOT_DIR

WORDS_A = ["Groene", "Tweede", "Nieuwe", "Sociale", "Samen", "Zinnig", "Eerlijke", "Lokale", "Stoere", "Frisse",
           "Bonte", "Sterke", "Warme", "Slimme", "Trotse", "Blije", "Open", "Vrije", "Rijke", "Echte"]  # fmt: skip
WORDS_B = ["Kans", "Koffie", "Schoonmaak", "Fiets", "Hout", "Brood", "Zorg", "Klus", "Groen", "Stof", "Thee",
           "Zeep", "Kaas", "Glas", "Papier", "Was", "Tuin", "Post", "Keuken", "Drukwerk"]  # fmt: skip
WORDS_C = ["werkplaats", "bedrijf", "makerij", "service", "atelier", "collectief", "huis", "fabriek", "winkel",
           "diensten", "studio", "kwekerij", "lab", "centrum", "hoek", "plaats", "zaak", "kring", "handel", "hof"]  # fmt: skip
SURNAMES = ["De Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "De Boer", "Bos", "Vos",
            "Peters", "Hendriks", "Dekker", "Brouwer", "De Wit", "Dijkstra", "Smits", "De Graaf", "Van der Meer",
            "Kok", "Jacobs", "Van Dijk", "Vermeulen", "Willems", "Van den Berg", "Schouten", "Hoekstra", "Koster",
            "Prins", "Huisman", "Post", "Kuiper", "Veenstra", "Kramer", "Van Leeuwen", "Timmermans", "Wolters",
            "Groen", "Van Wijk", "Van Beek", "Kuipers", "Boer", "Verbeek", "Maas", "Sanders", "Goossens", "Martens",
            "Hermans", "Evers", "Kok", "Van Dam", "Verhoeven", "Postma", "Jonker", "Kooij", "Peeters", "Wouters"]  # fmt: skip
SYNONYMS = {
    "'s-Gravenhage": "Den Haag",
    "'s-Hertogenbosch": "Den Bosch",
    "Haarlemmermeer": "Hoofddorp",
    "Zaanstad": "Zaandam",
}
LEGAL = [("", ""), ("", ""), ("", ""), ("", " B.V."), ("", " BV"), ("", " b.v."), ("Stichting ", ""),
         ("", " V.O.F."), ("Coöperatie ", " U.A.")]  # fmt: skip


def snapshot_records() -> list[dict]:
    """Crawl the repository snapshot (no database) and return its records as JSON objects."""
    from scrapers.runner import CrawlOptions, run_crawls
    from scrapers.snapshot_server import serve_snapshot

    with serve_snapshot() as start_urls:
        reports = run_crawls(start_urls, CrawlOptions(progress=False), {"HTTPCACHE_ENABLED": False})
    return [record.to_json() for report in reports for record in report.records]


def pairs(assignment: dict[str, str]) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for rid, entity in assignment.items():
        groups[entity].append(rid)
    return {tuple(sorted(pair)) for members in groups.values() for pair in itertools.combinations(members, 2)}


def score_against_truth(truth_path: Path) -> None:
    records = snapshot_records()
    truth = {
        record_id(row["register"], row["record_key"]): row["entity"]
        for row in map(json.loads, truth_path.read_text(encoding="utf-8").splitlines())
    }
    started = time.perf_counter()
    result = resolve(records)
    seconds = time.perf_counter() - started
    found, expected = pairs(result.entity_of), pairs(truth)
    correct = len(found & expected)
    precision = correct / len(found) if found else 1.0
    recall = correct / len(expected) if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall)
    in_review = {rid for d in result.review for rid in (d.left, d.right)}
    print(
        f"snapshot: {len(records)} records, {len(set(result.entity_of.values()))} entities (truth {len(set(truth.values()))})"
    )
    print(
        f"  pairwise precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}  ({correct} of {len(expected)} true pairs, {len(found) - correct} wrong)"
    )
    print(
        f"  sent to review: {len(result.review)} pairs, {len(in_review)} records ({100 * len(in_review) / len(records):.1f}% of records)"
    )
    print(f"  resolved in {seconds * 1000:.0f} ms")


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 6:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def generated_records(size: int, seed: int = 11) -> list[dict]:
    rng = random.Random(seed)
    municipalities = [row["name"] for row in municipality_rows()]
    weights = [
        50 if m in ("Amsterdam", "Rotterdam", "'s-Gravenhage", "Utrecht") else 8 if len(m) < 9 else 1
        for m in municipalities
    ]
    records: list[dict] = []
    used_names: set[str] = set()
    entity = 0
    while len(records) < size:
        entity += 1
        name = f"{rng.choice(WORDS_A)} {rng.choice(WORDS_B)}{rng.choice(WORDS_C)}"
        if rng.random() < 0.6:
            name = f"{rng.choice(WORDS_B)}{rng.choice(WORDS_C)} {rng.choice(SURNAMES)}"
        if rng.random() < 0.3:
            name += f" {rng.choice(WORDS_B)}"
        city = rng.choices(municipalities, weights)[0]
        kvk = f"{rng.randrange(10**7, 10**8)}"
        # Different enterprises do not share a website, even when they share a name.
        domain = name.lower().replace(" ", "") + ("" if name not in used_names else str(entity)) + ".nl"
        used_names.add(name)
        branches = 3 if rng.random() < 0.01 else 1  # chains: same name and site, other towns, own KvK
        for branch in range(branches):
            here = city if branch == 0 else rng.choice(municipalities)
            own_kvk = kvk if branch == 0 else f"{rng.randrange(10**7, 10**8)}"
            for register in rng.sample(["pso", "code", "senl"], rng.choice([1, 1, 1, 2, 2, 3])):
                prefix, suffix = LEGAL[rng.randrange(len(LEGAL))]
                shown_name = prefix + name + suffix
                if rng.random() < 0.05:
                    shown_name = shown_name.replace(" ", " & ", 1) if "&" not in shown_name else shown_name
                if rng.random() < 0.02:
                    words = shown_name.split()
                    shown_name = " ".join([*words[:-1], _typo(rng, words[-1])])
                records.append(
                    {
                        "entity": f"G{entity}-{branch}",
                        "register": register,
                        "record_key": f"/{register}/{entity}-{branch}",
                        "name": shown_name.upper() if rng.random() < 0.03 else shown_name,
                        "city": SYNONYMS.get(here, here) if rng.random() < 0.5 else here,
                        "kvk": [] if register == "senl" or rng.random() < 0.1 else [own_kvk],
                        "website": None
                        if rng.random() < 0.3
                        else rng.choice([f"https://www.{domain}", f"http://{domain}/", domain]),
                    }
                )
    return records[:size]


def time_generated(size: int) -> None:
    records = generated_records(size)
    started = time.perf_counter()
    result = resolve(records)
    seconds = time.perf_counter() - started
    truth = {record_id(r["register"], r["record_key"]): r["entity"] for r in records}
    found, expected = pairs(result.entity_of), pairs(truth)
    correct = len(found & expected)
    in_review = {rid for d in result.review for rid in (d.left, d.right)}
    print(
        f"generated: {len(records)} records -> {len(set(result.entity_of.values()))} entities in {seconds:.1f} s on one core"
    )
    print(
        f"  {len(result.decisions)} pairs scored, {len(result.merged)} merges, {len(result.review)} to review"
    )
    print(
        f"  precision {correct / len(found):.4f}  recall {correct / len(expected):.4f} against the generator's truth"
    )
    print(f"  {len(in_review)} records in review ({100 * len(in_review) / len(records):.1f}%)")
    print(f"  peak memory {peak_memory_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--truth", type=Path, default=SNAPSHOT_DIR / "truth-dev.jsonl")
    args = parser.parse_args()
    logging.getLogger("scrapy").setLevel(logging.ERROR)
    time_generated(args.size)
    score_against_truth(args.truth)


if __name__ == "__main__":
    main()
