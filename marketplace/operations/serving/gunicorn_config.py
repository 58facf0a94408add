"""gunicorn settings for `impactmarkt serve`; also usable on their own:
`gunicorn -c marketplace/operations/serving/gunicorn_config.py wsgi:app`.

gthread workers: each worker keeps idle keep-alive connections out of its thread pool, so a slow
or idle client holds one thread, not the whole worker as a sync worker would; requests are short
(database and search in milliseconds), so threads are cheaper here than an async worker that
would need monkey-patched database drivers. The balanced variant (balanced_worker.py) leaves each
new connection to the least busy worker, so kept-alive connections do not pile up on one.
"""

from marketplace import search
from marketplace.operations.serving import server as impactmarkt_server
from marketplace.operations.serving.balanced_worker import claim_slot, release_slot

bind = "127.0.0.1:8000"  # `impactmarkt serve --host --port --workers --threads` sets these four
workers = 2
worker_class = "marketplace.operations.serving.balanced_worker.BalancedThreadWorker"
threads = 8
timeout = 60  # a worker that does not answer the arbiter for a minute is restarted
graceful_timeout = 30  # on HUP/TERM, requests in flight get this long to finish
keepalive = 5
# Recycled now and then, so a slow leak never grows large; rarely, since a new worker must build
# its search structures again (post_worker_init does that before it takes requests) and for a
# second or two the other workers carry its load. At 50,000, a worker under the load benchmark's
# rate (several hundred requests a second) reached it within minutes.
max_requests = 500000
max_requests_jitter = 50000
accesslog = "-"
access_log_format = (  # one JSON object a line, like the application's own logs
    '{"remote": "%(h)s", "request": "%(r)s", "status": %(s)s, "bytes": "%(b)s", "ms": %(M)s, '
    '"request_id": "%({x-request-id}o)s"}'
)
errorlog = "-"
logconfig_dict = {  # gunicorn's own lines as JSON too; access lines are JSON already (format above)
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "as_is": {"format": "%(message)s"},
    },
    "handlers": {
        "error": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
        "access": {"class": "logging.StreamHandler", "formatter": "as_is", "stream": "ext://sys.stdout"},
    },
    "root": {"level": "INFO", "handlers": []},  # the app adds its own (with request ids)
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}
# gunicorn 27's control socket (for gunicornc) sits at one path per user, so a second server on
# the machine would take over the first one's; nothing here uses it.
control_socket_disable = True
forwarded_allow_ips = "127.0.0.1"  # IMPACTMARKT_FORWARDED_ALLOW_IPS, through `impactmarkt serve`


def pre_fork(server, worker):  # type: ignore[no-untyped-def]
    """A place for the new worker in the table of how busy each worker is."""
    claim_slot(worker)


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    """Prometheus multiprocess mode: a dead worker's live gauges are dropped; its place in the
    table of how busy each worker is becomes free."""
    release_slot(worker)

    if impactmarkt_server.METRICS_DIR:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def post_fork(server, worker):  # type: ignore[no-untyped-def]
    """The arbiter imported prometheus_client before PROMETHEUS_MULTIPROC_DIR was set: switch this
    worker's metric values to files, so /metrics on any worker sums all of them."""
    if impactmarkt_server.METRICS_DIR:
        from prometheus_client import values

        values.ValueClass = values.MultiProcessValue()


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    """Build the search structures before the first request, not during it: a fresh worker would
    otherwise keep its first visitors waiting (seconds with tens of thousands of enterprises)."""
    app = worker.wsgi
    try:
        with app.app_context():
            search.current_matrix()
    except Exception:
        worker.log.exception("could not prepare the search index")
