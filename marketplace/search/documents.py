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

from sqlalchemy import select

from marketplace.core.extensions import db
from marketplace.organisations import rich_text
from marketplace.organisations import view as organisation_view
from marketplace.organisations.labels import LabelView
from marketplace.organisations.models import Organisation
from marketplace.organisations.view import OrganisationView

FACETS = ("register", "label", "impact", "cpv", "province", "region", "municipality")
LABEL_FACETS = ("register", "label")  # counted over the labels that list on the day of the search
DOCUMENT_FORMAT = 3  # stored documents of another format are rebuilt from the database
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


def _label_entry(label: LabelView) -> dict[str, Any]:
    return {
        "register": label.register,
        "level": label.level,
        "pso30plus": bool(label.pso30plus),
        "state": label.stored_state,
        "valid_until": label.valid_until.isoformat() if label.valid_until else None,
        "grace_since": label.grace_since.isoformat() if label.grace_since else None,
        "values": {
            "register": [label.register],
            "label": label_values(label.register, label.level, label.pso30plus),
        },
    }


def build_document(view: OrganisationView) -> SearchDocument:
    """The search document of one organisation view (marketplace.organisations.view)."""
    facets = {
        "impact": list(view.impact_areas),
        "cpv": sorted(
            {code for sector in view.sectors for code in sector_cpv().get(sector, ())}
            | {offering.cpv_code[:2] for offering in view.offerings}
        ),
        "province": [view.province] if view.province else [],
        "region": [view.labour_market_region] if view.labour_market_region else [],
        "municipality": [view.municipality] if view.municipality else [],
    }
    names = [name for name in view.names_as_registered if name != view.name]
    own_words = [
        view.mission or "",
        text_only(view.description),
        view.target_groups or "",
        view.impact_statement or "",
    ]
    own_words += [f"{offering.title} {offering.description}" for offering in view.offerings]
    place = [view.city or "", view.municipality or "", view.kvk or ""]  # a KvK number finds its enterprise
    text_parts = [*names, *own_words, *view.sectors, *view.impact_areas, *place]
    return SearchDocument(
        id=view.id,
        slug=view.slug,
        name=view.name,
        city=view.city or "",
        text=" \n".join(part for part in text_parts if part),
        snippet_source=text_only(view.description) or view.mission or "",
        last_confirmed=(view.last_confirmed - date(1970, 1, 1)).days if view.last_confirmed else 0,
        labels=[_label_entry(label) for label in view.labels],
        facets=facets,
    )


def documents(ids: list[int] | None = None) -> list[SearchDocument]:
    """Documents for the given organisations (all when None); merged-away and label-less ones are left out."""
    if ids is None:
        ids = list(db.session.scalars(select(Organisation.id).where(Organisation.merged_into_id.is_(None))))
    return [
        build_document(view) for view in organisation_view.views_by_id(ids) if view.labels and not view.merged
    ]


def text_only(html: str | None) -> str:
    """Owner descriptions are limited HTML; search and snippets use their words only, with
    entities decoded once, and paragraphs and list items on lines of their own (a snippet shows
    them so: "Enschede.Wij bieden:- glazenwassen" ran them together)."""
    return rich_text.text_lines(html)
