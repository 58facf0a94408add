"""Shortlists for procurers and contractors: make a list, put listed enterprises on it (from
their page), share it with colleagues, export it. Another's list is as unknown as a missing one."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as WerkzeugResponse

from marketplace.core import clock, tabular
from marketplace.core.refusals import ServiceError
from marketplace.core.web import input_schema
from marketplace.core.web.access import found_or_404, is_same_site_path, role_required
from marketplace.directory import exports
from marketplace.procurement import shortlists
from marketplace.procurement.models import Shortlist

bp = Blueprint("lists", __name__)
ROLES = ("procurer", "contractor")


class ListForm(FlaskForm):
    """Only the CSRF token; fields are read from the request."""


def _mine(shortlist_id: int) -> Shortlist:
    return found_or_404(shortlists.shortlist_for, current_user, shortlist_id)


def _same_site(target: str | None) -> bool:
    """The page the form was sent from, when it is on this site (to show a refusal there)."""
    if not target or not target.startswith(request.host_url):
        return False
    return is_same_site_path("/" + target[len(request.host_url) :])


def _checked() -> None:
    if not ListForm().validate_on_submit():
        abort(400)


@bp.get("/")
@role_required(*ROLES)
def index() -> str:
    lists = shortlists.lists_for(current_user)
    return render_template("procurement/lists/index.html", lists=lists, form=ListForm())


@bp.post("/")
@role_required(*ROLES)
def create() -> WerkzeugResponse:
    _checked()
    try:
        made = shortlists.create(current_user, input_schema.form().get("name", ""))
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(url_for("lists.index"))
    flash(_("Lijst %(name)s gemaakt. Zet ondernemingen erop vanaf hun pagina.", name=made.name), "success")
    return redirect(url_for("lists.detail", shortlist_id=made.id))


@bp.get("/<int:shortlist_id>")
@role_required(*ROLES)
def detail(shortlist_id: int) -> str:
    shortlist = _mine(shortlist_id)
    return render_template(
        "procurement/lists/detail.html",
        shortlist=shortlist,
        form=ListForm(),
        is_owner=shortlist.owner_id == current_user.id,
    )


@bp.post("/toevoegen")
@role_required(*ROLES)
def add_by_form() -> WerkzeugResponse:
    _checked()
    shortlist_value, organisation_value = (
        input_schema.form().get("shortlist_id", ""),
        input_schema.form().get("organisation_id", ""),
    )
    new_name = input_schema.form().get("new_list", "")
    organisation_id = input_schema.whole_or_none(organisation_value)
    if organisation_id is None:
        abort(400)
    if new_name.strip():  # a name for a new list: made and filled in one step
        try:
            note = input_schema.form().get("note", "")
            made = shortlists.add_to_new(current_user, new_name, organisation_id, note)
        except LookupError:
            abort(404)
        except ServiceError as error:
            flash(str(error), "error")
            return redirect(request.referrer if _same_site(request.referrer) else url_for("lists.index"))
        flash(_("Lijst %(name)s gemaakt, met de onderneming erop.", name=made.name), "success")
        return redirect(url_for("lists.detail", shortlist_id=made.id))
    shortlist_id = input_schema.whole_or_none(shortlist_value)
    if shortlist_id is None:
        flash(_("Kies een lijst of vul de naam van een nieuwe lijst in."), "error")
        return redirect(request.referrer if _same_site(request.referrer) else url_for("lists.index"))
    shortlist = _mine(shortlist_id)
    try:
        added = shortlists.add(current_user, shortlist, organisation_id, input_schema.form().get("note", ""))
    except LookupError:
        abort(404)
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(url_for("lists.detail", shortlist_id=shortlist.id))
    if added:
        flash(_("Toegevoegd aan %(name)s.", name=shortlist.name), "success")
    else:
        flash(_("Deze onderneming stond al op %(name)s.", name=shortlist.name), "success")
    return redirect(url_for("lists.detail", shortlist_id=shortlist.id))


@bp.post("/<int:shortlist_id>/items/<int:item_id>/verwijderen")
@role_required(*ROLES)
def remove_item(shortlist_id: int, item_id: int) -> WerkzeugResponse:
    shortlist = _mine(shortlist_id)
    _checked()
    try:
        shortlists.remove(shortlist, item_id)
    except LookupError:
        abort(404)
    flash(_("Van de lijst gehaald."), "success")
    return redirect(url_for("lists.detail", shortlist_id=shortlist.id))


@bp.post("/<int:shortlist_id>/delen")
@role_required(*ROLES)
def share(shortlist_id: int) -> WerkzeugResponse:
    """Invite one named colleague (their e-mail address); never a whole e-mail domain."""
    shortlist = _mine(shortlist_id)
    _checked()
    try:
        colleague = shortlists.invite(current_user, shortlist, input_schema.form().get("email", "")[:254])
    except PermissionError:
        abort(403)
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(url_for("lists.detail", shortlist_id=shortlist.id))
    flash(_("Gedeeld met %(email)s.", email=colleague.email), "success")
    return redirect(url_for("lists.detail", shortlist_id=shortlist.id))


@bp.post("/<int:shortlist_id>/delen/<int:member_id>/stoppen")
@role_required(*ROLES)
def unshare(shortlist_id: int, member_id: int) -> WerkzeugResponse:
    shortlist = _mine(shortlist_id)
    _checked()
    try:
        shortlists.uninvite(current_user, shortlist, member_id)
    except PermissionError:
        abort(403)
    except LookupError:
        abort(404)
    flash(_("Niet meer gedeeld met deze collega."), "success")
    return redirect(url_for("lists.detail", shortlist_id=shortlist.id))


@bp.get("/<int:shortlist_id>/export.<any(csv, xlsx):file_format>")
@role_required(*ROLES)
def export(shortlist_id: int, file_format: str) -> Response:
    shortlist = _mine(shortlist_id)
    notes = {item.organisation_id: {"note": item.note or ""} for item in shortlist.items}
    rows = exports.rows_for(shortlists.organisation_ids(shortlist), extra=notes)
    columns = [*exports.COLUMNS, ("note", _("Notitie"))]
    described = [
        ("Export", clock.now().strftime("%Y-%m-%d %H:%M")),
        ("Bron", "Impactmarkt"),
        (_("Lijst"), shortlist.name),
    ]
    name = f"impactmarkt-lijst-{shortlist.id}.{file_format}"
    if file_format == "csv":
        body, mimetype = exports.to_csv(rows, described, columns), tabular.CSV_MIMETYPE
    else:
        body, mimetype = exports.to_xlsx(rows, described, columns), tabular.XLSX_MIMETYPE
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
