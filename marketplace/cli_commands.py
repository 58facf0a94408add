"""Project commands under `impactmarkt` (reference data, users, demo data)."""

from __future__ import annotations

import click
from flask import Flask

from marketplace.services import accounts, reference_data


@click.group("refdata", help="Referentiegegevens: gemeenten, regio's, CPV-categorieën.")
def refdata_group() -> None:
    pass


@refdata_group.command("load", help="Laad de meegeleverde referentiegegevens (mag vaker).")
def refdata_load() -> None:
    summary = reference_data.load_reference_data()
    click.echo(
        f"{summary.municipalities} gemeenten, {summary.regions} arbeidsmarktregio's, "
        f"{summary.provinces} provincies, {summary.cpv_categories} CPV-categorieën"
    )


@click.group("users", help="Accounts beheren.")
def users_group() -> None:
    pass


@users_group.command("create", help="Maak een bevestigd account, bijvoorbeeld de eerste beheerder.")
@click.option("--email", required=True)
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    help="procurer, contractor, entrepreneur, coordinator, admin",
)
@click.option("--region", "regions", multiple=True, help="Arbeidsmarktregio (voor een coördinator).")
@click.option("--name", default="")
@click.password_option("--password", help="Minstens 12 tekens.")
def users_create(
    email: str, roles: tuple[str, ...], regions: tuple[str, ...], name: str, password: str
) -> None:
    try:
        user = accounts.create_user(email, password, list(roles), list(regions), name)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Account {user.email} gemaakt met rol(len): {', '.join(roles)}")


def init_app(app: Flask) -> None:
    app.cli.add_command(refdata_group)
    app.cli.add_command(users_group)
