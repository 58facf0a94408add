"""What a search query means besides its words: a place to search in, or a KvK number.

People type "schoonmaak twente", "catering zwolle" or "kvk 1234 5678". A region, province or
municipality name (or a village or spelling that belongs to one) becomes a place filter rather
than a word every enterprise's text must contain; a KvK number is written the way the index holds
it. Plain Python over the CBS tables in matching/data, shared by the search page and the API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from matching.places import alias_municipalities, municipality_rows, place_key

LONGEST_PLACE = 5  # words in the longest place name ("Stedendriehoek en Noordwest Veluwe")
# Municipality names that are also everyday words in a query ("beste", "putten" as in wells).
NOT_PLACES = frozenset({"best", "putten", "bergen", "beek", "goes", "laren", "stein", "land"})
FACET_PRIORITY = ("municipality", "province", "region")  # "Groningen": the city first
PREFIXES = {
    "gemeente": "municipality",
    "provincie": "province",
    "regio": "region",
    "arbeidsmarktregio": "region",
}
KVK = re.compile(r"\b(?:kvk(?:[-\s]?(?:nummer|nr\.?))?[:\s]*)?(\d{4})\s?(\d{4})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Understood:
    words: str  # what is left for the text search
    places: tuple[tuple[str, str], ...] = ()  # (facet, value), e.g. ("municipality", "Zwolle")
    kvk: str | None = None


@lru_cache(maxsize=1)
def place_names() -> dict[str, tuple[str, str]]:
    """Place key -> (facet, value) for every municipality, province, labour-market region and alias."""
    by_facet: dict[str, dict[str, str]] = {facet: {} for facet in FACET_PRIORITY}
    for row in municipality_rows():
        by_facet["municipality"][place_key(row["name"])] = row["name"]
        by_facet["province"][place_key(row["province"])] = row["province"]
        by_facet["region"][place_key(row["labour_market_region"])] = row["labour_market_region"]
    for alias, municipality in alias_municipalities().items():
        by_facet["municipality"].setdefault(alias, municipality)
    by_facet["province"].setdefault("friesland", "Fryslân")
    names: dict[str, tuple[str, str]] = {}
    for facet in reversed(FACET_PRIORITY):  # later (higher-priority) facets overwrite
        names.update({key: (facet, value) for key, value in by_facet[facet].items()})
        for prefix, prefixed_facet in PREFIXES.items():
            if prefixed_facet == facet:
                names.update({f"{prefix} {key}": (facet, value) for key, value in by_facet[facet].items()})
    return names


def understand(text: str) -> Understood:
    """Split a query into its words, the places it names and a KvK number."""
    kvk = None
    found = KVK.search(text)
    if found:
        kvk = found.group(1) + found.group(2)
        text = text[: found.start()] + f" {kvk} " + text[found.end() :]
    words = text.split()
    names = place_names()
    kept: list[str] = []
    places: list[tuple[str, str]] = []
    position = 0
    while position < len(words):
        for length in range(min(LONGEST_PLACE, len(words) - position), 0, -1):
            key = place_key(" ".join(words[position : position + length]))
            if key in names and key not in NOT_PLACES:
                if names[key] not in places:
                    places.append(names[key])
                position += length
                break
        else:
            kept.append(words[position])
            position += 1
    return Understood(" ".join(kept), tuple(places), kvk)
