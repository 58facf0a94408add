"""Impactmarkt: the Flask application factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from marketplace.composition import register_features
from marketplace.core import i18n
from marketplace.core.extensions import csrf, db, login_manager, migrate
from marketplace.core.settings import settings_from_environment
from marketplace.core.web import errors, form_fields, fragments, security
from marketplace.core.web.limits import limiter

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# An installed wheel carries the top-level templates/ and migrations/ here (setup.py).
SHIPPED = Path(__file__).resolve().parent / "_shipped"


def runtime_folder(name: str) -> Path:
    """templates/ or migrations/: the wheel's copy when installed, else the repository's."""
    shipped = SHIPPED / name
    return shipped if shipped.is_dir() else PROJECT_ROOT / name


class DatabaseIdConverter(IntegerConverter):
    """<int:…> in routes: ids fit a database integer, so a larger number is a 404, not a 500."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=2**31 - 1, signed=False) -> None:  # type: ignore[no-untyped-def]
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build an app; `config` overrides the environment (tests pass their database here)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(runtime_folder("templates")),
    )
    app.url_map.converters["int"] = DatabaseIdConverter
    app.json.sort_keys = False  # type: ignore[attr-defined]  # API answers keep the schema's field order
    instance_path = Path(app.instance_path)
    instance_path.mkdir(parents=True, exist_ok=True)
    app.config.update(
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=8 * 1024 * 1024,
    )
    app.config.update(settings_from_environment(instance_path, config))
    if app.config["TRUSTED_PROXIES"]:
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    db.init_app(app)
    migrate.init_app(app, db, directory=str(runtime_folder("migrations")), render_as_batch=True)
    csrf.init_app(app)
    form_fields.drop_csrf_ids()
    login_manager.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    fragments.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    register_features(app)
    return app
