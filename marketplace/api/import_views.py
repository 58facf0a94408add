"""Bulk entry through the API for signed-in contractors (a main contractor on their obligation, a
subcontractor on the obligation they were invited to): the template, and the import of a filled
one as multipart/form-data. Errors are JSON, as everywhere under /api/v1/."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import User
from marketplace.core.extensions import csrf
from marketplace.core.refusals import ServiceError
from marketplace.core.tabular import XLSX_MIMETYPE
from marketplace.sroi.bulk import importer, workbook
from marketplace.sroi.bulk.forms import ApiUploadForm
from marketplace.sroi.chain import services as chain
from marketplace.sroi.models import Obligation
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.rulesets import services as sroi_rulesets

bp = Blueprint("bulk_api", __name__)
csrf.exempt(bp)


def _contractor() -> User:
    """The signed-in contractor; 401 for nobody, 403 for another role."""
    if not current_user.is_authenticated:
        abort(401)
    if not current_user.has_role("contractor"):
        abort(403)
    return current_user  # type: ignore[return-value]


def _obligation(obligation_id: int) -> tuple[Obligation, User | None]:
    """The obligation and who enters for it: its own contractor (None), or a subcontractor whose
    invitation to it is still running. Anyone else: 404."""
    user = _contractor()
    try:
        return obligations.obligation_for(user, obligation_id), None
    except LookupError:
        pass
    for invitation in chain.memberships(user):
        if invitation.obligation_id == obligation_id and invitation.status == "accepted":
            return invitation.obligation, user
    abort(404)


@bp.get("/obligations/<int:obligation_id>/import/template")
def import_template(obligation_id: int) -> ResponseReturnValue:
    found, _entered_by = _obligation(obligation_id)
    data = workbook.template(found, sroi_rulesets.rules(found.ruleset_id))
    response = Response(data, mimetype=XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="obligation-{found.id}.xlsx"'
    return response


@bp.post("/obligations/<int:obligation_id>/import")
def import_file(obligation_id: int) -> ResponseReturnValue:
    found, entered_by = _obligation(obligation_id)
    if request.mimetype != "multipart/form-data":  # a JSON body is no file (and Flask-WTF would read it)
        abort(415, _("Stuur het ingevulde Excel-bestand als multipart/form-data, in het veld file."))
    form = ApiUploadForm()
    if not form.validate():
        abort(400, _("Kies het ingevulde Excel-bestand."))
    try:
        outcome = importer.import_file(found, form.file.data.read(), entered_by)
    except ServiceError as error:
        abort(400, str(error))
    if outcome.problems:
        message = _("Er is niets vastgelegd: verbeter de regels hieronder en upload het bestand opnieuw.")
        return jsonify({"error": {"status": 422, "message": message},
                        "problems": [p.as_json() for p in outcome.problems]}), 422  # fmt: skip
    return jsonify({"stored": len(outcome.stored), "ids": outcome.ids}), 201
