"""`impactmarkt match` (the supplier ranking for an obligation) and `impactmarkt requests digest`."""

from __future__ import annotations

import sys

import click

from marketplace.core.cli_io import print_json as _print
from marketplace.core.extensions import db
from marketplace.procurement import purchase_requests, supplier_matching
from marketplace.sroi.models import Obligation


@click.command("match", help="Rangschik leveranciers voor een verplichting: score en delen met redenen.")
@click.option("--obligation", "obligation_id", required=True, type=int)
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 500))
@click.option("--include-uncounted", is_flag=True, help="Ook leveranciers van wie inkoop niet meetelt.")
@click.option("--json", "as_json", is_flag=True, help="JSON (de enige uitvoer; voor de duidelijkheid).")
def match_command(obligation_id: int, top: int, include_uncounted: bool, as_json: bool) -> None:
    obligation = db.session.get(Obligation, obligation_id)
    if obligation is None:
        click.echo(f"geen verplichting {obligation_id}", err=True)
        sys.exit(2)
    need, ranked = supplier_matching.ranking_for(obligation, top, include_uncounted)
    _print(
        {
            "obligation": obligation.id,
            "remaining": f"{need.remaining:.2f}",
            "suppliers": [supplier_matching.ranked_json(item, need.remaining) for item in ranked],
        }
    )


@click.group("requests", help="Inkoopvragen.")
def requests_group() -> None:
    pass


@requests_group.command(
    "digest", help="Stuur passende ondernemingen het dagelijkse overzicht van nieuwe inkoopvragen."
)
def requests_digest() -> None:
    _print({"mails": purchase_requests.send_digest()})


COMMANDS = (match_command, requests_group)
