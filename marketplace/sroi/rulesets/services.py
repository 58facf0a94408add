"""Rule sets as versioned data in the database: the shipped tables, each region's default, and
new versions (import, coordinator edits) that never overwrite an old one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core import audit, clock
from marketplace.core.extensions import db
from marketplace.core.geography import LabourMarketRegion
from marketplace.core.refusals import ServiceError
from marketplace.sroi.models import RegionRuleSet, RuleSetVersion
from matching.sroi import RuleSet, RuleSetError, parse, published
from matching.sroi.rulesets import PLAIN_NUMBER, name_of, names

OOST_NEDERLAND = "oost-nederland-bouwblokken-v05"
NO_RULESET = ""  # a region for which no rule set is known: the coordinator chooses; nothing stands in
# Regions with their own published rule set.
REGION_DEFAULTS = {"Rivierenland": "rijnvicus-bouwblokken", "Midden-Utrecht": "utrecht-bouwblokkenmodel"}
# Regions the sources tie to the Convenant Social Return Oost-Nederland (see sroi_rulesets.README.md):
# wspregiozwolle.nl (Zwolle), daarwerkenweaan.nl 1 mei 2019 ("Naast Zwolle hanteert Twente, Apeldoorn,
# Deventer en Zutphen deze nieuwe bouwblokken ook"), rblmidden-gelre.nl ("In Midden-Gelderland hanteren
# we het Uniform Bouwblokkenmodel Oost Nederland"). Achterhoek, Rijk van Nijmegen and FoodValley: unclear.
OOST_NEDERLAND_REGIONS = {"Regio Zwolle", "Twente", "Stedendriehoek en Noordwest Veluwe", "Midden-Gelderland"}


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
                        data=entry, why=PUBLISHED_WHY,
                    )
                )  # fmt: skip
                added += 1
        added += _refresh_published(ruleset_id, entries[-1], stored or 0, len(entries))
    db.session.flush()
    assign_region_defaults()
    db.session.commit()
    return added


PUBLISHED_WHY = "gepubliceerde tabel (matching/data/sroi_rulesets.yaml)"
REFRESHED_WHY = "gepubliceerde tabel met bron per cijfer (matching/data/sroi_rulesets.yaml)"


def _refresh_published(ruleset_id: str, entry: dict[str, Any], stored: int, shipped: int) -> int:
    """A database that holds an older copy of the shipped table (no sources per figure, old figures)
    gets the current one as a new version, but only while nobody has changed the rule set since:
    a coordinator's version is never overtaken silently. Old versions stay as they were."""
    if stored < shipped:
        return 0
    latest = version_row(ruleset_id)
    if latest.created_by_id is not None or latest.why not in (PUBLISHED_WHY, REFRESHED_WHY):
        return 0
    if latest.data == entry:
        return 0
    db.session.add(RuleSetVersion(ruleset_id=ruleset_id, version=latest.version + 1, data=entry,
                                  why=REFRESHED_WHY, name=entry.get("name") or ruleset_id))  # fmt: skip
    return 1


def assign_region_defaults() -> None:
    """Give every region without a choice its explicit status: its own rule set (Rijnvicus for
    Rivierenland, Utrecht for Midden-Utrecht), the Oost-Nederland convenant for the regions the sources
    tie to it, or "no rule set known" (NO_RULESET) until its coordinator chooses. (A stand-in of old
    became "no rule set known" in migration 0024: nothing counts silently under another region's table.)"""
    chosen = {row.region_id: row for row in db.session.scalars(select(RegionRuleSet))}
    for region in db.session.scalars(select(LabourMarketRegion)):
        if region.id in chosen:
            continue
        if region.name in REGION_DEFAULTS:
            ruleset_id = REGION_DEFAULTS[region.name]
        elif region.name in OOST_NEDERLAND_REGIONS:
            ruleset_id = OOST_NEDERLAND
        else:
            ruleset_id = NO_RULESET
        db.session.add(RegionRuleSet(region_id=region.id, ruleset_id=ruleset_id))


def region_status(choice: RegionRuleSet) -> str:
    """ "own" (a rule set of its own), "convenant" (Oost-Nederland) or "none" (no rule set known)."""
    if choice.ruleset_id == NO_RULESET:
        return "none"
    return "convenant" if choice.ruleset_id == OOST_NEDERLAND else "own"


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


def in_force_row(ruleset_id: str) -> RuleSetVersion:
    """The newest version in force: approved. A version waiting for a colleague's review (or
    rejected) is never in force, so a mistaken edit cannot reach any valuation; a rule set with
    no approved version at all is refused, never valued under its pending one."""
    row = db.session.scalar(
        select(RuleSetVersion)
        .where(RuleSetVersion.ruleset_id == ruleset_id, RuleSetVersion.review_status == "approved")
        .order_by(RuleSetVersion.version.desc())
        .limit(1)
    )
    if row is None:
        version_row(ruleset_id)  # an unknown rule set is refused as unknown
        raise RuleSetRefused("sroi.ruleset_not_approved", ruleset=ruleset_id)
    return row


