"""Snippets with the visitor's words marked, the same for both backends."""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape
from rapidfuzz.distance import OSA

from matching import analysis
from matching.text import fold

WORD = re.compile(r"\w+(?:'s)?", re.UNICODE)
SNIPPET_CHARS = 220


@lru_cache(maxsize=65536)
def _forms(word: str) -> tuple[str, tuple[str, ...]]:
    """A text word as a query term and the terms of its compound parts. Kept: the same words come
    back in every snippet, and folding them was half of building a result list."""
    singular = analysis.plural_to_singular(fold(word))
    return singular, tuple(analysis.plural_to_singular(part) for part in analysis.compound_parts(singular))


@lru_cache(maxsize=65536)
def _matches(word: str, wanted: frozenset[str]) -> bool:
    """Whether a text word is one of the query's terms, a compound of one, or one slip away."""
    singular, parts = _forms(word)
    if singular in wanted or any(part in wanted for part in parts):
        return True
    return any(len(w) >= 5 and OSA.distance(singular, w) <= 1 for w in wanted)


def snippet(source: str, query: str) -> Markup:
    """A short excerpt around the first matching word, with matches in <mark>."""
    if not source:
        return Markup("")
    wanted = frozenset(analysis.query_terms(query))
    spans = [m.span() for m in WORD.finditer(source) if wanted and _matches(m.group(0), wanted)]
    start = 0
    if spans and spans[0][0] > SNIPPET_CHARS // 2:
        start = source.rfind(" ", 0, spans[0][0] - SNIPPET_CHARS // 3) + 1
    end = min(len(source), start + SNIPPET_CHARS)
    if end < len(source):
        end = source.rfind(" ", start, end) if source.rfind(" ", start, end) > start else end
    pieces, cursor = [], start
    for left, right in spans:
        if left < start or right > end:
            continue
        pieces.append(escape(source[cursor:left]))
        pieces.append(Markup("<mark>") + escape(source[left:right]) + Markup("</mark>"))
        cursor = right
    pieces.append(escape(source[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(source) else ""
    return Markup(prefix) + Markup("").join(pieces) + Markup(suffix)
