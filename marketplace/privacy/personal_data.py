"""Everything Impactmarkt keeps about one person, as one JSON document (AVG/GDPR art. 15 and 20).

Read-only. Register facts about enterprises are not personal data of the account holder and are
left out; the enterprises they own are named with their page.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.core.audit_model import AuditLogEntry
from marketplace.core.extensions import db
from marketplace.core.web.links import public_url_for
from marketplace.organisations.owner_models import Claim, OrganisationOwner
from marketplace.procurement.models import PurchaseRequest, PurchaseRequestResponse, Shortlist
from marketplace.sroi.models import Contribution, Obligation
from marketplace.sroi.settlement.models import EmploymentCheck, Settlement


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _euros(cents: int | None) -> str | None:
    return None if cents is None else str(Decimal(cents) / 100)


def _rows(statement: Any) -> list[Any]:
    return list(db.session.scalars(statement))


def personal_data(user: User) -> dict[str, Any]:
    """The account, its roles and everything it made or decided, newest last."""
    data: dict[str, Any] = {
        "account": {
            "name": user.display_name,
            "email": user.email,
            "organisation": user.public_body,
            "language": user.locale,
            "created_at": user.created_at,
            "email_confirmed_at": user.confirmed_at,
        },
        "roles": [
            {"role": role.role, "region": role.region.name if role.region else None} for role in user.roles
        ],
        "enterprises_owned": [
            {
                "name": owner.organisation.name,
                "page": public_url_for("public.organisation", slug=owner.organisation.slug),
                "since": owner.since,
            }
            for owner in _rows(select(OrganisationOwner).where(OrganisationOwner.user_id == user.id))
        ],
        "claims": [
            {
                "enterprise": claim.organisation.name,
                "status": claim.status,
                "email": claim.email,
                "motivation": claim.motivation,
                "created_at": claim.created_at,
                "decided_at": claim.decided_at,
            }
            for claim in _rows(select(Claim).where(Claim.user_id == user.id).order_by(Claim.id))
        ],
        "obligations": [
            {
                "title": obligation.title,
                "contracting_authority": obligation.contracting_authority,
                "contract_value_excl_vat": _euros(obligation.contract_value_cents),
                "starts_on": obligation.starts_on,
                "ends_on": obligation.ends_on,
                "contributions": [
                    {
                        "kind": c.kind,
                        "invoice_number": c.invoice_number,
                        "amount_excl_vat": _euros(c.amount_cents),
                        "counted": _euros(c.counted_cents),
                        "status": c.status,
                        "created_at": c.created_at,
                    }
                    for c in _rows(
                        select(Contribution)
                        .where(Contribution.obligation_id == obligation.id)
                        .order_by(Contribution.id)
                    )
                ],
                "settlements": [
                    {"settled_on": row.settled_on, "realised": _euros(row.realised_cents),
                     "shortfall": _euros(row.shortfall_cents), "consequence": row.consequence,
                     "agreed": row.consequence_text, "agreed_amount": _euros(row.consequence_cents),
                     "correction_reason": row.reason or None, "superseded_at": row.superseded_at}
                    for row in _rows(
                        select(Settlement)
                        .where(Settlement.obligation_id == obligation.id)
                        .order_by(Settlement.id)
                    )
                ],
                "still_employed_reports": [
                    {"person_reference": check.person_reference, "employed_on": check.employed_on,
                     "reported_at": check.created_at}
                    for check in _rows(
                        select(EmploymentCheck)
                        .where(EmploymentCheck.obligation_id == obligation.id)
                        .order_by(EmploymentCheck.id)
                    )
                ],
            }
            for obligation in _rows(
                select(Obligation).where(Obligation.contractor_id == user.id).order_by(Obligation.id)
            )
        ],
        "shortlists": [
            {
                "name": shortlist.name,
                "shared_with": len(shortlist.members),
                "enterprises": [item.organisation.name for item in shortlist.items],
            }
            for shortlist in _rows(
                select(Shortlist).where(Shortlist.owner_id == user.id).order_by(Shortlist.id)
            )
        ],
        "purchase_requests": [
            {
                "title": request.title,
                "description": request.description,
                "status": request.status,
                "budget": _euros(request.budget_cents),
                "deadline": request.deadline,
                "created_at": request.created_at,
            }
            for request in _rows(
                select(PurchaseRequest)
                .where(PurchaseRequest.procurer_id == user.id)
                .order_by(PurchaseRequest.id)
            )
        ],
        "offers_sent": [
            {
                "request": response.request.title,
                "enterprise": response.organisation.name,
                "message": response.message,
                "price": _euros(response.price_cents),
                "created_at": response.created_at,
            }
            for response in _rows(
                select(PurchaseRequestResponse)
                .where(PurchaseRequestResponse.responder_id == user.id)
                .order_by(PurchaseRequestResponse.id)
            )
        ],
        "decisions_in_audit_log": [
            {"at": entry.at, "action": entry.action, "subject": f"{entry.subject_type} {entry.subject_id}"}
            for entry in _rows(
                select(AuditLogEntry).where(AuditLogEntry.actor_id == user.id).order_by(AuditLogEntry.id)
            )
        ],
    }
    return _walk(data)


def _walk(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _walk(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_walk(item) for item in value]
    return _plain(value)
