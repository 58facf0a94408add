"""Bulk entry pages in the contractor area: the template for an obligation and the upload, for
the main contractor (on their obligation) and for a subcontractor (on their invitation). An
upload with any bad row stores nothing and the page lists sheet, row, column and message."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from marketplace.accounts.models import User
from marketplace.core.refusals import ServiceError
from marketplace.core.tabular import XLSX_MIMETYPE
from marketplace.core.web import areas
from marketplace.core.web.access import found_or_404, role_required
from marketplace.core.web.limits import SUBMISSIONS_PER_ACCOUNT, limiter, signed_in_account
from marketplace.sroi.bulk import importer, workbook
from marketplace.sroi.bulk.forms import UploadForm
from marketplace.sroi.chain import services as chain
from marketplace.sroi.models import Obligation
from marketplace.sroi.obligations.owned import obligation_or_404
from marketplace.sroi.rulesets import services as sroi_rulesets

bp = areas.contractor


def _subcontracted(invitation_id: int) -> Obligation:
    return found_or_404(chain.membership_for, current_user, invitation_id).obligation


def _download(obligation: Obligation) -> Response:
    data = workbook.template(obligation, sroi_rulesets.rules(obligation.ruleset_id))
    response = Response(data, mimetype=XLSX_MIMETYPE)
    name = _("bijdragen-verplichting-%(id)s.xlsx", id=obligation.id)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _page(
    obligation: Obligation,
    back: str,
    template_url: str,
    action: str,
    form: UploadForm | None = None,
    problems: list[importer.RowProblem] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    return render_template(
        "sroi/bulk/bulk.html", obligation=obligation, back=back, template_url=template_url, action=action,
        form=form or UploadForm(), problems=[p.as_json() for p in problems or []],
    ), status  # fmt: skip


def _upload(obligation: Obligation, entered_by: User | None, back: str, template_url: str,
            action: str) -> tuple[str, int] | Response:  # fmt: skip
    form = UploadForm()
    if not form.validate_on_submit():
        flash(_("Kies het ingevulde Excel-bestand."), "error")
        return _page(obligation, back, template_url, action, form, status=400)
    try:
        outcome = importer.import_file(obligation, form.file.data.read(), entered_by)
    except ServiceError as error:
        flash(str(error), "error")
        return _page(obligation, back, template_url, action, form, status=400)
    if outcome.problems:
        flash(
            _("Er is niets vastgelegd: verbeter de regels hieronder en upload het bestand opnieuw."), "error"
        )
        return _page(obligation, back, template_url, action, form, outcome.problems, 400)
    count = len(outcome.stored)
    flash(ngettext("%(num)s bijdrage vastgelegd; die wacht op beoordeling.",
                   "%(num)s bijdragen vastgelegd; ze wachten op beoordeling.", count), "success")  # fmt: skip
    return redirect(back)


@bp.get("/verplichtingen/<int:obligation_id>/bulk")
@role_required("contractor")
def bulk_page(obligation_id: int) -> tuple[str, int]:
    found = obligation_or_404(obligation_id)
    return _page(found, url_for("contractor.obligation", obligation_id=found.id),
                 url_for("contractor.bulk_template", obligation_id=found.id),
                 url_for("contractor.bulk_upload", obligation_id=found.id))  # fmt: skip


@bp.get("/verplichtingen/<int:obligation_id>/bulk/sjabloon.xlsx")
@role_required("contractor")
def bulk_template(obligation_id: int) -> Response:
    return _download(obligation_or_404(obligation_id))


@bp.post("/verplichtingen/<int:obligation_id>/bulk")
@role_required("contractor")
@limiter.limit(SUBMISSIONS_PER_ACCOUNT, key_func=signed_in_account)
def bulk_upload(obligation_id: int) -> tuple[str, int] | Response:
    found = obligation_or_404(obligation_id)
    return _upload(found, None, url_for("contractor.obligation", obligation_id=found.id),
                   url_for("contractor.bulk_template", obligation_id=found.id),
                   url_for("contractor.bulk_upload", obligation_id=found.id))  # fmt: skip


@bp.get("/keten/<int:invitation_id>/bulk")
@role_required("contractor")
def bulk_subcontract_page(invitation_id: int) -> tuple[str, int]:
    found = _subcontracted(invitation_id)
    return _page(found, url_for("contractor.subcontract", invitation_id=invitation_id),
                 url_for("contractor.bulk_subcontract_template", invitation_id=invitation_id),
                 url_for("contractor.bulk_subcontract_upload", invitation_id=invitation_id))  # fmt: skip


@bp.get("/keten/<int:invitation_id>/bulk/sjabloon.xlsx")
@role_required("contractor")
def bulk_subcontract_template(invitation_id: int) -> Response:
    return _download(_subcontracted(invitation_id))


@bp.post("/keten/<int:invitation_id>/bulk")
@role_required("contractor")
@limiter.limit(SUBMISSIONS_PER_ACCOUNT, key_func=signed_in_account)
def bulk_subcontract_upload(invitation_id: int) -> tuple[str, int] | Response:
    found = _subcontracted(invitation_id)
    back = url_for("contractor.subcontract", invitation_id=invitation_id)
    template_url = url_for("contractor.bulk_subcontract_template", invitation_id=invitation_id)
    action = url_for("contractor.bulk_subcontract_upload", invitation_id=invitation_id)
    try:
        chain.may_enter(current_user, chain.membership_for(current_user, invitation_id))
    except ServiceError as error:
        flash(str(error), "error")
        return _page(found, back, template_url, action, status=400)
    return _upload(found, current_user, back, template_url, action)  # type: ignore[arg-type]
