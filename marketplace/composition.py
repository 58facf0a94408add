"""The composition root: the one place that knows every feature, and hangs its pages and commands on the app.

Features never register themselves: each declares a blueprint (or adds routes to one of the shared
areas in `core.areas`) and a `COMMANDS` tuple, and this module wires them, so a newcomer finds the
whole site map and the whole command line here.
"""

from __future__ import annotations

from flask import Flask

from marketplace import search
from marketplace.about import views as about_views  # noqa: F401  (routes on the public area)
from marketplace.accounts import account_views, auth_views
from marketplace.accounts import commands as account_commands
from marketplace.api import import_views as api_import_views
from marketplace.api import views as api_views
from marketplace.core.web import areas
from marketplace.directory import commands as directory_commands
from marketplace.directory import views as directory_views  # noqa: F401  (routes on the public area)
from marketplace.market_scan import api_views as market_scan_api_views
from marketplace.market_scan import commands as market_scan_commands
from marketplace.market_scan import views as market_scan_views
from marketplace.operations import commands as operations_commands
from marketplace.operations import jobs, observability
from marketplace.operations import views as admin_views
from marketplace.procurement import commands as procurement_commands
from marketplace.procurement import (
    list_views,
    procurer_views,
    ranking_views,  # noqa: F401  (routes on the contractor area)
    request_views,
)
from marketplace.profiles import coordinator_views as claim_views  # noqa: F401  (routes on the coordinator area)
from marketplace.profiles import views as entrepreneur_views
from marketplace.reference import commands as reference_commands
from marketplace.registers import commands as register_commands
from marketplace.resolution import commands as resolution_commands
from marketplace.resolution import views as resolution_views  # noqa: F401  (routes on the coordinator area)
from marketplace.search import commands as search_commands
from marketplace.sroi import commands as sroi_commands
from marketplace.sroi.bulk import commands as bulk_commands
from marketplace.sroi.bulk import views as bulk_views  # noqa: F401  (routes on the contractor area)
from marketplace.sroi.chain import views as chain_views  # noqa: F401  (routes on the contractor area)
from marketplace.sroi.obligations import views as obligation_views  # noqa: F401  (routes on the contractor area)
from marketplace.sroi.plans import api_views as plan_api_views
from marketplace.sroi.plans import commands as plan_commands
from marketplace.sroi.plans import views as plan_views  # noqa: F401  (routes on the contractor and coordinator areas)
from marketplace.sroi.reports import open_data_views  # noqa: F401  (routes on the public area)
from marketplace.sroi.reports import views as report_views  # noqa: F401  (routes on the coordinator area)
from marketplace.sroi.review import views as review_views  # noqa: F401  (routes on the coordinator area)
from marketplace.sroi.rulesets import region_views  # noqa: F401  (routes on the coordinator area)
from marketplace.sroi.rulesets import views as ruleset_views  # noqa: F401  (routes on the coordinator area)
from marketplace.sroi.settlement import api_views as settlement_api_views
from marketplace.sroi.settlement import commands as settlement_commands
from marketplace.sroi.settlement import views as settlement_views  # noqa: F401  (routes on the coordinator and contractor areas)

COMMAND_GROUPS = (
    reference_commands.COMMANDS,
    account_commands.COMMANDS,
    register_commands.COMMANDS,
    resolution_commands.COMMANDS,
    search_commands.COMMANDS,
    directory_commands.COMMANDS,
    sroi_commands.COMMANDS,
    procurement_commands.COMMANDS,
    market_scan_commands.COMMANDS,
    operations_commands.COMMANDS,
)


# `impactmarkt sroi plan set` and `impactmarkt sroi obligation change` (issue 24) hang in the sroi group.
sroi_commands.sroi_group.add_command(plan_commands.plan_group)
sroi_commands.obligation_group.add_command(plan_commands.obligation_change)


def register_features(app: Flask) -> None:
    """Background services first (search, jobs, metrics), then the pages, then the command line."""
    search.init_app(app)
    jobs.init_app(app)
    observability.init_app(app)
    register_blueprints(app)
    for command in settlement_commands.SROI_COMMANDS:  # `impactmarkt sroi settle`
        sroi_commands.sroi_group.add_command(command)
    for command in bulk_commands.COMMANDS:  # `impactmarkt sroi import`
        sroi_commands.sroi_group.add_command(command)
    for commands in COMMAND_GROUPS:
        for command in commands:
            app.cli.add_command(command)


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(areas.public)
    app.register_blueprint(auth_views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(procurer_views.bp, url_prefix="/inkoper")
    app.register_blueprint(market_scan_views.bp, url_prefix="/inkoper/marktscan")
    app.register_blueprint(areas.contractor, url_prefix="/opdrachtnemer")
    app.register_blueprint(entrepreneur_views.bp, url_prefix="/ondernemer")
    app.register_blueprint(areas.coordinator, url_prefix="/coordinator")
    app.register_blueprint(admin_views.bp, url_prefix="/beheer")
    app.register_blueprint(api_views.bp, url_prefix="/api/v1")
    app.register_blueprint(market_scan_api_views.bp, url_prefix="/api/v1")
    app.register_blueprint(plan_api_views.bp, url_prefix="/api/v1")
    app.register_blueprint(settlement_api_views.bp, url_prefix="/api/v1")
    app.register_blueprint(api_import_views.bp, url_prefix="/api/v1")
    app.register_blueprint(list_views.bp, url_prefix="/lijsten")
    app.register_blueprint(request_views.bp, url_prefix="/inkoopvragen")
