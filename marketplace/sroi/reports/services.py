"""Reports a council can read: fulfilment per contracting authority, region, period, label and
kind of contribution; how spend with social enterprises spreads over them; hires by building
block. Each report is a table of exact figures (cents as integers, shares as Decimals) with the
filters that made it; the page, its chart, the CSV and the Excel file are all drawn from it, so
they cannot disagree. Only approved contributions count; pending ones are shown apart."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, not_, select

from marketplace.accounts.models import User
from marketplace.core import clock
from marketplace.core.extensions import db
from marketplace.core.geography import LabourMarketRegion, Municipality
from marketplace.core.reasons import block_name
from marketplace.core.refusals import ServiceError
from marketplace.core.text_filters import ESCAPE, contains
from marketplace.core.web import values
from marketplace.organisations.models import Organisation
from marketplace.sroi.models import Contribution, Obligation
from marketplace.sroi.plans import changes as plan_changes
from marketplace.sroi.plans import progress as plan_progress
from marketplace.sroi.plans import services as plan_services
from marketplace.sroi.reports.monitoring import required_cents
from marketplace.sroi.rulesets import company_lists
from marketplace.sroi.settlement import impact, lock
from marketplace.sroi.settlement import status as statuses
from matching.sroi.valuation import REGISTER_NAMES

VIEWS = ("authority", "region", "period", "label", "kind", "spend", "hires", "obligation", "status", "impact",
         "impact_contractor")  # fmt: skip

HOURS_PER_FULL_TIME = Decimal(36)
TOP = 10


class ReportRefused(ServiceError):
    """Report filters that cannot be read, with why."""


@dataclass(frozen=True)
class ReportFilter:
    region_ids: frozenset[int]
    start: date | None = None
    end: date | None = None
    authority: str = ""


@dataclass(frozen=True)
class Column:
    key: str
    header: Any  # lazy text, worded in the reader's language
    kind: str = "text"  # text | cents | count | share | number


@dataclass
class Report:
    view: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    totals: dict[str, Any] | None = None
    chart: tuple[str, str] | None = None  # (label column, value column)
    facts: list[tuple[Any, Any, str]] = field(default_factory=list)  # (label, value, kind) above the table


def parse_filter(args: Mapping[str, str], allowed: set[int]) -> ReportFilter:
    """Query arguments to a filter within the regions the user may see (refused when outside)."""
    wanted = (
        [value for value in args.get("regio", "").split(",") if value.strip()] if args.get("regio") else []
    )
    try:
        regions = {values.whole(value, "regio") for value in wanted[:100]}  # ASCII digits: "²" is refused
    except values.BadValue:
        raise ReportRefused("report.bad_filter", field="regio") from None
    if regions - allowed:
        raise ReportRefused("report.bad_filter", field="regio")
    start, end = _day(args.get("van"), "van"), _day(args.get("tot"), "tot")
    if start and end and end < start:
        raise ReportRefused("report.end_before_start")
    return ReportFilter(
        frozenset(regions or allowed), start, end, (args.get("opdrachtgever") or "").strip()[:100]
    )


def _day(value: str | None, name: str) -> date | None:
    if not value or not value.strip():
        return None
    try:
        found = values.day(value, name)
    except values.BadValue:
        raise ReportRefused("report.bad_filter", field=name) from None
    if not 2000 <= found.year <= 2100:
        raise ReportRefused("report.bad_filter", field=name)
    return found


def _obligations_in(wanted: ReportFilter) -> Select[Any]:
    """Obligations in the regions, by authority, whose contract overlaps the period."""
    statement = select(Obligation).where(Obligation.region_id.in_(wanted.region_ids))
    if wanted.authority:
        statement = statement.where(
            func.lower(Obligation.contracting_authority).like(contains(wanted.authority), escape=ESCAPE)
        )
    if wanted.start:
        statement = statement.where(Obligation.ends_on >= wanted.start)
    if wanted.end:
        statement = statement.where(Obligation.starts_on <= wanted.end)
    return statement


def _in_period(wanted: ReportFilter) -> list[Any]:
    conditions = []
    if wanted.start:
        conditions.append(Contribution.counts_on >= wanted.start)
    if wanted.end:
        conditions.append(Contribution.counts_on <= wanted.end)
    return conditions


def _contributions(wanted: ReportFilter, *columns: Any) -> Select[Any]:
    """Contributions counted in the period, of obligations in the filter's scope."""
    scope = _obligations_in(wanted).with_only_columns(Obligation.id).scalar_subquery()
    return select(*columns).where(Contribution.obligation_id.in_(scope), *_in_period(wanted))


