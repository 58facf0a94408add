"""Parts of every page that depend only on the language (the footer, the menu for visitors who
are not signed in), rendered once per language and app instead of on every request."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import get_locale
from markupsafe import Markup


def init_app(app: Flask) -> None:
    rendered: dict[tuple[str, str], Markup] = {}

    def cached_fragment(name: str) -> Markup:
        key = (name, str(get_locale() or "nl"))
        found = rendered.get(key)
        if found is None:
            found = rendered[key] = Markup(render_template(f"_fragments/{name}.html"))
        return found

    app.jinja_env.globals["cached_fragment"] = cached_fragment
