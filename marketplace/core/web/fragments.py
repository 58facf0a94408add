"""Parts of every page that depend only on the language (the footer, the menu for visitors who
are not signed in), rendered once per language and app instead of on every request; and the
links every page repeats (the menu, the style sheet), built once."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template, request
from markupsafe import Markup

from marketplace.core.i18n import current_language


def init_app(app: Flask) -> None:
    rendered: dict[tuple[str, str], Markup] = {}

    def cached_fragment(name: str) -> Markup:
        key = (name, current_language())
        found = rendered.get(key)
        if found is None:
            found = rendered[key] = Markup(render_template(f"_fragments/{name}.html"))
        return found

    app.jinja_env.globals["cached_fragment"] = cached_fragment

    built: dict[tuple[str, str, tuple[tuple[str, Any], ...]], str] = {}
    build = app.url_for

    def url_for(endpoint: str, /, **values: Any) -> str:
        """Flask's url_for for templates; a link without arguments, or to a static file, is the
        same on every page (under one script root) and is built once: a dozen a page otherwise."""
        if (values and endpoint != "static") or endpoint.startswith(".") or any(k[0] == "_" for k in values):
            return build(endpoint, **values)
        key = (request.script_root, endpoint, tuple(sorted(values.items())))
        found = built.get(key)
        if found is None:
            found = built[key] = build(endpoint, **values)
        return found

    app.jinja_env.globals["url_for"] = url_for
