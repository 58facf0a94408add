"""A register website on loopback that can misbehave on chosen paths, for crawl tests.

Faults: "500" (server error), "timeout" (answers after the crawler gave up), "truncate"
(cuts the page off halfway), "empty" (a listing without entries), "layout" (the register
renamed its CSS classes). A fault key ending in "*" applies to every path with that prefix. Every request's path and
conditional headers are logged.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

from scrapers.snapshot_server import ENTRY_PATHS, QuietHandler, serve_folder

LAYOUT_RENAMES = {
    "pso-register": "certificaten-overzicht",
    "certificaat": "gegevens",
    "register-grid": "raster",
    "onderneming-meta": "kenmerken",
    "ledenlijst": "leden-overzicht",
    '"items"': '"leden"',
}
EMPTY_PATTERNS = [
    re.compile(r"<tr><td>.*?</tr>", re.S),
    re.compile(r"<article class=\"onderneming\".*?</article>", re.S),
]


class FaultyHandler(QuietHandler):
    faults: ClassVar[dict[str, str]] = {}
    requests: ClassVar[list[tuple[str, str | None]]] = []
    timeout_seconds: ClassVar[float] = 4.0

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        type(self).requests.append((path, self.headers.get("If-Modified-Since")))
        fault = self.faults.get(path) or next(
            (f for prefix, f in self.faults.items() if prefix.endswith("*") and path.startswith(prefix[:-1])),
            None,
        )
        if fault is None:
            return super().do_GET()
        if fault == "500":
            return self.send_error(500, "Internal Server Error")
        if fault == "timeout":
            time.sleep(self.timeout_seconds)
            return super().do_GET()
        body = self._file_body(path)
        if fault == "truncate":
            body = body[: len(body) // 2]
        elif fault == "empty":
            text = body.decode()
            for pattern in EMPTY_PATTERNS:
                text = pattern.sub("", text)
            body = re.sub(r'"items": \[.*\]', '"items": []', text, flags=re.S).encode()
        elif fault == "layout":
            text = body.decode()
            for old, new in LAYOUT_RENAMES.items():
                text = text.replace(old, new)
            body = text.encode()
        self.send_response(200)
        self.send_header(
            "Content-Type", "application/json" if path.endswith(".json") else "text/html; charset=utf-8"
        )
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _file_body(self, path: str) -> bytes:
        local = Path(self.translate_path(path))
        if local.is_dir():
            local = local / "index.html"
        return local.read_bytes()


@contextmanager
def serve_register(folder: Path, register: str, faults: dict[str, str] | None = None) -> Iterator[str]:
    """Serve one register folder; yields its start URL. Faults and the request log are per server."""
    handler = type("Handler", (FaultyHandler,), {"faults": dict(faults or {}), "requests": []})
    with serve_folder(folder, handler) as base:
        serve_register.last_handler = handler  # type: ignore[attr-defined]
        yield base + ENTRY_PATHS[register]


def editable_copy(snapshot: Path, register: str, destination: Path) -> Path:
    """A copy of one register folder that a test may change (remove or edit an entry)."""
    target = destination / register
    shutil.copytree(snapshot / register, target)
    return target
