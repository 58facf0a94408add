"""Real Chromium for what a person sees: a live server on loopback, Playwright, and axe-core.

Chromium is the system one (/usr/bin/chromium, installed by `make test` from Debian's
packages); nothing is downloaded. Without it the browser tests are skipped with the reason,
except on CI, where they must run.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import axe_playwright_python
import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("IMPACTMARKT_CHROMIUM", "/usr/bin/chromium")
AXE_SCRIPT = Path(axe_playwright_python.__file__).with_name("axe.min.js")
# HTML_CodeSniffer 2.5.1 (npm package "html_codesniffer", BSD-3-Clause, its build/HTMLCS.js and
# licence), kept in the repository: a second checker beside axe-core, nothing fetched at run time.
HTMLCS_SCRIPT = Path(__file__).with_name("assets") / "html_codesniffer" / "HTMLCS.js"
HTMLCS_RUN = """() => new Promise((done) => {
  // 2.5.1 asks for "InvalidAutoComplete_*" messages it ships as "InvalidAutocomplete_*" (and then throws).
  for (const lang of Object.keys(window.translation || {})) {
    for (const key of Object.keys(window.translation[lang])) {
      const asked = key.replace('InvalidAutocomplete_', 'InvalidAutoComplete_');
      if (!(asked in window.translation[lang])) window.translation[lang][asked] = window.translation[lang][key];
    }
  }
  HTMLCS.process('WCAG2AA', document, () => {
    const describe = (element) => {
      if (!element || !element.tagName) return String(element && element.nodeName);
      return element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')
        + (element.className && typeof element.className === 'string' ? '.' + element.className.trim().split(/\\s+/).join('.') : '');
    };
    done(HTMLCS.getMessages().filter((m) => m.type === HTMLCS.ERROR)
      .map((m) => ({code: m.code, msg: m.msg, element: describe(m.element)})));
  }, () => done([{code: 'failed', msg: 'HTML_CodeSniffer could not run', element: 'document'}]), 'en');
})"""
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def require_chromium() -> None:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return
    reason = f"no Chromium at {CHROMIUM}; `make test` installs Debian's chromium package when it can"
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests must run on CI: {reason}")
    pytest.skip(reason)


@contextmanager
def live_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


_SHARED: dict[str, object] = {}


def shared_browser() -> object:
    """One Chromium for the whole test session (starting one takes a second or more)."""
    if "browser" not in _SHARED:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _SHARED["playwright"] = playwright
        _SHARED["browser"] = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    return _SHARED["browser"]


def close_shared_browser() -> None:
    if "browser" in _SHARED:
        _SHARED.pop("browser").close()  # type: ignore[attr-defined]
        _SHARED.pop("playwright").stop()  # type: ignore[attr-defined]


@contextmanager
def chromium(java_script: bool = True, viewport: dict[str, int] | None = None) -> Iterator[object]:
    """A fresh browser context (own cookies and storage) in the shared browser; axe-core is
    injected past the CSP only by the test itself."""
    size = {"viewport": viewport} if viewport else {}
    context = shared_browser().new_context(  # type: ignore[attr-defined]
        java_script_enabled=java_script, bypass_csp=True, locale="nl-NL", **size
    )
    try:
        yield context
    finally:
        context.close()


def axe_violations(page: object) -> list[dict]:
    """WCAG 2.1 A and AA violations on the page as it is now, found by axe-core and by
    HTML_CodeSniffer (its errors at WCAG2AA; its warnings and notices ask a person to look)."""
    page.add_script_tag(path=str(AXE_SCRIPT))  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ] + htmlcs_errors(page)


def htmlcs_errors(page: object) -> list[dict]:
    """HTML_CodeSniffer's errors at WCAG 2.1 AA (its WCAG2AA standard) on the page as it is now."""
    if not page.evaluate("() => typeof HTMLCS !== 'undefined'"):  # type: ignore[attr-defined]
        page.add_script_tag(path=str(HTMLCS_SCRIPT))  # type: ignore[attr-defined]
    found = page.evaluate(HTMLCS_RUN)  # type: ignore[attr-defined]
    grouped: dict[str, dict] = {}
    for message in found:
        entry = grouped.setdefault(
            message["code"],
            {"id": "htmlcs:" + message["code"], "impact": "error", "help": message["msg"], "nodes": []},
        )
        if len(entry["nodes"]) < 5:
            entry["nodes"].append(message["element"])
    return list(grouped.values())
