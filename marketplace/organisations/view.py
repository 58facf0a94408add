"""One view of an organisation: what the API, the exports and the search documents show.

Built from the database in a few batched queries, with each label's state decided on the
day asked (marketplace.organisations.labels). marketplace.api.schemas.OrganisationSchema dumps it;
exports flatten that dump and search documents take their words from it, so the same
organisation never reads differently in two places.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup
from sqlalchemy import select

from marketplace.core import clock
from marketplace.core.extensions import db
from marketplace.core.geography import CpvCategory
from marketplace.core.i18n import current_language
from marketplace.core.web.links import public_url_for
from marketplace.organisations.labels import LabelView, grace_days, label_view
from marketplace.organisations.loading import WITH_LABELS_AND_PLACE
from marketplace.organisations.models import Organisation
from marketplace.organisations.owner_models import Offering, OrganisationOwner
from marketplace.organisations.rich_text import sanitise


@dataclass(frozen=True)
class OfferingView:
    title: str
    description: str
    cpv_code: str
    cpv_name: str | None
    price_indication: str | None


@dataclass(frozen=True)
class ContactView:
    name: str | None
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class OrganisationView:
    id: int
    slug: str
    name: str
    kvk: str | None
    legal_form: str | None
    city: str | None
    municipality: str | None
    province: str | None
    labour_market_region: str | None
    website: str | None
    mission: str | None
    target_groups: str | None
    impact_statement: str | None
    sectors: list[str]
    impact_areas: list[str]
    description: str | None
    offerings: list[OfferingView]
    regions_served: list[str]
    contact: ContactView | None
    claimed: bool
    url: str
    labels: list[LabelView]
    last_confirmed: date | None = None
    names_as_registered: list[str] = field(default_factory=list)
    merged: bool = False


def _offerings(ids: list[int]) -> dict[int, list[OfferingView]]:
    english = current_language() == "en"
    found: dict[int, list[OfferingView]] = {}
    for start in range(0, len(ids), 1000):
        rows = db.session.execute(
            select(Offering, CpvCategory.name_nl, CpvCategory.name_en)
            .join(CpvCategory, CpvCategory.code == Offering.cpv_code)
            .where(Offering.organisation_id.in_(ids[start : start + 1000]))
            .order_by(Offering.title, Offering.id)
        )
        for offering, name_nl, name_en in rows:
            found.setdefault(offering.organisation_id, []).append(
                OfferingView(
                    offering.title,
                    offering.description,
                    offering.cpv_code,
                    name_en if english else name_nl,
                    offering.price_indication,
                )
            )
    return found


def _claimed(ids: list[int]) -> set[int]:
    claimed: set[int] = set()
    for start in range(0, len(ids), 1000):
        claimed.update(
            db.session.scalars(
                select(OrganisationOwner.organisation_id).where(
                    OrganisationOwner.organisation_id.in_(ids[start : start + 1000])
                )
            )
        )
    return claimed


def view_of(
    organisation: Organisation, offerings: list[OfferingView], claimed: bool, today: date
) -> OrganisationView:
    municipality = organisation.municipality
    labels = list(organisation.labels)
    contact = ContactView(organisation.contact_name, organisation.contact_email, organisation.contact_phone)
    last_seen = max((label.last_seen for label in labels), default=None)
    return OrganisationView(
        id=organisation.id,
        slug=organisation.slug,
        name=organisation.name,
        kvk=organisation.kvk,
        legal_form=organisation.legal_form,
        city=organisation.city,
        municipality=municipality.name if municipality else None,
        province=municipality.province.name if municipality else None,
        labour_market_region=municipality.region.name if municipality else None,
        website=organisation.website,
        mission=organisation.mission,
        target_groups=organisation.target_groups,
        impact_statement=organisation.impact_statement,
        sectors=list(organisation.sectors or []),
        impact_areas=sorted(
            {
                area
                for label in labels
                if label.register == "code"
                for area in label.register_data.get("sectors") or []
            }
        ),
        description=str(Markup(sanitise(organisation.description))) if organisation.description else None,
        offerings=offerings,
        regions_served=list(organisation.regions_served or []),
        contact=contact if any(vars(contact).values()) else None,
        claimed=claimed,
        url=public_url_for("public.organisation", slug=organisation.slug),
        labels=[label_view(label, grace_days(), today) for label in labels],
        last_confirmed=last_seen.date() if last_seen else None,
        names_as_registered=sorted({label.name_as_registered for label in labels}),
        merged=organisation.merged_into_id is not None,
    )


def views(organisations: list[Organisation], today: date | None = None) -> list[OrganisationView]:
    """Views of organisations already loaded with their labels and place (WITH_LABELS_AND_PLACE)."""
    today = today or clock.today()
    ids = [organisation.id for organisation in organisations]
    offered = _offerings(ids)
    claimed = _claimed(ids)
    return [view_of(org, offered.get(org.id, []), org.id in claimed, today) for org in organisations]


def views_by_id(ids: list[int], today: date | None = None) -> list[OrganisationView]:
    """Views in the order of `ids`; unknown ids are left out."""
    found: dict[int, Organisation] = {}
    for start in range(0, len(ids), 1000):
        statement = (
            select(Organisation)
            .where(Organisation.id.in_(ids[start : start + 1000]))
            .options(*WITH_LABELS_AND_PLACE)
        )
        found.update({org.id: org for org in db.session.scalars(statement)})
    return views([found[i] for i in ids if i in found], today)
