"""The plan and contract changes through the JSON API (/api/v1/, in its OpenAPI document): a
signed-in contractor proposes a plan for their own obligation; a signed-in coordinator of the
obligation's region records a contract change. Only JSON is read (no cross-site form can post
here); refusals are JSON with a message in the reader's language."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify
from flask.typing import ResponseReturnValue
from flask_login import current_user

from marketplace.core.extensions import csrf
from marketplace.core.refusals import ServiceError
from marketplace.core.web import input_schema
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.plans import changes, schemas
from marketplace.sroi.plans import services as plans
from marketplace.sroi.plans.plain_data import change_json, plan_json

bp = Blueprint("plan_api", __name__)
csrf.exempt(bp)
PLAN_IN, PLAN = schemas.PlanInSchema(), schemas.PlanSchema()
CHANGE_IN, CHANGE = schemas.ChangeInSchema(), schemas.ChangeSchema()


def _signed_in(role: str) -> None:
    if not current_user.is_authenticated:
        abort(401)
    if not (current_user.has_role(role) or (role == "coordinator" and current_user.has_role("admin"))):
        abort(403)


@bp.post("/obligations/<int:obligation_id>/plan")
def plan_propose(obligation_id: int) -> ResponseReturnValue:
    _signed_in("contractor")
    try:
        obligation = obligations.obligation_for(current_user, obligation_id)
    except LookupError:
        abort(404)
    data = input_schema.load_json(PLAN_IN)
    try:
        plan = plans.propose(obligation, current_user, data)  # type: ignore[arg-type]
    except ServiceError as error:
        abort(400, str(error))
    return jsonify(PLAN.dump(plan_json(plan))), 201


@bp.post("/obligations/<int:obligation_id>/changes")
def change_create(obligation_id: int) -> ResponseReturnValue:
    _signed_in("coordinator")
    try:
        obligation = plans.obligation_for_coordinator(current_user, obligation_id)  # type: ignore[arg-type]
    except LookupError:
        abort(404)
    data = input_schema.load_json(CHANGE_IN)
    try:
        change = changes.apply(current_user, obligation, data)  # type: ignore[arg-type]
    except ServiceError as error:
        abort(400, str(error))
    return jsonify(CHANGE.dump(change_json(change, changes.history(obligation)))), 201
