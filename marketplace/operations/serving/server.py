"""gunicorn run in-process with the repository's configuration (gunicorn_config.py).

The app is created in each worker, not in the arbiter, so every worker starts its own database
pool and, with PROMETHEUS_MULTIPROC_DIR set here first, writes its metrics where /metrics of any
worker reads them all.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

CONFIG_FILE = Path(__file__).with_name("gunicorn_config.py")
METRICS_DIR: str | None = None  # where the workers' metric files go (gunicorn_config's hooks read it)


class Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any], app_factory: Callable[[], Any]) -> None:
        self.options = options
        self.app_factory = app_factory
        super().__init__()

    def load_config(self) -> None:
        settings: dict[str, Any] = {}
        exec(compile(CONFIG_FILE.read_text(encoding="utf-8"), str(CONFIG_FILE), "exec"), settings)
        for key, value in {**settings, **self.options}.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self) -> Any:
        return self.app_factory()


def serve(
    app_factory: Callable[[], Any],
    bind: str,
    workers: int,
    threads: int,
    forwarded_allow_ips: str,
    metrics_dir: str | None,
) -> None:
    """Run gunicorn; each worker builds its app with `app_factory` (the command line's own) and finds
    the metrics folder in PROMETHEUS_MULTIPROC_DIR."""
    global METRICS_DIR
    METRICS_DIR = metrics_dir or tempfile.mkdtemp(prefix="impactmarkt-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = METRICS_DIR  # written for the workers, read by config.py
    options = {
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "forwarded_allow_ips": forwarded_allow_ips,
    }
    Server(options, app_factory).run()
