"""`impactmarkt sroi …`: rule sets, valuations, obligations and contributions for scripts and checks.

Every command prints JSON on standard output; a refusal exits non-zero with the reason, in
words, on standard error.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
import yaml
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core.cli_io import print_json as _print
from marketplace.core.cli_io import read_json_file as _read_json
from marketplace.core.cli_io import refuse as _refuse
from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.sroi.models import Obligation
from marketplace.sroi.obligations import retention
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.obligations.plain_data import obligation_json, valuation_json
from marketplace.sroi.reports import reminders
from marketplace.sroi.rulesets import services as sroi_rulesets


@click.group("sroi", help="Social return: regelsets, waarderingen, verplichtingen en bijdragen (JSON).")
def sroi_group() -> None:
    pass


@sroi_group.group("rulesets", help="Regelsets als versies van data.")
def rulesets_group() -> None:
    pass


@rulesets_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="JSON (de enige uitvoer; voor de duidelijkheid).")
def rulesets_list(as_json: bool) -> None:
    _print(sroi_rulesets.listing())


@rulesets_group.command(
    "import", help="Importeer de 'rulesets' van een YAML-bestand; een bestaand id krijgt een nieuwe versie."
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--why", default="geïmporteerd", help="Waarom (komt bij de versie en in het auditlog).")
def rulesets_import(file: Path, why: str) -> None:
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        click.echo(f"{file}: geen leesbare YAML ({error})", err=True)
        sys.exit(2)
    entries = data.get("rulesets") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        click.echo(f"{file}: verwacht een lijst 'rulesets'", err=True)
        sys.exit(2)
    saved = []
    try:
        for entry in entries:
            row = sroi_rulesets.save_version(entry, None, why)
            if row is not None:
                saved.append({"id": row.ruleset_id, "version": row.version})
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        _refuse(error)
    _print({"imported": saved})


@rulesets_group.command("export", help="Schrijf de huidige versie van een regelset als YAML.")
@click.argument("ruleset_id")
def rulesets_export(ruleset_id: str) -> None:
    try:
        row = sroi_rulesets.version_row(ruleset_id)
    except ServiceError as error:
        _refuse(error)
    click.echo(yaml.safe_dump({"rulesets": [row.data]}, allow_unicode=True, sort_keys=False))


@sroi_group.command("value", help="Waardeer één bijdrage zonder op te slaan.")
@click.option("--ruleset", "ruleset", required=True, help="ID of ID@VERSIE")
@click.option("--json", "file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def value_command(ruleset: str, file: Path) -> None:
    ruleset_id, _, version = ruleset.partition("@")
    if version and not re.fullmatch(r"[0-9]{1,9}", version):  # ASCII digits: "²".isdigit() is true
        click.echo(f"versie {version!r} is geen geheel getal", err=True)
        sys.exit(2)
    try:
        prepared = obligations.value_contribution(
            _read_json(file), ruleset_id, int(version) if version else None
        )
    except ServiceError as error:
        _refuse(error)
    _print(valuation_json(prepared.valuation))


@sroi_group.group("obligation", help="Verplichtingen.")
def obligation_group() -> None:
    pass


@obligation_group.command("create")
@click.option("--json", "file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def obligation_create(file: Path) -> None:
    values = _read_json(file)
    contractor = db.session.scalar(
        select(User).where(func.lower(User.email) == str(values.get("contractor") or "").strip().lower())
    )
    if contractor is None:
        click.echo(f"geen account met e-mailadres {values.get('contractor')!r}", err=True)
        sys.exit(2)
    try:
        obligation = obligations.create_obligation(contractor, values)
    except ServiceError as error:
        _refuse(error)
    _print(obligation_json(obligation))


@obligation_group.command("show")
@click.argument("obligation_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="JSON (de enige uitvoer; voor de duidelijkheid).")
def obligation_show(obligation_id: int, as_json: bool) -> None:
    obligation = db.session.get(Obligation, obligation_id)
    if obligation is None:
        click.echo(f"geen verplichting {obligation_id}", err=True)
        sys.exit(2)
    _print(obligation_json(obligation))


@sroi_group.group("contribution", help="Bijdragen.")
def contribution_group() -> None:
    pass


@contribution_group.command("add")
@click.option("--obligation", "obligation_id", required=True, type=int)
@click.option("--json", "file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def contribution_add(obligation_id: int, file: Path) -> None:
    obligation = db.session.get(Obligation, obligation_id)
    if obligation is None:
        click.echo(f"geen verplichting {obligation_id}", err=True)
        sys.exit(2)
    try:
        prepared = obligations.add_contribution(obligation, _read_json(file))
    except ServiceError as error:
        _refuse(error)
    _print({"id": prepared.contribution.id, **valuation_json(prepared.valuation)})


@sroi_group.command(
    "reminders",
    help="Stuur wat vandaag nodig is: herinneringen bij verplichtingen die achterlopen (hoogstens één"
    " per twee weken per verplichting), herinneringen voor rapportagedata en het weekoverzicht aan"
    " coördinatoren. Vaker draaien stuurt"
    " niets dubbel.",
)
def reminders_command() -> None:
    sent = reminders.send_due()
    _print({"reminders": sent.reminders, "digests": sent.digests, "deadlines": sent.deadlines})


@sroi_group.command(
    "purge-documents",
    help="Wis de bewijsstukken van aanstellingen bij verplichtingen die langer dan"
    " IMPACTMARKT_HIRE_DOCUMENT_MONTHS maanden geleden afliepen (elke nacht te draaien).",
)
def purge_documents_command() -> None:
    _print({"deleted": retention.purge_hire_documents()})


COMMANDS = (sroi_group,)
