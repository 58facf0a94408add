"""Rule sets as versioned data in the database: the shipped tables, each region's default, and
new versions (import, coordinator edits) that never overwrite an old one."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core import audit, clock
from marketplace.core.extensions import db
from marketplace.core.geography import LabourMarketRegion, Municipality, Province
from marketplace.core.refusals import ServiceError
from marketplace.sroi.models import RegionRuleSet, RuleSetVersion
from matching.sroi import RuleSet, RuleSetError, parse, published
from matching.sroi.rulesets import PLAIN_NUMBER

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
        # A person's change waits for a colleague's review; a published table does not.
        review_status="pending" if user is not None else "approved",
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


# --- Coordinators keep rule sets current (their regions only) --------------------------------
FIGURE_KEYS = ("per_year", "per_month", "per_learn_work_year", "amount", "counts_years", "add",
               "share_of_invoice_excl_vat", "per_hour_of_activity", "per_hour_per_employee")  # fmt: skip


def coordinator_regions(user: User) -> list[LabourMarketRegion]:
    statement = select(LabourMarketRegion).order_by(LabourMarketRegion.name)
    if not user.has_role("admin"):
        statement = statement.where(LabourMarketRegion.id.in_(user.coordinator_region_ids()))
    return list(db.session.scalars(statement))


def may_edit(user: User, ruleset_id: str) -> bool:
    """Admins edit any rule set; a coordinator those their regions use and those they made."""
    if user.has_role("admin"):
        return True
    regions = user.coordinator_region_ids()
    used = db.session.scalar(
        select(func.count())
        .select_from(RegionRuleSet)
        .where(RegionRuleSet.ruleset_id == ruleset_id, RegionRuleSet.region_id.in_(regions))
    )
    made = db.session.scalar(
        select(func.count())
        .select_from(RuleSetVersion)
        .where(RuleSetVersion.ruleset_id == ruleset_id, RuleSetVersion.created_by_id == user.id)
    )
    return bool(used or made)


def versions(ruleset_id: str) -> list[RuleSetVersion]:
    return list(
        db.session.scalars(
            select(RuleSetVersion)
            .where(RuleSetVersion.ruleset_id == ruleset_id)
            .order_by(RuleSetVersion.version.desc())
        )
    )


Figure = tuple[str, str, Any, bool]


def figures(entry: Any, path: tuple[Any, ...] = (), confirmed: bool = True) -> list[Figure]:
    """Every figure of a rule set entry as (field name, what it is, value, confirmed): the edit form.
    The obligation percentage and full-time hours are always there (with their defaults)."""
    found: list[Figure] = []
    if not path and isinstance(entry, dict):
        defaults = {"percentage": 5, "fulltime_hours_per_week": "unknown", "threshold_excl_vat": None}
        found += [(key, key, entry.get(key, default), True) for key, default in defaults.items()]
    if isinstance(entry, dict):
        confirmed = confirmed and entry.get("confirmed", True) is not False
        label = entry.get("block") or entry.get("when") or entry.get("what")
        for key, value in entry.items():
            if key in FIGURE_KEYS:
                name = ":".join(str(part) for part in (*path, key))
                what = f"{label or ' '.join(str(p) for p in path)} · {key}".strip(" ·")
                found.append((name, what, value, confirmed))
            elif isinstance(value, dict | list):
                found += figures(value, (*path, key), confirmed)
    elif isinstance(entry, list):
        for index, item in enumerate(entry):
            found += figures(item, (*path, index), confirmed)
    return found


def with_figures(entry: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """A copy of the entry with the figures given by field name replaced (numbers, or empty: no limit)."""
    import copy

    new = copy.deepcopy(entry)
    for name, text in values.items():
        parts: list[Any] = [int(p) if p.isdigit() else p for p in name.split(":")]
        target: Any = new
        for part in parts[:-1]:
            target = target[part]
        text = text.strip().replace(",", ".")
        if text == "" and parts[-1] in ("counts_years", "threshold_excl_vat"):
            target[parts[-1]] = None
            continue
        if text.lower() in ("unknown", "onbekend"):
            target[parts[-1]] = "unknown"
            continue
        if not PLAIN_NUMBER.fullmatch(text):  # before any arithmetic: 1e999999 is refused at once
            raise RuleSetRefused("sroi.ruleset_invalid", problem=f"{name}: {text[:40]!r}")
        try:
            number = Decimal(text)
        except ArithmeticError:
            raise RuleSetRefused("sroi.ruleset_invalid", problem=f"{name}: {text[:40]!r}") from None
        if not number.is_finite() or number < 0:
            raise RuleSetRefused("sroi.ruleset_invalid", problem=f"{name}: {text[:40]!r}")
        target[parts[-1]] = int(number) if number == number.to_integral_value() else float(number)
    return new


def edit(user: User, ruleset_id: str, values: dict[str, str], why: str) -> RuleSetVersion | None:
    """A coordinator's new version of a rule set their region uses (who, when and why kept)."""
    if not may_edit(user, ruleset_id):
        raise PermissionError(ruleset_id)
    if not why.strip():
        raise RuleSetRefused("sroi.why_needed")
    known = {name for name, *_ in figures(version_row(ruleset_id).data)}
    unknown = set(values) - known
    if unknown:
        raise RuleSetRefused("sroi.ruleset_invalid", problem=", ".join(sorted(unknown))[:80])
    row = save_version(with_figures(version_row(ruleset_id).data, values), user, why.strip()[:500])
    db.session.commit()
    return row


def copy_as_new(user: User, base_id: str, new_id: str, name: str, why: str) -> RuleSetVersion:
    """A new rule set (version 1) based on another's current version."""
    new_id = new_id.strip().lower()
    if not new_id or not all(c.isalnum() or c in "-_" for c in new_id) or len(new_id) > 80:
        raise RuleSetRefused("sroi.ruleset_invalid", problem="id: a-z, 0-9, - or _")
    if db.session.scalar(select(RuleSetVersion.id).where(RuleSetVersion.ruleset_id == new_id)):
        raise RuleSetRefused("sroi.ruleset_exists", ruleset=new_id)
    if not why.strip() or not name.strip():
        raise RuleSetRefused("sroi.why_needed")
    entry = {**version_row(base_id).data, "id": new_id, "name": name.strip()[:200]}
    row = save_version(entry, user, why.strip()[:500])
    assert row is not None
    db.session.commit()
    return row


def choose_region_default(user: User, region_id: int, ruleset_id: str) -> RegionRuleSet:
    """A coordinator sets their region's default rule set (no longer a stand-in); audit-logged."""
    if region_id not in {region.id for region in coordinator_regions(user)}:
        raise PermissionError(region_id)
    version_row(ruleset_id)  # refuses an unknown rule set
    choice = db.session.get(RegionRuleSet, region_id) or RegionRuleSet(region_id=region_id)
    before = (choice.ruleset_id, choice.stand_in)
    choice.ruleset_id, choice.stand_in, choice.chosen_by_id, choice.chosen_at = (
        ruleset_id,
        False,
        user.id,
        clock.now(),
    )
    db.session.add(choice)
    audit.record(user, "sroi.region_default", "region", region_id, region_id=region_id,
                 before=list(before), after=[ruleset_id, False])  # fmt: skip
    db.session.commit()
    return choice
