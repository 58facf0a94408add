"""One blueprint per user group; registered by the app factory."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from marketplace.blueprints import (
        about,  # noqa: F401  (routes on the public blueprint)
        account,
        admin,
        api,
        auth,
        contractor,
        contractor_matches,  # noqa: F401  (routes on the contractor blueprint)
        coordinator,
        coordinator_reports,  # noqa: F401  (routes on the coordinator blueprint)
        coordinator_review,  # noqa: F401  (routes on the coordinator blueprint)
        coordinator_rulesets,  # noqa: F401  (routes on the coordinator blueprint)
        entrepreneur,
        lists,
        open_data,  # noqa: F401  (routes on the public blueprint)
        procurer,
        public,
        requests,
    )

    app.register_blueprint(public.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(procurer.bp, url_prefix="/inkoper")
    app.register_blueprint(contractor.bp, url_prefix="/opdrachtnemer")
    app.register_blueprint(entrepreneur.bp, url_prefix="/ondernemer")
    app.register_blueprint(coordinator.bp, url_prefix="/coordinator")
    app.register_blueprint(admin.bp, url_prefix="/beheer")
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    app.register_blueprint(lists.bp, url_prefix="/lijsten")
    app.register_blueprint(requests.bp, url_prefix="/inkoopvragen")
