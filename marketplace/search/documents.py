"""The flat search document of an organisation: what both backends index and facet on.

Built from the database, which stays the source of truth; `impactmarkt reindex` rebuilds
every document from it. A document holds each label's stored facts and dates, never a
conclusion such as "listed": whether a label lists its organisation is decided on the day of
the search (marketplace.search.facet_matrix), so documents never go stale with the calendar.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.extensions import db
from marketplace.models import Offering, Organisation
from marketplace.services.directory import WITH_LABELS_AND_PLACE

FACETS = ("register", "label", "impact", "cpv", "province", "region", "municipality")
LABEL_FACETS = ("register", "label")  # counted over the labels that list on the day of the search
DOCUMENT_FORMAT = 2  # stored documents of another format are rebuilt from the database
DATA = Path(__file__).resolve().parent.parent / "data"


@lru_cache(maxsize=1)
def sector_cpv() -> dict[str, tuple[str, ...]]:
    with (DATA / "sector_cpv.csv").open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["sector"]: tuple(row["cpv"].split()) for row in rows}


@dataclass
class SearchDocument:
    id: int
    slug: str
    name: str
    city: str
    text: str  # everything searchable besides the name
    snippet_source: str
    last_confirmed: int  # days since 1970, for "most recently confirmed"
    # Per label: register, level, pso30plus, state (the crawler's), valid_until and grace_since
    # (ISO dates or None), and its facet values.
    labels: list[dict[str, Any]] = field(default_factory=list)
    facets: dict[str, list[str]] = field(default_factory=dict)  # the facets that do not depend on the day
    format: int = DOCUMENT_FORMAT

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> SearchDocument:
        if data.get("format") != DOCUMENT_FORMAT:
            raise OutdatedDocument(data.get("id"))
        return cls(**data)


class OutdatedDocument(Exception):
    """A stored document of an older format: the index must be rebuilt from the database."""


def label_values(register: str, level: str | None, pso30plus: bool) -> list[str]:
    values = [f"{register}:{level}"] if level else []
    if pso30plus:
        values.append("pso:30+")
    return values


def _label_entry(label: Any) -> dict[str, Any]:
    return {
        "register": label.register,
        "level": label.level,
        "pso30plus": bool(label.pso30plus),
        "state": label.state,
        "valid_until": label.valid_until.isoformat() if label.valid_until else None,
        "grace_since": label.grace_since.date().isoformat() if label.grace_since else None,
        "values": {
            "register": [label.register],
            "label": label_values(label.register, label.level, label.pso30plus),
        },
    }


def build_document(organisation: Organisation, offerings: list[Offering] | None = None) -> SearchDocument:
    offerings = offerings or []
    labels = list(organisation.labels)
    municipality = organisation.municipality
    sectors = list(organisation.sectors or [])
    facets = {
        "impact": sorted(
            {
                s
                for label in labels
                if label.register == "code"
                for s in label.register_data.get("sectors") or []
            }
        ),
        "cpv": sorted(
            {code for sector in sectors for code in sector_cpv().get(sector, ())}
            | {offering.cpv_code[:2] for offering in offerings}
        ),
        "province": [municipality.province.name] if municipality else [],
        "region": [municipality.region.name] if municipality else [],
        "municipality": [municipality.name] if municipality else [],
    }
    names = sorted({label.name_as_registered for label in labels} - {organisation.name})
    place = [organisation.city or "", municipality.name if municipality else ""]
    own_words = [
        organisation.mission or "",
        text_only(organisation.description),
        organisation.target_groups or "",
        organisation.impact_statement or "",
    ]
    own_words += [f"{offering.title} {offering.description}" for offering in offerings]
    text_parts = [*names, *own_words, *sectors, *facets["impact"], *place]
    last_seen = max((label.last_seen for label in labels), default=None)
    return SearchDocument(
        id=organisation.id,
        slug=organisation.slug,
        name=organisation.name,
        city=organisation.city or "",
        text=" \n".join(part for part in text_parts if part),
        snippet_source=text_only(organisation.description) or organisation.mission or "",
        last_confirmed=(last_seen.date() - date(1970, 1, 1)).days if last_seen else 0,
        labels=[_label_entry(label) for label in labels],
        facets=facets,
    )


def documents(ids: list[int] | None = None, session: Session | None = None) -> list[SearchDocument]:
    """Documents for the given organisations (all when None); merged-away profiles are left out."""
    statement = (
        select(Organisation).where(Organisation.merged_into_id.is_(None)).options(*WITH_LABELS_AND_PLACE)
    )
    if ids is not None:
        statement = statement.where(Organisation.id.in_(ids))
    session = session or db.session
    organisations = [org for org in session.scalars(statement) if org.labels]
    offered: dict[int, list[Offering]] = {}
    wanted = [org.id for org in organisations]
    for start in range(0, len(wanted), 1000):
        for offering in session.scalars(
            select(Offering).where(Offering.organisation_id.in_(wanted[start : start + 1000]))
        ):
            offered.setdefault(offering.organisation_id, []).append(offering)
    return [build_document(org, offerings=offered.get(org.id)) for org in organisations]


def text_only(html: str | None) -> str:
    """Owner descriptions are limited HTML; search and snippets use their words only, with
    entities decoded once (markupsafe's striptags, the template engine's own)."""
    return Markup(html or "").striptags()
