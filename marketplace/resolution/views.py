"""Pages for SROI coordinators: the review queue of possible duplicates in their regions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from marketplace.access import is_same_site_path, role_required
from marketplace.forms import ClaimDecisionForm
from marketplace.services import claims, reviews
from marketplace.services.review_queue import open_count as open_queue_count

bp = Blueprint("coordinator", __name__)


class DecisionForm(FlaskForm):
    """Only the CSRF token; the pressed button carries the decision."""


def back_to(default_endpoint: str) -> str:
    """Where to go after a decision: the page it was made on (the queue, with its filters) or the default."""
    target = request.form.get("next", "")
    if target and len(target) <= 2000 and is_same_site_path(target):
        return target
    return url_for(default_endpoint)


@bp.get("/")
@role_required("coordinator", "admin")
def dashboard() -> str:
    return render_template(
        "coordinator/dashboard.html",
        open_reviews=reviews.open_review_count(current_user),
        open_claims=len(claims.reviewable(current_user)),
        open_items=open_queue_count(current_user),
    )


@bp.get("/dubbelen")
@role_required("coordinator", "admin")
def review_queue() -> str:
    return render_template(
        "coordinator/reviews.html", items=reviews.open_reviews(current_user), form=DecisionForm()
    )


@bp.post("/dubbelen/<int:review_id>")
@role_required("coordinator", "admin")
def decide(review_id: int) -> Response:
    form = DecisionForm()
    decision = request.form.get("decision", "")
    if not form.validate_on_submit() or decision not in reviews.DECISIONS:
        abort(400)
    try:
        reviews.decide(review_id, current_user, decision)
    except reviews.NotYourRegion:
        abort(404)
    except reviews.AlreadyDecided:
        flash(_("Over dit paar is al beslist."), "error")
        return redirect(back_to("coordinator.review_queue"))
    if decision == "merge":
        flash(_("Samengevoegd: de twee inschrijvingen horen nu bij één onderneming."), "success")
    else:
        flash(_("Gescheiden: de twee inschrijvingen blijven aparte ondernemingen."), "success")
    return redirect(back_to("coordinator.review_queue"))


@bp.get("/claims")
@role_required("coordinator", "admin")
def claim_queue() -> str:
    return render_template(
        "coordinator/claims.html", items=claims.reviewable(current_user), form=ClaimDecisionForm()
    )


@bp.post("/claims/<int:claim_id>")
@role_required("coordinator", "admin")
def decide_claim(claim_id: int) -> str | Response:
    form = ClaimDecisionForm()
    decision = request.form.get("decision", "")
    if decision not in ("approve", "reject"):
        abort(400)
    if form.validate_on_submit():
        try:
            claims.decide(claim_id, current_user, decision == "approve", form.reason.data or "")
        except PermissionError:
            abort(404)
        except claims.ClaimError as error:
            flash(str(error), "error")
        else:
            flash(_("Uw beslissing is opgeslagen en de aanvrager krijgt bericht."), "success")
            return redirect(back_to("coordinator.claim_queue"))
    if request.form.get("next"):
        for message in form.reason.errors:
            flash(str(message), "error")
        return redirect(back_to("coordinator.claim_queue"))
    return render_template("coordinator/claims.html", items=claims.reviewable(current_user), form=form), 400