def _share(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


# Fulfilment per authority or region -------------------------------------------------------------


FULFILMENT_COLUMNS = [
    Column("obligations", _l("Verplichtingen"), "count"),
    Column("required", _l("Verplicht"), "cents"),
    Column("approved", _l("Goedgekeurd"), "cents"),
    Column("pending", _l("Wacht op beoordeling"), "cents"),
    Column("remaining", _l("Nog te gaan"), "cents"),
    Column("fulfilled", _l("Ingevuld"), "share"),
]


def _fulfilment(wanted: ReportFilter, key_column: Any, first: Column, view: str,
                names: Mapping[Any, str] | None = None) -> Report:  # fmt: skip
    """Required, approved, pending and remaining per group of obligations (by authority or region).
    Obligations are read as plain rows and their contributions as sums per obligation and status."""
    obligations = db.session.execute(
        _obligations_in(wanted).with_only_columns(
            Obligation.id, key_column, Obligation.contract_value_cents, Obligation.percentage
        )
    ).all()
    sums: dict[tuple[int, str], int] = defaultdict(int)
    for obligation_id, status, total in db.session.execute(
        _contributions(
            wanted, Contribution.obligation_id, Contribution.status, func.sum(Contribution.counted_cents)
        )
        .where(Contribution.status.in_(("approved", "pending")))
        .group_by(Contribution.obligation_id, Contribution.status)
    ):
        sums[(obligation_id, status)] = int(total or 0)
    groups: dict[str, dict[str, Any]] = {}
    for obligation_id, key, value_cents, percentage in obligations:
        label = names[key] if names is not None else key
        row = groups.setdefault(label, {first.key: label, "obligations": 0, "required": 0,
                                        "approved": 0, "pending": 0, "remaining": 0})  # fmt: skip
        required = int(required_cents(value_cents, percentage))
        approved = sums[(obligation_id, "approved")]
        row["obligations"] += 1
        row["required"] += required
        row["approved"] += approved
        row["pending"] += sums[(obligation_id, "pending")]
        row["remaining"] += max(required - approved, 0)
    rows = sorted(groups.values(), key=lambda row: (-row["required"], row[first.key]))
    keys = ("obligations", "required", "approved", "pending", "remaining")
    totals = {first.key: _l("Totaal")} | {key: sum(row[key] for row in rows) for key in keys}
    for row in [*rows, totals]:
        row["fulfilled"] = (
            _share(min(row["approved"], row["required"]), row["required"]) if row["required"] else None
        )
    return Report(view, [first, *FULFILMENT_COLUMNS], rows, totals, (first.key, "approved"))


def by_authority(wanted: ReportFilter) -> Report:
    return _fulfilment(
        wanted, Obligation.contracting_authority, Column("authority", _l("Opdrachtgever")), "authority"
    )


def by_region(wanted: ReportFilter) -> Report:
    names = dict(db.session.execute(select(LabourMarketRegion.id, LabourMarketRegion.name)).all())
    return _fulfilment(
        wanted, Obligation.region_id, Column("region", _l("Arbeidsmarktregio")), "region", names
    )


# Per period, label and kind ---------------------------------------------------------------------


def spread_over_months(cents: int, starts_on: date, ends_on: date) -> dict[str, int]:
    """A hire's value over the months it runs, by its days in each month, in whole cents that add up
    exactly (the cents left over by rounding down go to the months with the largest remainders)."""
    if ends_on < starts_on:
        ends_on = starts_on
    days: dict[str, int] = {}
    day = starts_on
    while day <= ends_on:
        next_month = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        last = min(ends_on, next_month - timedelta(days=1))
        days[day.strftime("%Y-%m")] = (last - day).days + 1
        day = next_month
    whole = sum(days.values())
    shares = {month: cents * count // whole for month, count in days.items()}
    left = cents - sum(shares.values())
    by_remainder = sorted(days, key=lambda month: (-(cents * days[month] % whole), month))
    for month in by_remainder[:left]:
        shares[month] += 1
    return shares


def by_period(wanted: ReportFilter) -> Report:
    """Approved value per month: a purchase or activity in the month it counts on, a hire spread
    over the months it runs (each contribution is counted once, in its first month)."""
    months: dict[str, dict[str, Any]] = {}

    def row_for(month: str) -> dict[str, Any]:
        return months.setdefault(month, {"month": month, "count": 0, "approved": 0})

    is_spread_hire = and_(
        Contribution.kind == "hire", Contribution.starts_on.is_not(None), Contribution.ends_on.is_not(None)
    )
    for day, count, total in db.session.execute(
        _contributions(wanted, Contribution.counts_on, func.count(), func.sum(Contribution.counted_cents))
        .where(Contribution.status == "approved", Contribution.counts_on.is_not(None), not_(is_spread_hire))
        .group_by(Contribution.counts_on)
    ):
        row = row_for(_as_date(day).strftime("%Y-%m"))
        row["count"] += int(count)
        row["approved"] += int(total or 0)
    for day, starts_on, ends_on, cents in db.session.execute(
        _contributions(
            wanted,
            Contribution.counts_on,
            Contribution.starts_on,
            Contribution.ends_on,
            Contribution.counted_cents,
        ).where(Contribution.status == "approved", Contribution.counts_on.is_not(None), is_spread_hire)
    ):
        row_for(_as_date(day).strftime("%Y-%m"))["count"] += 1
        spread = spread_over_months(int(cents or 0), _as_date(starts_on), _as_date(ends_on))
        for month, share in spread.items():
            row_for(month)["approved"] += share
    rows = [months[key] for key in sorted(months)]
    totals = {
        "month": _l("Totaal"),
        "count": sum(r["count"] for r in rows),
        "approved": sum(r["approved"] for r in rows),
    }
    columns = [
        Column("month", _l("Maand")),
        Column("count", _l("Bijdragen"), "count"),
        Column("approved", _l("Goedgekeurd"), "cents"),
    ]
    return Report("period", columns, rows, totals, ("month", "approved"))


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def label_words(counted_label: str | None) -> str:
    if not counted_label:
        return str(_l("onbekend"))
    register, _, level = counted_label.partition(":")
    if register == company_lists.LIST_REGISTER:  # a place on the region's list, never its key
        return str(company_lists.KIND_WORDS.get(level, _l("onbekend")))
    name = REGISTER_NAMES.get(register, register)
    return f"{name} · {level}" if level else name


def by_label(wanted: ReportFilter) -> Report:
    rows = [
        {
            "label": label_words(label),
            "count": int(count),
            "invoiced": int(invoiced or 0),
            "approved": int(total or 0),
        }
        for label, count, invoiced, total in db.session.execute(
            _contributions(
                wanted,
                Contribution.counted_label,
                func.count(),
                func.sum(Contribution.amount_cents),
                func.sum(Contribution.counted_cents),
            )
            .where(Contribution.status == "approved", Contribution.kind == "purchase")
            .group_by(Contribution.counted_label)
        )
    ]
    rows.sort(key=lambda row: (-row["approved"], row["label"]))
    totals = {"label": _l("Totaal")} | {
        key: sum(r[key] for r in rows) for key in ("count", "invoiced", "approved")
    }
    columns = [
        Column("label", _l("Keurmerk")),
        Column("count", _l("Inkopen"), "count"),
        Column("invoiced", _l("Gefactureerd excl. btw"), "cents"),
        Column("approved", _l("Telt mee"), "cents"),
    ]
    return Report("label", columns, rows, totals, ("label", "approved"))


KIND_WORDS = {"purchase": _l("inkoop"), "hire": _l("aanstelling"), "activity": _l("sociale activiteit")}


def by_kind(wanted: ReportFilter) -> Report:
    found: dict[str, dict[str, Any]] = {
        kind: {
            "kind": KIND_WORDS[kind],
            "approved_count": 0,
            "approved": 0,
            "pending": 0,
            "rejected_count": 0,
        }
        for kind in KIND_WORDS
    }
    for kind, status, count, total in db.session.execute(
        _contributions(
            wanted, Contribution.kind, Contribution.status, func.count(), func.sum(Contribution.counted_cents)
        ).group_by(Contribution.kind, Contribution.status)
    ):
        row = found[kind]
        if status == "approved":
            row["approved_count"], row["approved"] = int(count), int(total or 0)
        elif status == "pending":
            row["pending"] = int(total or 0)
        else:
            row["rejected_count"] = int(count)
    rows = list(found.values())
    totals = {"kind": _l("Totaal")} | {
        key: sum(r[key] for r in rows) for key in ("approved_count", "approved", "pending", "rejected_count")
    }
    columns = [
        Column("kind", _l("Soort")),
        Column("approved_count", _l("Goedgekeurd (aantal)"), "count"),
        Column("approved", _l("Goedgekeurd"), "cents"),
        Column("pending", _l("Wacht op beoordeling"), "cents"),
        Column("rejected_count", _l("Afgewezen (aantal)"), "count"),
    ]
    return Report("kind", columns, rows, totals, ("kind", "approved"))


# Spread of spend over enterprises ---------------------------------------------------------------


def by_enterprise(wanted: ReportFilter) -> Report:
    """Spend with social enterprises (approved purchases, invoice excl. VAT): how many enterprises
    received any, the share of the largest ten, the Herfindahl-Hirschman index (0-10,000; above
    2,500 is highly concentrated) and the share spent with enterprises in the contract's region."""
    same_region = Municipality.region_id == Obligation.region_id
    spend: dict[int, int] = defaultdict(int)
    in_region = 0
    for organisation_id, local, total in db.session.execute(
        _contributions(wanted, Contribution.organisation_id, same_region, func.sum(Contribution.amount_cents))
        .join(Obligation, Contribution.obligation_id == Obligation.id)
        .join(Organisation, Contribution.organisation_id == Organisation.id)
        .outerjoin(Municipality, Organisation.municipality_id == Municipality.id)
        .where(Contribution.status == "approved", Contribution.kind == "purchase")
        .group_by(Contribution.organisation_id, same_region)
    ):
        spend[organisation_id] += int(total or 0)
        in_region += int(total or 0) if local else 0
    whole = sum(spend.values())
    ranked = sorted(spend.items(), key=lambda item: (-item[1], item[0]))
    names = (
        dict(
            db.session.execute(
                select(Organisation.id, Organisation.name).where(
                    Organisation.id.in_([oid for oid, _ in ranked[:TOP]])
                )
            ).all()
        )
        if ranked
        else {}
    )
    hhi = sum((Decimal(amount) / whole * 100) ** 2 for amount in spend.values()) if whole else None
    rows = [
        {"enterprise": names.get(oid, "?"), "spent": amount, "share": _share(amount, whole)}
        for oid, amount in ranked[:TOP]
    ]
    facts = [
        (_l("Uitgegeven bij sociale ondernemingen"), whole, "cents"),
        (_l("Ondernemingen die iets ontvingen"), len(spend), "count"),
        (_l("Aandeel van de grootste tien"), _share(sum(a for _, a in ranked[:TOP]), whole), "share"),
        (
            _l("Concentratie (Herfindahl-index, 0 tot 10.000)"),
            hhi.quantize(Decimal(1), ROUND_HALF_UP) if hhi is not None else None,
            "number",
        ),
        (_l("Aandeel bij ondernemingen in de eigen regio"), _share(in_region, whole), "share"),
    ]
    columns = [
        Column("enterprise", _l("Onderneming (grootste tien)")),
        Column("spent", _l("Uitgegeven"), "cents"),
        Column("share", _l("Aandeel"), "share"),
    ]
    return Report("spend", columns, rows, None, ("enterprise", "spent"), facts)


def by_block(wanted: ReportFilter) -> Report:
    rows = []
    for block, count, hours, total in db.session.execute(
        _contributions(
            wanted,
            Contribution.block,
            func.count(),
            func.sum(Contribution.hours_per_week),
            func.sum(Contribution.counted_cents),
        )
        .where(Contribution.status == "approved", Contribution.kind == "hire")
        .group_by(Contribution.block)
    ):
        full_time = (Decimal(str(hours or 0)) / HOURS_PER_FULL_TIME).quantize(Decimal("0.1"), ROUND_HALF_UP)
        rows.append(
            {
                "block": block_name(block),
                "count": int(count),
                "fte": full_time,
                "approved": int(total or 0),
            }
        )
    rows.sort(key=lambda row: (-row["approved"], row["block"]))
    totals = {
        "block": _l("Totaal"),
        "count": sum(r["count"] for r in rows),
        "fte": sum((r["fte"] for r in rows), Decimal("0.0")),
        "approved": sum(r["approved"] for r in rows),
    }
    columns = [
        Column("block", _l("Bouwblok")),
        Column("count", _l("Aanstellingen"), "count"),
        Column("fte", _l("Voltijdbanen (36 uur)"), "number"),
        Column("approved", _l("Telt mee"), "cents"),
    ]
    return Report("hires", columns, rows, totals, ("block", "approved"))


def by_obligation(wanted: ReportFilter) -> Report:
    """Per obligation: the contract's value and required amount at the start and now (after
    meerwerk, minderwerk and extensions), the approved plan and what it expects by today, and
    what is approved (issue 24)."""
    found = db.session.execute(
        _obligations_in(wanted)
        .with_only_columns(
            Obligation.id,
            Obligation.title,
            Obligation.contracting_authority,
            Obligation.contract_value_cents,
            Obligation.percentage,
            Obligation.starts_on,
            Obligation.ends_on,
        )
        .order_by(Obligation.contracting_authority, Obligation.title, Obligation.id)
    ).all()
    ids = [row[0] for row in found]
    approved: dict[int, int] = defaultdict(int)
    for obligation_id, total in db.session.execute(
        _contributions(wanted, Contribution.obligation_id, func.sum(Contribution.counted_cents))
        .where(Contribution.status == "approved")
        .group_by(Contribution.obligation_id)
    ):
        approved[obligation_id] = int(total or 0)
    original = plan_changes.originals(ids)
    planned = plan_services.approved_per_year(ids)
    due = plan_progress.due_by([(row[0], row[5], row[6]) for row in found], clock.today())
    rows = []
    for obligation_id, title, authority, value_cents, percentage, _starts, ends_on in found:
        first_value, first_end = original.get(obligation_id, (value_cents, ends_on))
        plan_cents = int(sum(planned[obligation_id].values()) * 100) if obligation_id in planned else None
        due_cents = int(due[obligation_id] * 100) if obligation_id in due else None
        rows.append({
            "obligation": title, "authority": authority,
            "value_original": first_value, "value_now": value_cents,
            "required_original": int(required_cents(first_value, percentage)),
            "required_now": int(required_cents(value_cents, percentage)),
            "ends_original": first_end, "ends_now": ends_on,
            "planned": plan_cents, "planned_due": due_cents, "approved": approved[obligation_id],
            "of_plan": _share(min(approved[obligation_id], due_cents), due_cents) if due_cents else None,
        })  # fmt: skip
    keys = ("value_original", "value_now", "required_original", "required_now", "approved")
    totals = {"obligation": _l("Totaal"), "authority": "", "ends_original": None, "ends_now": None,
              "planned": None, "planned_due": None, "of_plan": None}  # fmt: skip
    totals |= {key: sum(row[key] for row in rows) for key in keys}
    columns = [
        Column("obligation", _l("Opdracht")), Column("authority", _l("Opdrachtgever")),
        Column("value_original", _l("Opdrachtwaarde bij de start"), "cents"),
        Column("value_now", _l("Opdrachtwaarde nu"), "cents"),
        Column("required_original", _l("Verplicht bij de start"), "cents"),
        Column("required_now", _l("Verplicht nu"), "cents"),
        Column("ends_original", _l("Einde bij de start"), "date"), Column("ends_now", _l("Einde nu"), "date"),
        Column("planned", _l("Gepland (goedgekeurd plan)"), "cents"),
        Column("planned_due", _l("Volgens plan tot vandaag"), "cents"),
        Column("approved", _l("Goedgekeurd"), "cents"),
        Column("of_plan", _l("Van het plan tot vandaag"), "share"),
    ]  # fmt: skip
    return Report("obligation", columns, rows, totals, ("obligation", "approved"))
# Status and impact beyond euros ---------------------------------------------------------------


def by_status(wanted: ReportFilter) -> Report:
    """Obligations per region by status on today (open, overdue, fulfilled, settled)."""
    today = clock.today()
    settled = lock.settled_ids()
    scope = _obligations_in(wanted).with_only_columns(Obligation.id).scalar_subquery()
    approved = dict(
        db.session.execute(
            select(Contribution.obligation_id, func.sum(Contribution.counted_cents))
            .where(Contribution.status == "approved", Contribution.obligation_id.in_(scope))
            .group_by(Contribution.obligation_id)
        ).all()
    )
    names = dict(db.session.execute(select(LabourMarketRegion.id, LabourMarketRegion.name)).all())
    groups: dict[str, list[str]] = defaultdict(list)
    for obligation_id, region_id, ends_on, value_cents, percentage in db.session.execute(
        _obligations_in(wanted).with_only_columns(
            Obligation.id, Obligation.region_id, Obligation.ends_on, Obligation.contract_value_cents,
            Obligation.percentage,
        )
    ):
        required = int(required_cents(value_cents, percentage))
        found = statuses.status_of(required, int(approved.get(obligation_id) or 0), _as_date(ends_on), today,
                                 obligation_id in settled)  # fmt: skip
        groups[names[region_id]].append(found)
    rows_out = [{"region": name, "obligations": len(found), **statuses.counts(found)}
                for name, found in groups.items()]  # fmt: skip
    rows_out.sort(key=lambda row: row["region"])
    keys = ("obligations", *statuses.STATUSES)
    totals = {"region": _l("Totaal")} | {key: sum(row[key] for row in rows_out) for key in keys}
    columns = [Column("region", _l("Arbeidsmarktregio")),
               Column("obligations", _l("Verplichtingen"), "count"),
               *(Column(s, statuses.STATUS_WORDS[s], "count") for s in statuses.STATUSES)]  # fmt: skip
    return Report("status", columns, rows_out, totals, ("region", "obligations"))


IMPACT_COLUMNS = [
    Column("approved", _l("Goedgekeurd"), "cents"),
    Column("people", _l("Mensen aan het werk geholpen"), "count"),
    Column("unreferenced", _l("Aanstellingen zonder kenmerk"), "count"),
    Column("fte", _l("Voltijdbanen (36 uur)"), "number"),
    Column("months", _l("Maanden in dienst, samen"), "number"),
    Column("still_employed", _l("Nog in dienst na de aanstelling"), "count"),
    Column("target_groups", _l("Doelgroepen (mensen)")),
]


def _impact(wanted: ReportFilter, scope: str, first: Column, names: Mapping[int, str]) -> Report:
    """People placed, full-time equivalents, months employed and target groups next to the euros,
    per region or contractor, over the obligations in the filter's scope."""
    scope_ids = list(db.session.scalars(_obligations_in(wanted).with_only_columns(Obligation.id)))
    owner = Obligation.region_id if scope == "region" else Obligation.contractor_id
    approved: dict[int, int] = defaultdict(int)
    for key, total in db.session.execute(
        select(owner, func.sum(Contribution.counted_cents))
        .join(Obligation, Contribution.obligation_id == Obligation.id)
        .where(Contribution.status == "approved", Contribution.obligation_id.in_(scope_ids))
        .group_by(owner)
    ):
        approved[key] += int(total or 0)
    today = clock.today()
    found_people = impact.people_of(scope_ids)
    position = impact.SCOPES.index(scope)
    grouped: dict[int, list[impact.Person]] = defaultdict(list)
    for key, persons in found_people.items():
        grouped[key[position]].extend(persons)
    people = {key: impact.summarise(persons, today) for key, persons in grouped.items()}
    rows = []
    for key in sorted(set(approved) | set(people), key=lambda k: names.get(k, "?")):
        found = people.get(key) or impact.summarise([], today)
        rows.append({first.key: names.get(key, "?"), "approved": approved.get(key, 0)} | _impact_cells(found))
    everyone = impact.summarise([p for persons in found_people.values() for p in persons], today)
    totals = {first.key: _l("Totaal"), "approved": sum(approved.values()), **_impact_cells(everyone)}
    return Report(scope, [first, *IMPACT_COLUMNS], rows, totals, (first.key, "people"))


def _impact_cells(found: impact.Impact) -> dict[str, Any]:
    return {
        "people": found.people,
        "unreferenced": found.unreferenced,
        "fte": found.fte,
        "months": found.months,
        "still_employed": found.still_employed,
        "target_groups": "; ".join(f"{name} ({count})" for name, count in found.target_groups),
    }


def by_impact(wanted: ReportFilter) -> Report:
    names = dict(db.session.execute(select(LabourMarketRegion.id, LabourMarketRegion.name)).all())
    report = _impact(wanted, "region", Column("region", _l("Arbeidsmarktregio")), names)
    report.view = "impact"
    return report


def by_impact_contractor(wanted: ReportFilter) -> Report:
    names = {
        user_id: display or email
        for user_id, display, email in db.session.execute(
            select(User.id, User.display_name, User.email)
            .join(Obligation, Obligation.contractor_id == User.id)
            .where(Obligation.region_id.in_(wanted.region_ids))
            .distinct()
        )
    }  # fmt: skip
    report = _impact(wanted, "contractor", Column("contractor", _l("Opdrachtnemer")), names)
    report.view = "impact_contractor"
    return report


BUILDERS: dict[str, Callable[[ReportFilter], Report]] = {
    "authority": by_authority,
    "region": by_region,
    "period": by_period,
    "label": by_label,
    "kind": by_kind,
    "spend": by_enterprise,
    "hires": by_block,
    "obligation": by_obligation,
    "status": by_status,
    "impact": by_impact,
    "impact_contractor": by_impact_contractor,
}
TITLES = {
    "authority": _l("Per opdrachtgever"),
    "region": _l("Per arbeidsmarktregio"),
    "period": _l("Per maand"),
    "label": _l("Per keurmerk"),
    "kind": _l("Per soort bijdrage"),
    "spend": _l("Spreiding over ondernemingen"),
    "hires": _l("Aanstellingen per bouwblok"),
    "obligation": _l("Per verplichting: plan en contractwijzigingen"),
    "status": _l("Verplichtingen per status"),
    "impact": _l("Impact naast euro’s, per regio"),
    "impact_contractor": _l("Impact naast euro’s, per opdrachtnemer"),
}


def build(view: str, wanted: ReportFilter) -> Report:
    if view not in BUILDERS:
        raise ReportRefused("report.bad_filter", field="weergave")
    return BUILDERS[view](wanted)
