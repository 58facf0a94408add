"""Run the real `impactmarkt crawl` command against a test database, as an operator would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from marketplace.extensions import db

IMPACTMARKT = Path(sys.executable).with_name("impactmarkt")


@dataclass
class CrawlResult:
    returncode: int
    stdout: str
    stderr: str
    records: list[dict]


def crawl(app: Flask, register: str, start_url: str, workdir: Path, timeout: float = 2.0) -> CrawlResult:
    db.session.remove()
    workdir.mkdir(parents=True, exist_ok=True)
    records_out = workdir / f"records-{register}.jsonl"
    env = {
        **os.environ,
        "IMPACTMARKT_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "IMPACTMARKT_SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"],
        "IMPACTMARKT_CRAWL_CACHE_DIR": str(workdir / "crawl-cache"),
        "IMPACTMARKT_CRAWL_TIMEOUT": str(timeout),
        "IMPACTMARKT_GRACE_DAYS": str(app.config.get("GRACE_DAYS", 90)),
    }
    completed = subprocess.run(
        [str(IMPACTMARKT), "crawl", register, "--start-url", start_url, "--records-out", str(records_out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=workdir,
    )
    records = []
    if records_out.exists():
        records = [json.loads(line) for line in records_out.read_text(encoding="utf-8").splitlines()]
    return CrawlResult(completed.returncode, completed.stdout, completed.stderr, records)


def fill(app: Flask, workdir: Path) -> CrawlResult:
    """`impactmarkt registers fill`: serve the repository snapshot and crawl all three registers."""
    db.session.remove()
    workdir.mkdir(parents=True, exist_ok=True)
    records_out = workdir / "records-all.jsonl"
    env = {
        **os.environ,
        "IMPACTMARKT_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "IMPACTMARKT_SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"],
        "IMPACTMARKT_CRAWL_CACHE_DIR": str(workdir / "crawl-cache"),
    }
    completed = subprocess.run(
        [str(IMPACTMARKT), "registers", "fill", "--records-out", str(records_out)],
        env=env, capture_output=True, text=True, timeout=180, cwd=workdir,
    )  # fmt: skip
    records = (
        [json.loads(line) for line in records_out.read_text(encoding="utf-8").splitlines()]
        if records_out.exists()
        else []
    )
    return CrawlResult(completed.returncode, completed.stdout, completed.stderr, records)
