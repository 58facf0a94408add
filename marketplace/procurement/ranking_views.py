"""Contractor pages for suppliers: the ranking for an obligation with every score's parts in
words, what spend with each closes how much of the gap, a combination within a budget; the
shortlist of kept suppliers, contacting them through the platform and recording the outcome.
Registered on the contractor blueprint."""

from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.core.web import input_schema
from marketplace.core.web.access import role_required
from marketplace.core.web.areas import DecisionForm
from marketplace.core.web.areas import contractor as bp
from marketplace.organisations.labels import REGISTER_SHORT_NAMES
from marketplace.procurement import supplier_matching
from marketplace.sroi import matches
from marketplace.sroi.models import Obligation, SupplierMatch
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.obligations.owned import obligation_or_404
from matching.ranking import combination, gap_share, within_km

SHOWN = 20
FEW = 3  # fewer fitting suppliers than this: the page says so


def _amount(name: str, said: str) -> tuple[Decimal | None, str | None]:
    value = input_schema.query().get(name, "").strip()
    if not value:
        return None, None
    try:
        return obligations.money(value, name), None
    except ServiceError:
        return None, str(ServiceError("match.bad_budget", field=said))


def _page() -> tuple[int, str | None]:
    page = input_schema.whole_or_none(input_schema.query().get("pagina", "1").strip() or "1", 1, 100)
    if page is None:  # ASCII digits within bounds only: "²" passes isdigit() but not int()
        return 1, _("Kies een pagina van 1 tot en met 100.")
    return page, None


@bp.get("/verplichtingen/<int:obligation_id>/leveranciers")
@role_required("contractor")
def suppliers(obligation_id: int) -> tuple[str, int]:
    obligation = obligation_or_404(obligation_id)
    include_uncounted = input_schema.query().get("alles") == "1"
    page, page_problem = _page()
    need, lists = supplier_matching.ranking_lists_for(
        obligation, SHOWN * page + 1, include_uncounted=include_uncounted
    )
    fitting = lists.near
    more = len(fitting) > SHOWN * page
    ranked = fitting[SHOWN * (page - 1) : SHOWN * page]
    uncounted_fit = 0
    if not fitting and not lists.further and not include_uncounted:
        uncounted_fit = len(supplier_matching.ranking_for(obligation, SHOWN, include_uncounted=True)[1])
    spend, spend_problem = _amount("besteding", _("het bedrag dat u besteedt"))
    budget, budget_problem = _amount("budget", _("uw budget"))
    problem = spend_problem or budget_problem or page_problem
    found = combination(fitting, need.remaining, budget) if budget is not None else None
    partly = any(0 < item.share < 1 for item in fitting[:10])
    per_part = supplier_matching.ranking_per_part(obligation) if page == 1 else []
    kept = {match.organisation_id: match for match in matches.matches_of(obligation)}
    return render_template(
        "procurement/suppliers.html",
        obligation=obligation,
        need=need,
        ranked=ranked,
        gaps={item.candidate.organisation_id: gap_share(item, need.remaining, spend) for item in ranked},
        spend=spend,
        budget=budget,
        combination=found,
        kept=kept,
        reachable={match.id: matches.reachable(match.organisation) for match in kept.values()},
        register_names=REGISTER_SHORT_NAMES,
        include_uncounted=include_uncounted,
        problem=problem,
        page=page,
        more=more,
        few=0 < lists.near_count < FEW,
        fitting_count=lists.near_count,
        further=lists.further if page == 1 else [],
        further_count=lists.further_count,
        within_km=round(within_km(need)),
        uncounted_fit=uncounted_fit,
        partly=partly,
        per_part=per_part,
        form=DecisionForm(),
        args=input_schema.query(),
        args_without_page={
            key: value
            for key, value in input_schema.query().items()
            if key in ("alles", "besteding", "budget")
        },
    ), (400 if problem else 200)


@bp.post("/verplichtingen/<int:obligation_id>/leveranciers/<int:organisation_id>/bewaren")
@role_required("contractor")
def keep_supplier(obligation_id: int, organisation_id: int) -> Response:
    obligation = obligation_or_404(obligation_id)
    if not DecisionForm().validate_on_submit():
        abort(400)
    _need, ranked = supplier_matching.ranking_for(obligation, 500, include_uncounted=True)
    item = next((entry for entry in ranked if entry.candidate.organisation_id == organisation_id), None)
    if item is None:
        abort(404)
    matches.keep(obligation, item)
    flash(_("%(name)s staat op uw lijst.", name=item.candidate.name), "success")
    return redirect(url_for("contractor.suppliers", obligation_id=obligation.id) + "#lijst")


def _own_match(obligation: Obligation, match_id: int) -> SupplierMatch:
    match = db.session.get(SupplierMatch, match_id)
    if match is None or match.obligation_id != obligation.id:
        abort(404)
    return match


@bp.post("/verplichtingen/<int:obligation_id>/matches/<int:match_id>/contact")
@role_required("contractor")
def contact_supplier(obligation_id: int, match_id: int) -> Response:
    obligation = obligation_or_404(obligation_id)
    match = _own_match(obligation, match_id)
    if not DecisionForm().validate_on_submit():
        abort(400)
    try:
        matches.contact(obligation, current_user, match, input_schema.form().get("message", ""))
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(_("Uw bericht is verstuurd naar %(name)s.", name=match.organisation.name), "success")
    return redirect(url_for("contractor.suppliers", obligation_id=obligation.id) + "#lijst")


@bp.post("/verplichtingen/<int:obligation_id>/matches/<int:match_id>/uitkomst")
@role_required("contractor")
def match_outcome(obligation_id: int, match_id: int) -> Response:
    obligation = obligation_or_404(obligation_id)
    match = _own_match(obligation, match_id)
    if not DecisionForm().validate_on_submit():
        abort(400)
    try:
        matches.record_outcome(obligation, current_user, match, input_schema.form().get("outcome", ""))
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(_("Vastgelegd. De SROI-coördinator ziet het."), "success")
    return redirect(url_for("contractor.suppliers", obligation_id=obligation.id) + "#lijst")
