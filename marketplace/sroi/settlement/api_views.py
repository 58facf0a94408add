"""The settlement in the JSON API, for signed-in coordinators of the obligation's region:
GET /api/v1/obligations/<id>/settlement (the current one) and POST (settle, or with a reason
correct). Its own blueprint under /api/v1 (no CSRF: only JSON is read, as the rest of the API);
the operations are in the OpenAPI document (marketplace.api.openapi)."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify
from flask.typing import ResponseReturnValue
from flask_login import current_user

from marketplace.accounts.models import User
from marketplace.core.extensions import csrf
from marketplace.core.refusals import ServiceError
from marketplace.core.web import input_schema
from marketplace.sroi.settlement import services as settlement
from marketplace.sroi.settlement.schema import SettlementInSchema, SettlementSchema

bp = Blueprint("settlement_api", __name__)
csrf.exempt(bp)
SETTLEMENT = SettlementSchema()
SETTLEMENT_IN = SettlementInSchema()


def _coordinator() -> User:
    """The signed-in coordinator (or admin); 401 for nobody, 403 for another role."""
    if not current_user.is_authenticated:
        abort(401)
    if not (current_user.has_role("coordinator") or current_user.has_role("admin")):
        abort(403)
    return current_user  # type: ignore[return-value]


@bp.get("/obligations/<int:obligation_id>/settlement")
def settlement_detail(obligation_id: int) -> ResponseReturnValue:
    try:
        obligation = settlement.obligation_for_coordinator(_coordinator(), obligation_id)
    except LookupError:
        abort(404)
    row = settlement.current(obligation.id)
    if row is None:
        abort(404)
    return jsonify(SETTLEMENT.dump(settlement.settlement_json(row)))


@bp.post("/obligations/<int:obligation_id>/settlement")
def settlement_create(obligation_id: int) -> ResponseReturnValue:
    user = _coordinator()
    values = input_schema.load_json(SETTLEMENT_IN)
    try:
        row = settlement.settle_or_correct(user, obligation_id, values)
    except LookupError:
        abort(404)
    except ServiceError as error:
        abort(400, str(error))
    return jsonify(SETTLEMENT.dump(settlement.settlement_json(row))), 201
