"""Each region's lists of SW companies (sociale werkbedrijven) and learn-work companies
(leerwerkbedrijven), kept by the region's coordinators. No register names them, so the region's own
list does: a purchase from a company on it counts where the region's table says such purchases count
(Rivierenland, Midden-Utrecht), like a register label. Every change is audit-logged.

`companies_on_list(region_code, kind)` is the public question other features ask (the market scan).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import User
from marketplace.core import audit
from marketplace.core.extensions import db
from marketplace.core.geography import LabourMarketRegion
from marketplace.core.refusals import ServiceError
from marketplace.core.web import values as values_rules
from marketplace.organisations.models import Organisation
from marketplace.sroi.models import COMPANY_KINDS, RegionCompany
from matching.labels import LabelFacts

LIST_REGISTER = "list"  # the "register" of a label that comes from a region's list
KIND_WORDS = {
    "sw_company": _l("SW-bedrijf (sociaal werkbedrijf)"),
    "learn_work_company": _l("leerwerkbedrijf"),
}


class CompanyListRefused(ServiceError):
    """A list change that cannot be made, with why."""


@dataclass(frozen=True)
class ListedCompany:
    """A company on a region's list: its KvK number, name, our organisation (when listed), source."""

    region: str  # the region's slug
    kind: str
    kvk: str
    name: str
    organisation_id: int | None
    source: str


def _region(region_code: str) -> LabourMarketRegion | None:
    code = str(region_code or "").strip().lower()
    return db.session.scalar(select(LabourMarketRegion).where(LabourMarketRegion.slug == code))


def companies_on_list(region_code: str, kind: str) -> list[ListedCompany]:
    """The companies of one kind ("sw_company" or "learn_work_company") on the list of the region
    with this slug ("rivierenland"), by name; an unknown region or kind has an empty list."""
    region = _region(region_code)
    if region is None or kind not in COMPANY_KINDS:
        return []
    rows = db.session.scalars(
        select(RegionCompany)
        .where(RegionCompany.region_id == region.id, RegionCompany.kind == kind)
        .order_by(RegionCompany.name, RegionCompany.kvk)
    )
    return [
        ListedCompany(region.slug, row.kind, row.kvk, row.name, row.organisation_id, row.source)
        for row in rows
    ]


def listed_organisation_ids(kind: str) -> frozenset[int]:
    """The organisations from our listing on any region's list of this kind (the market scan)."""
    return frozenset(
        db.session.scalars(
            select(RegionCompany.organisation_id).where(
                RegionCompany.kind == kind, RegionCompany.organisation_id.is_not(None)
            )
        )
    )


def entries(region_ids: list[int]) -> list[RegionCompany]:
    """The lists of these regions (a coordinator's page), by region, kind and name."""
    return list(
        db.session.scalars(
            select(RegionCompany)
            .where(RegionCompany.region_id.in_(region_ids))
            .order_by(RegionCompany.region_id, RegionCompany.kind, RegionCompany.name)
        )
    )


def list_labels(region_id: int | None, organisation: Organisation) -> tuple[LabelFacts, ...]:
    """The organisation's places on the region's lists, as labels the rule sets can count
    ("list:sw_company"): matched by our organisation or its KvK number."""
    if region_id is None:
        return ()
    matches = [RegionCompany.organisation_id == organisation.id]
    if organisation.kvk:
        matches.append(RegionCompany.kvk == organisation.kvk)
    kinds = db.session.scalars(
        select(RegionCompany.kind).where(RegionCompany.region_id == region_id, or_(*matches)).distinct()
    )
    return tuple(LabelFacts(LIST_REGISTER, kind, False, "active") for kind in sorted(kinds))


def region_labels(region_id: int | None) -> tuple[tuple[int, tuple[LabelFacts, ...]], ...]:
    """Every listed organisation on the region's lists, with those places as labels: what the
    ranking adds to the register labels for an obligation in this region (list_labels, for all at
    once). A list entry is matched by our organisation or its KvK number; entries of companies we do
    not list cannot be suppliers here."""
    if region_id is None:
        return ()
    rows = db.session.execute(
        select(RegionCompany.kind, RegionCompany.organisation_id, RegionCompany.kvk).where(
            RegionCompany.region_id == region_id
        )
    ).all()
    unmatched = {kvk for _kind, organisation_id, kvk in rows if organisation_id is None}
    by_kvk = (
        dict(
            db.session.execute(
                select(Organisation.kvk, Organisation.id).where(
                    Organisation.kvk.in_(unmatched), Organisation.merged_into_id.is_(None)
                )
            ).all()
        )
        if unmatched
        else {}
    )
    kinds: dict[int, set[str]] = {}
    for kind, organisation_id, kvk in rows:
        found = organisation_id if organisation_id is not None else by_kvk.get(kvk)
        if found is not None:
            kinds.setdefault(found, set()).add(kind)
    return tuple(
        (organisation_id, tuple(LabelFacts(LIST_REGISTER, kind, False, "active") for kind in sorted(found)))
        for organisation_id, found in sorted(kinds.items())
    )


