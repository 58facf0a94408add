"""Organisations as the sum of their register labels.

Register facts are copied onto labels as the crawler finds them; an organisation's shown
register fields are derived from its labels (PSO first, then Code, then SENL), so a crawl
only ever touches register-sourced fields and never what an owner wrote.
"""

from __future__ import annotations

from sqlalchemy import select

from marketplace.core.extensions import db
from marketplace.core.geography import Municipality
from marketplace.organisations.models import Label, Organisation
from matching.places import PlaceResolver
from matching.records import RegisterRecord
from matching.text import slugify

REGISTER_PRECEDENCE = {"pso": 0, "code": 1, "senl": 2}


def copy_register_facts(label: Label, record: RegisterRecord, digest: str, data: dict | None = None) -> None:
    label.name_as_registered = record.name
    label.kvk_numbers = list(record.kvk)
    label.level = record.level
    label.pso30plus = record.pso30plus
    label.valid_from = record.valid_from
    label.valid_until = record.valid_until
    label.next_review = record.next_review
    label.membership = record.membership
    label.source_url = record.source_url
    label.content_hash = digest
    label.register_data = data if data is not None else record.to_json()


class MunicipalityLookup:
    """Place name -> Municipality, loaded once per run."""

    def __init__(self) -> None:
        self.by_name = {m.name: m for m in db.session.scalars(select(Municipality))}
        self.resolver = PlaceResolver(self.by_name)

    def find(self, place: str | None) -> Municipality | None:
        name = self.resolver.municipality_for(place)
        return self.by_name.get(name) if name else None


def _ordered(labels: list[Label]) -> list[Label]:
    return sorted(labels, key=lambda label: (REGISTER_PRECEDENCE[label.register], label.id or 0))


def refresh_register_fields(organisation: Organisation, places: MunicipalityLookup) -> None:
    """Derive the organisation's register-sourced fields from its labels."""
    labels = _ordered(list(organisation.labels))
    if not labels:
        return
    data = [label.register_data or {} for label in labels]

    def first(key: str) -> object:
        return next((item.get(key) for item in data if item.get(key)), None)

    organisation.name = labels[0].name_as_registered
    organisation.legal_form = first("legal_form")  # type: ignore[assignment]
    kvk_lists = [label.kvk_numbers for label in labels if label.kvk_numbers]
    organisation.kvk = kvk_lists[0][0] if kvk_lists else None
    organisation.city = first("city")  # type: ignore[assignment]
    organisation.website = first("website")  # type: ignore[assignment]
    organisation.mission = next((item["mission"] for item in data if item.get("mission")), None)
    sectors: list[str] = []
    for item in data:
        sectors.extend(s for s in item.get("sectors") or [] if s not in sectors)
    organisation.sectors = sectors
    municipality = next((m for m in (places.find(item.get("city")) for item in data) if m), None)
    organisation.municipality = municipality


class SlugAllocator:
    """Readable, unique profile URLs: the name's slug, else with the place, else numbered."""

    def __init__(self) -> None:
        self.slugs = set(db.session.scalars(select(Organisation.slug)))

    def allocate(self, name: str, city: str | None = None) -> str:
        base = slugify(name)[:150]
        slug = base
        if slug in self.slugs and city:
            slug = f"{base}-{slugify(city)}"[:150]
        number = 2
        while slug in self.slugs:
            slug = f"{base}-{number}"
            number += 1
        self.slugs.add(slug)
        return slug
