"""Purchase requests (inkoopvragen): open ones for everyone (without the requester's personal
data); procurers and contractors post them, compare the offers and close them; owners of a
listed enterprise answer with a short offer."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from marketplace.core.extensions import db
from marketplace.core.geography import CpvCategory, LabourMarketRegion
from marketplace.core.refusals import ServiceError
from marketplace.core.web import input_schema
from marketplace.core.web.access import found_or_404, role_required
from marketplace.procurement import purchase_requests
from marketplace.procurement.models import PurchaseRequest
from marketplace.profiles import claims

bp = Blueprint("requests", __name__)
REQUESTERS = ("procurer", "contractor")


class RequestForm(FlaskForm):
    """Only the CSRF token; the fields are read and checked by the service."""


def _signed_in_user():  # type: ignore[no-untyped-def]
    return current_user if current_user.is_authenticated else None


@bp.get("/")
def index() -> str:
    return render_template(
        "procurement/requests/index.html", requests=purchase_requests.open_requests(), may_post=_may_post()
    )


def _may_post() -> bool:
    return bool(current_user.is_authenticated and any(current_user.has_role(role) for role in REQUESTERS))


def _new_page(values: dict[str, str], problem: str | None = None) -> tuple[str, int]:
    regions = db.session.scalars(select(LabourMarketRegion).order_by(LabourMarketRegion.name)).all()
    categories = db.session.scalars(select(CpvCategory).order_by(CpvCategory.code)).all()
    return render_template(
        "procurement/requests/new.html",
        values=values,
        regions=regions,
        categories=categories,
        problem=problem,
        form=RequestForm(),
    ), (400 if problem else 200)


@bp.get("/nieuw")
@role_required(*REQUESTERS)
def new() -> tuple[str, int]:
    return _new_page({})


@bp.post("/nieuw")
@role_required(*REQUESTERS)
def create() -> tuple[str, int] | Response:
    if not RequestForm().validate_on_submit():
        abort(400)
    values = {
        key: input_schema.form().get(key, "")
        for key in ("title", "description", "cpv", "region", "budget", "deadline")
    }
    try:
        made = purchase_requests.create(current_user, values)
    except ServiceError as error:
        return _new_page(values, str(error))
    flash(
        _(
            "Uw inkoopvraag staat online. Passende ondernemingen zien haar nu op hun eigen pagina "
            "en horen ervan in hun dagelijkse e-mail."
        ),
        "success",
    )
    return redirect(url_for("requests.detail", request_id=made.id))


def _visible(request_id: int) -> PurchaseRequest:
    return found_or_404(purchase_requests.visible, request_id, _signed_in_user())


@bp.get("/<int:request_id>")
def detail(request_id: int) -> str:
    found = _visible(request_id)
    user = _signed_in_user()
    mine = user is not None and found.procurer_id == user.id
    owned = claims.owned_organisations(user) if user is not None and user.has_role("entrepreneur") else []
    answered = {response.organisation_id for response in found.responses}
    return render_template(
        "procurement/requests/detail.html",
        request_=found,
        mine=mine,
        open_=purchase_requests.is_open(found),
        owned=[o for o in owned if o.id not in answered],
        form=RequestForm(),
        region=db.session.get(LabourMarketRegion, found.region_id) if found.region_id else None,
        category=db.session.get(CpvCategory, found.cpv_code) if found.cpv_code else None,
        budget=purchase_requests.budget_euros(found),
        suggested=purchase_requests.suggested(found) if mine and purchase_requests.is_open(found) else [],
    )


@bp.post("/<int:request_id>/reageren")
@role_required("entrepreneur")
def respond(request_id: int) -> Response:
    found = _visible(request_id)
    if not RequestForm().validate_on_submit():
        abort(400)
    organisation = input_schema.form().get("organisation_id", "")
    organisation_id = input_schema.whole_or_none(organisation)
    if organisation_id is None:
        abort(400)
    try:
        purchase_requests.respond(
            current_user,
            found,
            organisation_id,
            input_schema.form().get("message", ""),
            input_schema.form().get("price", ""),
        )
    except PermissionError:
        abort(403)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(_("Uw reactie is verstuurd. De vrager ziet haar bij de inkoopvraag."), "success")
    return redirect(url_for("requests.detail", request_id=found.id))


@bp.post("/<int:request_id>/sluiten")
@role_required(*REQUESTERS)
def close(request_id: int) -> Response:
    found = _visible(request_id)
    if not RequestForm().validate_on_submit():
        abort(400)
    try:
        purchase_requests.close(current_user, found)
    except PermissionError:
        abort(404)
    flash(_("De inkoopvraag is gesloten."), "success")
    return redirect(url_for("requests.detail", request_id=found.id))
