"""The contractor's plan: planned contributions per contract year, each valued under the
obligation's rule set (the same valuation as a real contribution), and the coordinator's
decision on it. A decision applies only to a proposal still waiting (a conditional UPDATE) and
goes in the audit log; the conversation (the contractor's note, the coordinator's reason) is
kept per version and mailed to the other side in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User, UserRole
from marketplace.core import audit, clock, mail
from marketplace.core.extensions import db
from marketplace.core.reasons import explain
from marketplace.core.refusals import ServiceError
from marketplace.core.web import values as values_rules
from marketplace.core.web.links import public_url_for
from marketplace.sroi.models import Obligation
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.plans.models import Plan, PlanLine, PlanMessage
from marketplace.sroi.rulesets import services as sroi_rulesets
from matching.reasons import Reason
from matching.sroi.plan_progress import add_months, contract_years

MAX_LINES = 200
MESSAGE_LIMIT = 2000
PLAN_KINDS = ("purchase", "hire", "activity")


class PlanRefused(ServiceError):
    """A plan, or a decision on one, that cannot be taken, with why."""


class PlanLineRefused(PlanRefused):
    """One line of a proposed plan refused: the line's number, then the reason in words."""

    def __init__(self, line: int, error: ServiceError) -> None:
        super().__init__(error.reason.code, **dict(error.reason.params))
        self.line = line

    def __str__(self) -> str:
        return f"{explain(Reason('plan.line', {'line': self.line}))} {explain(self.reason)}"


def _note(value: Any, required: bool = False) -> str:
    cleaned = values_rules.clean_text(value if value is not None else "", "note", 100_000) or ""
    cleaned = "\n".join(line.rstrip() for line in cleaned.strip().splitlines())
    if required and not cleaned:
        raise PlanRefused("plan.reason_needed")
    if len(cleaned) > MESSAGE_LIMIT:
        raise PlanRefused("sroi.text_too_long", field="note", limit=MESSAGE_LIMIT)
    return cleaned


def _year(value: Any, years: int) -> int:
    try:
        number = values_rules.whole(value, "year", 1, 100)
    except values_rules.BadValue:
        number = 0
    if not 1 <= number <= years:
        raise PlanRefused("plan.bad_year", years=years)
    return number


def _months(value: Any) -> int:
    try:
        return values_rules.whole(value, "months", 1, 12)
    except values_rules.BadValue:
        raise PlanRefused("plan.bad_months") from None


def value_line(obligation: Obligation, raw: Any, version: int) -> PlanLine:
    """One planned contribution checked and valued, as a real one of its kind in its contract year:
    a purchase on the year's first day still to come, a hire from the year's start for its months."""
    if not isinstance(raw, dict):
        raise PlanRefused("plan.bad_line")
    years = contract_years(obligation.starts_on, obligation.ends_on)
    number = _year(raw.get("year"), len(years))
    first, last = years[number - 1]
    kind = raw.get("kind")
    values: dict[str, Any] = {"kind": kind}
    months = None
    if kind == "purchase":
        on = min(max(first, clock.today()), last)
        values.update(
            supplier=raw.get("supplier"),
            invoice_number="plan",
            invoice_date=on.isoformat(),
            amount_excl_vat=raw.get("amount_excl_vat"),
        )
    elif kind == "hire":
        months = _months(12 if raw.get("months") is None else raw["months"])
        end = min(add_months(first, months) - date.resolution, last)
        values.update(
            block=raw.get("block"),
            hours_per_week=raw.get("hours_per_week"),
            start=first.isoformat(),
            end=end.isoformat(),
            supplements=raw.get("supplements") or [],
        )
    elif kind == "activity":
        values.update(hours=raw.get("hours"))
    else:
        raise PlanRefused("sroi.unknown_kind", kind=str(kind)[:20])
    prepared = obligations.value_contribution(values, obligation.ruleset_id, version, (first, last))
    found = prepared.contribution
    return PlanLine(
        year=number,
        kind=kind,
        block=found.block,
        organisation_id=found.organisation_id,
        amount_cents=found.amount_cents,
        hours_per_week=found.hours_per_week,
        months=months,
        hours=found.hours,
        supplements=list(found.supplements or []),
        planned_cents=found.counted_cents,
        reasons=[reason.to_json() for reason in prepared.valuation.reasons if reason.code != "sroi.planned"],
    )


def versions(obligation_id: int) -> list[Plan]:
    """Every version of an obligation's plan, newest first, with their lines (not the draft)."""
    return list(
        db.session.scalars(
            select(Plan)
            .where(Plan.obligation_id == obligation_id, Plan.status != "draft")
            .options(selectinload(Plan.lines).selectinload(PlanLine.organisation))
            .order_by(Plan.version.desc())
        )
    )


def draft_of(obligation_id: int) -> Plan | None:
    """The contractor's unsent draft (purchases added from the supplier ranking), if any."""
    return db.session.scalar(
        select(Plan)
        .where(Plan.obligation_id == obligation_id, Plan.status == "draft")
        .options(selectinload(Plan.lines).selectinload(PlanLine.organisation))
    )


