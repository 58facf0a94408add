"""How often the search finds what people type: recall@10 over the queries in
benchmarks/data/search_queries.yaml (trades as nouns, agent nouns and English words, places,
KvK numbers and names, with the enterprises that should come back; see its header).

Fills a fresh database from the repository's register snapshot through the real spiders (as
`make run` does), runs each query through the same search the page and the API use, and prints
three figures, because one hides what the others show (issue 22):

- recall@10: found among the first ten / all expected (a query expecting 30 enterprises can
  reach at most 10/30 = 0.33 here: that is the truth about a first page);
- hits@10: found among the first ten / min(10, expected) (the old figure: any 10 of 30 count as
  a full page);
- nDCG@10: binary relevance, discounted by rank: the expected enterprises high on the page.

Each is given over all queries and separately for the queries answered by the synonym table
(a word of the query is a `typed` word in matching/data/search_synonyms.csv: those queries were
written together with the table that answers them) and for the queries outside it. Then the
queries with no result at all, and the weakest queries.

    .venv/bin/python -m benchmarks.search_recall [--database-url URL]
"""

from __future__ import annotations

import argparse
import math
import tempfile
from pathlib import Path

import yaml

from benchmarks.relevance import snapshot_app
from marketplace.core.extensions import db
from marketplace.search import search
from marketplace.search.query import SearchQuery
from matching.analysis import plural_to_singular, synonyms, words

QUERIES = Path(__file__).with_name("data") / "search_queries.yaml"


def recall_at_10(found: list[str], expected: list[str]) -> float:
    return len(set(found[:10]) & set(expected)) / len(expected)


def hits_at_10(found: list[str], expected: list[str]) -> float:
    return len(set(found[:10]) & set(expected)) / min(10, len(expected))


def ndcg_at_10(found: list[str], expected: list[str]) -> float:
    wanted = set(expected)
    gain = sum(1 / math.log2(rank + 2) for rank, slug in enumerate(found[:10]) if slug in wanted)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(10, len(expected))))
    return gain / ideal


def uses_synonym_table(query: str) -> bool:
    """True when a word of the query is a typed word of the synonym table (the table answers it)."""
    table = synonyms()
    return any(word in table or plural_to_singular(word) in table for word in words(query))


MEASURES = {"recall@10": recall_at_10, "hits@10": hits_at_10, "nDCG@10": ndcg_at_10}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", help="an empty PostgreSQL database; default: SQLite in a temp folder"
    )
    args = parser.parse_args()
    cases = [
        case for case in yaml.safe_load(QUERIES.read_text(encoding="utf-8"))["cases"] if case["expected"]
    ]
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'recall.sqlite'}"
        app = snapshot_app(url, Path(tmp))
        with app.app_context():
            scored = []
            for case in cases:
                result = search(SearchQuery(text=case["query"], per_page=10))
                found = [hit.slug for hit in result.hits]
                figures = {name: measure(found, case["expected"]) for name, measure in MEASURES.items()}
                scored.append((figures, uses_synonym_table(case["query"]), case))
            backend = app.config["SEARCH_BACKEND"]
            print(f"{len(cases)} queries on {db.engine.dialect.name} ({backend} search)")
    groups = {
        "all queries": scored,
        "answered by the synonym table": [item for item in scored if item[1]],
        "outside the synonym table": [item for item in scored if not item[1]],
    }
    for label, items in groups.items():
        if not items:
            print(f"{label}: none")
            continue
        means = "  ".join(
            f"{name} {sum(figures[name] for figures, _, _ in items) / len(items):.3f}" for name in MEASURES
        )
        print(f"{label} ({len(items)}): {means}")
    empty = [case["query"] for figures, _, case in scored if figures["hits@10"] == 0]
    print(
        f"queries finding none of their enterprises: {len(empty)}"
        + (f" ({', '.join(empty)})" if empty else "")
    )
    weakest = sorted((item for item in scored if 0 < item[0]["nDCG@10"] < 1), key=lambda item: item[0]["nDCG@10"])
    for figures, table, case in weakest[:10]:
        where = "table" if table else "outside"
        print(f"  nDCG {figures['nDCG@10']:.2f} recall {figures['recall@10']:.2f}  {case['query']!r} ({where}; {case['why']})")


if __name__ == "__main__":
    main()
