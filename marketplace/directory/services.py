"""Read queries behind the public pages that do not need the search index: label counts on
the home page, one profile with its owner's additions, and organisations by id for the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup
from sqlalchemy import Select, and_, func, or_, select

from marketplace.core import clock
from marketplace.core.extensions import db
from marketplace.organisations.labels import grace_days
from marketplace.organisations.loading import WITH_LABELS_AND_PLACE
from marketplace.organisations.models import Label, Organisation
from marketplace.organisations.owner_models import Offering, OrganisationImage, OrganisationOwner
from marketplace.organisations.rich_text import sanitise
from matching.labels import label_order

# What every page, export and search document about organisations needs, in three queries.


def _listed_label(today: date) -> object:
    """A label that lists its organisation on `today`: the SQL form of matching.labels.lists_on."""
    grace_still_runs = clock.start_of(today - timedelta(days=grace_days() - 1))
    return and_(
        Label.state.in_(("active", "grace")),
        or_(Label.valid_until.is_(None), Label.valid_until >= today),
        or_(Label.state != "grace", Label.grace_since.is_(None), Label.grace_since >= grace_still_runs),
    )


def listed_organisations(query: str = "", register: str | None = None, today: date | None = None) -> Select:
    today = today or clock.today()
    label_filter = [Label.organisation_id == Organisation.id, _listed_label(today)]
    if register:
        label_filter.append(Label.register == register)
    statement = select(Organisation).where(select(Label.id).where(*label_filter).exists())
    if query:
        pattern = f"%{query.strip()}%"
        statement = statement.where(or_(Organisation.name.ilike(pattern), Organisation.city.ilike(pattern)))
    return statement


@dataclass(frozen=True)
class LabelCount:
    register: str
    level: str
    count: int


def label_counts(today: date | None = None) -> list[LabelCount]:
    """Listed labels per register and level (PSO 30+ counted as its own line)."""
    today = today or clock.today()
    rows = db.session.execute(
        select(Label.register, Label.level, func.count())
        .where(_listed_label(today))
        .group_by(Label.register, Label.level)
    ).all()
    counts = [LabelCount(register, level or "", count) for register, level, count in rows]
    pso30 = db.session.scalar(
        select(func.count()).select_from(Label).where(_listed_label(today), Label.pso30plus.is_(True))
    )
    if pso30:
        counts.append(LabelCount("pso", "PSO 30+", pso30))
    # Registers in a fixed order, levels in ladder order (PSO Aspirant ... Trede 3, 30+).
    return sorted(counts, key=lambda c: label_order(f"{c.register}:{c.level.removeprefix('PSO ')}"))


def listed_total(today: date | None = None) -> int:
    return (
        db.session.scalar(select(func.count()).select_from(listed_organisations(today=today).subquery())) or 0
    )


def surviving_organisation(organisation: Organisation) -> Organisation:
    """Follow merges to the profile that holds the enterprise's labels now."""
    seen = {organisation.id}
    while organisation.merged_into_id is not None and organisation.merged_into_id not in seen:
        seen.add(organisation.merged_into_id)
        organisation = db.session.get_one(Organisation, organisation.merged_into_id)
    return organisation


def organisations_by_id(ids: list[int]) -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation).where(Organisation.id.in_(ids)).options(*WITH_LABELS_AND_PLACE)
        )
    )


def organisation_by_slug(slug: str) -> Organisation | None:
    return db.session.scalar(
        select(Organisation).where(Organisation.slug == slug).options(*WITH_LABELS_AND_PLACE)
    )


@dataclass(frozen=True)
class OwnerContent:
    """What a claimed organisation's owner added, ready to show."""

    owned: bool
    description: Markup | None
    offerings: list[Offering]
    images: list[OrganisationImage]


def owner_content(organisation: Organisation) -> OwnerContent:
    owned = (
        db.session.scalar(
            select(OrganisationOwner.id).where(OrganisationOwner.organisation_id == organisation.id)
        )
        is not None
    )
    offerings = db.session.scalars(
        select(Offering).where(Offering.organisation_id == organisation.id).order_by(Offering.title)
    ).all()
    images = db.session.scalars(
        select(OrganisationImage)
        .where(OrganisationImage.organisation_id == organisation.id)
        .order_by(OrganisationImage.kind, OrganisationImage.id)
    ).all()
    # Stored descriptions were sanitised with nh3 when saved; sanitising again costs little and
    # keeps this page safe even for rows written by another path.
    description = Markup(sanitise(organisation.description)) if organisation.description else None
    return OwnerContent(owned, description, list(offerings), list(images))


def is_stored_image(filename: str) -> bool:
    return (
        db.session.scalar(select(OrganisationImage.id).where(OrganisationImage.filename == filename))
        is not None
    )
