"""Settling an obligation: the figures it is settled on (approved contributions against what is
required, per kind, and the shortfall), the settlement itself by a coordinator of its region, and
a correction after it (a new settlement with its reason; the old one kept, superseded).

The consequence the contract provides (an extension, an alternative effort, a compensation
amount) is recorded as the parties agreed it: text and an amount, never computed here. Every
settlement and correction goes to the audit log in the transaction that stores it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.core import audit, clock
from marketplace.core.extensions import db
from marketplace.core.i18n import current_language
from marketplace.core.refusals import ServiceError
from marketplace.core.web import values as values_rules
from marketplace.sroi.models import Contribution, Obligation
from marketplace.sroi.rulesets import services as sroi_rulesets
from marketplace.sroi.settlement.models import CONSEQUENCES, Settlement
from matching.sroi.valuation import required_amount

# What counted, by kind: purchases, hires by their block's unit (a job, a learn-work place, a work
# experience placement) and social activities.
KINDS = ("purchase", "hire", "learn_work", "placement", "activity")
HIRE_UNITS = {"year": "hire", "each": "hire", "learn_work_year": "learn_work", "month": "placement"}
TEXT_LIMIT = 2000
MAXIMUM_AMOUNT = Decimal("10000000000")


class SettlementRefused(ServiceError):
    """A settlement that cannot be made, with why."""


@dataclass(frozen=True)
class Figures:
    """An obligation's figures for a settlement, in cents: exact, rounded once (as the reports)."""

    required_cents: int
    realised_cents: int
    per_kind: dict[str, dict[str, int]]  # kind -> {"count", "cents"}, every kind present
    contributions: list[Contribution]  # what counted (approved), oldest first

    @property
    def shortfall_cents(self) -> int:
        return max(self.required_cents - self.realised_cents, 0)

    @property
    def fulfilled(self) -> bool:
        return self.realised_cents >= self.required_cents


def required_cents(obligation: Obligation) -> int:
    """What the obligation requires, in whole cents (the same rounding as the monitor and reports)."""
    euros = required_amount(Decimal(obligation.contract_value_cents) / 100, Decimal(obligation.percentage))
    return int(euros * 100)


def kind_of(contribution: Contribution, parsed: dict[tuple[str, int], Any] | None = None) -> str:
    """The settlement's kind: a hire by its block's unit under the version it was valued with
    (`parsed` keeps each rule-set version parsed once over a list)."""
    if contribution.kind != "hire":
        return contribution.kind
    key = (contribution.ruleset_id, contribution.ruleset_version)
    parsed = {} if parsed is None else parsed
    if key not in parsed:
        parsed[key] = sroi_rulesets.rules(*key)
    rules = parsed[key]
    block = rules.hires.get(contribution.block or "")
    return HIRE_UNITS.get(block.unit, "hire") if block is not None else "hire"


def figures(obligation: Obligation) -> Figures:
    """Approved contributions against what is required: the same contributions the council report
    counts as approved (all of them, whatever day they count on)."""
    approved = list(
        db.session.scalars(
            select(Contribution)
            .where(Contribution.obligation_id == obligation.id, Contribution.status == "approved")
            .options(selectinload(Contribution.organisation))
            .order_by(Contribution.counts_on, Contribution.id)
        )
    )
    per_kind = {kind: {"count": 0, "cents": 0} for kind in KINDS}
    parsed: dict[tuple[str, int], Any] = {}
    for contribution in approved:
        row = per_kind[kind_of(contribution, parsed)]
        row["count"] += 1
        row["cents"] += int(contribution.counted_cents or 0)
    realised = sum(int(c.counted_cents or 0) for c in approved)
    return Figures(required_cents(obligation), realised, per_kind, approved)


def obligation_for_coordinator(user: User, obligation_id: int) -> Obligation:
    """The obligation if it is in the coordinator's regions (any for an admin); else LookupError."""
    found = db.session.get(Obligation, obligation_id)
    if found is None or not (user.has_role("admin") or found.region_id in user.coordinator_region_ids()):
        raise LookupError(obligation_id)
    return found


def current(obligation_id: int) -> Settlement | None:
    return db.session.scalar(
        select(Settlement).where(
            Settlement.obligation_id == obligation_id, Settlement.superseded_at.is_(None)
        )
    )


def history(obligation_id: int) -> list[Settlement]:
    """Every settlement of the obligation, newest first (corrected ones included)."""
    return list(
        db.session.scalars(
            select(Settlement).where(Settlement.obligation_id == obligation_id).order_by(Settlement.id.desc())
        )
    )


@dataclass(frozen=True)
class Consequence:
    kind: str
    text: str
    cents: int | None


def consequence(values: dict[str, Any]) -> Consequence:
    """What the contract provides for a shortfall, as agreed: one of CONSEQUENCES, the agreed words,
    and an amount (required for a compensation, optional otherwise)."""
    kind = str(values.get("consequence") or "").strip()
    if kind not in CONSEQUENCES:
        raise SettlementRefused("settlement.unknown_consequence")
    words = values_rules.clean_text(values.get("consequence_text"), "consequence_text", TEXT_LIMIT).strip()
    if kind != "none" and not words:
        raise SettlementRefused("settlement.agreement_needed")
    amount = values.get("consequence_amount")
    cents = None
    if amount not in (None, ""):
        # As people type it, like every other amount: "6.515,44" is what the page shows as the shortfall.
        typed = str(amount).replace("€", "").replace(" ", "").replace("\xa0", "")
        typed = values_rules.plain_amount(typed, current_language())
        euros = values_rules.decimal(typed, "consequence_amount", 2, Decimal(0), MAXIMUM_AMOUNT)
        cents = int(euros * 100)
    if kind == "compensation" and cents is None:
        raise SettlementRefused("settlement.amount_needed")
    return Consequence(kind, words, cents)