def add_to_draft(obligation: Obligation, contractor: User, supplier: Any, amount: Any = None) -> Plan:
    """A planned purchase with a supplier from the listing, added to the draft in one click (from
    the supplier ranking) for the running contract year; the amount can be changed before sending."""
    if obligation.contractor_id != contractor.id:
        raise LookupError(obligation.id)
    organisation = obligations.supplier(supplier)
    cents = None
    if amount not in (None, ""):
        cents = int(obligations.money(amount, "amount_excl_vat") * 100)
    years = contract_years(obligation.starts_on, obligation.ends_on)
    today = clock.today()
    year = next(
        (n for n, (first, last) in enumerate(years, start=1) if first <= today <= last),
        1 if today < obligation.starts_on else len(years),
    )
    draft = draft_of(obligation.id)
    if draft is None:
        rules = sroi_rulesets.rules(obligation.ruleset_id)
        draft = Plan(
            obligation_id=obligation.id,
            version=0,
            status="draft",
            ruleset_id=rules.id,
            ruleset_version=rules.version,
            total_cents=0,
            proposed_by_id=contractor.id,
            proposed_at=clock.now(),
            lines=[],
        )
        source = latest(obligation.id)
        for line in source.lines if source else []:
            draft.lines.append(
                PlanLine(
                    year=line.year,
                    kind=line.kind,
                    block=line.block,
                    organisation_id=line.organisation_id,
                    amount_cents=line.amount_cents,
                    hours_per_week=line.hours_per_week,
                    months=line.months,
                    hours=line.hours,
                    supplements=list(line.supplements or []),
                    planned_cents=line.planned_cents,
                    reasons=list(line.reasons or []),
                )
            )
        db.session.add(draft)
    draft.lines.append(
        PlanLine(
            year=year,
            kind="purchase",
            organisation_id=organisation.id,
            amount_cents=cents,
            supplements=[],
            planned_cents=0,
            reasons=[],
        )
    )
    try:
        db.session.commit()
    except IntegrityError:  # two clicks at once made two drafts: the first one holds
        db.session.rollback()
        raise PlanRefused("plan.not_waiting") from None
    return draft


def latest(obligation_id: int) -> Plan | None:
    found = versions(obligation_id)
    return found[0] if found else None


def in_force(obligation_id: int) -> Plan | None:
    """The approved plan the obligation is measured against (the newest approved version)."""
    return db.session.scalar(
        select(Plan)
        .where(Plan.obligation_id == obligation_id, Plan.status == "approved")
        .order_by(Plan.version.desc())
        .limit(1)
    )


def propose(obligation: Obligation, contractor: User, data: dict[str, Any]) -> Plan:
    """A new version of the plan: every line valued under the rule set's version in force; any
    refused line refuses the whole plan. A proposal still waiting, or one with changes asked, is
    replaced (kept as "replaced"); an approved plan stays in force until the new one is approved."""
    if obligation.contractor_id != contractor.id:
        raise LookupError(obligation.id)
    raw_lines = data.get("lines")
    if not isinstance(raw_lines, list) or not raw_lines:
        raise PlanRefused("plan.no_lines")
    if len(raw_lines) > MAX_LINES:
        raise PlanRefused("plan.too_many_lines", limit=MAX_LINES)
    note = _note(data.get("note"))
    rules = sroi_rulesets.rules(obligation.ruleset_id)
    lines = []
    for number, raw in enumerate(raw_lines, start=1):
        try:
            lines.append(value_line(obligation, raw, rules.version))
        except ServiceError as error:
            raise PlanLineRefused(number, error) from None
    previous = latest(obligation.id)
    draft = draft_of(obligation.id)
    if draft is not None:  # sent now: the draft has done its work
        for line in draft.lines:
            db.session.delete(line)
        db.session.delete(draft)
        db.session.flush()
    plan = Plan(
        obligation_id=obligation.id,
        version=(previous.version + 1) if previous else 1,
        status="proposed",
        ruleset_id=rules.id,
        ruleset_version=rules.version,
        total_cents=sum(line.planned_cents for line in lines),
        proposed_by_id=contractor.id,
        proposed_at=clock.now(),
        lines=lines,
    )
    replaced = db.session.execute(
        update(Plan)
        .where(Plan.obligation_id == obligation.id, Plan.status.in_(("proposed", "changes_asked")))
        .values(status="replaced")
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.add(plan)
    db.session.flush()
    db.session.add(
        PlanMessage(
            plan_id=plan.id,
            author_id=contractor.id,
            side="contractor",
            action="proposed",
            body=note,
            created_at=clock.now(),
        )
    )
    audit.record(
        contractor,
        "plan.proposed",
        "obligation",
        obligation.id,
        region_id=obligation.region_id,
        plan=plan.id,
        version=plan.version,
        total_cents=plan.total_cents,
        replaced=replaced,
    )
    try:
        db.session.commit()
    except IntegrityError:  # another proposal took this version number at the same moment
        db.session.rollback()
        raise PlanRefused("plan.not_waiting") from None
    _notify(obligation, plan, region_coordinators(obligation.region_id), "proposed", note)
    return plan


def _decide(plan_id: int, coordinator: User, status: str, body: str) -> Plan:
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        raise LookupError(plan_id)
    obligation = db.session.get(Obligation, plan.obligation_id)
    if obligation is None or not may_oversee(coordinator, obligation):
        raise LookupError(plan_id)
    moment = clock.now()
    result = db.session.execute(
        update(Plan)
        .where(Plan.id == plan.id, Plan.status == "proposed")
        .values(status=status, decided_by_id=coordinator.id, decided_at=moment)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise PlanRefused("plan.not_waiting")
    if status == "approved":  # the version approved before is no longer the one in force
        db.session.execute(
            update(Plan)
            .where(Plan.obligation_id == plan.obligation_id, Plan.status == "approved", Plan.id != plan.id)
            .values(status="replaced")
            .execution_options(synchronize_session=False)
        )
    db.session.add(
        PlanMessage(
            plan_id=plan.id,
            author_id=coordinator.id,
            side="coordinator",
            action=status,
            body=body,
            created_at=moment,
        )
    )
    audit.record(
        coordinator,
        f"plan.{status}",
        "obligation",
        obligation.id,
        region_id=obligation.region_id,
        plan=plan.id,
        version=plan.version,
        before={"status": "proposed"},
        after={"status": status},
        reason=body,
    )
    db.session.commit()
    db.session.refresh(plan)
    _notify(obligation, plan, _contractor_of(obligation), status, body)
    return plan


def approve(plan_id: int, coordinator: User, note: Any = "") -> Plan:
    return _decide(plan_id, coordinator, "approved", _note(note))


def ask_changes(plan_id: int, coordinator: User, reason: Any) -> Plan:
    """Ask the contractor to change the plan; the reason is required (they read it)."""
    return _decide(plan_id, coordinator, "changes_asked", _note(reason, required=True))


def may_oversee(user: User, obligation: Obligation) -> bool:
    """A coordinator of the obligation's region, or an admin."""
    return user.has_role("admin") or obligation.region_id in user.coordinator_region_ids()


def obligation_for_coordinator(user: User, obligation_id: int) -> Obligation:
    """An obligation in the coordinator's regions; any other is as unknown as a missing one."""
    found = db.session.get(Obligation, obligation_id)
    if found is None or not may_oversee(user, found):
        raise LookupError(obligation_id)
    return found


def messages(plan_ids: Iterable[int]) -> list[PlanMessage]:
    ids = list(plan_ids)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(PlanMessage)
            .where(PlanMessage.plan_id.in_(ids))
            .order_by(PlanMessage.created_at, PlanMessage.id)
        )
    )


