"""Bulk entry: how long a filled template of 1,000 rows takes to import.

Prints the time to parse (openpyxl), check every row through the same service as the forms
(valued under the obligation's rule set, duplicates refused) and store all rows in one transaction,
on a fresh migrated database; and the same file with one bad row at the end (everything checked,
nothing stored). The file is the obligation's own template (workbook.template), filled with a mix
of 600 purchases from three listed enterprises, 300 hires under the rule set's blocks (by name),
and 100 activities.
Target: 1,000 rows in under 10 s (issue 24).

    .venv/bin/python -m benchmarks.bulk_import [--database-url URL]
"""

from __future__ import annotations

import argparse
import io
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func, select

from benchmarks.common import fresh_app, peak_memory_mb
from benchmarks.sroi import listed_suppliers
from marketplace.accounts import services as accounts
from marketplace.core.extensions import db
from marketplace.sroi.bulk import importer, sheets, workbook
from marketplace.sroi.models import Contribution
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.rulesets import services as sroi_rulesets

ROWS = 1000


def filled_template(data: bytes, suppliers: list[str], blocks: list[str], bad_row: bool, seed: int = 3) -> bytes:
    rng = random.Random(seed)
    book = load_workbook(io.BytesIO(data))
    purchases, hires, activities = book["Inkoop"], book["Aanstellingen"], book["Sociale activiteiten"]
    for number in range(600):
        day = date(2026, 1, 1) + timedelta(days=rng.randrange(300))
        purchases.append([rng.choice(suppliers), f"B-{seed}-{number}", day, rng.randrange(100, 50_000) + 0.5])
    for number in range(300):
        start = date(2026, 1, 1) + timedelta(days=rng.randrange(300))
        end = start + timedelta(days=rng.randrange(30, 700))
        hires.append([rng.choice(blocks), rng.choice([8, 16, 24, 32, 36]), start, end, None, f"P-{seed}-{number}"])
    for _number in range(100 - (1 if bad_row else 0)):
        activities.append([rng.randrange(1, 80)])
    if bad_row:
        activities.append(["veel"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (an empty database); default: SQLite in a temp folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = fresh_app(Path(folder), args.database_url)
        with app.app_context(), app.test_request_context("/"):
            suppliers = listed_suppliers()
            contractor = accounts.create_user("bulk@aannemer.example", "een-lang-wachtwoord-42", ["contractor"], [])
            obligation = obligations.create_obligation(contractor, {
                "title": "Benchmark", "contracting_authority": "Gemeente Enschede", "contract_value_excl_vat": "50000000",
                "starts_on": "2026-01-01", "ends_on": "2027-12-31", "region": "Twente"})  # fmt: skip
            rules = sroi_rulesets.rules(obligation.ruleset_id)
            template = workbook.template(obligation, rules)
            blocks = sheets.block_names(rules, "nl")

            refused_file = filled_template(template, suppliers, blocks, bad_row=True, seed=1)
            started = time.perf_counter()
            refused = importer.import_file(obligation, refused_file)
            refused_seconds = time.perf_counter() - started
            assert len(refused.problems) == 1 and refused.rows == ROWS, refused.problems[:3]

            good_file = filled_template(template, suppliers, blocks, bad_row=False, seed=2)
            started = time.perf_counter()
            outcome = importer.import_file(obligation, good_file)
            seconds = time.perf_counter() - started
            assert not outcome.problems, [p.as_json() for p in outcome.problems[:3]]
            stored = db.session.scalar(select(func.count()).select_from(Contribution))
            assert stored == ROWS, stored
            backend = db.engine.dialect.name
        print(f"bulk import: {ROWS:,} rows ({len(good_file) / 1024:.0f} kB) parsed, checked and stored in {seconds:.2f} s "
              f"({ROWS / seconds:,.0f} rows/s) on {backend}  (target < 10 s)")  # fmt: skip
        print(f"refused:     {ROWS:,} rows with one bad row checked, nothing stored, in {refused_seconds:.2f} s")
        print(f"memory:      peak {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
