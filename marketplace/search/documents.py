"""The flat search document of an organisation: what both backends index and facet on.

Built from the database, which stays the source of truth; `impactmarkt reindex` rebuilds
every document from it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.extensions import db
from marketplace.models import Offering, Organisation
from marketplace.services.directory import WITH_LABELS_AND_PLACE
from marketplace.services.labels import effective_state

FACETS = ("register", "label", "impact", "cpv", "province", "region", "municipality")
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
    listed: bool  # at least one label that is not expired
    in_grace: bool
    last_confirmed: int  # days since 1970, for "most recently confirmed"
    facets: dict[str, list[str]] = field(default_factory=dict)


def label_values(register: str, level: str | None, pso30plus: bool) -> list[str]:
    values = [f"{register}:{level}"] if level else []
    if pso30plus:
        values.append("pso:30+")
    return values


def build_document(
    organisation: Organisation, today: date | None = None, offerings: list[Offering] | None = None
) -> SearchDocument:
    today = today or date.today()
    offerings = offerings or []
    live = [label for label in organisation.labels if effective_state(label, today) != "expired"]
    labels = live or list(organisation.labels)
    municipality = organisation.municipality
    sectors = list(organisation.sectors or [])
    registers = sorted({label.register for label in live})
    facets = {
        "register": registers,
        "label": sorted(
            {v for label in live for v in label_values(label.register, label.level, label.pso30plus)}
        ),
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
        _text_only(organisation.description),
        organisation.target_groups or "",
        organisation.impact_statement or "",
    ]
    own_words += [f"{offering.title} {offering.description}" for offering in offerings]
    text_parts = [*names, *own_words, *sectors, *facets["impact"], *place]
    last_seen = max((label.last_seen for label in organisation.labels), default=None)
    return SearchDocument(
        id=organisation.id,
        slug=organisation.slug,
        name=organisation.name,
        city=organisation.city or "",
        text=" \n".join(part for part in text_parts if part),
        snippet_source=_text_only(organisation.description) or organisation.mission or "",
        listed=bool(live),
        in_grace=any(effective_state(label, today) == "grace" for label in live),
        last_confirmed=(last_seen.date() - date(1970, 1, 1)).days if last_seen else 0,
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


def _text_only(html: str | None) -> str:
    """Owner descriptions are limited HTML; search and snippets use their words only."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html or "")).strip()
