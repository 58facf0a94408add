"""Language choice: plain Dutch by default, English when the visitor picks it."""

from __future__ import annotations

from flask import Flask, has_request_context, request, session
from flask_babel import get_locale

from marketplace import reasons
from marketplace.extensions import babel

LANGUAGES = {"nl": "Nederlands", "en": "English"}
DEFAULT_LANGUAGE = "nl"


def select_locale() -> str:
    """Explicit ?lang= wins, then the visitor's stored choice, then Dutch (not the browser).
    Commands and jobs (no request) speak Dutch."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    chosen = session.get("lang")
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_locale=DEFAULT_LANGUAGE,
        default_translation_directories="translations",
    )
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["current_language"] = lambda: str(get_locale() or DEFAULT_LANGUAGE)
    app.jinja_env.filters["money"] = reasons.money
    app.jinja_env.filters["cents"] = reasons.money_from_cents
    app.jinja_env.filters["explain"] = reasons.explain
    app.jinja_env.filters["explain_all"] = reasons.explain_all
