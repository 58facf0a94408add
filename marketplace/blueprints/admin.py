"""Pages for the admin role; each route checks the role before anything else."""

from __future__ import annotations

from flask import Blueprint, render_template

from marketplace.access import role_required

bp = Blueprint("admin", __name__)


@bp.get("/")
@role_required("admin")
def dashboard() -> str:
    return render_template("role_home.html", role="admin")
