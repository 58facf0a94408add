"""`impactmarkt refdata load`: the shipped municipalities, regions, provinces and CPV categories."""

from __future__ import annotations

import click

from marketplace.reference import services as reference_data


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


COMMANDS = (refdata_group,)
