"""The one Huey task that runs a recorded Job, and the schedule that submits jobs.

The task opens its own app context, marks the job running, calls the handler for its kind and
records the outcome. On an error the transaction is rolled back (a crawl's own transaction
already guarantees nothing half-written), the reason is recorded and the task raised again so
Huey retries it after retry_delay * 2^attempt seconds, until the retries are used up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any

from flask import Flask
from huey import Huey
from sqlalchemy import update

from marketplace.core import clock
from marketplace.core.extensions import db
from marketplace.operations.jobs.handlers import HANDLERS, JobFailed
from marketplace.operations.models import Job

log = logging.getLogger("impactmarkt.jobs")


def _set(job_id: int, **values: Any) -> None:
    db.session.execute(update(Job).where(Job.id == job_id).values(**values))
    db.session.commit()


def run_job(app: Flask, queue: Huey, job_id: int, task: Any = None) -> dict[str, Any]:
    with app.app_context():
        job = db.session.get(Job, job_id)
        if job is None:
            return {}
        attempt = job.attempts + 1
        _set(job_id, status="running", attempts=attempt, started_at=clock.now(), reason=None, progress="")
        params, kind = dict(job.params), job.kind
        log.info("job started", extra={"job": job_id, "kind": kind, "attempt": attempt})
        try:
            result = HANDLERS[kind](app, queue, params, lambda text: _set(job_id, progress=text[:300]))
        except Exception as error:
            db.session.rollback()
            reason = (
                error.reason
                if isinstance(error, JobFailed)
                else {"code": "job.error", "params": {"error": f"{type(error).__name__}: {error}"[:500]}}
            )
            retries_left = getattr(task, "retries", 0) or 0
            _set(
                job_id,
                status="retrying" if retries_left else "failed",
                reason=reason,
                finished_at=clock.now(),
            )
            log.warning(
                "job failed",
                extra={"job": job_id, "kind": kind, "retries_left": retries_left, "reason": reason},
            )
            raise
        finally:
            db.session.remove()
        _set(job_id, status="done", result=result, finished_at=clock.now(), progress="")
        log.info("job done", extra={"job": job_id, "kind": kind})
        return result


def register_tasks(app: Flask, queue: Huey, submit: Callable[..., Any]) -> Any:
    """The run-a-job task on this queue, and the schedule when IMPACTMARKT_SCHEDULE=1 (its tasks record
    their job through `submit`, as a person starting one does)."""
    config = app.config

    @queue.task(
        retries=config["JOB_RETRIES"],
        retry_delay=config["JOB_RETRY_DELAY"],
        retry_backoff=2.0,
        context=True,
        name="impactmarkt.run_job",
    )
    def run(job_id: int, task: Any = None) -> dict[str, Any]:
        return run_job(app, queue, job_id, task)

    if config["SCHEDULE"]:
        for name, (hour, minute), kind, params in scheduled_jobs(config):
            _periodic(app, queue, submit, name, hour, minute, kind, params)
    return run


def scheduled_jobs(config: Any) -> list[tuple[str, tuple[int, int], str, dict[str, Any]]]:
    jobs = [
        (f"crawl-{register}", at, "crawl", {"register": register})
        for register, at in config["SCHEDULE_CRAWLS"].items()
    ]
    jobs.append(("reindex", config["SCHEDULE_REINDEX"], "reindex", {}))
    jobs.append(("reminders", config["SCHEDULE_MAILS"], "reminders", {}))
    jobs.append(("requests-digest", config["SCHEDULE_MAILS"], "requests_digest", {}))
    jobs.append(("purge-documents", config["SCHEDULE_PURGE"], "purge_documents", {}))
    return jobs


def due_in_dutch_time(hour: int, minute: int) -> Callable[[datetime], bool]:
    """Huey's test for a periodic task: Huey hands it the minute in UTC (naive; the queues run
    with utc=True), and the schedule's times are Dutch clock times (Europe/Amsterdam), summer and
    winter alike. On the night the clocks go forward a time in the skipped hour (02:00-02:59) is
    due one hour later on the clock (02:00 at 03:00 summer time, the staggering kept); on the night
    they go back, a time in the hour that occurs twice is due the first time only. Once a day."""

    def due(moment: datetime) -> bool:
        utc_minute = moment.replace(second=0, microsecond=0, tzinfo=UTC)
        day = utc_minute.astimezone(clock.DUTCH_TIME).date()
        wanted = datetime.combine(day, time(hour, minute), tzinfo=clock.DUTCH_TIME)  # fold=0: the first
        return wanted.astimezone(UTC) == utc_minute

    return due


def _periodic(
    app: Flask,
    queue: Huey,
    submit: Callable[..., Any],
    name: str,
    hour: int,
    minute: int,
    kind: str,
    params: dict,
) -> None:
    @queue.periodic_task(due_in_dutch_time(hour, minute), name=f"impactmarkt.schedule.{name}")
    def start() -> None:
        with app.app_context():
            submit(kind, scheduled=True, **params)
