"""Coordinator pages for SROI rule sets and contributions: see every version with its
unconfirmed figures, save a new version of a rule set their region uses (who, when, why),
copy one into a new rule set, choose their region's default; see the contributions in their
regions and value one again under the current rule-set version (audit-logged). Registered on
the coordinator blueprint."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from marketplace.core.reasons import money
from marketplace.core.refusals import ServiceError
from marketplace.core.web import input_schema
from marketplace.core.web.access import role_required
from marketplace.core.web.areas import DecisionForm
from marketplace.core.web.areas import coordinator as bp
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.obligations import waiting
from marketplace.sroi.rulesets import services as sroi_rulesets


@bp.get("/regelsets")
@role_required("coordinator", "admin")
def rulesets() -> str:
    regions = sroi_rulesets.coordinator_regions(current_user)
    return render_template(
        "sroi/rulesets/rulesets.html",
        rulesets=sroi_rulesets.listing(),
        defaults=[(region, sroi_rulesets.region_ruleset(region)) for region in regions],
        form=DecisionForm(),
    )


@bp.get("/regelsets/<ruleset_id>")
@role_required("coordinator", "admin")
def ruleset(ruleset_id: str) -> str:
    try:
        current = sroi_rulesets.version_row(ruleset_id)
    except ServiceError:
        abort(404)
    return render_template(
        "sroi/rulesets/ruleset.html",
        current=current,
        figures=sroi_rulesets.figures(current.data),
        versions=sroi_rulesets.versions(ruleset_id),
        may_edit=sroi_rulesets.may_edit(current_user, ruleset_id),
        form=DecisionForm(),
    )


@bp.post("/regelsets/<ruleset_id>")
@role_required("coordinator", "admin")
def edit_ruleset(ruleset_id: str) -> Response:
    if not DecisionForm().validate_on_submit():
        abort(400)
    values = {key[2:]: value for key, value in input_schema.form().items() if key.startswith("f:")}
    try:
        saved = sroi_rulesets.edit(current_user, ruleset_id, values, input_schema.form().get("why", ""))
    except PermissionError:
        abort(403)
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(url_for("coordinator.ruleset", ruleset_id=ruleset_id))
    if saved is not None and saved.ruleset_id != ruleset_id:
        flash(_("Andere regio’s gebruiken deze regelset ook. Uw regio’s hebben een eigen kopie gekregen; "
                "uw wijziging wacht daarin op de beoordeling van een collega."), "success")  # fmt: skip
        return redirect(url_for("coordinator.ruleset", ruleset_id=saved.ruleset_id))
    if saved is None:
        flash(_("Niets veranderd: er is geen nieuwe versie gemaakt."), "success")
    else:
        flash(_("Versie %(version)s opgeslagen.", version=saved.version), "success")
    return redirect(url_for("coordinator.ruleset", ruleset_id=ruleset_id))


@bp.post("/regelsets/<ruleset_id>/kopie")
@role_required("coordinator", "admin")
def copy_ruleset(ruleset_id: str) -> Response:
    if not DecisionForm().validate_on_submit():
        abort(400)
    form = input_schema.form()
    try:
        row = sroi_rulesets.copy_as_new(
            current_user, ruleset_id, form.get("new_id", ""), form.get("name", ""), form.get("why", "")
        )
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(url_for("coordinator.ruleset", ruleset_id=ruleset_id))
    flash(_("Nieuwe regelset %(id)s gemaakt.", id=row.ruleset_id), "success")
    return redirect(url_for("coordinator.ruleset", ruleset_id=row.ruleset_id))


@bp.post("/regelsets/regio/<int:region_id>")
@role_required("coordinator", "admin")
def choose_default(region_id: int) -> Response:
    if not DecisionForm().validate_on_submit():
        abort(400)
    try:
        sroi_rulesets.choose_region_default(current_user, region_id, input_schema.form().get("ruleset", ""))
    except PermissionError:
        abort(403)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(_("De regelset van de regio is gewijzigd."), "success")
        settled = waiting.settle_region(current_user, region_id)
        if settled:
            said = _("Verplichtingen die wachtten op regelset en nu hun waarde hebben: %(num)s.", num=settled)
            flash(said, "success")
    return redirect(url_for("coordinator.rulesets"))


@bp.get("/bijdragen")
@role_required("coordinator", "admin")
def contributions() -> str:
    return render_template(
        "sroi/rulesets/contributions.html",
        contributions=obligations.contributions_in_regions(current_user),
        form=DecisionForm(),
    )


@bp.post("/bijdragen/<int:contribution_id>/herwaarderen")
@role_required("coordinator", "admin")
def revalue(contribution_id: int) -> Response:
    if not DecisionForm().validate_on_submit():
        abort(400)
    try:
        found = obligations.contribution_for_coordinator(current_user, contribution_id)
        prepared = obligations.revalue(found, current_user, input_schema.form().get("why", ""))
    except LookupError:
        abort(404)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        said = _(
            "Opnieuw gewaardeerd onder versie %(version)s: %(amount)s.",
            version=prepared.valuation.version,
            amount=money(prepared.valuation.amount),
        )
        flash(said, "success")
    return redirect(url_for("coordinator.contributions"))
