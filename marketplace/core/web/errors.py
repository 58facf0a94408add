"""Friendly error pages in the visitor's language; JSON for the API."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from marketplace.core.web import input_schema


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def handle_http_error(error: HTTPException):  # type: ignore[no-untyped-def]
    code = error.code or 500
    messages = {
        400: _("Deze aanvraag klopt niet. Controleer wat u heeft ingevuld."),
        401: _("Log eerst in."),
        403: _("U heeft geen toegang tot deze pagina."),
        404: _("Deze pagina bestaat niet (meer)."),
        405: _("Deze actie is hier niet mogelijk."),
        413: _("Het bestand is te groot."),
        415: _("Stuur JSON (Content-Type: application/json)."),
        429: _("U heeft het te vaak geprobeerd. Wacht even en probeer het opnieuw."),
    }
    message = messages.get(code, _("Er ging iets mis. Probeer het later opnieuw."))
    if isinstance(error, input_schema.Refused) or (
        _wants_json() and code == 400 and not (error.description or "The browser").startswith("The browser")
    ):
        message = error.description  # a worded refusal, in the reader's language
    if request_ctx.url_adapter is None:
        # An untrusted Host header: no links can be built, so no page with a menu either.
        return Response(message, code, mimetype="text/plain")
    if _wants_json():
        return jsonify({"error": {"status": code, "message": message}}), code, _allow(error)
    return render_template("error.html", code=code, message=message), code, _allow(error)


def _allow(error: HTTPException) -> dict[str, str]:
    """A 405 names the methods that are allowed (RFC 9110)."""
    methods = getattr(error, "valid_methods", None)
    return {"Allow": ", ".join(sorted(methods))} if methods else {}


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
