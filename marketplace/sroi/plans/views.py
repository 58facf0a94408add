"""Pages of an obligation's life. Contractors: propose the plan (a form of planned contributions
per contract year; a purchase added from the supplier ranking waits in a draft), and confirm a
progress report. Coordinators of the obligation's region: one page per obligation with the plan
and its decision buttons, progress per year, contract changes, deadlines and contributions.
Another region's or contractor's obligation is as unknown as a missing one (404)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from marketplace.core.reasons import block_name, show_date
from marketplace.core.refusals import ServiceError
from marketplace.core.web import areas, input_schema
from marketplace.core.web.access import found_or_404, role_required
from marketplace.core.web.areas import DecisionForm
from marketplace.core.web.limits import SUBMISSIONS_PER_ACCOUNT, limiter, signed_in_account
from marketplace.sroi.models import Obligation
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.obligations.owned import obligation_or_404
from marketplace.sroi.plans import changes, deadlines, overview
from marketplace.sroi.plans import services as plans
from marketplace.sroi.plans.models import Plan
from marketplace.sroi.rulesets import services as sroi_rulesets
from matching.sroi.plan_progress import contract_years

contractor = areas.contractor
coordinator = areas.coordinator
BLANK_ROWS = 3
MAX_ROWS = 60
ROW_FIELDS = ("jaar", "soort", "bouwblok", "leverancier", "bedrag", "uren_per_week", "maanden", "uren")


def _overseen(obligation_id: int) -> Obligation:
    return found_or_404(plans.obligation_for_coordinator, current_user, obligation_id)  # type: ignore[arg-type]


def _rows_of(plan: Plan | None) -> list[dict[str, str]]:
    """A plan's lines as the form's rows (to change and send again)."""
    rows = []
    for line in plan.lines if plan else []:
        rows.append(
            {
                "jaar": str(line.year),
                "soort": line.kind,
                "bouwblok": line.block or "",
                "leverancier": line.organisation.slug if line.organisation else "",
                "bedrag": f"{line.amount_cents / 100:.2f}" if line.amount_cents is not None else "",
                "uren_per_week": str(line.hours_per_week or "").replace(".00", ""),
                "maanden": str(line.months or ""),
                "uren": str(line.hours or "").replace(".00", ""),
            }
        )
    return rows


def _posted_rows() -> list[dict[str, str]]:
    sent = input_schema.form()
    rows = []
    for index in range(MAX_ROWS):
        row = {name: (sent.get(f"regel-{index}-{name}") or "").strip() for name in ROW_FIELDS}
        if f"regel-{index}-soort" not in sent:
            break
        rows.append(row)
    return rows


def _line(row: dict[str, str]) -> dict[str, Any]:
    """A form row in the service's shape (JSON, as the command line and the API send it)."""
    line: dict[str, Any] = {"year": row["jaar"], "kind": row["soort"]}
    if row["soort"] == "purchase":
        line.update(supplier=row["leverancier"], amount_excl_vat=row["bedrag"])
    elif row["soort"] == "hire":
        line.update(block=row["bouwblok"], hours_per_week=row["uren_per_week"], months=row["maanden"] or None)
    else:
        line.update(hours=row["uren"])
    return line


def _plan_page(
    obligation: Obligation, rows: list[dict[str, str]], note: str = "", status: int = 200
) -> tuple[str, int]:
    rules = sroi_rulesets.rules(obligation.ruleset_id)
    english = str(get_locale() or "nl").startswith("en")
    blocks = [
        (name, (block.en if english else block.nl) or block_name(name)) for name, block in rules.hires.items()
    ]
    blank = {name: "" for name in ROW_FIELDS}
    return render_template(
        "sroi/plans/plan_form.html",
        obligation=obligation,
        life=overview.of(obligation),
        rows=[*rows, *([blank] * BLANK_ROWS)],
        years=contract_years(obligation.starts_on, obligation.ends_on),
        blocks=blocks,
        rules=rules,
        note=note,
        form=DecisionForm(),
    ), status


@contractor.get("/verplichtingen/<int:obligation_id>/plan")
@role_required("contractor")
def plan(obligation_id: int) -> tuple[str, int]:
    found = obligation_or_404(obligation_id)
    draft = plans.draft_of(found.id)
    return _plan_page(found, _rows_of(draft or plans.latest(found.id)))


@contractor.post("/verplichtingen/<int:obligation_id>/plan")
@role_required("contractor")
@limiter.limit(SUBMISSIONS_PER_ACCOUNT, key_func=signed_in_account)
def propose_plan(obligation_id: int) -> tuple[str, int] | Response:
    found = obligation_or_404(obligation_id)
    rows = _posted_rows()
    note = (input_schema.form().get("toelichting") or "").strip()
    if not DecisionForm().validate_on_submit():
        flash(_("Het formulier is verlopen. Probeer het opnieuw."), "error")
        return _plan_page(found, rows, note, 400)
    lines = [_line(row) for row in rows if row["soort"]]
    try:
        plans.propose(found, current_user, {"lines": lines, "note": note})  # type: ignore[arg-type]
    except ServiceError as error:
        flash(str(error), "error")
        return _plan_page(found, rows, note, 400)
    flash(_("Uw plan is verstuurd. De coördinator van de regio beoordeelt het."), "success")
    return redirect(url_for("contractor.obligation", obligation_id=found.id) + "#plan")


