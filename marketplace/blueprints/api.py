"""The read-only JSON API under /api/v1/. Errors are JSON too (see marketplace.errors)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from marketplace.extensions import csrf
from marketplace.models import REGISTERS, Organisation
from marketplace.services import directory
from marketplace.services.labels import label_view

bp = Blueprint("api", __name__)
csrf.exempt(bp)


def organisation_json(organisation: Organisation, with_labels: bool = True) -> dict[str, Any]:
    grace_days = current_app.config.get("GRACE_DAYS", 90)
    data: dict[str, Any] = {
        "id": organisation.id,
        "slug": organisation.slug,
        "name": organisation.name,
        "kvk": organisation.kvk,
        "city": organisation.city,
        "municipality": organisation.municipality.name if organisation.municipality else None,
        "website": organisation.website,
        "url": url_for("public.organisation", slug=organisation.slug, _external=True),
    }
    if with_labels:
        data["labels"] = [
            {
                "register": view.register,
                "level": view.level,
                "pso30plus": view.pso30plus,
                "state": view.state,
                "valid_from": view.valid_from.isoformat() if view.valid_from else None,
                "valid_until": view.valid_until.isoformat() if view.valid_until else None,
                "last_confirmed": view.last_seen.isoformat(),
                "source_url": view.source_url,
            }
            for view in (label_view(label, grace_days) for label in organisation.labels)
        ]
    return data


@bp.get("/organisations")
def organisations() -> ResponseReturnValue:
    register = request.args.get("register") or None
    if register not in (None, *REGISTERS):
        abort(400)
    page_arg = request.args.get("page", "1")
    if not page_arg.isdigit():
        abort(400)
    page = directory.organisation_page(
        query=request.args.get("q", "")[:200], register=register, page=int(page_arg)
    )
    return jsonify(
        {
            "total": page.total,
            "page": page.page,
            "pages": page.pages,
            "items": [organisation_json(item) for item in page.items],
        }
    )


@bp.get("/organisations/<slug>")
def organisation(slug: str) -> ResponseReturnValue:
    found = directory.organisation_by_slug(slug)
    if found is None:
        abort(404)
    return jsonify(organisation_json(found))
