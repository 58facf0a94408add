"""The procurer's market scan pages at /inkoper/marktscan: ask (a GET form, so a scan is a link),
see the counts, the judgement, the lots and the list; export it; save it, share it with named
colleagues, run it again and see what changed. Every route checks the procurer role first."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as WerkzeugResponse

from marketplace.core import clock, tabular
from marketplace.core.refusals import ServiceError
from marketplace.core.web import input_schema
from marketplace.core.web.access import found_or_404, role_required
from marketplace.market_scan import exports, pdf, saved, services, words
from marketplace.market_scan.models import MarketScan
from matching.market_scan import BUCKETS, MAX_RADIUS_KM, Question

bp = Blueprint("market_scan", __name__)
ROLE = "procurer"
# The form's Dutch names -> the question's keys (the API and the command use the keys).
FIELDS = {"behoefte": "need", "cpv": "cpv", "plaats": "place", "straal": "radius_km", "begin": "starts_on",
          "einde": "ends_on", "drempel": "threshold"}  # fmt: skip
ASKED = ("behoefte", "cpv", "plaats")


class ScanForm(FlaskForm):
    """Only the CSRF token; fields are read from the request."""


def _defaults() -> dict[str, str]:
    today = clock.today()
    return {"straal": "50", "drempel": "3", "begin": today.isoformat(),
            "einde": (date(today.year + 2, today.month, 1) - timedelta(days=1)).isoformat()}  # fmt: skip


def _typed(source: Any) -> dict[str, str]:
    """What was typed, with the defaults where nothing was (shown in the form as they are used)."""
    typed = _defaults()
    typed.update({name: source.get(name, "") for name in FIELDS if name in source})
    return typed


def _question(typed: dict[str, str]) -> Question:
    return services.question_from({key: typed.get(name) for name, key in FIELDS.items()})


def _file(result: dict[str, Any], file_format: str, name: str, title: str | None = None) -> Response:
    if file_format == "csv":
        body, mimetype = exports.to_csv(result), tabular.CSV_MIMETYPE
    elif file_format == "xlsx":
        body, mimetype = exports.to_xlsx(result), tabular.XLSX_MIMETYPE
    else:
        body, mimetype = pdf.to_pdf(result, title), "application/pdf"
    disposition = f'attachment; filename="{name}.{file_format}"'
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": disposition})


def _page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    return render_template(
        template, buckets=BUCKETS, words=words, max_radius=MAX_RADIUS_KM, form=ScanForm(), **context
    ), status


@bp.get("/")
@role_required(ROLE)
def index() -> tuple[str, int]:
    source = input_schema.query()
    typed = _typed(source)
    asked = any(source.get(name, "").strip() for name in ASKED) or "plaats" in source
    result, problem = None, None
    if asked:
        try:
            question = _question(typed)
        except ServiceError as error:
            problem = str(error)
        else:
            found = services.run(question)
            result = services.scan_json(found, services.listed(found))
    return _page(
        "market_scan/index.html",
        400 if problem else 200,
        typed=typed,
        result=result,
        problem=problem,
        scans=saved.scans_for(current_user),
        query={name: typed[name] for name in FIELDS if name in typed},
    )


@bp.get("/export.<any(csv, xlsx, pdf):file_format>")
@role_required(ROLE)
def export(file_format: str) -> Response:
    try:
        question = _question(_typed(input_schema.query()))
    except ServiceError as error:
        input_schema.refuse(error)
    found = services.run(question)
    result = services.scan_json(found, services.listed(found))
    return _file(result, file_format, f"marktverkenning-{clock.today().isoformat()}")


@bp.post("/bewaren")
@role_required(ROLE)
def save() -> WerkzeugResponse | tuple[str, int]:
    if not ScanForm().validate_on_submit():
        abort(400)
    typed = _typed(input_schema.form())
    try:
        made = saved.save(current_user, input_schema.form().get("naam", ""), _question(typed))
    except ServiceError as error:
        flash(str(error), "error")
        query = {name: typed[name] for name in FIELDS if name in typed}
        return redirect(url_for("market_scan.index", **query))
    flash(_("Marktverkenning %(name)s bewaard.", name=made.name), "success")
    return redirect(url_for("market_scan.detail", scan_id=made.id))


def _mine(scan_id: int) -> MarketScan:
    return found_or_404(saved.scan_for, current_user, scan_id)


@bp.get("/<int:scan_id>")
@role_required(ROLE)
def detail(scan_id: int) -> tuple[str, int]:
    scan = _mine(scan_id)
    latest = scan.runs[-1].result
    change = saved.difference(scan.runs[-2].result, latest) if len(scan.runs) > 1 else None
    return _page(
        "market_scan/saved.html",
        scan=scan,
        result=latest,
        change=change,
        is_owner=scan.owner_id == current_user.id,
        previous=scan.runs[-2] if len(scan.runs) > 1 else None,
    )


def _checked() -> None:
    if not ScanForm().validate_on_submit():
        abort(400)


@bp.post("/<int:scan_id>/opnieuw")
@role_required(ROLE)
def rerun(scan_id: int) -> WerkzeugResponse:
    scan = _mine(scan_id)
    _checked()
    try:
        saved.rerun(current_user, scan)
    except ServiceError as error:  # a place that no longer exists after a municipal merger
        flash(str(error), "error")
    else:
        flash(_("Opnieuw uitgevoerd. Hieronder ziet u wat er veranderde."), "success")
    return redirect(url_for("market_scan.detail", scan_id=scan.id))


@bp.post("/<int:scan_id>/delen")
@role_required(ROLE)
def share(scan_id: int) -> WerkzeugResponse:
    """Invite one named colleague (their e-mail address); never a whole e-mail domain."""
    scan = _mine(scan_id)
    _checked()
    try:
        colleague = saved.invite(current_user, scan, input_schema.form().get("email", "")[:254])
    except PermissionError:
        abort(403)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(_("Gedeeld met %(email)s.", email=colleague.email), "success")
    return redirect(url_for("market_scan.detail", scan_id=scan.id))


@bp.post("/<int:scan_id>/delen/<int:member_id>/stoppen")
@role_required(ROLE)
def unshare(scan_id: int, member_id: int) -> WerkzeugResponse:
    scan = _mine(scan_id)
    _checked()
    try:
        saved.uninvite(current_user, scan, member_id)
    except PermissionError:
        abort(403)
    except LookupError:
        abort(404)
    flash(_("Niet meer gedeeld met deze collega."), "success")
    return redirect(url_for("market_scan.detail", scan_id=scan.id))


@bp.get("/<int:scan_id>/export.<any(csv, xlsx, pdf):file_format>")
@role_required(ROLE)
def saved_export(scan_id: int, file_format: str) -> Response:
    scan = _mine(scan_id)
    return _file(scan.runs[-1].result, file_format, f"marktverkenning-{scan.id}", scan.name)
