"""`impactmarkt export organisations`: every listed organisation with its labels, as CSV, JSON or Excel."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from marketplace.directory import exports


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


COMMANDS = (export_group,)
