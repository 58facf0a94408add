"""Background work: crawls, reindexing, large exports, reminder and digest mails.

Huey runs the work (README: why Huey): on Redis when IMPACTMARKT_REDIS_URL is set, else on its
SQLite backend in the instance folder, so `make run` needs no other service; tests run jobs at
once ("immediate"). A `Job` row records each job for the admin pages; a failing job is retried
with growing delays up to IMPACTMARKT_JOB_RETRIES times, then marked failed with its reason.
The schedule (nightly crawls, staggered; reindex; mails) runs only when IMPACTMARKT_SCHEDULE=1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from huey import Huey
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.core import clock
from marketplace.core.extensions import db
from marketplace.operations.jobs.handlers import crawl_lease
from marketplace.operations.jobs.queue import make_queue
from marketplace.operations.jobs.runner import register_tasks
from marketplace.operations.models import JOB_KINDS, Job

EXTENSION = "impactmarkt_jobs"


@dataclass
class Jobs:
    queue: Huey
    run: Any  # the Huey task that runs one Job row


def init_app(app: Flask) -> None:
    queue = make_queue(app.config)
    app.extensions[EXTENSION] = Jobs(queue, register_tasks(app, queue, submit))


def queue() -> Huey:
    return current_app.extensions[EXTENSION].queue


def submit(kind: str, requested_by: User | None = None, scheduled: bool = False, **params: Any) -> Job:
    """Record a job and put it on the queue (run at once in immediate mode)."""
    if kind not in JOB_KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(
        kind=kind,
        params=params,
        requested_by_id=requested_by.id if requested_by else None,
        scheduled=scheduled,
    )
    db.session.add(job)
    db.session.commit()
    job_id = job.id
    current_app.extensions[EXTENSION].run(job_id)
    db.session.expire_all()
    return db.session.get(Job, job_id)  # type: ignore[return-value]


def close_abandoned(config: Any) -> list[int]:
    """Jobs still marked running longer than a crawl may take (the job limit plus its margin)
    belong to a worker that was killed: marked failed with that reason, when a worker starts."""
    cutoff = clock.now() - timedelta(seconds=crawl_lease(config))
    stale = list(db.session.scalars(select(Job).where(Job.status == "running", Job.started_at < cutoff)))
    for job in stale:
        job.status = "failed"
        job.finished_at = clock.now()
        job.reason = {"code": "job.abandoned", "params": {"seconds": crawl_lease(config)}}
    db.session.commit()
    return [job.id for job in stale]


def queue_depth() -> int:
    """Jobs waiting on the queue (all workers)."""
    try:
        return int(queue().pending_count())
    except Exception:
        return -1