def rules(ruleset_id: str, version: int | None = None) -> RuleSet:
    """The parsed rule set (the version in force unless one is named); a named version must have
    been approved: a pending or rejected one never values anything."""
    row = version_row(ruleset_id, version) if version is not None else in_force_row(ruleset_id)
    if row.review_status != "approved":
        raise RuleSetRefused("sroi.ruleset_not_approved", ruleset=ruleset_id)
    return parse(row.data, row.version)


def block_choices(ruleset_id: str, version: int | None = None) -> list[tuple[str, str]]:
    """A rule-set version's building blocks as (key, name in the reader's language): a correction list."""
    try:
        found = rules(ruleset_id, version)
    except (RuleSetRefused, RuleSetError):
        return []
    english = str(get_locale() or "nl").startswith("en")
    return [
        (key, (block.en if english else block.nl) or name_of("block", key))
        for key, block in found.hires.items()
    ]


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


Figure = tuple[str, str, Any, bool, dict[str, str] | None]


def name_table(kind: str) -> dict[str, dict[str, str]]:
    return names().get(kind, {})


FIGURE_WORDS = {
    "percentage": _l("percentage van de opdrachtwaarde"),
    "fulltime_hours_per_week": _l("uren per week van een voltijdbaan"),
    "threshold_excl_vat": _l("drempel: opdrachtwaarde excl. btw"),
    "per_year": _l("per voltijdjaar, naar rato van uren en kalendermaanden"),
    "per_month": _l("per maand"),
    "per_learn_work_year": _l("per leerwerkjaar, naar rato van kalendermaanden"),
    "amount": _l("per activiteit"),
    "per_activity": _l("per activiteit"),
    "counts_years": _l("telt hoogstens zoveel jaar mee"),
    "add": _l("toeslag per voltijdjaar, naar rato zoals het bouwblok"),
    "share_of_invoice_excl_vat": _l("deel van de factuur excl. btw (0 tot 1)"),
    "per_hour_of_activity": _l("per uur"),
    "per_hour_per_employee": _l("per medewerker per uur"),
}
THING_KINDS = {
    "hires": "block",
    "supplements": "supplement",
    "activities": "activity",
    "purchases": "purchase",
}


def _what(path: tuple[Any, ...], entry: dict[str, Any], key: str) -> str:
    """A figure in words, in the reader's language: the thing's name and the unit, never a key."""
    english = str(get_locale() or "nl").startswith("en")
    thing = ""
    if entry.get("nl") and entry.get("en"):
        thing = str(entry["en"] if english else entry["nl"])
    elif path and path[0] in THING_KINDS:
        names = [part for part in path[1:] if isinstance(part, str) and part in name_table("purchase")]
        if names:
            thing = name_of("purchase", names[-1], "en" if english else "nl")
    unit = str(FIGURE_WORDS.get(key, key.replace("_", " ")))
    return f"{thing}: {unit}" if thing else unit[:1].upper() + unit[1:]


def _figure_source(entry: dict[str, Any], documents: dict[str, Any]) -> dict[str, str] | None:
    if not entry.get("source") and not entry.get("quote"):
        return None
    doc = documents.get(str(entry.get("source")), {})
    url = str(doc.get("url") or entry.get("source") or "")
    return {"title": str(doc.get("title") or ""), "url": url if url.startswith("http") else "",
            "version": str(doc.get("version") or ""), "date": str(doc.get("date") or ""),
            "quote": str(entry.get("quote") or "")}  # fmt: skip


def figures(
    entry: Any, path: tuple[Any, ...] = (), confirmed: bool = True, documents: dict[str, Any] | None = None
) -> list[Figure]:
    """Every figure of a rule set entry as (field name, what it is in words, value, confirmed, source):
    the edit form and the rule-set page. The obligation percentage, full-time hours and threshold are
    always there ("unknown" where no source gives them)."""
    found: list[Figure] = []
    if not path and isinstance(entry, dict):
        documents = {str(doc.get("id")): doc for doc in entry.get("documents") or [] if isinstance(doc, dict)}
        defaults = {"percentage": 5, "fulltime_hours_per_week": "unknown", "threshold_excl_vat": None}
        hours_source = (
            entry.get("fulltime_hours_source") if isinstance(entry.get("fulltime_hours_source"), dict) else {}
        )
        for key, default in defaults.items():
            source = _figure_source(hours_source, documents) if key == "fulltime_hours_per_week" else None
            found.append((key, _what((), {}, key), entry.get(key, default), True, source))
    documents = documents or {}
    if isinstance(entry, dict):
        confirmed = confirmed and entry.get("confirmed", True) is not False
        for key, value in entry.items():
            if key in FIGURE_KEYS:
                name = ":".join(str(part) for part in (*path, key))
                found.append(
                    (name, _what(path, entry, key), value, confirmed, _figure_source(entry, documents))
                )
            elif isinstance(value, dict | list) and key not in (
                "documents",
                "labels",
                "fulltime_hours_source",
            ):
                found += figures(value, (*path, key), confirmed, documents)
    elif isinstance(entry, list):
        for index, item in enumerate(entry):
            found += figures(item, (*path, index), confirmed, documents)
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
    changed = with_figures(version_row(ruleset_id).data, values)
    mine = set(user.coordinator_region_ids())
    users = set(
        db.session.scalars(select(RegionRuleSet.region_id).where(RegionRuleSet.ruleset_id == ruleset_id))
    )
    if not user.has_role("admin") and users - mine and changed != version_row(ruleset_id).data:
        return _copy_for_own_regions(user, ruleset_id, changed, sorted(users & mine), why.strip()[:500])
    row = save_version(changed, user, why.strip()[:500])
    db.session.commit()
    return row


