"""The coordinator's review queue (every kind of item in their regions, filtered, oldest first),
the decisions on contributions, match outcomes and rule-set versions, and the audit log with
its CSV export. Registered on the coordinator blueprint."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response as FlaskResponse
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from marketplace.core import clock, tabular
from marketplace.core.refusals import ServiceError
from marketplace.core.web.access import role_required
from marketplace.core.web.areas import DecisionForm, back_to
from marketplace.core.web.areas import coordinator as bp
from marketplace.profiles import claims
from marketplace.resolution import review_queue as reviews
from marketplace.sroi.obligations.services import money
from marketplace.sroi.review import audit_search
from marketplace.sroi.review import decisions as review_decisions
from marketplace.sroi.review import queue as review_queue


def _queue_page(wanted: review_queue.QueueFilter, problem: str | None = None) -> tuple[str, int]:
    return render_template(
        "coordinator/queue.html",
        queue=review_queue.queue(current_user, wanted),
        wanted=wanted,
        args=request.args,
        problem=problem,
        form=DecisionForm(),
        here=request.full_path.rstrip("?"),
    ), (400 if problem else 200)


@bp.get("/")
@role_required("coordinator", "admin")
def dashboard() -> str:
    return render_template(
        "coordinator/dashboard.html",
        open_reviews=reviews.open_review_count(current_user),
        open_claims=len(claims.reviewable(current_user)),
        open_items=review_queue.open_count(current_user),
    )


@bp.get("/wachtrij")
@role_required("coordinator", "admin")
def queue() -> tuple[str, int]:
    try:
        wanted = review_queue.parse_filter(request.args)
    except ServiceError as error:
        return _queue_page(review_queue.QueueFilter(), str(error))
    return _queue_page(wanted)


def _checked_form() -> None:
    if not DecisionForm().validate_on_submit():
        abort(400)


@bp.post("/wachtrij/bijdragen/<int:contribution_id>")
@role_required("coordinator", "admin")
def decide_contribution(contribution_id: int) -> Response:
    _checked_form()
    form = request.form
    decision = form.get("decision", "")
    try:
        if decision == "approve":
            review_decisions.approve(current_user, contribution_id)
            flash(_("Goedgekeurd: de bijdrage telt mee."), "success")
        elif decision == "reject":
            review_decisions.reject(current_user, contribution_id, form.get("reason", ""))
            flash(_("Afgewezen. De opdrachtnemer ziet de reden en krijgt een mail."), "success")
        elif decision == "correct":
            amount = form.get("amount", "").strip()
            correction = review_decisions.Correction(
                block=form.get("block", "").strip() or None,
                amount=money(amount, "amount") if amount else None,
            )
            review_decisions.correct(current_user, contribution_id, correction, form.get("reason", ""))
            flash(_("Gecorrigeerd en goedgekeurd. De opdrachtnemer krijgt een mail."), "success")
        else:
            abort(400)
    except LookupError:
        abort(404)
    except ServiceError as error:
        flash(str(error), "error")
    return redirect(back_to("coordinator.queue"))


@bp.post("/wachtrij/bijdragen")
@role_required("coordinator", "admin")
def approve_selected() -> Response:
    _checked_form()
    ids = [int(value) for value in request.form.getlist("selected") if value.isdigit() and len(value) < 10]
    if not ids:
        flash(_("Kies eerst een of meer bijdragen."), "error")
        return redirect(back_to("coordinator.queue"))
    approved, skipped = review_decisions.approve_many(current_user, ids)
    flash(
        _(
            "%(approved)s goedgekeurd, %(skipped)s overgeslagen (al beoordeeld of niet in uw regio).",
            approved=approved,
            skipped=skipped,
        ),
        "success",
    )
    return redirect(back_to("coordinator.queue"))


def _approve_or_reject(decide: Callable[..., object], item_id: int, approved: str, rejected: str) -> Response:
    """The shared shape of a yes/no decision with a reason for no: checked form, 404 outside the
    user's regions, the refusal or the outcome as a message, back to the queue."""
    _checked_form()
    decision = request.form.get("decision", "")
    if decision not in ("approve", "reject"):
        abort(400)
    try:
        decide(current_user, item_id, decision == "approve", request.form.get("reason", ""))
    except LookupError:
        abort(404)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(approved if decision == "approve" else rejected, "success")
    return redirect(back_to("coordinator.queue"))


@bp.post("/wachtrij/matches/<int:match_id>")
@role_required("coordinator", "admin")
def decide_match(match_id: int) -> Response:
    saved = _("Uw beslissing is opgeslagen.")
    return _approve_or_reject(review_decisions.decide_match, match_id, saved, saved)


@bp.post("/wachtrij/regelsets/<int:version_id>")
@role_required("coordinator", "admin")
def decide_ruleset_version(version_id: int) -> Response:
    return _approve_or_reject(
        review_decisions.decide_ruleset, version_id, _("Versie goedgekeurd."),
        _("Versie afgewezen: de vorige versie geldt weer."),
    )  # fmt: skip


@bp.get("/logboek")
@role_required("coordinator", "admin")
def audit_log() -> tuple[str, int]:
    try:
        wanted = audit_search.parse_filter(request.args)
    except ServiceError as error:
        return render_template(
            "coordinator/audit_log.html",
            entries=[],
            wanted=None,
            args=request.args,
            problem=str(error),
            more=False,
        ), 400
    entries, more = audit_search.search(current_user, wanted)
    return render_template(
        "coordinator/audit_log.html",
        entries=entries,
        wanted=wanted,
        args=request.args,
        problem=None,
        more=more,
    ), 200


@bp.get("/logboek.csv")
@role_required("coordinator", "admin")
def audit_log_export() -> Response:
    try:
        wanted = audit_search.parse_filter(request.args)
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(url_for("coordinator.audit_log"))
    entries, _more = audit_search.search(current_user, wanted, limit=audit_search.EXPORT_LIMIT)
    headers, rows = audit_search.table(entries)
    body = tabular.table_csv(headers, rows, audit_search.describe(wanted))
    name = f"impactmarkt-auditlog-{clock.today().isoformat()}.csv"
    return FlaskResponse(
        body,
        mimetype=tabular.CSV_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
