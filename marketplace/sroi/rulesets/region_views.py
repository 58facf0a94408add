"""Coordinator pages for what a region keeps itself: its lists of SW companies and learn-work
companies (add, take off; audit-logged), and the rule set of an obligation that waits for one
("wacht op regelset"). Registered on the coordinator blueprint; each route checks the role, and the
services check the region."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from marketplace.core.refusals import ServiceError
from marketplace.core.web import input_schema
from marketplace.core.web.access import role_required
from marketplace.core.web.areas import DecisionForm
from marketplace.core.web.areas import coordinator as bp
from marketplace.sroi.models import COMPANY_KINDS
from marketplace.sroi.obligations import waiting
from marketplace.sroi.rulesets import company_lists
from marketplace.sroi.rulesets import services as sroi_rulesets


def _lists_page(status: int = 200) -> tuple[str, int]:
    regions = sroi_rulesets.coordinator_regions(current_user)
    found = company_lists.entries([region.id for region in regions])
    return render_template(
        "sroi/rulesets/company_lists.html",
        regions=regions,
        entries=found,
        kinds=COMPANY_KINDS,
        kind_words=company_lists.KIND_WORDS,
        args=input_schema.form(),
        form=DecisionForm(),
    ), status


@bp.get("/bedrijvenlijsten")
@role_required("coordinator", "admin")
def company_lists_page() -> tuple[str, int]:
    return _lists_page()


@bp.post("/bedrijvenlijsten")
@role_required("coordinator", "admin")
def add_company() -> tuple[str, int] | Response:
    if not DecisionForm().validate_on_submit():
        abort(400)
    sent = input_schema.form()
    region_id = input_schema.whole_or_none(sent.get("region"), 1)
    if region_id is None:
        abort(400)
    try:
        row = company_lists.add(
            current_user, region_id, sent.get("kind", ""), sent.get("organisation", ""),
            sent.get("kvk", ""), sent.get("name", ""), sent.get("source", ""),
        )  # fmt: skip
    except PermissionError:
        abort(403)
    except ServiceError as error:
        flash(str(error), "error")
        return _lists_page(400)
    flash(_("%(name)s staat nu op de lijst.", name=row.name), "success")
    return redirect(url_for("coordinator.company_lists_page"))


@bp.post("/bedrijvenlijsten/<int:entry_id>/verwijderen")
@role_required("coordinator", "admin")
def remove_company(entry_id: int) -> Response:
    if not DecisionForm().validate_on_submit():
        abort(400)
    try:
        company_lists.remove(current_user, entry_id, input_schema.form().get("why", ""))
    except (LookupError, PermissionError):
        abort(404)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(_("Het bedrijf staat niet meer op de lijst."), "success")
    return redirect(url_for("coordinator.company_lists_page"))


@bp.post("/verplichtingen/<int:obligation_id>/regelset")
@role_required("coordinator", "admin")
def choose_obligation_ruleset(obligation_id: int) -> Response:
    if not DecisionForm().validate_on_submit():
        abort(400)
    try:
        waiting.choose_ruleset(current_user, obligation_id, input_schema.form().get("ruleset", ""))
    except LookupError:
        abort(404)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(_("De regelset is gekozen; elke bijdrage van de verplichting heeft nu haar waarde."), "success")
    return redirect(url_for("coordinator.queue"))
