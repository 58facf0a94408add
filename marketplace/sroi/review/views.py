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
from marketplace.core.web import input_schema
from marketplace.core.web.access import role_required
from marketplace.core.web.areas import DecisionForm, back_to
from marketplace.core.web.areas import coordinator as bp
from marketplace.profiles import claims
from marketplace.resolution import review_queue as reviews
from marketplace.sroi.obligations import conversation, evidence, waiting
from marketplace.sroi.obligations import services as obligation_services
from marketplace.sroi.obligations.services import money
from marketplace.sroi.review import audit_search, audit_words
from marketplace.sroi.review import decisions as review_decisions
from marketplace.sroi.review import queue as review_queue
from marketplace.sroi.rulesets import services as sroi_rulesets


def _queue_page(wanted: review_queue.QueueFilter, problem: str | None = None) -> tuple[str, int]:
    return render_template(
        "sroi/review/queue.html",
        queue=review_queue.queue(current_user, wanted),
        waiting=waiting.waiting_in_regions(current_user),
        ruleset_choices=sroi_rulesets.listing(),
        wanted=wanted,
        args=input_schema.query(),
        problem=problem,
        form=DecisionForm(),
        here=request.full_path.rstrip("?"),
        block_choices=sroi_rulesets.block_choices,
        documents_of=obligation_services.document_list,
        rules_cache={},
    ), (400 if problem else 200)


@bp.get("/")
@role_required("coordinator", "admin")
def dashboard() -> str:
    return render_template(
        "sroi/review/dashboard.html",
        open_reviews=reviews.open_review_count(current_user),
        open_claims=len(claims.reviewable(current_user)),
        open_items=review_queue.open_count(current_user),
    )


@bp.get("/wachtrij")
@role_required("coordinator", "admin")
def queue() -> tuple[str, int]:
    try:
        wanted = review_queue.parse_filter(input_schema.query())
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
    form = input_schema.form()
    decision = form.get("decision", "")
    try:
        if decision == "approve":
            review_decisions.approve(current_user, contribution_id)
            flash(_("Goedgekeurd: de bijdrage telt mee."), "success")
        elif decision == "reject":
            review_decisions.reject(current_user, contribution_id, form.get("reason", ""))
            flash(_("Afgewezen. De opdrachtnemer ziet de reden en krijgt een mail."), "success")
        elif decision == "ask":
            question = form.get("question", "") or form.get("reason", "")
            review_decisions.ask(current_user, contribution_id, question)
            flash(_("Vraag verstuurd. De bijdrage wacht op het antwoord van de opdrachtnemer."), "success")
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
    ids = [n for n in map(input_schema.whole_or_none, input_schema.form().getlist("selected")[:500]) if n]
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
    decision = input_schema.form().get("decision", "")
    if decision not in ("approve", "reject"):
        abort(400)
    try:
        decide(current_user, item_id, decision == "approve", input_schema.form().get("reason", ""))
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
        wanted = audit_search.parse_filter(input_schema.query())
    except ServiceError as error:
        return render_template(
            "sroi/review/audit_log.html",
            entries=[],
            wanted=None,
            args=input_schema.query(),
            problem=str(error),
            more=False,
        ), 400
    entries, more = audit_search.search(current_user, wanted)
    return render_template(
        "sroi/review/audit_log.html",
        entries=entries,
        words=audit_words,
        contributions=audit_words.contributions_of([shown.entry for shown in entries]),
        wanted=wanted,
        args=input_schema.query(),
        problem=None,
        more=more,
    ), 200


@bp.get("/logboek.csv")
@role_required("coordinator", "admin")
def audit_log_export() -> Response:
    try:
        wanted = audit_search.parse_filter(input_schema.query())
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


@bp.get("/bijdragen/<int:contribution_id>/documenten/<int:document_id>")
@role_required("coordinator")
def document_file(contribution_id: int, document_id: int) -> Response:
    """One named document of a contribution in the coordinator's regions, as a download (404
    otherwise); opening a hire document is in the audit log."""
    try:
        return evidence.response(current_user, contribution_id, document_id=document_id)
    except LookupError:
        abort(404)


@bp.get("/bijdragen/<int:contribution_id>/bewijsstuk")
@role_required("coordinator")
def evidence_file(contribution_id: int) -> Response:
    """The evidence of a contribution in the coordinator's regions, as a download (404 otherwise);
    opening a hire document is in the audit log."""
    try:
        return evidence.response(current_user, contribution_id)
    except LookupError:
        abort(404)


@bp.get("/bijdragen/<int:contribution_id>")
@role_required("coordinator", "admin")
def contribution(contribution_id: int) -> str:
    """One contribution in the coordinator's regions: what it is, its evidence, the conversation
    with the contractor and, while it is pending, the decisions."""
    try:
        found = obligation_services.contribution_for_coordinator(current_user, contribution_id)
    except LookupError:
        abort(404)
    messages = conversation.thread(found.id)
    return render_template(
        "sroi/review/contribution.html",
        c=found,
        messages=messages,
        authors=conversation.authors(messages),
        form=DecisionForm(),
        here=request.path,
        documents_of=obligation_services.document_list,
    )


@bp.get("/bijdragen/<int:contribution_id>/berichten/<int:message_id>/bestand")
@role_required("coordinator")
def message_file(contribution_id: int, message_id: int) -> Response:
    """A file added to a message of the conversation, as a download (404 for anyone else)."""
    try:
        return evidence.response(current_user, contribution_id, message_id)
    except LookupError:
        abort(404)
