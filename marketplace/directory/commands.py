"""Project commands under `impactmarkt`: reference data, users, exports, reindexing."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

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


@click.command("reindex", help="Bouw de zoekindex opnieuw op uit de database.")
def reindex_command() -> None:
    from marketplace import search

    count = search.reindex_all()
    click.echo(f"{count} organisaties geïndexeerd ({search.backend().name})")


@click.group("export", help="Exporteer gegevens.")
def export_group() -> None:
    pass


@export_group.command("organisations", help="Schrijf alle vermelde organisaties met hun keurmerken.")
@click.option(
    "--format", "file_format", type=click.Choice(["csv", "json", "xlsx"]), default="csv", show_default=True
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Bestand; standaard de terminal (niet voor xlsx).",
)
def export_organisations(file_format: str, out_path: Path | None) -> None:
    from marketplace.services import exports

    if file_format == "xlsx" and out_path is None:
        raise click.UsageError("Een Excel-bestand heeft --out nodig.")
    with current_app.test_request_context(
        base_url=current_app.config.get("PUBLIC_URL", "http://127.0.0.1:5000")
    ):
        rows = exports.rows_for()
    described = exports.describe_query(None)
    if file_format == "xlsx":
        out_path.write_bytes(exports.to_xlsx(rows, described))  # type: ignore[union-attr]
    else:
        body = exports.to_csv(rows, described) if file_format == "csv" else exports.to_json(rows, described)
        if out_path is None:
            click.echo(body.lstrip("\ufeff"))
        else:
            out_path.write_text(body, encoding="utf-8")
    click.echo(f"{len(rows)} organisaties geëxporteerd", err=True)


def init_app(app: Flask) -> None:
    app.cli.add_command(refdata_group)
    app.cli.add_command(users_group)
    app.cli.add_command(reindex_command)
    app.cli.add_command(export_group)
