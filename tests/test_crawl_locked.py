"""A crawl that meets a locked database waits within a bound, then fails with a clear message
and a recorded failed run, never a traceback."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
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


# The crawl stores a moment after its last request; the lock is held that long after it, so the
# crawl gives up waiting (after CRAWL_LOCK_TIMEOUT = 1 s) while the lock is still held, and the
# lock is gone well within the ten seconds the crawl keeps trying to record its failed run.
HELD_AFTER_LAST_REQUEST = 7.0


def hold_lock(database: str, crawl_is_done: Callable[[], bool], held: threading.Event) -> None:
    """Hold SQLite's write lock until the crawl has fetched every page, and a while longer."""
    connection = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    connection.execute("BEGIN EXCLUSIVE")
    held.set()
    give_up = time.monotonic() + 150
    while not crawl_is_done() and time.monotonic() < give_up:
        time.sleep(0.1)
    time.sleep(HELD_AFTER_LAST_REQUEST)
    connection.execute("ROLLBACK")
    connection.close()


@pytest.mark.slow
def test_a_locked_database_fails_the_run_with_a_clear_message_and_records_it(app, tmp_path: Path) -> None:
    register = small_pso(tmp_path / "site")
    database = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    with serve_register(register, "pso") as url:
        crawl(app, "pso", url, tmp_path / "measure")  # how many requests a whole crawl makes
        requests_per_crawl = len(serve_register.last_handler.requests)  # type: ignore[attr-defined]
    db.session.remove()
    db.engine.dispose()
    held = threading.Event()
    with serve_register(register, "pso") as url:
        seen = serve_register.last_handler.requests  # type: ignore[attr-defined]
        locker = threading.Thread(
            target=hold_lock, args=(database, lambda: len(seen) >= requests_per_crawl, held)
        )
        locker.start()
        assert held.wait(5)
        result = crawl(app, "pso", url, tmp_path / "locked", CRAWL_LOCK_TIMEOUT="1")
    locker.join()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Error" not in result.stdout
    assert "database bleef bezet" in result.stdout
    run = db.session.scalar(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(1))
    assert run.status == "failed" and "database bleef bezet" in explain_all(run.failure_reasons)
