"""What entity resolution compares for each record, computed once per record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from matching.names import core_name
from matching.normalise import kvk_numbers, website_domain
from matching.places import PlaceResolver, place_key

# Hosts shared by many unrelated enterprises: a shared domain there is no evidence.
GENERIC_DOMAINS = {
    "facebook.com", "instagram.com", "linkedin.com", "twitter.com", "x.com", "google.com", "gmail.com",
    "wixsite.com", "wordpress.com", "blogspot.com", "jouwweb.nl", "webnode.nl", "strikingly.com",
    "socialenterprise.nl", "social-enterprise.nl", "pso-nederland.nl", "codesocialeondernemingen.nl",
}  # fmt: skip


def record_id(register: str, record_key: str) -> str:
    """One string that names a record in any register: 'pso:/organisatie/1-x.html'."""
    return f"{register}:{record_key}"


@dataclass(frozen=True)
class Features:
    rid: str
    register: str
    name: str
    core: str
    kvk: frozenset[str]
    domain: str | None
    place: str | None  # municipality name when known, else the folded place
    place_shown: str | None


def features_of(record: Mapping[str, Any], places: PlaceResolver) -> Features:
    """Features of a record given as the crawler's JSON (register, record_key, name, kvk, city, website)."""
    kvk = record.get("kvk") or []
    numbers = frozenset(kvk_numbers(" ".join(kvk)) if isinstance(kvk, list) else kvk_numbers(str(kvk)))
    domain = website_domain(record.get("website"))
    city = record.get("city") or None
    municipality = places.municipality_for(city)
    return Features(
        rid=record_id(record["register"], record["record_key"]),
        register=record["register"],
        name=record.get("name") or "",
        core=core_name(record.get("name")),
        kvk=numbers,
        domain=None if domain in GENERIC_DOMAINS else domain,
        place=municipality or (place_key(city) or None),
        place_shown=city,
    )
