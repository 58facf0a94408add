"""What each kind of job does. A handler gets the app, the queue (for locks), the job's parameters
and a progress callback, and returns a small result for the jobs page; JobFailed carries a reason."""

from __future__ import annotations

import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from huey import Huey

from marketplace import search
from marketplace.core.settings import IMPACTMARKT_COMMAND, child_environment
from marketplace.directory import exports
from marketplace.procurement import purchase_requests
from marketplace.sroi.obligations import retention
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
    lock = ExpiringLock(queue, f"crawl-{register}", crawl_lease(app.config))
    if not lock.acquire():
        raise JobFailed("job.crawl_running", register=register)
    try:
        return _crawl(app, register, progress)
    finally:
        lock.release()


# A crawl lock outlives its crawl by this much at most: the watchdog stops a crawl at the job
# limit, so a lock older than the limit plus this margin belongs to a worker that was killed.
LOCK_MARGIN = 300


def crawl_lease(config: Any) -> int:
    """Seconds a crawl lock (and a job marked running) holds: the job limit plus a margin (five
    minutes, or the limit itself when that is shorter)."""
    limit = int(config["CRAWL_JOB_TIMEOUT"])
    return limit + min(LOCK_MARGIN, limit)


class ExpiringLock:
    """A lock in the queue's storage (Redis or SQLite) that expires: its value says until when it
    holds and whose it is. A worker killed hard cannot release its lock; once the lease is over,
    the next one takes it over (Huey's own lock_task never expires, and its TTL needs Redis 7.4)."""

    def __init__(self, queue: Huey, name: str, lease_seconds: int) -> None:
        self.queue, self.lease = queue, lease_seconds
        self.key = f"{queue.name}.lease.{name}"
        self.owner = uuid.uuid4().hex

    def acquire(self) -> bool:
        mine = {"owner": self.owner, "until": time.time() + self.lease}
        if self.queue.put_if_empty(self.key, mine):
            return True
        held = self.queue.get(self.key, peek=True)
        if held is not None and float(held.get("until", 0)) > time.time():
            return False
        # Expired (or unreadable): take it away once; of several takers only one puts its own.
        taken = self.queue.get(self.key)
        if taken is not None and taken != held:  # another taker was quicker and holds it now
            self.queue.put_if_empty(self.key, taken)
            return False
        return bool(self.queue.put_if_empty(self.key, mine))

    def release(self) -> None:
        held = self.queue.get(self.key, peek=True)
        if held is not None and held.get("owner") == self.owner:
            self.queue.delete(self.key)


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


def purge_documents(app: Flask, queue: Huey, params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Hire documents (personal data) kept longer than IMPACTMARKT_HIRE_DOCUMENT_MONTHS go, nightly:
    what `impactmarkt sroi purge-documents` does, without anyone having to remember it."""
    return {"deleted": retention.purge_hire_documents()}


HANDLERS: dict[str, Callable[[Flask, Huey, dict[str, Any], Progress], dict[str, Any]]] = {
    "crawl": crawl,
    "reindex": reindex,
    "export": export,
    "reminders": send_reminders,
    "requests_digest": send_requests_digest,
    "purge_documents": purge_documents,
}
