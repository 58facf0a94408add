"""The coordinator's monitor of their regions' obligations (with the at-risk thresholds they set)
and the reports for their councils, on screen with charts and as CSV and Excel. Registered on
the coordinator blueprint."""

from __future__ import annotations

from flask import Response as FlaskResponse
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from marketplace.core import clock, tabular
from marketplace.core.refusals import ServiceError
from marketplace.core.web import input_schema
from marketplace.core.web.access import role_required
from marketplace.core.web.areas import DecisionForm
from marketplace.core.web.areas import coordinator as bp
from marketplace.sroi.reports import monitoring
from marketplace.sroi.reports import services as sroi_reports
from marketplace.sroi.reports import tables as report_tables
from marketplace.sroi.rulesets import services as sroi_rulesets
from marketplace.sroi.settlement import status as settlement_status


def _regions() -> list:  # type: ignore[type-arg]
    return sroi_rulesets.coordinator_regions(current_user)


@bp.get("/monitor")
@role_required("coordinator", "admin")
def monitor() -> tuple[str, int]:
    regions = _regions()
    allowed = {region.id for region in regions}
    chosen = input_schema.query().get("regio", "")
    problem = None
    if chosen:
        if input_schema.whole_or_none(chosen) not in allowed:
            problem = _("Kies een van uw regio’s.")
            chosen_ids = allowed
        else:
            chosen_ids = {int(chosen)}
    else:
        chosen_ids = allowed
    return render_template(
        "sroi/reports/monitor.html",
        overview=monitoring.overview(chosen_ids),
        regions=regions,
        chosen=chosen if not problem else "",
        problem=problem,
        form=DecisionForm(),
        today=clock.today(),
        ending_days=monitoring.ENDING_WITHIN_DAYS,
        waiting_days=monitoring.WAITING_DAYS,
        limit=monitoring.LIST_LIMIT,
        regions_shown=len(chosen_ids),
        status_words=settlement_status.STATUS_WORDS,
    ), (400 if problem else 200)


@bp.post("/monitor/<int:region_id>/drempels")
@role_required("coordinator", "admin")
def set_thresholds(region_id: int) -> Response:
    if not DecisionForm().validate_on_submit():
        abort(400)
    try:
        monitoring.set_thresholds(
            current_user,
            region_id,
            input_schema.form().get("fulfilled_below", ""),
            input_schema.form().get("time_left_below", ""),
        )
    except PermissionError:
        abort(404)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(_("De drempels voor ‘loopt achter’ zijn opgeslagen."), "success")
    return redirect(url_for("coordinator.monitor", regio=region_id))


def _report() -> tuple[str, sroi_reports.ReportFilter | None, sroi_reports.Report | None, str | None]:
    view = input_schema.query().get("weergave", "authority")
    try:
        wanted = sroi_reports.parse_filter(input_schema.query(), {region.id for region in _regions()})
        return view, wanted, sroi_reports.build(view, wanted), None
    except ServiceError as error:
        return "authority", None, None, str(error)


@bp.get("/rapportages")
@role_required("coordinator", "admin")
def reports() -> tuple[str, int]:
    view, wanted, report, problem = _report()
    return render_template(
        "sroi/reports/reports.html",
        view=view,
        views=sroi_reports.VIEWS,
        titles=sroi_reports.TITLES,
        wanted=wanted,
        report=report,
        chart=report_tables.chart(report) if report else None,
        cell=report_tables.shown,
        regions=_regions(),
        args=input_schema.query(),
        problem=problem,
    ), (400 if problem else 200)


@bp.get("/rapportages.<any(csv, xlsx):file_format>")
@role_required("coordinator", "admin")
def report_export(file_format: str) -> Response:
    view, wanted, report, problem = _report()
    if report is None or wanted is None:
        flash(problem or "", "error")
        return redirect(url_for("coordinator.reports"))
    headers, rows = report_tables.table(report)
    described = report_tables.describe(view, wanted)
    name = f"impactmarkt-sroi-{view}-{clock.today().isoformat()}.{file_format}"
    if file_format == "csv":
        body, mimetype = tabular.table_csv(headers, rows, described), tabular.CSV_MIMETYPE
    else:
        body = tabular.table_xlsx(str(sroi_reports.TITLES[view]), headers, rows, described)
        mimetype = tabular.XLSX_MIMETYPE
    return FlaskResponse(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
