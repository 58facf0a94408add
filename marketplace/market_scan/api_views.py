"""GET /api/v1/market-scan: the scan as JSON for signed-in procurers, the same answer as
`impactmarkt scan` (registered under the API's prefix, so errors are JSON)."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify
from flask.typing import ResponseReturnValue
from flask_login import current_user

from marketplace.core.extensions import csrf
from marketplace.core.refusals import ServiceError
from marketplace.core.web import input_schema
from marketplace.market_scan import schemas, services

bp = Blueprint("market_scan_api", __name__)
csrf.exempt(bp)
QUERY = schemas.MarketScanQuerySchema()
ANSWER = schemas.MarketScanSchema()


@bp.get("/market-scan")
def market_scan() -> ResponseReturnValue:
    if not current_user.is_authenticated:
        abort(401)
    if not current_user.has_role("procurer"):
        abort(403)
    answers = input_schema.load_query(QUERY)
    try:
        question = services.question_from(answers)
    except ServiceError as error:
        abort(400, str(error))
    result = services.run(question)
    return jsonify(ANSWER.dump(services.scan_json(result, services.listed(result))))
