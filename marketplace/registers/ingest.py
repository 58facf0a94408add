"""Store one crawl run: list new enterprises, update register facts, and run the label life cycle.

Everything a run changes is written in one transaction. A failed run (see run_judgement)
changes no organisation or label: it is recorded with its reasons and delists nobody.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import insert, select, update
from sqlalchemy.exc import OperationalError

from marketplace.core.database import utcnow
from marketplace.core.extensions import db
from marketplace.organisations import services as organisations
from marketplace.organisations.models import Label, Organisation
from marketplace.registers.models import CrawlRun, FetchedRecord
from marketplace.registers.run_judgement import failure_reasons
from marketplace.resolution import services as resolution
from matching.reasons import Reason
from matching.records import RegisterRecord
from scrapers.report import CrawlReport


@dataclass(frozen=True)
class IngestOutcome:
    """What a stored run did, for the command's summary."""

    run_id: int | None  # None only when not even the failed run could be recorded
    register: str
    status: str
    reasons: tuple[Reason, ...]
    records: int
    new: int
    changed: int
    unchanged: int
    into_grace: int
    expired: int
    errors: int
    duration: float
    unread_pages: tuple[str, ...] = ()


def label_state_for(record: RegisterRecord) -> str:
    """'applied' for enterprises that asked to be admitted (Code: Aangevraagd), else 'active'."""
    return "applied" if record.register == "code" and record.level == "Aangevraagd" else "active"


def _close_abandoned_runs(register: str) -> None:
    """A run left 'running' by a killed process is failed, so it never counts as the last complete run."""
    db.session.execute(
        update(CrawlRun)
        .where(CrawlRun.register == register, CrawlRun.status == "running")
        .values(status="failed", failure_reasons=[Reason("crawl.abandoned").to_json()])
    )


def _last_complete_records(register: str) -> int | None:
    return db.session.scalar(
        select(CrawlRun.records_seen)
        .where(CrawlRun.register == register, CrawlRun.status == "complete")
        .order_by(CrawlRun.id.desc())
        .limit(1)
    )


class _RunApplier:
    """Applies a complete run's records to labels and organisations, counting what changed."""

    def __init__(self, run: CrawlRun, now: datetime, grace_days: int, unread: set[str]) -> None:
        self.run = run
        self.unread = unread  # record keys whose detail page failed: their labels keep their state
        self.now = now
        self.grace_days = grace_days
        self.relinker = resolution.Relinker()
        self.labels = {
            label.record_key: label
            for label in self.relinker.labels.values()
            if label.register == run.register
        }
        self.pending: list[Label] = []
        self.raw: list[dict] = []
        self.dirty: set[str] = set()
        self.touched: dict[int, Organisation] = {}

    def apply(self, records: list[RegisterRecord]) -> None:
        seen: set[str] = set()
        for record in records:
            if record.record_key in seen:
                continue
            seen.add(record.record_key)
            data = record.to_json()
            digest = record.content_hash(data)
            label = self.labels.get(record.record_key)
            if label is None:
                self._add(record, digest, data)
            elif label.content_hash == digest:
                self._seen_again(label, record)
            else:
                self._change(label, record, digest, data)
        self._sweep(seen)
        outcome = self.relinker.relink(self.pending, self.dirty)
        self.touched.update(outcome.touched)
        for organisation in self.touched.values():
            organisations.refresh_register_fields(organisation, self.relinker.places)
        self._store_raw()

    def _keep_raw(self, record: RegisterRecord, digest: str, data: dict) -> None:
        self.raw.append(
            {
                "register": record.register,
                "record_key": record.record_key,
                "content_hash": digest,
                "data": data,
                "fetched_at": self.now,
            }
        )

    def _store_raw(self) -> None:
        """Raw records are write-only history: one bulk insert instead of an ORM object each."""
        db.session.flush()
        rows = [{**row, "crawl_run_id": self.run.id} for row in self.raw]
        for start in range(0, len(rows), 2000):
            db.session.execute(insert(FetchedRecord), rows[start : start + 2000])

    def _add(self, record: RegisterRecord, digest: str, data: dict) -> None:
        label = Label(register=record.register, record_key=record.record_key, first_seen=self.now)
        organisations.copy_register_facts(label, record, digest, data)
        label.state = label_state_for(record)
        label.last_seen = self.now
        self.pending.append(label)
        self.labels[record.record_key] = label
        self._keep_raw(record, digest, data)
        self.run.new += 1

    def _seen_again(self, label: Label, record: RegisterRecord) -> None:
        label.last_seen = self.now
        if label.state in ("grace", "expired"):
            label.state = label_state_for(record)
            label.grace_since = None
        self.run.unchanged += 1

    def _change(self, label: Label, record: RegisterRecord, digest: str, data: dict) -> None:
        organisations.copy_register_facts(label, record, digest, data)
        label.state = label_state_for(record)
        label.grace_since = None
        label.last_seen = self.now
        self.dirty.add(resolution.label_record_id(label))
        self.touched[id(label.organisation)] = label.organisation
        self._keep_raw(record, digest, data)
        self.run.changed += 1

    def _sweep(self, seen: set[str]) -> None:
        """Labels missing from this complete run go into grace; grace that ran out expires.

        A label whose detail page failed was not missing, only unread: it keeps its state.
        An application (Code: Aangevraagd) that disappears was never a label: it ends at once.
        """
        grace_ends_before = self.now - timedelta(days=self.grace_days)
        for key, label in self.labels.items():
            if key in seen or key in self.unread:
                continue
            if label.state == "applied":
                label.state = "expired"
                self.run.expired += 1
            elif label.state == "active":
                label.state = "grace"
                label.grace_since = self.now
                self.run.into_grace += 1
            elif label.state == "grace" and label.grace_since and label.grace_since <= grace_ends_before:
                label.state = "expired"
                self.run.expired += 1


