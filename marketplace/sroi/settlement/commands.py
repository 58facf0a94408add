"""`impactmarkt sroi settle --obligation ID --json FILE`: settle an obligation (or, with a
"reason", correct its settlement) as a coordinator of its region named in the file.

The file: {"coordinator": e-mail, "consequence": "none" | "extension" | "alternative" |
"compensation", "consequence_text": what was agreed, "consequence_amount": euros, "reason": only
for a correction}. Prints the settlement as JSON; a refusal exits non-zero with the reason in words.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core.cli_io import print_json, read_json_file, refuse
from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.sroi.settlement import services as settlement


@click.command("settle", help="Reken een verplichting af (of corrigeer de afrekening, met een reden).")
@click.option("--obligation", "obligation_id", required=True, type=click.IntRange(1, 2**31 - 1))
@click.option("--json", "file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def settle_command(obligation_id: int, file: Path) -> None:
    values = read_json_file(file)
    user = db.session.scalar(
        select(User).where(
            func.lower(User.email) == str(values.get("coordinator") or "").strip().lower(),
            User.deleted_at.is_(None),
        )
    )
    if user is None or not (user.has_role("coordinator") or user.has_role("admin")):
        click.echo(f"geen coördinator met e-mailadres {values.get('coordinator')!r}", err=True)
        sys.exit(2)
    try:
        row = settlement.settle_or_correct(user, obligation_id, values)
    except LookupError:
        click.echo(f"geen verplichting {obligation_id} in de regio's van {user.email}", err=True)
        sys.exit(2)
    except ServiceError as error:
        refuse(error)
    print_json(settlement.settlement_json(row))


# Hung under `impactmarkt sroi` by marketplace.composition.
SROI_COMMANDS = (settle_command,)
