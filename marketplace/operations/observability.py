"""What operators and load balancers see: a request id on every request and log line, logs as one
JSON object a line (python-json-logger), /healthz and /readyz, and Prometheus metrics at /metrics
(prometheus-flask-exporter for requests by route and status and their latency; crawl runs, labels
by state and the job queue read from the database when scraped).

Under gunicorn (`impactmarkt serve`) the request metrics of all workers are gathered through
prometheus_client's multiprocess mode (PROMETHEUS_MULTIPROC_DIR, set by the serve command).
"""

from __future__ import annotations

import hmac
import logging
import re
import sys
import uuid
from typing import Any

from flask import Flask, Response, current_app, has_request_context, jsonify, request
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_flask_exporter import PrometheusMetrics
from pythonjsonlogger.json import JsonFormatter
from sqlalchemy import func, select, text

from marketplace import search
from marketplace.core.extensions import db
from marketplace.operations import jobs
from marketplace.operations.models import Job
from marketplace.organisations.models import Label
from marketplace.registers.models import CrawlRun

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
EXTENSION = "impactmarkt_metrics"
ENVIRON_KEY = "impactmarkt.request_id"  # in the WSGI environ: lives exactly as long as the request


class RequestIdFilter(logging.Filter):
    """Adds the current request's id (or "-") to every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request.environ.get(ENVIRON_KEY, "-") if has_request_context() else "-"
        return True


class QuietCrawler(logging.Filter):
    """Scrapy logs every middleware, page and item; the crawl command prints its own progress and
    summary, so only Scrapy's warnings and errors reach the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or not record.name.startswith("scrapy")


def configure_logging(log_format: str) -> None:
    """One handler on the root logger, once per process: JSON lines or plain text."""
    root = logging.getLogger()
    if any(getattr(handler, "impactmarkt", False) for handler in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.impactmarkt = True  # type: ignore[attr-defined]
    handler.addFilter(RequestIdFilter())
    if log_format == "json":
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
    handler.setLevel(logging.INFO)
    handler.addFilter(QuietCrawler())
    root.addHandler(handler)
    root.setLevel(logging.INFO)


class RequestIds:
    """WSGI middleware: every request gets an id before anything else runs (CSRF refusals and
    errors included): the load balancer's X-Request-ID when it sends a sane one, else a new one.
    The response carries it back, and every log line of the request names it."""

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        offered = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = offered if REQUEST_ID.match(offered) else uuid.uuid4().hex
        environ[ENVIRON_KEY] = request_id

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            return start_response(status, [*headers, ("X-Request-ID", request_id)], exc_info)

        return self.wsgi_app(environ, start)


def healthz() -> Response:
    """The process is up (no dependency is touched: a load balancer restarts only dead processes)."""
    return jsonify(status="ok")


def readyz() -> tuple[Response, int]:
    """Ready to serve: the database, the search backend and (when configured) Redis answer."""
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as error:
        db.session.rollback()
        checks["database"] = f"error: {type(error).__name__}"
    try:
        search.current_matrix()
        checks["search"] = "ok"
    except Exception as error:
        db.session.rollback()
        checks["search"] = f"error: {type(error).__name__}"
    if current_app.config.get("REDIS_URL"):
        try:
            import redis

            redis.Redis.from_url(current_app.config["REDIS_URL"], socket_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception as error:
            checks["redis"] = f"error: {type(error).__name__}"
    ready = all(value == "ok" for value in checks.values())
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503


class DatabaseCollector:
    """Figures read from the database at scrape time: they are the same for every worker."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    @staticmethod
    def _counted(name: str, documentation: str, labels: tuple[str, ...], *columns: Any) -> GaugeMetricFamily:
        """Rows counted per combination of the columns' values, as one gauge."""
        gauge = GaugeMetricFamily(name, documentation, labels=list(labels))
        for *values, count in db.session.execute(select(*columns, func.count()).group_by(*columns)):
            gauge.add_metric([str(value) for value in values], count)
        return gauge

    def collect(self) -> Any:
        with self.app.app_context():
            yield self._counted(
                "impactmarkt_crawl_runs",
                "Crawl runs by register and outcome",
                ("register", "outcome"),
                CrawlRun.register,
                CrawlRun.status,
            )
            yield self._counted(
                "impactmarkt_labels",
                "Labels by register and stored state",
                ("register", "state"),
                Label.register,
                Label.state,
            )
            yield self._counted(
                "impactmarkt_jobs", "Jobs by kind and status", ("kind", "status"), Job.kind, Job.status
            )
            depth = GaugeMetricFamily("impactmarkt_job_queue_depth", "Jobs waiting on the queue")
            depth.add_metric([], jobs.queue_depth())
            yield depth
            db.session.remove()


def _allowed_to_scrape() -> bool:
    """The bearer token, or a setting that opens the page. The loopback is not enough: behind a
    reverse proxy on the same host every visitor arrives from the loopback."""
    if current_app.config.get("METRICS_OPEN"):
        return True
    token = current_app.config.get("METRICS_TOKEN")
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def metrics() -> Response:
    """Prometheus text format; for a bearer token, or for everyone when IMPACTMARKT_METRICS_OPEN=1."""
    if not _allowed_to_scrape():
        return Response("forbidden\n", status=403, mimetype="text/plain")
    state = current_app.extensions[EXTENSION]
    if current_app.config["METRICS_DIR"]:
        requests = CollectorRegistry()
        MultiProcessCollector(requests)
    else:
        requests = state["requests"]
    body = generate_latest(requests) + generate_latest(state["database"])
    return Response(body, mimetype="text/plain; version=0.0.4; charset=utf-8")


def init_app(app: Flask) -> None:
    configure_logging(app.config["LOG_FORMAT"])
    app.wsgi_app = RequestIds(app.wsgi_app)  # type: ignore[method-assign]
    app.add_url_rule("/healthz", "healthz", healthz)
    app.add_url_rule("/readyz", "readyz", readyz)
    if not app.config["METRICS"]:
        return
    requests = CollectorRegistry(auto_describe=True)
    PrometheusMetrics(
        app,
        path=None,
        registry=requests,
        group_by="url_rule",
        defaults_prefix="impactmarkt",
        excluded_paths=["/metrics", "/healthz", "/readyz", "/static/"],
    )
    database = CollectorRegistry(auto_describe=False)
    database.register(DatabaseCollector(app))
    app.extensions[EXTENSION] = {"requests": requests, "database": database}
    app.add_url_rule("/metrics", "metrics", metrics)
