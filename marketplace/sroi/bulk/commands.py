"""`impactmarkt sroi import --obligation ID FILE.xlsx`: a filled template imported as the page
does it (all rows or none). JSON on standard output: what was stored, or every problem by sheet,
row and column; a refusal in words on standard error with exit 2."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from marketplace.core.cli_io import print_json, refuse
from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.sroi.bulk import importer
from marketplace.sroi.bulk.workbook import MAX_BYTES
from marketplace.sroi.models import Obligation


@click.command(
    "import",
    help="Importeer een ingevuld Excel-sjabloon (.xlsx) bij een verplichting: zijn alle regels goed,"
    " dan worden ze allemaal vastgelegd (wachten op beoordeling); anders niets, en de uitvoer noemt"
    " per regel en kolom wat er mis is.",
)
@click.option("--obligation", "obligation_id", required=True, type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(obligation_id: int, file: Path) -> None:
    obligation = db.session.get(Obligation, obligation_id)
    if obligation is None:
        click.echo(f"geen verplichting {obligation_id}", err=True)
        sys.exit(2)
    try:
        with file.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # more than the limit is refused without reading it all
    except OSError as error:
        click.echo(f"{file}: niet te lezen ({error.strerror})", err=True)
        sys.exit(2)
    try:
        outcome = importer.import_file(obligation, data)
    except ServiceError as error:
        refuse(error)
    if outcome.problems:
        print_json({"stored": 0, "problems": [p.as_json() for p in outcome.problems]})
        click.echo(f"niets vastgelegd: {len(outcome.problems)} fout(en) in {file}", err=True)
        sys.exit(2)
    print_json({"stored": len(outcome.stored), "ids": outcome.ids})


COMMANDS = (import_command,)