def ingest_report(report: CrawlReport, now: datetime | None = None) -> IngestOutcome:
    """Record the run and, when it is complete, apply it. One transaction; raises on a database error."""
    now = now or utcnow()
    grace_days = int(current_app.config["GRACE_DAYS"])
    _close_abandoned_runs(report.register)
    reasons = failure_reasons(report, _last_complete_records(report.register))
    run = CrawlRun(
        register=report.register,
        start_url=report.start_url,
        started_at=now - timedelta(seconds=report.duration),
        finished_at=now,
        pages_total=report.pages_total,
        pages_failed=report.pages_failed,
        records_seen=len(report.records),
        errors=report.error_count,
        missing_fields=dict(report.missing_fields),
        unread_pages=(report.detail_failures + report.parse_errors)[:200],
        new=0, changed=0, unchanged=0, into_grace=0, expired=0,
    )  # fmt: skip
    db.session.add(run)
    if reasons:
        run.status = "failed"
        run.failure_reasons = [reason.to_json() for reason in reasons]
    else:
        _RunApplier(run, now, grace_days, set(report.unread_keys)).apply(report.records)
        run.status = "complete"
    db.session.commit()
    return _outcome(run, report)


def _outcome(run: CrawlRun, report: CrawlReport) -> IngestOutcome:
    return IngestOutcome(
        run_id=run.id,
        register=run.register,
        status=run.status,
        reasons=tuple(Reason.from_json(reason) for reason in run.failure_reasons or []),
        records=run.records_seen,
        new=run.new or 0,
        changed=run.changed or 0,
        unchanged=run.unchanged or 0,
        into_grace=run.into_grace or 0,
        expired=run.expired or 0,
        errors=run.errors or 0,
        duration=report.duration,
        unread_pages=tuple(report.detail_failures + report.parse_errors),
    )


def is_lock_error(error: OperationalError) -> bool:
    """SQLite's "database is locked"/"busy", PostgreSQL's lock and statement time-outs."""
    text = str(error.orig).lower()
    return any(sign in text for sign in ("locked", "busy", "lock timeout", "canceling statement"))


def store_report(report: CrawlReport) -> IngestOutcome:
    """Store a crawl's report. A locked database is waited for, with backoff, up to
    CRAWL_LOCK_TIMEOUT seconds; any failure leaves nothing half-written and is recorded as a
    failed run with its reason, so no crawl ends in a traceback or disappears unrecorded."""
    deadline = time.monotonic() + float(current_app.config["CRAWL_LOCK_TIMEOUT"])
    delay = 0.2
    while True:
        try:
            return ingest_report(report)
        except OperationalError as error:
            db.session.rollback()
            if is_lock_error(error) and time.monotonic() + delay < deadline:
                time.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            reason = (
                Reason("crawl.database_locked")
                if is_lock_error(error)
                else Reason("crawl.store_failed", {"error": f"{error.__class__.__name__}: {error.orig}"})
            )
            return _record_failed_run(report, reason)
        except Exception as error:
            db.session.rollback()
            return _record_failed_run(
                report, Reason("crawl.store_failed", {"error": f"{error.__class__.__name__}: {error}"})
            )


def _record_failed_run(report: CrawlReport, reason: Reason) -> IngestOutcome:
    run = CrawlRun(
        register=report.register,
        start_url=report.start_url,
        finished_at=utcnow(),
        status="failed",
        failure_reasons=[reason.to_json()],
        records_seen=len(report.records),
        errors=report.error_count,
    )
    for _attempt in range(20):  # the lock may still be held for a moment; the run must be recorded
        try:
            db.session.add(run)
            db.session.commit()
            return _outcome(run, report)
        except OperationalError:
            db.session.rollback()
            time.sleep(0.5)
    run.failure_reasons = [reason.to_json(), Reason("crawl.not_recorded").to_json()]
    return _outcome(run, report)
