"""The read-only JSON API under /api/v1/, described by /api/v1/openapi.json.

Responses are dumped with the schemas in marketplace.api.schemas from the one organisation
view (marketplace.organisations.view); the OpenAPI document is generated from the same
schemas. Errors are JSON with a message, never HTML (see marketplace.core.web.errors).
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify
from flask.typing import ResponseReturnValue
from flask_login import current_user

from marketplace import search
from marketplace.accounts.models import User
from marketplace.api import openapi, schemas
from marketplace.api.view_cache import ViewCache
from marketplace.core.extensions import csrf
from marketplace.core.refusals import ServiceError
from marketplace.core.web import input_schema
from marketplace.core.web.access import found_or_404
from marketplace.core.web.links import public_url_for
from marketplace.directory import services as directory
from marketplace.organisations import view as organisation_view
from marketplace.procurement import supplier_matching
from marketplace.search.query import SearchQuery
from marketplace.sroi.models import Obligation
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.obligations.plain_data import obligation_json, valuation_json
from marketplace.sroi.reports import open_data

bp = Blueprint("api", __name__)
csrf.exempt(bp)
ORGANISATION = schemas.OrganisationSchema()
PAGE = schemas.OrganisationPageSchema()
VIEWS = ViewCache(ORGANISATION)
QUERY = schemas.OrganisationQuerySchema()


def _validated_query() -> SearchQuery:
    input_schema.load_query(QUERY)
    return SearchQuery.from_args(input_schema.query())


@bp.get("/organisations")
def organisations() -> ResponseReturnValue:
    query = _validated_query()
    result = search.search(query)
    page = {
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "per_page": query.per_page,
        "facets": {
            facet: [{"value": value, "count": count} for value, count in counts]
            for facet, counts in result.facets.items()
        },
        "items": [],
        "places": [{"facet": facet, "value": value} for facet, value in result.places],
    }
    dumped = PAGE.dump(page)
    dumped["items"] = VIEWS.dumps([hit.id for hit in result.hits], result.generation)  # kept per index state
    return jsonify(dumped)


@bp.get("/organisations/<slug>")
def organisation(slug: str) -> ResponseReturnValue:
    found = directory.organisation_by_slug(slug)
    if found is None:
        abort(404)
    if found.merged_into_id is not None:
        found = directory.surviving_organisation(found)
    (view,) = organisation_view.views([found])
    return jsonify(ORGANISATION.dump(view))


OPEN_DATA = schemas.OpenDataSchema()
OPEN_DATA_QUERY = schemas.OpenDataQuerySchema()


@bp.get("/open-data")
def open_data_totals() -> ResponseReturnValue:
    wanted = input_schema.load_query(OPEN_DATA_QUERY)
    cells = [open_data.as_json(cell) for cell in open_data.totals(wanted.get("year"))]
    return jsonify(OPEN_DATA.dump({"cells": cells, "years": open_data.years()}))


@bp.get("/openapi.json", endpoint="openapi")
def openapi_document() -> ResponseReturnValue:
    return jsonify(openapi.build(public_url_for("api.organisations").rsplit("/organisations", 1)[0]))


# --- Social return, for signed-in contractors (their own obligations only) -------------------
OBLIGATION = schemas.ObligationSchema()
OBLIGATION_IN = schemas.ObligationInSchema()
CONTRIBUTION_IN = schemas.ContributionInSchema()
VALUATION = schemas.ValuationSchema()


def _contractor() -> User:
    """The signed-in contractor; 401 for nobody, 403 for another role."""
    if not current_user.is_authenticated:
        abort(401)
    if not current_user.has_role("contractor"):
        abort(403)
    return current_user  # type: ignore[return-value]


def _json_body(schema: schemas.Schema) -> dict[str, object]:
    """The request's JSON, checked against its schema by the input layer. Only JSON is read, so no
    form of another site can post here with the visitor's cookie (and SameSite=Lax keeps it from
    cross-site POSTs)."""
    return input_schema.load_json(schema)


def _own_obligation(obligation_id: int) -> Obligation:
    return found_or_404(obligations.obligation_for, _contractor(), obligation_id)


@bp.get("/obligations")
def obligation_list() -> ResponseReturnValue:
    return jsonify(
        OBLIGATION.dump([obligation_json(o) for o in obligations.obligations_of(_contractor())], many=True)
    )


@bp.post("/obligations")
def obligation_create() -> ResponseReturnValue:
    contractor = _contractor()
    values = _json_body(OBLIGATION_IN)
    try:
        created = obligations.create_obligation(contractor, values)
    except ServiceError as error:
        abort(400, str(error))
    return jsonify(OBLIGATION.dump(obligation_json(created))), 201


RANKING = schemas.RankingSchema()
RANKING_QUERY = schemas.RankingQuerySchema()


@bp.get("/obligations/<int:obligation_id>/matches")
def obligation_matches(obligation_id: int) -> ResponseReturnValue:
    obligation = _own_obligation(obligation_id)
    wanted = input_schema.load_query(RANKING_QUERY)
    need, ranked = supplier_matching.ranking_for(
        obligation, wanted.get("top", 10), "include_uncounted" in wanted
    )
    return jsonify(
        RANKING.dump(
            {
                "obligation": obligation.id,
                "remaining": f"{need.remaining:.2f}",
                "suppliers": [supplier_matching.ranked_json(i, need.remaining) for i in ranked],
            }
        )
    )


@bp.get("/obligations/<int:obligation_id>")
def obligation_detail(obligation_id: int) -> ResponseReturnValue:
    return jsonify(OBLIGATION.dump(obligation_json(_own_obligation(obligation_id))))


@bp.post("/obligations/<int:obligation_id>/contributions")
def contribution_create(obligation_id: int) -> ResponseReturnValue:
    found = _own_obligation(obligation_id)
    values = _json_body(CONTRIBUTION_IN)
    try:
        prepared = obligations.add_contribution(found, values)
    except ServiceError as error:
        abort(400, str(error))
    return jsonify(
        VALUATION.dump({"id": prepared.contribution.id, **valuation_json(prepared.valuation)})
    ), 201