def _row(
    obligation: Obligation,
    found: Figures,
    agreed: Consequence,
    user: User | None,
    reason: str = "",
    corrects: Settlement | None = None,
) -> Settlement:
    return Settlement(
        obligation_id=obligation.id,
        settled_on=clock.today(),
        required_cents=found.required_cents,
        realised_cents=found.realised_cents,
        shortfall_cents=found.shortfall_cents,
        per_kind=found.per_kind,
        contribution_ids=[c.id for c in found.contributions],
        consequence=agreed.kind,
        consequence_text=agreed.text,
        consequence_cents=agreed.cents,
        reason=reason,
        corrects_id=corrects.id if corrects else None,
        settled_by_id=user.id if user else None,
        created_at=clock.now(),
    )


def _state(row: Settlement) -> dict[str, Any]:
    return {
        "settlement": row.id,
        "required_cents": row.required_cents,
        "realised_cents": row.realised_cents,
        "shortfall_cents": row.shortfall_cents,
        "consequence": row.consequence,
        "consequence_text": row.consequence_text,
        "consequence_cents": row.consequence_cents,
    }


def settle(user: User, obligation_id: int, values: dict[str, Any]) -> Settlement:
    """Settle once: at or after the end date, or earlier when fulfilled. A second settlement is
    refused (a correction says why: `correct`); two coordinators at once store one (the index)."""
    obligation = obligation_for_coordinator(user, obligation_id)
    earlier = current(obligation.id)
    if earlier is not None:
        raise SettlementRefused("settlement.already_settled", day=earlier.settled_on.isoformat())
    agreed = consequence(values)
    found = figures(obligation)
    if clock.today() < obligation.ends_on and not found.fulfilled:
        raise SettlementRefused("settlement.too_early", end=obligation.ends_on.isoformat())
    row = _row(obligation, found, agreed, user)
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise SettlementRefused("settlement.already_settled", day=clock.today().isoformat()) from None
    audit.record(
        user,
        "settlement.settled",
        "obligation",
        obligation.id,
        region_id=obligation.region_id,
        before=None,
        after=_state(row),
    )
    db.session.commit()
    return row


def correct(user: User, obligation_id: int, values: dict[str, Any]) -> Settlement:
    """A correction after settlement: a new settlement with its reason; the one it corrects is kept,
    marked superseded (only if it is still the current one: a conditional UPDATE)."""
    obligation = obligation_for_coordinator(user, obligation_id)
    reason = values_rules.clean_text(values.get("reason"), "reason", TEXT_LIMIT).strip()
    if not reason:
        raise SettlementRefused("settlement.reason_needed")
    earlier = current(obligation.id)
    if earlier is None:
        raise SettlementRefused("settlement.not_settled")
    agreed = consequence(values)
    result = db.session.execute(
        update(Settlement)
        .where(Settlement.id == earlier.id, Settlement.superseded_at.is_(None))
        .values(superseded_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise SettlementRefused("settlement.changed_meanwhile")
    db.session.expire(earlier)
    row = _row(obligation, figures(obligation), agreed, user, reason, earlier)
    db.session.add(row)
    db.session.flush()
    audit.record(
        user,
        "settlement.corrected",
        "obligation",
        obligation.id,
        region_id=obligation.region_id,
        before=_state(earlier),
        after=_state(row),
        reason=reason,
    )
    db.session.commit()
    return row


def settle_or_correct(user: User, obligation_id: int, values: dict[str, Any]) -> Settlement:
    """The command line's and API's one entry: a `reason` makes it a correction."""
    if str(values.get("reason") or "").strip():
        return correct(user, obligation_id, values)
    return settle(user, obligation_id, values)


def settled_contributions(row: Settlement) -> list[Contribution]:
    """What counted in a settlement, in the order it was settled on."""
    ids = list(row.contribution_ids or [])
    if not ids:
        return []
    found = {
        c.id: c
        for c in db.session.scalars(
            select(Contribution)
            .where(Contribution.id.in_(ids))
            .options(selectinload(Contribution.organisation))
        )
    }
    return [found[i] for i in ids if i in found]


def settlement_json(row: Settlement) -> dict[str, Any]:
    """A settlement for the command line and the API: euros as strings, kinds by key."""

    def euros(cents: int | None) -> str | None:
        return None if cents is None else f"{Decimal(cents) / 100:.2f}"

    return {
        "id": row.id,
        "obligation": row.obligation_id,
        "settled_on": row.settled_on.isoformat(),
        "required": euros(row.required_cents),
        "realised": euros(row.realised_cents),
        "shortfall": euros(row.shortfall_cents),
        "per_kind": {
            kind: {"count": v["count"], "amount": euros(v["cents"])} for kind, v in row.per_kind.items()
        },
        "contributions": list(row.contribution_ids or []),
        "consequence": row.consequence,
        "consequence_text": row.consequence_text,
        "consequence_amount": euros(row.consequence_cents),
        "reason": row.reason or None,
        "corrects": row.corrects_id,
    }


def may_read(user: User, obligation: Obligation) -> bool:
    """The contractor and the coordinators of the obligation's region (and admins) see its settlement."""
    return (
        obligation.contractor_id == user.id
        or user.has_role("admin")
        or obligation.region_id in user.coordinator_region_ids()
    )
