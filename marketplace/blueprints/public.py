"""Public pages: home, the list of listed organisations and their profiles."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from marketplace.i18n import LANGUAGES
from marketplace.models import REGISTERS
from marketplace.services import directory
from marketplace.services.labels import REGISTER_SHORT_NAMES, label_view

bp = Blueprint("public", __name__)


@bp.app_context_processor
def label_helpers() -> dict[str, object]:
    """Templates everywhere show labels the same way."""
    grace_days = current_app.config.get("GRACE_DAYS", 90)
    return {
        "label_view": lambda label: label_view(label, grace_days),
        "register_names": REGISTER_SHORT_NAMES,
    }


@bp.get("/")
def home() -> str:
    return render_template(
        "public/home.html",
        counts=directory.label_counts(),
        total=directory.listed_total(),
    )


def _page_number() -> int:
    raw = request.args.get("pagina", "1")
    return int(raw) if raw.isdigit() else 1


@bp.get("/organisaties")
def organisations() -> str:
    query = request.args.get("q", "")[:200]
    register = request.args.get("register") or None
    if register not in (None, *REGISTERS):
        register = None
    page = directory.organisation_page(query=query, register=register, page=_page_number())
    return render_template(
        "public/organisations.html",
        page=page,
        query=query,
        register=register,
    )


@bp.get("/organisaties/<slug>")
def organisation(slug: str) -> str | Response:
    found = directory.organisation_by_slug(slug)
    if found is None:
        abort(404)
    if found.merged_into_id is not None:
        # Entity resolution found this is the same enterprise as another profile: keep old links working.
        survivor = directory.surviving_organisation(found)
        return redirect(url_for("public.organisation", slug=survivor.slug), code=301)
    grace_days = current_app.config.get("GRACE_DAYS", 90)
    return render_template(
        "public/organisation.html",
        organisation=found,
        labels=[label_view(label, grace_days) for label in found.labels],
    )


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so the language link cannot redirect elsewhere."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("public.home")


@bp.get("/taal/<code>")
def set_language(code: str) -> Response:
    if code in LANGUAGES:
        session["lang"] = code
    return redirect(_safe_next(request.args.get("next")))
