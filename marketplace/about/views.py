"""Pages a visitor expects: what Impactmarkt is, how the crawler works (its user agent points
here), the privacy and accessibility statements, contact; and the favicon. Registered on the
public blueprint; the texts are in the templates, in plain Dutch with English translations."""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from werkzeug.wrappers import Response

from marketplace.core.web.areas import public as bp


def _page(name: str) -> str:
    return render_template(f"about/{name}.html", contact=current_app.config["CONTACT_EMAIL"],
                           grace_days=current_app.config["GRACE_DAYS"],
                           hire_document_months=current_app.config["HIRE_DOCUMENT_MONTHS"])  # fmt: skip


@bp.get("/over")
def about() -> str:
    return _page("about")


@bp.get("/over/crawler")
def crawler() -> str:
    return _page("crawler")


@bp.get("/privacy")
def privacy() -> str:
    return _page("privacy")


@bp.get("/toegankelijkheid")
def accessibility() -> str:
    return _page("accessibility")


@bp.get("/contact")
def contact() -> str:
    return _page("contact")


@bp.get("/favicon.ico")
def favicon() -> Response:
    return redirect(url_for("static", filename="favicon.svg"), code=301)
