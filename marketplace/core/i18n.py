"""Language choice: plain Dutch by default, English when the visitor picks it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from babel.support import NullTranslations
from flask import Flask, g, has_request_context, session
from flask_babel import Domain, get_locale
from flask_login import current_user
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from marketplace.core import reasons
from marketplace.core.extensions import babel
from marketplace.core.web import input_schema

LANGUAGES = {"nl": "Nederlands", "en": "English"}
DEFAULT_LANGUAGE = "nl"


def select_locale() -> str:
    """Explicit ?lang= wins (for that page), then the visitor's choice from the language menu, then
    the signed-in person's own language (kept on their account, so it holds after logging in
    again, and mails sent by jobs use it too), then Dutch (not the browser). Commands and jobs
    (no request) speak Dutch."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    asked = input_schema.query().get("lang")
    if asked in LANGUAGES:
        return asked
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    own = getattr(current_user, "locale", None) if current_user else None
    return own if own in LANGUAGES else DEFAULT_LANGUAGE


class KeptDomain(Domain):  # type: ignore[misc]
    """Flask-Babel's message domain, keeping the catalogue in force for templates and Python's
    gettext and lazy_gettext alike. Flask-Babel looks it up anew on every call (its context, the
    locale, the locale's name as a string: about 8 µs, and a page says dozens of things). This keeps
    it beside the Locale object Flask-Babel holds for the request and uses it while that same object
    is in force, so force_locale and refresh (which put another one there) are respected."""

    def get_translations(self) -> NullTranslations:
        context: SimpleNamespace | None = g.get("_flask_babel") if g else None
        locale = getattr(context, "babel_locale", None)
        if context is None or locale is None:
            return super().get_translations()
        kept: tuple[Any, NullTranslations] | None = getattr(context, "impactmarkt_catalogue", None)
        if kept is None or kept[0] is not locale:
            kept = (locale, super().get_translations())
            context.impactmarkt_catalogue = kept
        return kept[1]


DOMAIN = KeptDomain()


def catalogue() -> NullTranslations:
    """The translations in force, for templates."""
    return DOMAIN.get_translations()


def current_language() -> str:
    """The language in force ("nl" or "en"), for <html lang> and the language menu."""
    context = g.get("_flask_babel") if g else None
    locale = getattr(context, "babel_locale", None) or get_locale()
    return locale.language if locale else DEFAULT_LANGUAGE


def _worded(eval_ctx: EvalContext, text: str, variables: dict[str, Any]) -> str:
    """What Jinja's "newstyle" gettext does after the lookup, without its extra call layer: mark
    safe under autoescape (the variables are then escaped) and always fill in %(name)s."""
    return (Markup(text) if eval_ctx.autoescape else text) % variables


@pass_eval_context
def _gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
    found = catalogue()
    if variables or not eval_ctx.autoescape:
        return _worded(eval_ctx, found.ugettext(string), variables)
    # Most of a page's texts have no variables: worded once per catalogue (Markup is immutable).
    worded: dict[str, Markup] | None = getattr(found, "impactmarkt_worded", None)
    if worded is None:
        worded = found.impactmarkt_worded = {}  # type: ignore[attr-defined]
    text = worded.get(string)
    if text is None:
        text = worded[string] = Markup(found.ugettext(string)) % {}
    return text


@pass_eval_context
def _ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any) -> str:
    variables.setdefault("num", num)
    return _worded(eval_ctx, catalogue().ungettext(singular, plural, num), variables)


@pass_eval_context
def _pgettext(eval_ctx: EvalContext, context: str, string: str, /, **variables: Any) -> str:
    variables.setdefault("context", context)
    return _worded(eval_ctx, catalogue().upgettext(context, string), variables)


@pass_eval_context
def _npgettext(
    eval_ctx: EvalContext, context: str, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    variables.setdefault("context", context)
    variables.setdefault("num", num)
    return _worded(eval_ctx, catalogue().unpgettext(context, singular, plural, num), variables)


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_locale=DEFAULT_LANGUAGE,
        default_translation_directories="translations",
    )
    babel.domain_instance = DOMAIN  # replaces Flask-Babel's cached default domain
    # Not install_gettext_callables: its newstyle wrappers add a call layer per string.
    app.jinja_env.globals.update(
        gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext, npgettext=_npgettext
    )
    app.jinja_env.newstyle_gettext = True  # type: ignore[attr-defined]
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.filters["money"] = reasons.money
    app.jinja_env.filters["cents"] = reasons.money_from_cents
    app.jinja_env.filters["explain"] = reasons.explain
    app.jinja_env.filters["explain_all"] = reasons.explain_all
    app.jinja_env.filters["block_name"] = reasons.block_name
    app.jinja_env.filters["supplement_name"] = reasons.supplement_name
    app.jinja_env.filters["document_name"] = reasons.document_name
    app.jinja_env.filters["ruleset_name"] = reasons.ruleset_name
    app.jinja_env.filters["moment"] = reasons.show_moment