def on_a_list(region_id: int | None, organisation: Organisation) -> bool:
    return bool(list_labels(region_id, organisation))


def _check_region(user: User, region_id: int) -> LabourMarketRegion:
    region = db.session.get(LabourMarketRegion, region_id)
    if region is None or not (user.has_role("admin") or region_id in user.coordinator_region_ids()):
        raise PermissionError(region_id)
    return region


def _kvk(value: str) -> str:
    number = re.sub(r"[\s.]", "", str(value or ""))
    if not re.fullmatch(r"[0-9]{8}", number):
        raise CompanyListRefused("companies.bad_kvk")
    return number


def add(user: User, region_id: int, kind: str, organisation: str = "", kvk: str = "", name: str = "",
        source: str = "") -> RegionCompany:  # fmt: skip
    """Put a company on a region's list: an organisation we list (by slug or KvK number), or one we do
    not list by its name and KvK number. The source says how the coordinator knows (a register, a
    letter); all is checked first, so a refusal changes nothing."""
    region = _check_region(user, region_id)
    if kind not in COMPANY_KINDS:
        raise CompanyListRefused("companies.bad_kind")
    found = None
    if str(organisation or "").strip():
        reference = str(organisation).strip()
        found = db.session.scalar(
            select(Organisation).where(Organisation.slug == reference, Organisation.merged_into_id.is_(None))
        )
        if found is None:
            number = re.sub(r"[\s.]", "", reference)
            found = db.session.scalar(
                select(Organisation).where(Organisation.kvk == number, Organisation.merged_into_id.is_(None))
            )
        if found is None:
            raise CompanyListRefused("companies.unknown_organisation", organisation=reference[:80])
        if not found.kvk:
            raise CompanyListRefused("companies.bad_kvk")
        number, label = found.kvk, found.name
    else:
        number = _kvk(kvk)
        label = (values_rules.clean_text(name, "name", 200, one_line=True) or "").strip()
        if not label:
            raise CompanyListRefused("sroi.field_required", field="name")
        found = db.session.scalar(
            select(Organisation).where(Organisation.kvk == number, Organisation.merged_into_id.is_(None))
        )
    note = (values_rules.clean_text(source, "source", 500, one_line=False) or "").strip()
    if not note:
        raise CompanyListRefused("companies.source_needed")
    row = RegionCompany(
        region_id=region.id, kind=kind, kvk=number, name=label[:200],
        organisation_id=found.id if found else None, source=note, added_by_id=user.id,
    )  # fmt: skip
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise CompanyListRefused("companies.already_listed", name=label[:80]) from None
    audit.record(user, "sroi.company_listed", "region_company", row.id, region_id=region.id,
                 kind=kind, kvk=number, name=row.name, source=note)  # fmt: skip
    db.session.commit()
    return row


def remove(user: User, entry_id: int, why: str) -> None:
    """Take a company off a region's list (why kept in the audit log); removing it twice is refused."""
    row = db.session.get(RegionCompany, entry_id)
    if row is None:
        raise LookupError(entry_id)
    _check_region(user, row.region_id)
    reason = (values_rules.clean_text(why, "why", 500, one_line=False) or "").strip()
    if not reason:
        raise CompanyListRefused("sroi.why_needed")
    details = {"kind": row.kind, "kvk": row.kvk, "name": row.name, "why": reason}
    region_id = row.region_id
    gone = db.session.execute(delete(RegionCompany).where(RegionCompany.id == entry_id))
    if gone.rowcount != 1:  # a colleague took it off a moment ago
        db.session.rollback()
        raise LookupError(entry_id)
    audit.record(user, "sroi.company_unlisted", "region_company", entry_id, region_id=region_id, **details)
    db.session.commit()
