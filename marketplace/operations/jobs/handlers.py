"""What each kind of job does. A handler gets the app, the queue (for locks), the job's parameters
and a progress callback, and returns a small result for the jobs page; JobFailed carries a reason."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from huey import Huey
from huey.exceptions import TaskLockedException

from marketplace import search
from marketplace.core.settings import IMPACTMARKT_COMMAND, child_environment
from marketplace.directory import exports
from marketplace.procurement import purchase_requests
from marketplace.sroi.reports import reminders

Progress = Callable[[str], None]


class JobFailed(RuntimeError):
    def __init__(self, code: str, **params: Any) -> None:
        self.reason = {"code": code, "params": params}
        super().__init__(code)


def crawl_environment(app: Flask, register: str) -> dict[str, str]:
    """The crawl command's settings: this app's database, index and register address."""
    config = app.config
    settings = {
        "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
        "SEARCH_INDEX_DIR": config["SEARCH_INDEX_DIR"],
        "SEARCH_BACKEND": config["SEARCH_BACKEND"],
        "MAIL_OUTBOX_DIR": config["MAIL_OUTBOX_DIR"],
        "CRAWL_CACHE_DIR": config["CRAWL_CACHE_DIR"],
        f"REGISTER_{register.upper()}_URL": config["REGISTER_URLS"][register],
        "SECRET_KEY": config["SECRET_KEY"],
    }
    if config.get("TODAY"):
        settings["TODAY"] = config["TODAY"].isoformat()
    if config.get("REDIS_URL"):
        settings["REDIS_URL"] = config["REDIS_URL"]
    return child_environment(settings)


def crawl(app: Flask, queue: Huey, params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """One register, in a process of its own (Scrapy's reactor runs once per process), never two
    crawls of one register at once (a lock in the queue's storage: Redis or SQLite)."""
    register = params["register"]
    if register not in app.config["REGISTER_URLS"]:
        raise JobFailed("job.unknown_register", register=register)
    try:
        with queue.lock_task(f"crawl-{register}"):
            return _crawl(app, register, progress)
    except TaskLockedException:
        raise JobFailed("job.crawl_running", register=register) from None


def _crawl(app: Flask, register: str, progress: Progress) -> dict[str, Any]:
    """Run the crawl command; a watchdog stops it at the job limit even when it prints nothing
    (its transaction then stores nothing)."""
    limit = int(app.config["CRAWL_JOB_TIMEOUT"])
    process = subprocess.Popen(
        [str(IMPACTMARKT_COMMAND), "crawl", register],
        env=crawl_environment(app, register),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    stuck = threading.Event()

    def stop() -> None:
        stuck.set()
        process.kill()

    watchdog = threading.Timer(limit, stop)
    watchdog.daemon = True
    watchdog.start()
    lines: list[str] = []
    shown = 0.0
    assert process.stdout is not None
    try:
        for line in process.stdout:
            lines.append(line.rstrip())
            if time.monotonic() - shown > 1.0 and line.strip():
                progress(line.strip())
                shown = time.monotonic()
        code = process.wait()
    finally:
        watchdog.cancel()
    if stuck.is_set():
        raise JobFailed("job.crawl_stuck", register=register, seconds=limit)
    summary = next(
        (line for line in reversed(lines) if line.startswith(f"{register}:")), lines[-1] if lines else ""
    )
    if code != 0:
        raise JobFailed("job.crawl_failed", register=register, summary=summary[:300])
    return {"summary": summary}


def reindex(app: Flask, queue: Huey, params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    progress("zoekindex wordt opgebouwd")
    return {"documents": search.reindex_all()}


def export(app: Flask, queue: Huey, params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Every listed organisation as CSV or Excel in the instance's export folder."""
    file_format = params.get("format", "csv")
    folder = Path(app.config["EXPORT_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    with app.test_request_context(base_url=app.config["PUBLIC_URL"]):
        rows = exports.rows_for()
        described = exports.describe_query(None)
        name = f"impactmarkt-organisaties-{time.strftime('%Y%m%d-%H%M%S')}.{file_format}"
        if file_format == "xlsx":
            (folder / name).write_bytes(exports.to_xlsx(rows, described))
        else:
            (folder / name).write_text(exports.to_csv(rows, described), encoding="utf-8")
    return {"file": name, "rows": len(rows)}


def send_reminders(app: Flask, queue: Huey, params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    with app.test_request_context(base_url=app.config["PUBLIC_URL"]):
        sent = reminders.send_due()
    return {"reminders": sent.reminders, "digests": sent.digests}


def send_requests_digest(
    app: Flask, queue: Huey, params: dict[str, Any], progress: Progress
) -> dict[str, Any]:
    with app.test_request_context(base_url=app.config["PUBLIC_URL"]):
        return {"mails": purchase_requests.send_digest()}


HANDLERS: dict[str, Callable[[Flask, Huey, dict[str, Any], Progress], dict[str, Any]]] = {
    "crawl": crawl,
    "reindex": reindex,
    "export": export,
    "reminders": send_reminders,
    "requests_digest": send_requests_digest,
}
