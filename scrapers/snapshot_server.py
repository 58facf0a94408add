"""Serve a register snapshot (or any folder) on loopback, for `make run`, tests and benchmarks."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SNAPSHOT_DIR = Path(__file__).resolve().parent / "snapshot"
ENTRY_PATHS = {"pso": "/register/index.html", "code": "/register/", "senl": "/leden/"}


class LoopbackServer(ThreadingHTTPServer):
    # Crawls run 32 requests at once; the default backlog of 5 refuses connections.
    request_queue_size = 128
    daemon_threads = True


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve_folder(folder: Path, handler: type[SimpleHTTPRequestHandler] = QuietHandler) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 at a free port; yields the base URL."""
    server = LoopbackServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve_snapshot(root: Path = SNAPSHOT_DIR) -> Iterator[dict[str, str]]:
    """Serve the three register folders; yields each register's start URL."""
    with (
        serve_folder(root / "pso") as pso,
        serve_folder(root / "code") as code,
        serve_folder(root / "senl") as senl,
    ):
        bases = {"pso": pso, "code": code, "senl": senl}
        yield {register: base + ENTRY_PATHS[register] for register, base in bases.items()}
