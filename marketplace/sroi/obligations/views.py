"""Pages for contractors: register an SROI obligation, record purchases, hires and social
activities, and see what counts and what is left. Each route checks the role, and an
obligation id of another contractor is as unknown as a missing one (404)."""

from __future__ import annotations

from functools import partial

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from marketplace.core.extensions import db
from marketplace.core.geography import LabourMarketRegion
from marketplace.core.refusals import ServiceError
from marketplace.core.web import areas, input_schema
from marketplace.core.web.access import role_required
from marketplace.core.web.areas import DecisionForm
from marketplace.core.web.limits import SUBMISSIONS_PER_ACCOUNT, limiter, signed_in_account
from marketplace.sroi.models import Obligation
from marketplace.sroi.obligations import asked, conversation, evidence
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.obligations.contribution_forms import (
    contribution_forms,
    record_submitted,
    recorded_message,
)
from marketplace.sroi.obligations.forms import (
    AnswerForm,
    ObligationForm,
)
from marketplace.sroi.obligations.owned import obligation_or_404
from marketplace.sroi.plans import overview as plan_overview

bp = areas.contractor


def _page(
    found: Obligation, forms: dict[str, object], open_form: str | None = None, replacing: object = None
) -> str:
    """The obligation page: where the contractor stands, each contribution with its reasons, and
    the forms to add one (the one just sent stays open with its messages)."""
    return render_template(
        "sroi/obligations/obligation.html",
        obligation=found,
        progress=obligations.progress(found),
        contributions=obligations.contributions_of(found),
        values=obligations.contribution_values,
        open_form=open_form,
        replacing=replacing,
        notes=obligations.notes(found, forms["rules"]),  # type: ignore[arg-type]
        documents_of=obligations.document_list,
        rules_cache={},
        life=plan_overview.of(found),  # the plan, progress per year, changes, deadlines (issue 24)
        report_form=DecisionForm(),
        **forms,
    )


@bp.get("/")
@role_required("contractor")
def dashboard() -> str:
    mine = obligations.obligations_of(current_user)
    return render_template(
        "sroi/obligations/dashboard.html", obligations=[(o, obligations.progress(o)) for o in mine]
    )


@bp.route("/verplichtingen/nieuw", methods=["GET", "POST"])
@role_required("contractor")
def new_obligation() -> str | Response:
    form = ObligationForm()
    regions = list(db.session.scalars(select(LabourMarketRegion.name).order_by(LabourMarketRegion.name)))
    form.region.choices = [
        SelectChoice("", _("Kies een regio")),
        *(SelectChoice(name, name) for name in regions),
    ]
    if form.validate_on_submit():
        values = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
        values["cpv"] = (form.cpv.data or "").split()
        try:
            obligation = obligations.create_obligation(current_user, values)
        except ServiceError as error:
            flash(str(error), "error")
        else:
            flash(_("De verplichting is geregistreerd."), "success")
            return redirect(url_for("contractor.obligation", obligation_id=obligation.id))
    return render_template("sroi/obligations/new_obligation.html", form=form)


@bp.get("/verplichtingen/<int:obligation_id>")
@role_required("contractor")
def obligation(obligation_id: int) -> str:
    found = obligation_or_404(obligation_id)
    forms = contribution_forms(found)
    replacing = input_schema.query().get("vervangt", "")
    if replacing:
        try:
            old = obligations.replaced(found, replacing)
        except ServiceError as error:
            flash(str(error), "error")
        else:
            form_kind = old.kind
            if old.kind == "hire" and asked.kind_of_block(forms["rules"], old.block or "") == "placement":  # type: ignore[arg-type]
                form_kind = "placement"
            forms[form_kind].replaces.data = str(old.id)  # type: ignore[attr-defined]
            return _page(found, forms, form_kind, replacing=old)
    return _page(found, forms)


