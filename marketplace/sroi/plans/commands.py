"""`impactmarkt sroi plan set` and `impactmarkt sroi obligation change`: JSON in, JSON out; a
refusal in words on standard error with exit 2 (marketplace.core.cli_io). Wired into the
`sroi` group by marketplace.composition."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core.cli_io import print_json, read_json_file, refuse
from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.sroi.models import Obligation
from marketplace.sroi.plans import changes
from marketplace.sroi.plans import services as plans
from marketplace.sroi.plans.plain_data import change_json, plan_json


def _obligation(obligation_id: int) -> Obligation:
    found = db.session.get(Obligation, obligation_id)
    if found is None:
        click.echo(f"geen verplichting {obligation_id}", err=True)
        sys.exit(2)
    return found


@click.group("plan", help="Het plan van een verplichting: geplande bijdragen per contractjaar.")
def plan_group() -> None:
    pass


@plan_group.command(
    "set",
    help='Stel namens de opdrachtnemer een (nieuw) plan voor: {"lines": [{"year": 1, "kind":'
    ' "hire", "block": …, "hours_per_week": 36, "months": 12}, …], "note": …}.'
    " De coördinator beslist erover.",
)
@click.option("--obligation", "obligation_id", required=True, type=int)
@click.option("--json", "file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def plan_set(obligation_id: int, file: Path) -> None:
    obligation = _obligation(obligation_id)
    data = read_json_file(file)
    contractor = db.session.get(User, obligation.contractor_id)
    try:
        plan = plans.propose(obligation, contractor, data)  # type: ignore[arg-type]
    except ServiceError as error:
        refuse(error)
    print_json(plan_json(plan))


@click.command(
    "change",
    help='Leg een contractwijziging vast: {"kind": "extra_work"|"less_work"|"extension",'
    ' "amount_excl_vat": …, "ends_on": …, "agreed_on": …, "reason": …, "by": e-mailadres'
    " van een coördinator van de regio}.",
)
@click.option("--obligation", "obligation_id", required=True, type=int)
@click.option("--json", "file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def obligation_change(obligation_id: int, file: Path) -> None:
    obligation = _obligation(obligation_id)
    data = read_json_file(file)
    by = db.session.scalar(
        select(User).where(func.lower(User.email) == str(data.get("by") or "").strip().lower())
    )
    if by is None or not plans.may_oversee(by, obligation):
        click.echo(f"{data.get('by')!r} is geen coördinator van de regio van deze verplichting", err=True)
        sys.exit(2)
    try:
        change = changes.apply(by, obligation, data)
    except ServiceError as error:
        refuse(error)
    print_json(change_json(change, changes.history(obligation)))
