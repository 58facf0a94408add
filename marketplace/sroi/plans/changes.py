"""Contract changes as the contract really runs: meerwerk (the value goes up), minderwerk (down)
and extensions (a new end date). The obligation's value and end change in one conditional
UPDATE (on the figures the change was made on), so the required amount follows everywhere at
once; the change keeps the figures before and after, its date, reason and maker, and goes in
the audit log. The original figures are those before the first change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from marketplace.accounts.models import User
from marketplace.core import audit, clock
from marketplace.core.extensions import db
from marketplace.core.web import values as values_rules
from marketplace.sroi.models import Obligation
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.plans.models import CHANGE_KINDS, ContractChange
from marketplace.sroi.plans.services import PlanRefused, may_oversee
from marketplace.sroi.settlement import lock
from matching.sroi.valuation import required_amount

REASON_LIMIT = 2000


@dataclass(frozen=True)
class Figures:
    value_cents: int
    ends_on: date
    required: Decimal


@dataclass(frozen=True)
class History:
    original: Figures
    current: Figures
    changes: list[ContractChange]

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def _figures(obligation: Obligation, value_cents: int, ends_on: date) -> Figures:
    return Figures(
        value_cents, ends_on, required_amount(Decimal(value_cents) / 100, Decimal(obligation.percentage))
    )


def changes_of(obligation_id: int) -> list[ContractChange]:
    return list(
        db.session.scalars(
            select(ContractChange)
            .where(ContractChange.obligation_id == obligation_id)
            .order_by(ContractChange.id)
        )
    )


def history(obligation: Obligation) -> History:
    found = changes_of(obligation.id)
    current = _figures(obligation, obligation.contract_value_cents, obligation.ends_on)
    if not found:
        return History(current, current, [])
    return History(_figures(obligation, found[0].value_before_cents, found[0].ends_before), current, found)


def originals(obligation_ids: list[int]) -> dict[int, tuple[int, date]]:
    """The value and end before the first change, per changed obligation (the reports)."""
    if not obligation_ids:
        return {}
    found: dict[int, tuple[int, date]] = {}
    for row in db.session.scalars(
        select(ContractChange)
        .where(ContractChange.obligation_id.in_(obligation_ids))
        .order_by(ContractChange.id)
    ):
        found.setdefault(row.obligation_id, (row.value_before_cents, row.ends_before))
    return found


def apply(user: User, obligation: Obligation, data: dict[str, Any]) -> ContractChange:
    """Record a change agreed on a day: `kind` extra_work/less_work with `amount_excl_vat`, or
    extension with `ends_on` (any kind may carry a new `ends_on`); `reason` is required."""
    if not may_oversee(user, obligation):
        raise LookupError(obligation.id)
    lock.refuse_if_settled(obligation.id)  # a settled obligation is read-only; correct the settlement
    kind = data.get("kind")
    if kind not in CHANGE_KINDS:
        raise PlanRefused("change.unknown_kind")
    agreed_on = values_rules.day(data.get("agreed_on") or clock.today().isoformat(), "agreed_on")
    reason = obligations.text(data.get("reason"), "reason", limit=REASON_LIMIT)
    value = obligation.contract_value_cents
    if kind in ("extra_work", "less_work"):
        amount = int(obligations.money(data.get("amount_excl_vat"), "amount_excl_vat") * 100)
        value = value + amount if kind == "extra_work" else value - amount
    ends_on = obligation.ends_on
    if data.get("ends_on") not in (None, ""):
        ends_on = values_rules.day(data.get("ends_on"), "ends_on")
    elif kind == "extension":
        raise PlanRefused("sroi.field_required", field="ends_on")
    if value <= 0:
        raise PlanRefused("change.value_not_positive")
    if ends_on < obligation.starts_on:
        raise PlanRefused("change.ends_before_start", start=obligation.starts_on.isoformat())
    if kind == "extension" and ends_on <= obligation.ends_on:
        raise PlanRefused("change.extension_not_later", end=obligation.ends_on.isoformat())
    if value > int(obligations.MAX_AMOUNT * 100):
        raise PlanRefused("sroi.amount_out_of_range", field="amount_excl_vat")
    before_value, before_end = obligation.contract_value_cents, obligation.ends_on
    result = db.session.execute(
        update(Obligation)
        .where(
            Obligation.id == obligation.id,
            Obligation.contract_value_cents == before_value,
            Obligation.ends_on == before_end,
        )
        .values(contract_value_cents=value, ends_on=ends_on)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise PlanRefused("change.changed_meanwhile")
    change = ContractChange(
        obligation_id=obligation.id,
        kind=kind,
        agreed_on=agreed_on,
        reason=reason,
        value_before_cents=before_value,
        value_after_cents=value,
        ends_before=before_end,
        ends_after=ends_on,
        made_by_id=user.id,
        created_at=clock.now(),
    )
    db.session.add(change)
    audit.record(
        user,
        "obligation.changed",
        "obligation",
        obligation.id,
        region_id=obligation.region_id,
        kind=kind,
        agreed_on=agreed_on.isoformat(),
        reason=reason,
        before={"contract_value_cents": before_value, "ends_on": before_end.isoformat()},
        after={"contract_value_cents": value, "ends_on": ends_on.isoformat()},
    )
    db.session.commit()
    db.session.expire(obligation)
    return change
