"""Pages for SROI coordinators: the review queue of possible duplicates in their regions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from marketplace.core.web import input_schema
from marketplace.core.web.access import role_required
from marketplace.core.web.areas import DecisionForm, back_to
from marketplace.core.web.areas import coordinator as bp
from marketplace.resolution import review_queue as reviews


@bp.get("/dubbelen")
@role_required("coordinator", "admin")
def review_queue() -> str:
    return render_template(
        "resolution/reviews.html", items=reviews.open_reviews(current_user), form=DecisionForm()
    )


@bp.post("/dubbelen/<int:review_id>")
@role_required("coordinator", "admin")
def decide(review_id: int) -> Response:
    form = DecisionForm()
    decision = input_schema.form().get("decision", "")
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
