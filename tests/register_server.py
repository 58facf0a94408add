"""A register website on loopback that can misbehave on chosen paths, for crawl tests.

Faults: "500" (server error), "timeout" (answers after the crawler gave up), "truncate"
(cuts the page off halfway), "empty" (a listing without entries), "layout" (the register
renamed its CSS classes), "reorder" (table columns in another order), "rename" (the other
names registers use for a column or field), "unknown-headers" (headers nobody could read),
"restructure" (facts no longer in dt/dd pairs), "unlabelled" (facts without their <strong>
labels), "senl-renamed" (other JSON field names), "malformed" (unclosed dd, p and li). A fault key ending in "*" applies to every path with that prefix. Every request's path and
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
    '"items"': '"resultaat"',
}
def reorder_columns(text: str) -> str:
    """Put the PSO table's columns in another order (Geldig tot first, Organisatie last)."""

    def cells(row: str, tag: str) -> list[str]:
        return re.findall(rf"<{tag}>.*?</{tag}>", row, flags=re.S)

    def rewrite(match: re.Match[str]) -> str:
        row = match.group(0)
        tag = "th" if "<th>" in row else "td"
        found = cells(row, tag)
        if len(found) != 5:
            return row
        return "<tr>" + "".join([found[4], found[2], found[1], found[3], found[0]]) + "</tr>"

    return re.sub(r"<tr>.*?</tr>", rewrite, text, flags=re.S)


HEADER_RENAMES = {
    "<th>Organisatie</th>": "<th>Naam</th>", "<th>Plaats</th>": "<th>Woonplaats</th>",
    "<th>Trede</th>": "<th>Niveau</th>", "<dt>Vestigingsplaats</dt>": "<dt>Plaats</dt>",
    "<dt>Trede</dt>": "<dt>Niveau</dt>", "<dt>Ingangsdatum</dt>": "<dt>Geldig vanaf</dt>",
}  # fmt: skip
UNKNOWN_HEADERS = {"<th>Organisatie</th>": "<th>Wie</th>", "<th>Trede</th>": "<th>Stap</th>"}
RESTRUCTURE = {"<dt>": '<span class="k">', "</dt>": "</span>", "<dd>": '<span class="v">', "</dd>": "</span>",
               "<h1>": "<h2>", "</h1>": "</h2>"}  # fmt: skip
# Malformed but readable: closing tags of dd, p and li left out, as sloppy templates do.
MALFORMED = {"</dd>": "", "</p>": "", "</li>": ""}
SENL_RENAMES = {'"items": ': '"leden": ', '"naam": ': '"name": ', '"plaats": ': '"city": ',
                '"lidmaatschap": ': '"membership": ', '"omschrijving": ': '"description": '}  # fmt: skip
TEXT_FAULTS = {
    "senl-renamed": lambda text: _replace_all(text, SENL_RENAMES),
    "unlabelled": lambda text: re.sub(r"<strong>[^<]*</strong>", "", text),
    "rename": lambda text: _replace_all(text, HEADER_RENAMES),
    "unknown-headers": lambda text: _replace_all(text, UNKNOWN_HEADERS),
    "restructure": lambda text: _replace_all(text, RESTRUCTURE),
    "malformed": lambda text: _replace_all(text, MALFORMED),
    "reorder": reorder_columns,
}


def _replace_all(text: str, replacements: dict[str, str]) -> str:
    for old, new in replacements.items():
        text = text.replace(old, new)
    return text


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
        elif fault in TEXT_FAULTS:
            body = TEXT_FAULTS[fault](body.decode()).encode()
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
