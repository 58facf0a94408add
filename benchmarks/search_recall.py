"""How often the search finds what people type: recall@10 over the queries in
benchmarks/data/search_queries.yaml (trades as nouns, agent nouns and English words, places,
KvK numbers and names, with the enterprises that should come back; see its header).

Fills a fresh database from the repository's register snapshot through the real spiders (as
`make run` does), runs each query through the same search the page and the API use, and prints
recall@10 (found among the first ten / min(10, expected)), the queries with no result at all,
and the weakest queries.

    .venv/bin/python -m benchmarks.search_recall [--database-url URL]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import yaml

from benchmarks.relevance import snapshot_app
from marketplace.core.extensions import db
from marketplace.search import search
from marketplace.search.query import SearchQuery

QUERIES = Path(__file__).with_name("data") / "search_queries.yaml"


def recall_at_10(found: list[str], expected: list[str]) -> float:
    return len(set(found[:10]) & set(expected)) / min(10, len(expected))


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
                scored.append((recall_at_10([hit.slug for hit in result.hits], case["expected"]), case))
            backend = app.config["SEARCH_BACKEND"]
            print(f"{len(cases)} queries on {db.engine.dialect.name} ({backend} search)")
    mean = sum(score for score, _ in scored) / len(scored)
    empty = [case["query"] for score, case in scored if score == 0]
    print(f"recall@10: {mean:.3f}")
    print(
        f"queries finding none of their enterprises: {len(empty)}"
        + (f" ({', '.join(empty)})" if empty else "")
    )
    weakest = sorted((item for item in scored if 0 < item[0] < 1), key=lambda item: item[0])[:10]
    for score, case in weakest:
        print(f"  {score:.2f}  {case['query']!r} ({case['why']})")


if __name__ == "__main__":
    main()
