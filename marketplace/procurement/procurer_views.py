"""Pages for the procurer role: their lists and purchase requests in one place; each route
checks the role before anything else."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from marketplace.core.web.access import role_required
from marketplace.procurement import purchase_requests, shortlists

bp = Blueprint("procurer", __name__)


@bp.get("/")
@role_required("procurer")
def dashboard() -> str:
    return render_template(
        "procurement/dashboard.html",
        lists=shortlists.lists_for(current_user),
        requests=purchase_requests.requests_of(current_user),
    )