@contractor.post("/verplichtingen/<int:obligation_id>/plan/inkoop")
@role_required("contractor")
def plan_add_purchase(obligation_id: int) -> Response:
    """From the supplier ranking ("Opnemen in plan"): the purchase joins the draft plan."""
    found = obligation_or_404(obligation_id)
    if not DecisionForm().validate_on_submit():
        abort(400)
    sent = input_schema.form()
    try:
        plans.add_to_draft(found, current_user, sent.get("leverancier"), sent.get("bedrag"))  # type: ignore[arg-type]
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(url_for("contractor.suppliers", obligation_id=found.id))
    flash(_("De inkoop staat in uw concept-plan. Vul het bedrag aan en verstuur het plan."), "success")
    return redirect(url_for("contractor.plan", obligation_id=found.id))


@contractor.post("/verplichtingen/<int:obligation_id>/rapportage")
@role_required("contractor")
def confirm_report(obligation_id: int) -> Response:
    found = obligation_or_404(obligation_id)
    if not DecisionForm().validate_on_submit():
        abort(400)
    try:
        deadline = deadlines.confirm_report(current_user, found)  # type: ignore[arg-type]
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(
            _("Uw voortgangsrapportage tot %(day)s is bevestigd.", day=show_date(deadline.due_on)), "success"
        )
    return redirect(url_for("contractor.obligation", obligation_id=found.id) + "#rapportages")


# --- The coordinator's page of one obligation ---------------------------------------------------


def _coordinator_page(found: Obligation, status: int = 200) -> tuple[str, int]:
    return render_template(
        "sroi/plans/coordinator_obligation.html",
        obligation=found,
        life=overview.of(found),
        contributions=obligations.contributions_of(found),
        form=DecisionForm(),
    ), status


@coordinator.get("/verplichtingen/<int:obligation_id>")
@role_required("coordinator", "admin")
def obligation(obligation_id: int) -> tuple[str, int]:
    return _coordinator_page(_overseen(obligation_id))


@coordinator.post("/verplichtingen/<int:obligation_id>/plan/<int:plan_id>")
@role_required("coordinator", "admin")
def decide_plan(obligation_id: int, plan_id: int) -> tuple[str, int] | Response:
    found = _overseen(obligation_id)
    if not DecisionForm().validate_on_submit():
        abort(400)
    sent = input_schema.form()
    decision, words = sent.get("besluit"), sent.get("toelichting", "")
    try:
        if decision == "goedkeuren":
            plans.approve(plan_id, current_user, words)  # type: ignore[arg-type]
            flash(_("Het plan is goedgekeurd."), "success")
        elif decision == "wijzigen":
            plans.ask_changes(plan_id, current_user, words)  # type: ignore[arg-type]
            flash(_("U heeft om wijzigingen gevraagd. De opdrachtnemer krijgt uw reden te zien."), "success")
        else:
            abort(400)
    except LookupError:
        abort(404)
    except ServiceError as error:
        flash(str(error), "error")
        return _coordinator_page(found, 400)
    return redirect(url_for("coordinator.obligation", obligation_id=found.id) + "#plan")


@coordinator.post("/verplichtingen/<int:obligation_id>/wijzigingen")
@role_required("coordinator", "admin")
def change_contract(obligation_id: int) -> tuple[str, int] | Response:
    found = _overseen(obligation_id)
    if not DecisionForm().validate_on_submit():
        abort(400)
    sent = input_schema.form()
    data = {
        "kind": sent.get("soort"),
        "amount_excl_vat": sent.get("bedrag"),
        "ends_on": sent.get("einddatum"),
        "agreed_on": sent.get("datum"),
        "reason": sent.get("reden"),
    }
    try:
        changes.apply(current_user, found, data)  # type: ignore[arg-type]
    except ServiceError as error:
        flash(str(error), "error")
        return _coordinator_page(found, 400)
    flash(_("De contractwijziging is vastgelegd. Het verplichte bedrag is bijgewerkt."), "success")
    return redirect(url_for("coordinator.obligation", obligation_id=found.id) + "#wijzigingen")


@coordinator.post("/verplichtingen/<int:obligation_id>/rapportagedata")
@role_required("coordinator", "admin")
def set_deadlines(obligation_id: int) -> tuple[str, int] | Response:
    found = _overseen(obligation_id)
    if not DecisionForm().validate_on_submit():
        abort(400)
    sent = input_schema.form()
    try:
        deadlines.set_schedule(
            current_user,
            found,
            {
                "interval_months": sent.get("maanden"),  # type: ignore[arg-type]
                "dates": sent.get("data", ""),
            },
        )
    except ServiceError as error:
        flash(str(error), "error")
        return _coordinator_page(found, 400)
    flash(_("De rapportagedata zijn vastgelegd."), "success")
    return redirect(url_for("coordinator.obligation", obligation_id=found.id) + "#rapportages")
