"""Run the real `impactmarkt crawl` command against a test database, as an operator would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from marketplace.core.extensions import db

IMPACTMARKT = Path(sys.executable).with_name("impactmarkt")


@dataclass
class CrawlResult:
    returncode: int
    stdout: str
    stderr: str
    records: list[dict]


def run_cli(
    app: Flask, workdir: Path, arguments: list[str], records_name: str, **settings: str
) -> CrawlResult:
    """Run `impactmarkt ARGUMENTS --records-out FILE` on the test's database and search index."""
    db.session.remove()
    workdir.mkdir(parents=True, exist_ok=True)
    records_out = workdir / records_name
    env = {
        **os.environ,
        "IMPACTMARKT_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "IMPACTMARKT_SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"],
        "IMPACTMARKT_CRAWL_CACHE_DIR": str(workdir / "crawl-cache"),
        "IMPACTMARKT_TODAY": app.config["TODAY"].isoformat(),
        "IMPACTMARKT_MAIL_OUTBOX_DIR": app.config["MAIL_OUTBOX_DIR"],
        **{f"IMPACTMARKT_{key}": value for key, value in settings.items()},
    }
    completed = subprocess.run(
        [str(IMPACTMARKT), *arguments, "--records-out", str(records_out)],
        env=env, capture_output=True, text=True, timeout=180, cwd=workdir,
    )  # fmt: skip
    records = []
    if records_out.exists():
        records = [json.loads(line) for line in records_out.read_text(encoding="utf-8").splitlines()]
    return CrawlResult(completed.returncode, completed.stdout, completed.stderr, records)


def crawl(
    app: Flask, register: str, start_url: str, workdir: Path, timeout: float = 2.0, **settings: str
) -> CrawlResult:
    """`impactmarkt crawl REGISTER --start-url URL`, with a short page time-out for fault tests."""
    grace = str(app.config["GRACE_DAYS"])
    arguments = ["crawl", register, "--start-url", start_url]
    return run_cli(
        app, workdir, arguments, f"records-{register}.jsonl", CRAWL_TIMEOUT=str(timeout), GRACE_DAYS=grace,
        **settings,
    )  # fmt: skip


def fill(app: Flask, workdir: Path) -> CrawlResult:
    """`impactmarkt registers fill`: serve the repository snapshot and crawl all three registers."""
    return run_cli(app, workdir, ["registers", "fill"], "records-all.jsonl")
