"""Rule sets as versioned data in the database: the shipped tables, each region's default, and
new versions (import, coordinator edits) that never overwrite an old one."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.models import LabourMarketRegion, Municipality, Province, RegionRuleSet, RuleSetVersion, User
from marketplace.services import audit
from marketplace.services.errors import ServiceError
from matching.sroi import RuleSet, RuleSetError, parse, published

OOST_NEDERLAND = "oost-nederland-bouwblokken-v05"
REGION_DEFAULTS = {"Rivierenland": "rijnvicus-bouwblokken", "Midden-Utrecht": "utrecht-bouwblokkenmodel"}
OOST_NEDERLAND_PROVINCES = {"Gelderland", "Overijssel"}


class RuleSetRefused(ServiceError):
    """A rule set or version that cannot be used or saved."""


def load_published() -> int:
    """Store the shipped tables' versions that are not stored yet; returns how many were added."""
    added = 0
    for ruleset_id, entries in published().items():
        stored = db.session.scalar(
            select(func.count()).select_from(RuleSetVersion).where(RuleSetVersion.ruleset_id == ruleset_id)
        )
        for version, entry in enumerate(entries, start=1):
            if version > (stored or 0):
                db.session.add(
                    RuleSetVersion(
                        ruleset_id=ruleset_id, version=version, name=entry.get("name") or ruleset_id,
                        data=entry, why="gepubliceerde tabel (matching/data/sroi_rulesets.yaml)",
                    )
                )  # fmt: skip
                added += 1
    db.session.flush()
    assign_region_defaults()
    db.session.commit()
    return added


def assign_region_defaults() -> None:
    """Give every region without a choice its default: Rijnvicus for Rivierenland, Utrecht for
    Midden-Utrecht, Oost-Nederland for the other Gelderland and Overijssel regions, and
    Oost-Nederland as a marked stand-in everywhere else until a coordinator chooses."""
    chosen = set(db.session.scalars(select(RegionRuleSet.region_id)))
    provinces: dict[int, Counter[str]] = {}
    for region_id, province in db.session.execute(
        select(Municipality.region_id, Province.name).join(Province, Province.id == Municipality.province_id)
    ):
        provinces.setdefault(region_id, Counter())[province] += 1
    for region in db.session.scalars(select(LabourMarketRegion)):
        if region.id in chosen:
            continue
        main_province = provinces.get(region.id, Counter()).most_common(1)
        if region.name in REGION_DEFAULTS:
            ruleset_id, stand_in = REGION_DEFAULTS[region.name], False
        elif main_province and main_province[0][0] in OOST_NEDERLAND_PROVINCES:
            ruleset_id, stand_in = OOST_NEDERLAND, False
        else:
            ruleset_id, stand_in = OOST_NEDERLAND, True
        db.session.add(RegionRuleSet(region_id=region.id, ruleset_id=ruleset_id, stand_in=stand_in))


def version_row(ruleset_id: str, version: int | None = None) -> RuleSetVersion:
    statement = select(RuleSetVersion).where(RuleSetVersion.ruleset_id == ruleset_id)
    statement = (
        statement.where(RuleSetVersion.version == version)
        if version is not None
        else statement.order_by(RuleSetVersion.version.desc()).limit(1)
    )
    row = db.session.scalar(statement)
    if row is None:
        raise RuleSetRefused(
            "sroi.unknown_ruleset", ruleset=f"{ruleset_id}@{version}" if version else ruleset_id
        )
    return row


def rules(ruleset_id: str, version: int | None = None) -> RuleSet:
    """The parsed rule set (the current version unless one is named)."""
    row = version_row(ruleset_id, version)
    return parse(row.data, row.version)


def listing() -> list[dict[str, Any]]:
    """Every rule set id with its current version and name."""
    current = (
        select(RuleSetVersion.ruleset_id, func.max(RuleSetVersion.version).label("version"))
        .group_by(RuleSetVersion.ruleset_id)
        .subquery()
    )
    rows = db.session.execute(
        select(RuleSetVersion)
        .join(
            current,
            (current.c.ruleset_id == RuleSetVersion.ruleset_id)
            & (current.c.version == RuleSetVersion.version),
        )
        .order_by(RuleSetVersion.ruleset_id)
    ).scalars()
    return [{"id": row.ruleset_id, "version": row.version, "name": row.name} for row in rows]


def save_version(entry: dict[str, Any], user: User | None, why: str) -> RuleSetVersion | None:
    """A new version of `entry["id"]` when it differs from the current one (None when unchanged).
    The entry is checked by parsing it; nothing is overwritten."""
    try:
        parse(entry)
    except RuleSetError as error:
        raise RuleSetRefused("sroi.ruleset_invalid", problem=str(error)) from error
    ruleset_id = str(entry["id"])
    latest = db.session.scalar(
        select(RuleSetVersion)
        .where(RuleSetVersion.ruleset_id == ruleset_id)
        .order_by(RuleSetVersion.version.desc())
    )
    if latest is not None and latest.data == entry:
        return None
    row = RuleSetVersion(
        ruleset_id=ruleset_id, version=(latest.version + 1) if latest else 1,
        name=str(entry.get("name") or ruleset_id), data=entry, why=why,
        created_by_id=user.id if user else None,
    )  # fmt: skip
    db.session.add(row)
    db.session.flush()
    audit.record(
        user, "sroi.ruleset_version", "sroi_ruleset", row.id, ruleset=ruleset_id, version=row.version, why=why
    )
    return row


def region_ruleset(region: LabourMarketRegion) -> RegionRuleSet:
    found = db.session.get(RegionRuleSet, region.id)
    if found is None:
        assign_region_defaults()
        db.session.flush()
        found = db.session.get(RegionRuleSet, region.id)
    assert found is not None
    return found
