"""Map a place name as a register writes it to the municipality it belongs to.

Registers write "Den Haag", "'s-Gravenhage" or "'s Gravenhage", and list villages
(Hoofddorp) rather than municipalities (Haarlemmermeer). Regional SROI rules and coordinator
scopes work per municipality, so every place is resolved once, here.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from matching.text import fold

_DATA = Path(__file__).with_name("data")
_ALIASES_FILE = _DATA / "place_aliases.csv"
_MUNICIPALITIES_FILE = _DATA / "municipalities.csv"
_APOSTROPHE_S = re.compile(r"^'?s[\s-]+")


def place_key(place: str | None) -> str:
    """Comparable key for a place: folded, "'s-"/"'s "/"s-" prefixes unified, no punctuation."""
    folded = fold(place).replace("’", "'")
    folded = _APOSTROPHE_S.sub("s-", folded)
    return re.sub(r"[^\w]+", " ", folded).strip()


def _read_rows(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        yield from csv.DictReader(line for line in handle if not line.startswith("#"))


def municipality_rows() -> list[dict[str, str]]:
    """Every current municipality with its province and labour-market region (CBS)."""
    return list(_read_rows(_MUNICIPALITIES_FILE))


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    return {place_key(row["place"]): row["municipality"] for row in _read_rows(_ALIASES_FILE)}


def alias_municipalities() -> dict[str, str]:
    """Place key of a village or other spelling -> the municipality it belongs to."""
    return dict(_aliases())


class PlaceResolver:
    """Resolves place names to one of a known set of municipality names (default: all current ones)."""

    def __init__(self, municipalities: Iterable[str] | None = None) -> None:
        names = municipalities if municipalities is not None else (r["name"] for r in municipality_rows())
        self._by_key = {place_key(name): name for name in names}

    def municipality_for(self, place: str | None) -> str | None:
        """The municipality name for a place, or None when the place is unknown."""
        key = place_key(place)
        if not key:
            return None
        if key in self._by_key:
            return self._by_key[key]
        alias = _aliases().get(key)
        if alias is not None:
            return self._by_key.get(place_key(alias))
        return None


def same_place(left: str | None, right: str | None, resolver: PlaceResolver | None = None) -> bool:
    """True when two place names mean the same place or the same municipality."""
    if not left or not right:
        return False
    if place_key(left) == place_key(right):
        return True
    if resolver is None:
        return False
    left_municipality = resolver.municipality_for(left)
    return left_municipality is not None and left_municipality == resolver.municipality_for(right)
