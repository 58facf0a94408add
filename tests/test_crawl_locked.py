"""A crawl that meets a locked database waits within a bound, then fails with a clear message
and a recorded failed run, never a traceback."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from marketplace.core.extensions import db
from marketplace.core.reasons import explain_all
from marketplace.registers.models import CrawlRun
from tests.conftest import BACKEND
from tests.crawling import crawl
from tests.register_server import serve_register
from tests.test_crawl_faults import small_pso

pytestmark = pytest.mark.skipif(BACKEND != "sqlite", reason="holds SQLite's file lock")


def hold_lock(database: str, seconds: float, held: threading.Event) -> None:
    connection = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    connection.execute("BEGIN EXCLUSIVE")
    held.set()
    time.sleep(seconds)
    connection.execute("ROLLBACK")
    connection.close()


@pytest.mark.slow
def test_a_locked_database_fails_the_run_with_a_clear_message_and_records_it(app, tmp_path: Path) -> None:
    register = small_pso(tmp_path / "site")
    database = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    with serve_register(register, "pso") as url:
        started = time.monotonic()
        crawl(app, "pso", url, tmp_path / "measure")  # how long a crawl takes here
        crawl_seconds = time.monotonic() - started
    db.session.remove()
    db.engine.dispose()
    held = threading.Event()
    locker = threading.Thread(target=hold_lock, args=(database, crawl_seconds + 8.0, held))
    locker.start()
    held.wait(5)
    with serve_register(register, "pso") as url:
        result = crawl(app, "pso", url, tmp_path / "locked", CRAWL_LOCK_TIMEOUT="1")
    locker.join()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Error" not in result.stdout
    assert "database bleef bezet" in result.stdout
    run = db.session.scalar(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(1))
    assert run.status == "failed" and "database bleef bezet" in explain_all(run.failure_reasons)
