"""Shared set-up for benchmarks: a fresh migrated database in a temporary folder."""

from __future__ import annotations

import resource
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade

from marketplace import create_app
from marketplace.reference.services import load_reference_data


def fresh_app(workdir: Path, database_url: str | None = None) -> Flask:
    """An app on a new database (SQLite in `workdir` unless a URL is given), migrated and seeded."""
    app = create_app(
        {
            "SECRET_KEY": "benchmark",
            "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{workdir / 'benchmark.sqlite'}",
            "SEARCH_INDEX_DIR": str(workdir / "search-index"),
        }
    )
    with app.app_context():
        upgrade()
        load_reference_data()
    return app


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