def people(ids: Iterable[int | None]) -> dict[int, User]:
    wanted = {i for i in ids if i is not None}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(wanted)))} if wanted else {}


def per_year(plan: Plan | None) -> dict[int, Decimal]:
    """A plan's planned amount per contract year, in euros."""
    found: dict[int, Decimal] = {}
    for line in plan.lines if plan else []:
        found[line.year] = found.get(line.year, Decimal(0)) + Decimal(line.planned_cents) / 100
    return found


def approved_per_year(obligation_ids: Iterable[int]) -> dict[int, dict[int, Decimal]]:
    """The plan in force of each obligation, per contract year, in one query (the monitor)."""
    ids = list(obligation_ids)
    if not ids:
        return {}
    newest = (
        select(Plan.obligation_id, func.max(Plan.version).label("version"))
        .where(Plan.status == "approved", Plan.obligation_id.in_(ids))
        .group_by(Plan.obligation_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Plan.obligation_id, PlanLine.year, func.sum(PlanLine.planned_cents))
        .join(newest, (newest.c.obligation_id == Plan.obligation_id) & (newest.c.version == Plan.version))
        .join(PlanLine, PlanLine.plan_id == Plan.id)
        .group_by(Plan.obligation_id, PlanLine.year)
    ).all()
    found: dict[int, dict[int, Decimal]] = {}
    for obligation_id, year, cents in rows:
        found.setdefault(obligation_id, {})[year] = Decimal(int(cents or 0)) / 100
    return found


def region_coordinators(region_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == "coordinator", UserRole.region_id == region_id, User.deleted_at.is_(None))
            .distinct()
            .order_by(User.id)
        )
    )


def _contractor_of(obligation: Obligation) -> list[User]:
    found = db.session.get(User, obligation.contractor_id)
    return [found] if found is not None and found.deleted_at is None else []


def _notify(obligation: Obligation, plan: Plan, readers: list[User], action: str, body: str) -> None:
    """Mail each reader in their own language, with a link to the obligation on their side."""
    for reader in readers:
        if reader.id == obligation.contractor_id:
            link = public_url_for("contractor.obligation", obligation_id=obligation.id)
        else:
            link = public_url_for("coordinator.obligation", obligation_id=obligation.id)
        with force_locale(reader.locale or "nl"):
            subject = render_template(
                "mail/plan_message_subject.txt", obligation=obligation, action=action
            ).strip()
            text = render_template(
                "mail/plan_message.txt", obligation=obligation, plan=plan, action=action, body=body, link=link
            )
        mail.send(reader.email, subject, text)
