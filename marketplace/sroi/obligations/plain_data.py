"""Obligations, contributions and valuations as plain data for the API and the commands:
amounts as euro strings with two decimals, reasons as data with their words."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from marketplace.core.reasons import explain
from marketplace.sroi.models import Obligation
from marketplace.sroi.obligations import services as obligations


def reason_json(reason: Any) -> dict[str, Any]:
    """A reason as data with its words (Dutch: commands speak Dutch)."""
    data = reason if isinstance(reason, dict) else reason.to_json()
    return {**data, "text": explain(data)}


def valuation_json(valuation: Any) -> dict[str, Any]:
    return {
        "amount": f"{valuation.amount:.2f}",
        "ruleset": valuation.ruleset,
        "version": valuation.version,
        "counts": valuation.counts,
        "reasons": [reason_json(reason) for reason in valuation.reasons],
    }


def euros(cents: int | Decimal) -> str:
    return f"{Decimal(cents) / 100:.2f}"


def contribution_json(contribution: Any) -> dict[str, Any]:
    return {
        "id": contribution.id,
        "kind": contribution.kind,
        "counted": euros(contribution.counted_cents),
        "ruleset": contribution.ruleset_id,
        "version": contribution.ruleset_version,
        "status": contribution.status,
        "reasons": [reason_json(reason) for reason in contribution.reasons],
        **obligations.contribution_values(contribution),
    }


def obligation_json(obligation: Obligation) -> dict[str, Any]:
    progress = obligations.progress(obligation)
    return {
        "id": obligation.id,
        "title": obligation.title,
        "contracting_authority": obligation.contracting_authority,
        "contract_reference": obligation.contract_reference,
        "contract_value_excl_vat": euros(obligation.contract_value_cents),
        "percentage": f"{Decimal(obligation.percentage):.2f}",
        "region": obligation.region.name,
        "ruleset": obligation.ruleset_id,
        "waiting_for_ruleset": not obligation.ruleset_id,
        "starts_on": obligation.starts_on.isoformat(),
        "ends_on": obligation.ends_on.isoformat(),
        "required": f"{progress.required:.2f}",
        "counted": f"{progress.counted:.2f}",
        "pending": f"{progress.pending:.2f}",
        "planned": f"{progress.planned:.2f}",  # after today: counts once its date has passed
        "remaining": f"{progress.remaining:.2f}",
        "days_left": progress.days_left,
        "contributions": [contribution_json(c) for c in obligations.contributions_of(obligation)],
    }
