"""Administrator pages: crawl runs and their figures, background jobs (and starting one)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, send_from_directory, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from marketplace.core.extensions import db
from marketplace.core.reasons import explain
from marketplace.core.web.access import role_required
from marketplace.operations import jobs
from marketplace.operations.models import Job
from marketplace.registers.models import CrawlRun

bp = Blueprint("admin", __name__)


@bp.get("/")
@role_required("admin")
def dashboard() -> str:
    return render_template("role_home.html", role="admin")


@bp.get("/crawls")
@role_required("admin")
def crawl_runs() -> str:
    runs = db.session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(200)).all()
    return render_template("operations/crawl_runs.html", runs=runs)


JOB_STATUS_TEXT = {
    "queued": _l("in de wachtrij"),
    "running": _l("bezig"),
    "retrying": _l("mislukt, wordt opnieuw geprobeerd"),
    "done": _l("klaar"),
    "failed": _l("mislukt"),
}
JOB_KIND_TEXT = {
    "crawl": _l("crawl"),
    "reindex": _l("zoekindex opnieuw opbouwen"),
    "export": _l("export"),
    "reminders": _l("herinneringen en overzichten"),
    "requests_digest": _l("inkoopvragen rondsturen"),
    "purge_documents": _l("bewijsstukken van aanstellingen wissen na de bewaartermijn"),
}


class StartJobForm(FlaskForm):
    kind = SelectField(
        _l("Taak"),
        choices=[SelectChoice(k, v) for k, v in JOB_KIND_TEXT.items()],
        validators=[DataRequired()],
    )
    register = SelectField(
        _l("Register (voor een crawl)"),
        choices=[
            SelectChoice("", "–"),
            SelectChoice("pso", "PSO"),
            SelectChoice("code", "Code Sociale Ondernemingen"),
            SelectChoice("senl", "Social Enterprise NL"),
        ],
    )


@bp.get("/taken")
@role_required("admin")
def job_list() -> str:
    recent = db.session.scalars(select(Job).order_by(Job.id.desc()).limit(100)).all()
    return render_template(
        "operations/jobs.html",
        jobs=recent,
        form=StartJobForm(),
        status_text=JOB_STATUS_TEXT,
        kind_text=JOB_KIND_TEXT,
        depth=jobs.queue_depth(),
        explain=explain,
    )


@bp.post("/taken")
@role_required("admin")
def start_job() -> Response | tuple[str, int]:
    form = StartJobForm()
    if not form.validate_on_submit() or (form.kind.data == "crawl" and not form.register.data):
        if form.kind.data == "crawl" and not form.register.data:
            form.register.errors = [_("Kies welk register u wilt crawlen.")]
        recent = db.session.scalars(select(Job).order_by(Job.id.desc()).limit(100)).all()
        return render_template(
            "operations/jobs.html",
            jobs=recent,
            form=form,
            status_text=JOB_STATUS_TEXT,
            kind_text=JOB_KIND_TEXT,
            depth=jobs.queue_depth(),
            explain=explain,
        ), 400
    params = {"register": form.register.data} if form.kind.data == "crawl" else {}
    job = jobs.submit(form.kind.data, requested_by=current_user._get_current_object(), **params)
    flash(_("Taak %(id)s staat in de wachtrij.", id=job.id), "success")
    return redirect(url_for("admin.job_list"))


@bp.get("/taken/export/<path:filename>")
@role_required("admin")
def job_export(filename: str) -> Response:
    return send_from_directory(current_app.config["EXPORT_DIR"], filename, as_attachment=True)
