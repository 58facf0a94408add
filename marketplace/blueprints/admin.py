"""Administrator pages: crawl runs and their figures."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from marketplace.access import role_required
from marketplace.extensions import db
from marketplace.models import CrawlRun

bp = Blueprint("admin", __name__)


@bp.get("/")
@role_required("admin")
def dashboard() -> str:
    return render_template("role_home.html", role="admin")


@bp.get("/crawls")
@role_required("admin")
def crawl_runs() -> str:
    runs = db.session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(200)).all()
    return render_template("admin/crawl_runs.html", runs=runs)
