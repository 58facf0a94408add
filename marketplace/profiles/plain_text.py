"""Owners write their description as plain text, never HTML: a blank line starts a paragraph, lines
that start with "- " make a list, **words** are bold and web addresses become links. Stored as
the limited HTML the profile page shows (and sanitised again there); turned back into the same
plain text for editing.
"""

from __future__ import annotations

import re
from html import escape, unescape
from html.parser import HTMLParser

import nh3

BULLET = re.compile(r"^\s*[-*•]\s+")
BOLD = re.compile(r"\*\*(.+?)\*\*")
ADDRESS = re.compile(r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)]")


def _inline(line: str) -> str:
    """One line of text as safe HTML: escaped, with bold and links."""
    html = escape(line, quote=True)
    html = BOLD.sub(r"<strong>\1</strong>", html)
    return ADDRESS.sub(lambda found: f'<a href="{found.group(0)}">{found.group(0)}</a>', html)


def to_html(text: str) -> str:
    """Plain text as paragraphs and lists. Any HTML someone pasted is dropped to its words."""
    text = unescape(nh3.clean(text.replace("\r\n", "\n"), tags=set()))
    blocks = [block.strip("\n") for block in re.split(r"\n\s*\n", text) if block.strip()]
    parts = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        # Runs of "- " lines are a list, also right after a line of text ("Wij bieden:\n- glazenwassen").
        run: list[str] = []
        for index, line in enumerate(lines):
            bullet = bool(BULLET.match(line))
            if run and bullet != bool(BULLET.match(run[-1])):
                parts.append(_block(run))
                run = []
            run.append(line)
            if index == len(lines) - 1:
                parts.append(_block(run))
    return "".join(parts)


def _block(lines: list[str]) -> str:
    if BULLET.match(lines[0]):
        return "<ul>" + "".join(f"<li>{_inline(BULLET.sub('', line))}</li>" for line in lines) + "</ul>"
    return "<p>" + "<br>".join(_inline(line) for line in lines) + "</p>"


class _TextWriter(HTMLParser):
    """Stored description HTML back to the plain text an owner edits."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "ul", "ol"):
            self.out.append("\n\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag == "br":
            self.out.append("\n")
        elif tag in ("strong", "b"):
            self.out.append("**")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("strong", "b"):
            self.out.append("**")

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def to_text(html: str | None) -> str:
    writer = _TextWriter()
    writer.feed(html or "")
    writer.close()
    text = "".join(writer.out)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
