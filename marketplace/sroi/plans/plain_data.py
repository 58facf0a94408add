"""Plans and contract changes as plain data for the command line and the API: amounts as euro
strings with two decimals, reasons as data with their words (Dutch, as the commands speak)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from marketplace.sroi.obligations.plain_data import euros, reason_json
from marketplace.sroi.plans.changes import History
from marketplace.sroi.plans.models import ContractChange, Plan


def plan_json(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "obligation": plan.obligation_id,
        "version": plan.version,
        "status": plan.status,
        "ruleset": plan.ruleset_id,
        "ruleset_version": plan.ruleset_version,
        "total": euros(plan.total_cents),
        "lines": [
            {
                "year": line.year,
                "kind": line.kind,
                "block": line.block,
                "supplier": line.organisation.slug if line.organisation else None,
                "amount_excl_vat": euros(line.amount_cents) if line.amount_cents is not None else None,
                "hours_per_week": str(line.hours_per_week) if line.hours_per_week is not None else None,
                "months": line.months,
                "hours": str(line.hours) if line.hours is not None else None,
                "planned": euros(line.planned_cents),
                "reasons": [reason_json(r) for r in line.reasons or []],
            }
            for line in plan.lines
        ],
    }


def change_json(change: ContractChange, history: History) -> dict[str, Any]:
    return {
        "id": change.id,
        "obligation": change.obligation_id,
        "kind": change.kind,
        "agreed_on": change.agreed_on.isoformat(),
        "reason": change.reason,
        "value_before": euros(change.value_before_cents),
        "value_after": euros(change.value_after_cents),
        "ends_before": change.ends_before.isoformat(),
        "ends_after": change.ends_after.isoformat(),
        "original": {
            "contract_value": euros(history.original.value_cents),
            "ends_on": history.original.ends_on.isoformat(),
            "required": f"{history.original.required:.2f}",
        },
        "current": {
            "contract_value": euros(history.current.value_cents),
            "ends_on": history.current.ends_on.isoformat(),
            "required": f"{Decimal(history.current.required):.2f}",
        },
    }
