"""`impactmarkt scan --json FILE`: a market scan from the command line, JSON in and JSON out."""

from __future__ import annotations

from pathlib import Path

import click

from marketplace.core.cli_io import print_json, read_json_file, refuse
from marketplace.core.refusals import ServiceError
from marketplace.market_scan import services

KEYS = ("need", "cpv", "place", "radius_km", "starts_on", "ends_on", "threshold")


@click.command(
    "scan",
    help="Marktverkenning: hoeveel sociale ondernemingen passen bij een behoefte rond een plaats, "
    "per keurmerk, niveau en afstand, en of voorbehouden aanbesteden (PSO 30+) haalbaar lijkt. Het bestand: "
    '{"need", "cpv": [...], "place", "radius_km", "starts_on", "ends_on", "threshold"}.',
)
@click.option("--json", "path", required=True, type=click.Path(dir_okay=False, path_type=Path))
def scan_command(path: Path) -> None:
    answers = read_json_file(path)
    unknown = sorted(set(answers) - set(KEYS))
    if unknown:
        click.echo(f"{path}: onbekende velden / unknown fields: {', '.join(unknown)}", err=True)
        raise SystemExit(2)
    try:
        question = services.question_from(answers)
    except ServiceError as error:
        refuse(error)
        return
    result = services.run(question)
    print_json(services.scan_json(result, services.listed(result)))


COMMANDS = (scan_command,)
