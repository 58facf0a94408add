"""Public pages: home, the list of listed organisations and their profiles."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace import search
from marketplace.accounts import services as accounts
from marketplace.core import tabular
from marketplace.core.i18n import LANGUAGES
from marketplace.core.web import areas, input_schema
from marketplace.core.web.access import safe_next
from marketplace.directory import exports
from marketplace.directory import services as directory
from marketplace.organisations.labels import REGISTER_SHORT_NAMES, label_view
from marketplace.procurement import shortlists
from marketplace.profiles import claims
from marketplace.profiles import services as profiles
from marketplace.search.page_cache import PageCache
from marketplace.search.presentation import facet_panels, hit_label_names, place_names
from marketplace.search.query import SearchQuery

bp = areas.public
SORT_LABELS = {"relevance": _l("Beste match"), "name": _l("Naam"), "confirmed": _l("Laatst bevestigd")}


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
        "directory/home.html",
        counts=directory.label_counts(),
        total=directory.listed_total(),
    )


PAGES = PageCache()


@bp.get("/organisaties")
def organisations() -> str:
    query = SearchQuery.from_args(input_schema.query())

    def render() -> str:
        result = search.search(query)
        return render_template(
            "directory/organisations.html",
            query=query,
            result=result,
            facet_panels=facet_panels(query, result),
            place_names=place_names,
            hit_label_names=hit_label_names,
            sorts=SORT_LABELS,
        )

    if (
        current_user.is_authenticated
        or session.get("_flashes")
        or not current_app.config["SEARCH_PAGE_CACHE"]
    ):
        return render()
    key = (request.full_path, str(get_locale()), search.generation())
    return PAGES.get_or_render(key, render)


@bp.get("/organisaties/export.<any(csv, xlsx):file_format>")
def export_results(file_format: str) -> Response:
    query = SearchQuery.from_args(input_schema.query())
    result = search.search(query)
    rows = exports.rows_for(result.ids)
    described = exports.describe_query(query)
    if file_format == "csv":
        body, mimetype = exports.to_csv(rows, described), tabular.CSV_MIMETYPE
    else:
        body, mimetype = exports.to_xlsx(rows, described), tabular.XLSX_MIMETYPE
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="impactmarkt-organisaties.{file_format}"'
    return response


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
        "directory/organisation.html",
        organisation=found,
        labels=[label_view(label, grace_days) for label in found.labels],
        owner=directory.owner_content(found),
        mine=current_user.is_authenticated and claims.owns(current_user, found.id),
        my_lists=_lists_of_current_user(),
    )


def _lists_of_current_user() -> list:  # type: ignore[type-arg]
    """The shortlists a signed-in procurer or contractor can put this organisation on."""
    if not current_user.is_authenticated or not (
        current_user.has_role("procurer") or current_user.has_role("contractor")
    ):
        return []
    return shortlists.lists_for(current_user)


@bp.get("/media/<filename>")
def media(filename: str) -> Response:
    """Owners' images, as re-encoded on upload; nothing else is served from the media folder."""
    if not directory.is_stored_image(filename):
        abort(404)
    response = send_from_directory(profiles.media_dir(), filename, max_age=86400)
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.get("/taal/<code>")
def set_language(code: str) -> Response:
    if code in LANGUAGES:
        session["lang"] = code
        if current_user.is_authenticated:
            accounts.choose_language(current_user._get_current_object(), code)
    return redirect(safe_next(input_schema.query().get("next")))
