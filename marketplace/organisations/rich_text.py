"""The owners' limited rich text: the one policy for what HTML a description may hold (nh3).

Owners' edits are sanitised when saved and again when shown, so a change of policy reaches old text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

RICH_TEXT_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a"}


def sanitise(html: str) -> str:
    """Limited rich text: paragraphs, emphasis, lists and links with rel=noopener."""
    return nh3.clean(
        html,
        tags=RICH_TEXT_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
    )


class _Lines(HTMLParser):
    """Limited rich text to lines: a paragraph or a list item starts a line, a list item with "- "."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "ul", "ol", "br", "div"):
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "ul", "ol", "li", "div"):
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def text_lines(html: str | None) -> str:
    """The words of limited rich text with its paragraph breaks and list items kept as lines
    ("Enschede.\nWij bieden:\n- glazenwassen"), never run together."""
    parser = _Lines()
    parser.feed(html or "")
    parser.close()
    lines = (re.sub(r"\s+", " ", line).strip() for line in "".join(parser.out).split("\n"))
    return "\n".join(line for line in lines if line and line != "-")