@bp.post("/verplichtingen/<int:obligation_id>/bijdragen/<any(purchase, hire, placement, activity):kind>")
@role_required("contractor")
@limiter.limit(SUBMISSIONS_PER_ACCOUNT, key_func=signed_in_account)
def add_contribution(obligation_id: int, kind: str) -> tuple[str, int] | Response:
    found = obligation_or_404(obligation_id)
    forms = contribution_forms(found)
    form = forms[kind]
    if not form.validate_on_submit():  # type: ignore[attr-defined]
        flash(_("Controleer wat u heeft ingevuld."), "error")
        return _page(found, forms, kind), 400
    try:
        prepared = record_submitted(form, kind, partial(obligations.add_contribution, found))
    except ServiceError as error:
        flash(str(error), "error")
        return _page(found, forms, kind), 400
    flash(recorded_message(found, prepared), "success")
    return redirect(url_for("contractor.obligation", obligation_id=found.id))


@bp.get("/bijdragen/<int:contribution_id>/documenten/<int:document_id>")
@role_required("contractor")
def document_file(contribution_id: int, document_id: int) -> Response:
    """One named document of the contractor's own contribution, as a download (404 otherwise)."""
    try:
        return evidence.response(current_user, contribution_id, document_id=document_id)
    except LookupError:
        abort(404)


@bp.get("/bijdragen/<int:contribution_id>/bewijsstuk")
@role_required("contractor")
def evidence_file(contribution_id: int) -> Response:
    """The contractor's own evidence file, as a download (404 for anyone else's)."""
    try:
        return evidence.response(current_user, contribution_id)
    except LookupError:
        abort(404)


def _contribution_page(
    contribution_id: int, form: AnswerForm | None = None, status: int = 200
) -> tuple[str, int]:
    try:
        contribution = conversation.own_contribution(current_user, contribution_id)
    except LookupError:
        abort(404)
    messages = conversation.thread(contribution.id)
    return render_template(
        "sroi/obligations/contribution.html",
        contribution=contribution,
        obligation=contribution.obligation,
        messages=messages,
        authors=conversation.authors(messages),
        form=form or AnswerForm(),
        documents_of=obligations.document_list,
    ), status


@bp.get("/bijdragen/<int:contribution_id>")
@role_required("contractor")
def contribution(contribution_id: int) -> tuple[str, int]:
    """One contribution: what it is, its evidence, the conversation with the coordinator, and
    what the contractor can do now (answer a question, withdraw it)."""
    return _contribution_page(contribution_id)


@bp.post("/bijdragen/<int:contribution_id>/antwoord")
@role_required("contractor")
@limiter.limit(SUBMISSIONS_PER_ACCOUNT, key_func=signed_in_account)
def answer(contribution_id: int) -> tuple[str, int] | Response:
    form = AnswerForm()
    if not form.validate_on_submit():
        flash(_("Controleer wat u heeft ingevuld."), "error")
        return _contribution_page(contribution_id, form, 400)
    try:
        checked = evidence.check(form.evidence.data.read()) if form.evidence.data else None
        conversation.answer(current_user, contribution_id, form.body.data or "", checked)
    except LookupError:
        abort(404)
    except ServiceError as error:
        flash(str(error), "error")
        return _contribution_page(contribution_id, form, 400)
    flash(_("Uw antwoord is verstuurd. De coördinator beoordeelt de bijdrage opnieuw."), "success")
    return redirect(url_for("contractor.contribution", contribution_id=contribution_id))


@bp.post("/bijdragen/<int:contribution_id>/intrekken")
@role_required("contractor")
def withdraw(contribution_id: int) -> Response:
    if not AnswerForm().validate_on_submit():
        abort(400)
    try:
        conversation.withdraw(current_user, contribution_id)
    except LookupError:
        abort(404)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(_("De bijdrage is ingetrokken en telt niet mee."), "success")
    return redirect(url_for("contractor.contribution", contribution_id=contribution_id))


@bp.get("/bijdragen/<int:contribution_id>/berichten/<int:message_id>/bestand")
@role_required("contractor")
def message_file(contribution_id: int, message_id: int) -> Response:
    """A file added to a message of the conversation, as a download (404 for anyone else)."""
    try:
        return evidence.response(current_user, contribution_id, message_id)
    except LookupError:
        abort(404)
