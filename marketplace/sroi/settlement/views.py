"""Settlement pages: the coordinator settles an obligation of their region (or corrects its
settlement, with a reason) at /coordinator/verplichtingen/<id>/afrekening; the contractor and the
region's coordinators download the letter (anyone else gets a 404); the contractor reports that a
person is still employed at /opdrachtnemer/verplichtingen/<id>/impact."""

from __future__ import annotations

from flask import Response as FlaskResponse
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from marketplace.core import clock
from marketplace.core.refusals import ServiceError
from marketplace.core.web import areas, input_schema
from marketplace.core.web.access import found_or_404, role_required
from marketplace.core.web.areas import DecisionForm
from marketplace.sroi.models import Obligation
from marketplace.sroi.obligations.owned import obligation_or_404
from marketplace.sroi.settlement import impact, letter, status
from marketplace.sroi.settlement import services as settlement
from marketplace.sroi.settlement.models import CONSEQUENCES

FIELDS = ("consequence", "consequence_text", "consequence_amount", "reason")


def _coordinated(obligation_id: int) -> Obligation:
    return found_or_404(settlement.obligation_for_coordinator, current_user, obligation_id)


def _settle_page(
    obligation: Obligation, entered: dict[str, str] | None = None, code: int = 200
) -> tuple[str, int]:
    found = settlement.figures(obligation)
    row = settlement.current(obligation.id)
    state = status.status_of(
        found.required_cents, found.realised_cents, obligation.ends_on, clock.today(), row is not None
    )
    return render_template(
        "sroi/settlement/settle.html",
        obligation=obligation,
        figures=found,
        current=row,
        history=settlement.history(obligation.id),
        state=state,
        status_words=status.STATUS_WORDS,
        kind_words=letter.KIND_WORDS,
        consequence_words=letter.CONSEQUENCE_WORDS,
        consequences=CONSEQUENCES,
        impact=impact.of_obligation(obligation),
        entered=entered or {},
        form=DecisionForm(),
    ), code


@areas.coordinator.get("/verplichtingen/<int:obligation_id>/afrekening")
@role_required("coordinator", "admin")
def settle_page(obligation_id: int) -> tuple[str, int]:
    return _settle_page(_coordinated(obligation_id))


@areas.coordinator.post("/verplichtingen/<int:obligation_id>/afrekening")
@role_required("coordinator", "admin")
def settle(obligation_id: int) -> tuple[str, int] | Response:
    obligation = _coordinated(obligation_id)
    if not DecisionForm().validate_on_submit():
        abort(400)
    entered = {name: input_schema.form().get(name, "") for name in FIELDS}
    try:
        settlement.settle_or_correct(current_user, obligation.id, entered)
    except ServiceError as error:
        flash(str(error), "error")
        return _settle_page(obligation, entered, 400)
    flash(_("De afrekening is vastgelegd."), "success")
    return redirect(url_for("coordinator.settle_page", obligation_id=obligation.id))


def _letter(obligation: Obligation) -> Response:
    row = settlement.current(obligation.id)
    if row is None:
        abort(404)
    wanted = input_schema.query().get("taal", "") or str(get_locale() or "nl")[:2]
    language = wanted if wanted in letter.LANGUAGES else "nl"
    name = f"afrekening-{obligation.id}-{row.settled_on.isoformat()}-{language}.pdf"
    return FlaskResponse(
        letter.render(row, language),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@areas.coordinator.get("/verplichtingen/<int:obligation_id>/afrekening.pdf")
@role_required("coordinator", "admin")
def settlement_letter(obligation_id: int) -> Response:
    return _letter(_coordinated(obligation_id))


@areas.contractor.get("/verplichtingen/<int:obligation_id>/afrekening.pdf")
@role_required("contractor")
def contractor_letter(obligation_id: int) -> Response:
    return _letter(obligation_or_404(obligation_id))


def _impact_page(
    obligation: Obligation, entered: dict[str, str] | None = None, code: int = 200
) -> tuple[str, int]:
    return render_template(
        "sroi/settlement/impact.html",
        obligation=obligation,
        impact=impact.of_obligation(obligation),
        people=impact.people_table(obligation),
        references=impact.references(obligation),
        settled=settlement.current(obligation.id),
        today=clock.today(),
        entered=entered or {},
        form=DecisionForm(),
    ), code


@areas.contractor.get("/verplichtingen/<int:obligation_id>/impact")
@role_required("contractor")
def impact_page(obligation_id: int) -> tuple[str, int]:
    return _impact_page(obligation_or_404(obligation_id))


@areas.contractor.post("/verplichtingen/<int:obligation_id>/impact")
@role_required("contractor")
def report_still_employed(obligation_id: int) -> tuple[str, int] | Response:
    obligation = obligation_or_404(obligation_id)
    if not DecisionForm().validate_on_submit():
        abort(400)
    entered = {name: input_schema.form().get(name, "") for name in ("person_reference", "employed_on")}
    try:
        impact.report_still_employed(current_user, obligation, entered)
    except ServiceError as error:
        flash(str(error), "error")
        return _impact_page(obligation, entered, 400)
    flash(_("Opgeslagen: deze persoon is nog in dienst."), "success")
    return redirect(url_for("contractor.impact_page", obligation_id=obligation.id))
