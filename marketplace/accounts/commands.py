"""`impactmarkt users …`: create accounts (the first administrator, coordinators) and change roles."""

from __future__ import annotations

import click

from marketplace.accounts import services as accounts


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


@users_group.command("add-role", help="Geef een bestaand account een rol (coördinator: met regio).")
@click.option("--email", required=True)
@click.option("--role", required=True, help="procurer, contractor, entrepreneur, coordinator, admin")
@click.option("--region", default=None, help="Arbeidsmarktregio (voor een coördinator).")
def users_add_role(email: str, role: str, region: str | None) -> None:
    try:
        user = accounts.add_role(email, role, region)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{user.email} heeft nu de rol {role}{f' ({region})' if region else ''}")


@users_group.command("remove-role", help="Neem een rol (of de regio van een coördinator) af van een account.")
@click.option("--email", required=True)
@click.option("--role", required=True)
@click.option("--region", default=None)
def users_remove_role(email: str, role: str, region: str | None) -> None:
    try:
        user = accounts.remove_role(email, role, region)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{user.email} heeft de rol {role}{f' ({region})' if region else ''} niet meer")


COMMANDS = (users_group,)
