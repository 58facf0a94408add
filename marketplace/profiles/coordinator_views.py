"""The coordinator's queue of claims that need a person's judgement (no code at the website's domain)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from marketplace.core.web import input_schema
from marketplace.core.web.access import role_required
from marketplace.core.web.areas import back_to
from marketplace.core.web.areas import coordinator as bp
from marketplace.profiles import claims
from marketplace.profiles.forms import ClaimDecisionForm


@bp.get("/claims")
@role_required("coordinator", "admin")
def claim_queue() -> str:
    return render_template(
        "profiles/claims.html", items=claims.reviewable(current_user), form=ClaimDecisionForm()
    )


@bp.post("/claims/<int:claim_id>")
@role_required("coordinator", "admin")
def decide_claim(claim_id: int) -> str | Response:
    form = ClaimDecisionForm()
    decision = input_schema.form().get("decision", "")
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
    if input_schema.form().get("next"):
        for message in form.reason.errors:
            flash(str(message), "error")
        return redirect(back_to("coordinator.claim_queue"))
    return render_template("profiles/claims.html", items=claims.reviewable(current_user), form=form), 400
