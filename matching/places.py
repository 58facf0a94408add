"""Map a place name as a register writes it to the municipality it belongs to.

Registers write "Den Haag", "'s-Gravenhage" or "'s Gravenhage", and list villages
(Hoofddorp) rather than municipalities (Haarlemmermeer). Regional SROI rules and coordinator
scopes work per municipality, so every place is resolved once, here.
"""

from __future__ import annotations

import csv
import math
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


_COORDINATES_FILE = _DATA / "municipality_coordinates.csv"
EARTH_KM = 6371.0


@lru_cache(maxsize=1)
def municipality_coordinates() -> dict[str, tuple[float, float]]:
    """Place key of each municipality -> (latitude, longitude) of its main place (GeoNames, shipped)."""
    return {
        place_key(row["municipality"]): (float(row["latitude"]), float(row["longitude"]))
        for row in _read_rows(_COORDINATES_FILE)
    }


@lru_cache(maxsize=1)
def region_centres() -> dict[str, tuple[float, float]]:
    """Place key of each labour-market region -> the mean position of its municipalities."""
    found: dict[str, list[tuple[float, float]]] = {}
    coordinates = municipality_coordinates()
    for row in municipality_rows():
        at = coordinates.get(place_key(row["name"]))
        if at is not None:
            found.setdefault(place_key(row["labour_market_region"]), []).append(at)
    return {
        region: (sum(a for a, _b in points) / len(points), sum(b for _a, b in points) / len(points))
        for region, points in found.items()
    }


def position(municipality: str | None, region: str | None = None) -> tuple[float, float] | None:
    """Where a municipality lies, else the centre of its labour-market region, else None."""
    key = place_key(municipality)
    at = municipality_coordinates().get(key) if key else None
    if at is None and key in _aliases():
        at = municipality_coordinates().get(place_key(_aliases()[key]))
    if at is None and region:
        at = region_centres().get(place_key(region))
    return at


def kilometres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres (haversine)."""
    lat1, lon1, lat2, lon2 = (math.radians(value) for value in (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(h))
