"""The read-only JSON API under /api/v1/, described by /api/v1/openapi.json.

Errors are JSON with a message, never HTML (see marketplace.errors).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from marketplace import search
from marketplace.extensions import csrf
from marketplace.links import public_url_for
from marketplace.models import Organisation
from marketplace.search.documents import FACETS
from marketplace.search.query import MAX_PAGE, MAX_PER_PAGE, SORTS, SearchQuery, whole_number
from marketplace.services import directory
from marketplace.services.labels import label_view

bp = Blueprint("api", __name__)
csrf.exempt(bp)


def organisation_json(organisation: Organisation) -> dict[str, Any]:
    grace_days = current_app.config.get("GRACE_DAYS", 90)
    municipality = organisation.municipality
    return {
        "id": organisation.id,
        "slug": organisation.slug,
        "name": organisation.name,
        "kvk": organisation.kvk,
        "legal_form": organisation.legal_form,
        "city": organisation.city,
        "municipality": municipality.name if municipality else None,
        "province": municipality.province.name if municipality else None,
        "labour_market_region": municipality.region.name if municipality else None,
        "website": organisation.website,
        "mission": organisation.mission,
        "url": public_url_for("public.organisation", slug=organisation.slug),
        "labels": [
            {
                "register": view.register,
                "level": view.level,
                "pso30plus": view.pso30plus,
                "state": view.state,
                "valid_from": view.valid_from.isoformat() if view.valid_from else None,
                "valid_until": view.valid_until.isoformat() if view.valid_until else None,
                "next_review": view.next_review.isoformat() if view.next_review else None,
                "last_confirmed": view.last_seen.isoformat(),
                "grace_ends": view.grace_ends.isoformat() if view.grace_ends else None,
                "source_url": view.source_url,
            }
            for view in (label_view(label, grace_days) for label in organisation.labels)
        ],
    }


def _validated_query() -> SearchQuery:
    for name in ("page", "per_page"):
        value = request.args.get(name)
        if value is not None and whole_number(value) is None:
            abort(400, f"{name} must be a positive whole number")
    if request.args.get("sort") not in (None, *SORTS):
        abort(400, f"sort must be one of {', '.join(SORTS)}")
    if (whole_number(request.args.get("per_page")) or 0) > MAX_PER_PAGE:
        abort(400, f"per_page may be at most {MAX_PER_PAGE}")
    return SearchQuery.from_args(request.args)


@bp.get("/organisations")
def organisations() -> ResponseReturnValue:
    query = _validated_query()
    result = search.search(query)
    found = {org.id: org for org in directory.organisations_by_id([hit.id for hit in result.hits])}
    return jsonify(
        {
            "total": result.total,
            "page": result.page,
            "pages": result.pages,
            "per_page": query.per_page,
            "facets": {
                facet: [{"value": v, "count": n} for v, n in counts]
                for facet, counts in result.facets.items()
            },
            "items": [organisation_json(found[hit.id]) for hit in result.hits if hit.id in found],
        }
    )


@bp.get("/organisations/<slug>")
def organisation(slug: str) -> ResponseReturnValue:
    found = directory.organisation_by_slug(slug)
    if found is None:
        abort(404)
    if found.merged_into_id is not None:
        found = directory.surviving_organisation(found)
    return jsonify(organisation_json(found))


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(openapi_document())


def _error_schema() -> dict[str, Any]:
    return {"$ref": "#/components/schemas/Error"}


def openapi_document() -> dict[str, Any]:
    facet_parameters = [
        {
            "name": facet,
            "in": "query",
            "required": False,
            "description": f"Filter on {facet}; repeat for any of several values.",
            "schema": {"type": "array", "items": {"type": "string"}},
            "style": "form",
            "explode": True,
        }
        for facet in FACETS
    ]
    error_response = {"description": "Error", "content": {"application/json": {"schema": _error_schema()}}}
    label = {
        "type": "object",
        "properties": {
            "register": {"type": "string", "enum": ["pso", "code", "senl"]},
            "level": {"type": ["string", "null"]},
            "pso30plus": {"type": "boolean"},
            "state": {"type": "string", "enum": ["active", "applied", "grace", "expired"]},
            "valid_from": {"type": ["string", "null"], "format": "date"},
            "valid_until": {"type": ["string", "null"], "format": "date"},
            "next_review": {"type": ["string", "null"], "format": "date"},
            "last_confirmed": {"type": "string", "format": "date"},
            "grace_ends": {"type": ["string", "null"], "format": "date"},
            "source_url": {"type": "string"},
        },
        "required": ["register", "state", "last_confirmed", "source_url"],
    }
    organisation = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "kvk": {"type": ["string", "null"]},
            "legal_form": {"type": ["string", "null"]},
            "city": {"type": ["string", "null"]},
            "municipality": {"type": ["string", "null"]},
            "province": {"type": ["string", "null"]},
            "labour_market_region": {"type": ["string", "null"]},
            "website": {"type": ["string", "null"]},
            "mission": {"type": ["string", "null"]},
            "url": {"type": "string"},
            "labels": {"type": "array", "items": {"$ref": "#/components/schemas/Label"}},
        },
        "required": ["id", "slug", "name", "url", "labels"],
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Impactmarkt API",
            "version": "1",
            "description": "Read-only access to enterprises listed because they hold a label from PSO, "
            "the Register Code Sociale Ondernemingen or Social Enterprise NL.",
        },
        "servers": [{"url": public_url_for("api.organisations").rsplit("/organisations", 1)[0]}],
        "paths": {
            "/organisations": {
                "get": {
                    "summary": "Search listed organisations",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "schema": {"type": "string"},
                            "description": "Search words",
                        },
                        {"name": "sort", "in": "query", "schema": {"type": "string", "enum": list(SORTS)}},
                        {
                            "name": "page",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                        },
                        {
                            "name": "per_page",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
                        },
                        *facet_parameters,
                    ],
                    "responses": {
                        "200": {
                            "description": "A page of organisations with facet counts",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/OrganisationPage"}
                                }
                            },
                        },
                        "400": error_response,
                    },
                }
            },
            "/organisations/{slug}": {
                "get": {
                    "summary": "One organisation with its labels",
                    "parameters": [
                        {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": {
                            "description": "The organisation",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Organisation"}}
                            },
                        },
                        "404": error_response,
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Label": label,
                "Organisation": organisation,
                "OrganisationPage": {
                    "type": "object",
                    "properties": {
                        "total": {"type": "integer"},
                        "page": {"type": "integer"},
                        "pages": {"type": "integer"},
                        "per_page": {"type": "integer"},
                        "facets": {
                            "type": "object",
                            "additionalProperties": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {"value": {"type": "string"}, "count": {"type": "integer"}},
                                },
                            },
                        },
                        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Organisation"}},
                    },
                    "required": ["total", "page", "pages", "items"],
                },
                "Error": {
                    "type": "object",
                    "properties": {
                        "error": {
                            "type": "object",
                            "properties": {"status": {"type": "integer"}, "message": {"type": "string"}},
                            "required": ["status", "message"],
                        }
                    },
                    "required": ["error"],
                },
            }
        },
    }
