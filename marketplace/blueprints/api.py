"""The read-only JSON API under /api/v1/, described by /api/v1/openapi.json.

Responses are dumped with the schemas in marketplace.api.schemas from the one organisation
view (marketplace.services.organisation_view); the OpenAPI document is generated from the same
schemas. Errors are JSON with a message, never HTML (see marketplace.errors).
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError

from marketplace import search
from marketplace.api import openapi, schemas
from marketplace.extensions import csrf
from marketplace.links import public_url_for
from marketplace.search.query import SearchQuery
from marketplace.services import directory, organisation_view

bp = Blueprint("api", __name__)
csrf.exempt(bp)
ORGANISATION = schemas.OrganisationSchema()
PAGE = schemas.OrganisationPageSchema()
QUERY = schemas.OrganisationQuerySchema()


def _validated_query() -> SearchQuery:
    arguments = {
        key: (request.args.getlist(key) if isinstance(QUERY.fields.get(key), schemas.fields.List) else value)
        for key, value in request.args.items()
    }
    try:
        QUERY.load(arguments, unknown="exclude")
    except ValidationError as error:
        field, messages = next(iter(sorted(error.normalized_messages().items())))
        message = messages[0] if isinstance(messages, list) else next(iter(messages.values()))[0]
        abort(400, f"{field}: {message}")
    return SearchQuery.from_args(request.args)


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
        "items": organisation_view.views_by_id([hit.id for hit in result.hits]),
    }
    return jsonify(PAGE.dump(page))


@bp.get("/organisations/<slug>")
def organisation(slug: str) -> ResponseReturnValue:
    found = directory.organisation_by_slug(slug)
    if found is None:
        abort(404)
    if found.merged_into_id is not None:
        found = directory.surviving_organisation(found)
    (view,) = organisation_view.views([found])
    return jsonify(ORGANISATION.dump(view))


@bp.get("/openapi.json", endpoint="openapi")
def openapi_document() -> ResponseReturnValue:
    return jsonify(openapi.build(public_url_for("api.organisations").rsplit("/organisations", 1)[0]))
