"""Running Impactmarkt as a service: `impactmarkt serve`, `worker`, `jobs`, `backup` and `restore`."""

from __future__ import annotations

import atexit
import json
import logging
import subprocess
from pathlib import Path

import click
from flask import current_app
from flask.cli import ScriptInfo

from marketplace.core import audit
from marketplace.core.cli_io import print_json, refuse
from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.core.settings import IMPACTMARKT_COMMAND
from marketplace.operations import backups, jobs
from marketplace.operations.models import JOB_KINDS, Job
from marketplace.operations.serving.server import serve


@click.command("serve", help="Serveer met gunicorn (productie): gthread-workers, JSON-logs, metrics.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256))
@click.option("--no-worker", is_flag=True, help="Start geen taakverwerker naast de server (SQLite-wachtrij).")
def serve_command(host: str, port: int, workers: int, threads: int, no_worker: bool) -> None:
    if current_app.config["JOBS_BACKEND"] == "sqlite" and not no_worker:
        # The embedded default: one job worker beside the web workers, on the SQLite queue.
        worker = subprocess.Popen([str(IMPACTMARKT_COMMAND), "worker"])
        atexit.register(worker.terminate)
    config = current_app.config
    # The workers build their own app (own database pool) with the factory this command line was given.
    app_factory = click.get_current_context().ensure_object(ScriptInfo).create_app
    if app_factory is None:
        raise click.ClickException("Start de server met `impactmarkt serve`.")
    bind = f"{host}:{port}"
    serve(app_factory, bind, workers, threads, config["FORWARDED_ALLOW_IPS"], config["METRICS_DIR"])


@click.command("worker", help="Verwerk taken (crawls, herindexeren, exports, mails) en het rooster.")
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 32))
def worker_command(threads: int) -> None:
    if current_app.config["JOBS_BACKEND"] == "immediate":
        raise click.ClickException(
            "IMPACTMARKT_JOBS_BACKEND=immediate voert taken direct uit: geen worker nodig."
        )
    closed = jobs.close_abandoned(current_app.config)  # left "running" by a worker killed hard
    if closed:
        logging.getLogger("impactmarkt.jobs").warning("abandoned jobs closed", extra={"jobs": closed})
    consumer = jobs.queue().create_consumer(
        workers=threads, worker_type="thread", periodic=current_app.config["SCHEDULE"]
    )
    logging.getLogger("impactmarkt.jobs").info(
        "worker started",
        extra={
            "threads": threads,
            "queue": current_app.config["JOBS_BACKEND"],
            "schedule": current_app.config["SCHEDULE"],
        },
    )
    consumer.run()


@click.group("jobs", help="Taken op de achtergrond.")
def jobs_group() -> None:
    pass


@jobs_group.command(
    "start",
    help="Zet een taak in de wachtrij: crawl, reindex, export, reminders, requests_digest, purge_documents.",
)
@click.argument("kind", type=click.Choice(list(JOB_KINDS)))
@click.option("--register", type=click.Choice(["pso", "code", "senl"]), help="Voor crawl: welk register.")
@click.option("--format", "file_format", type=click.Choice(["csv", "xlsx"]), default="csv")
def jobs_start(kind: str, register: str | None, file_format: str) -> None:
    if kind == "crawl" and not register:
        raise click.UsageError("crawl heeft --register nodig.")
    params = (
        {"register": register} if kind == "crawl" else {"format": file_format} if kind == "export" else {}
    )
    job = jobs.submit(kind, **params)
    click.echo(json.dumps({"job": job.id, "status": job.status}))


@jobs_group.command("list", help="De laatste 20 taken.")
def jobs_list() -> None:
    for job in db.session.scalars(db.select(Job).order_by(Job.id.desc()).limit(20)):
        click.echo(f"{job.id}\t{job.kind}\t{job.status}\t{json.dumps(job.params)}\t{job.progress}")


@click.command("backup", help="Maak een reservekopie (database en geüploade bestanden) in één bestand.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    try:
        manifest = backups.backup(file)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(json.dumps(manifest))


@click.command("restore", help="Zet een reservekopie terug in een lege database.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(file: Path) -> None:
    try:
        manifest = backups.restore(file)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(json.dumps(manifest))


@click.group("audit", help="Het logboek van beslissingen.")
def audit_group() -> None:
    pass


@audit_group.command("verify", help="Controleer de hashketen van het logboek; noemt de eerste foute regel.")
def audit_verify() -> None:
    found = audit.verify()
    print_json(
        {
            "checked": found.checked,
            "before_chain": found.unchained,
            "intact": found.intact,
            "first_broken_entry": found.broken_id,
            "problem": found.problem,
        }
    )
    if not found.intact:
        refuse(ServiceError(f"audit.chain_{found.problem}", entry=found.broken_id))


COMMANDS = (serve_command, worker_command, jobs_group, backup_command, restore_command, audit_group)
