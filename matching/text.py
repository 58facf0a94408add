"""Text folding shared by search, entity resolution and place lookup.

Register pages write the same word in many ways (case, diacritics, HTML entities, stray
whitespace); comparing folded text makes those differences disappear in one place.
"""

from __future__ import annotations

import html
import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w]+")


def clean(value: str | None) -> str:
    """Decode entities and collapse whitespace, keeping case and diacritics (for display)."""
    if not value:
        return ""
    return _WHITESPACE.sub(" ", html.unescape(value)).strip()


def strip_diacritics(value: str) -> str:
    """Remove combining marks: 'Coöperatie' -> 'Cooperatie'."""
    if value.isascii():  # nothing to decompose: most words, and the check costs far less
        return value
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(value: str | None) -> str:
    """Lower-case, entity-decoded, diacritic-free text with single spaces (for comparing)."""
    return strip_diacritics(clean(value)).casefold()


def slugify(value: str | None) -> str:
    """URL-safe slug: 'Brood & Zin' -> 'brood-zin'."""
    return _NON_WORD.sub("-", fold(value).replace("'", "")).strip("-_") or "organisatie"
