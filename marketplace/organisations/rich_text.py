"""The owners' limited rich text: the one policy for what HTML a description may hold (nh3).

Owners' edits are sanitised when saved and again when shown, so a change of policy reaches old text.
"""

from __future__ import annotations

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