def _copy_for_own_regions(
    user: User, ruleset_id: str, changed: dict[str, Any], regions: list[int], why: str
) -> RuleSetVersion | None:
    """An edit of a rule set other regions use too: the coordinator's regions get their own copy
    (version 1: the figures in force, approved as they were; version 2: the edit, waiting for a
    colleague's review); the other regions' rule set is never changed."""
    statement = select(LabourMarketRegion).where(LabourMarketRegion.id.in_(regions))
    names = [region.name for region in db.session.scalars(statement.order_by(LabourMarketRegion.name))]
    slug = "".join(c if c.isalnum() else "-" for c in (names[0] if names else "regio").lower()).strip("-")
    new_id, number = f"{ruleset_id}-{slug}"[:70], 1
    while db.session.scalar(select(RuleSetVersion.id).where(RuleSetVersion.ruleset_id == new_id)):
        number += 1
        new_id = f"{ruleset_id}-{slug}-{number}"[:80]
    base = in_force_row(ruleset_id).data
    suffix = f" ({', '.join(names)})"
    renamed = {"id": new_id, "name": str(base.get("name") or ruleset_id) + suffix,
               "nl": str(base.get("nl") or base.get("name") or ruleset_id) + suffix,
               "en": str(base.get("en") or base.get("name") or ruleset_id) + suffix}  # fmt: skip
    first = save_version({**base, **renamed}, user, why)
    assert first is not None
    first.review_status = "approved"  # the figures already in force, under a new id
    for region_id in regions:
        choice = db.session.get(RegionRuleSet, region_id)
        if choice is not None:
            choice.ruleset_id, choice.chosen_by_id, choice.chosen_at = new_id, user.id, clock.now()
            audit.record(user, "sroi.region_default", "region", region_id, region_id=region_id,
                         before=[ruleset_id, False], after=[new_id, False])  # fmt: skip
    row = save_version({**changed, **renamed}, user, why)
    db.session.commit()
    return row


def copy_as_new(user: User, base_id: str, new_id: str, name: str, why: str) -> RuleSetVersion:
    """A new rule set (version 1) based on another's version in force: the same figures under a new id,
    so in force at once, like the copy an edit makes; a version still waiting for review is never copied
    (that would put it in force without a colleague's review). Edits of the copy wait for review."""
    new_id = new_id.strip().lower()
    if not new_id or not all(c.isalnum() or c in "-_" for c in new_id) or len(new_id) > 80:
        raise RuleSetRefused("sroi.ruleset_invalid", problem="id: a-z, 0-9, - or _")
    if db.session.scalar(select(RuleSetVersion.id).where(RuleSetVersion.ruleset_id == new_id)):
        raise RuleSetRefused("sroi.ruleset_exists", ruleset=new_id)
    if not why.strip() or not name.strip():
        raise RuleSetRefused("sroi.why_needed")
    entry = {**in_force_row(base_id).data, "id": new_id, "name": name.strip()[:200]}
    row = save_version(entry, user, why.strip()[:500])
    assert row is not None
    row.review_status = "approved"  # the figures already in force, under a new id
    db.session.commit()
    return row


def choose_region_default(user: User, region_id: int, ruleset_id: str) -> RegionRuleSet:
    """A coordinator sets their region's default rule set (no longer a stand-in); audit-logged."""
    if region_id not in {region.id for region in coordinator_regions(user)}:
        raise PermissionError(region_id)
    in_force_row(ruleset_id)  # refuses an unknown rule set, and one with no approved version
    choice = db.session.get(RegionRuleSet, region_id) or RegionRuleSet(region_id=region_id)
    before = choice.ruleset_id
    choice.ruleset_id, choice.chosen_by_id, choice.chosen_at = ruleset_id, user.id, clock.now()
    db.session.add(choice)
    audit.record(user, "sroi.region_default", "region", region_id, region_id=region_id,
                 before=[before, False], after=[ruleset_id, False])  # fmt: skip
    db.session.commit()
    return choice
