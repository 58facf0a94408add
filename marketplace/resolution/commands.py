"""`impactmarkt resolve`: entity resolution on a file of register records, no database needed."""

from __future__ import annotations

import json
from pathlib import Path

import click

from marketplace.core.web import values
from matching.resolution.features import record_id
from matching.resolution.resolve import resolve


@click.command("resolve", help="Groepeer registerrecords (JSON-regels) tot ondernemingen.")
@click.option(
    "--in", "input_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--out", "output_path", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path)
)
@click.option(
    "--decisions",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Schrijf ook elk vergeleken paar met score en redenen.",
)
def resolve_command(input_path: Path, output_path: Path, decisions: Path | None) -> None:
    records = []
    with input_path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = values.parse_json(line)  # the same rules as a request's JSON (depth, text)
                record_id(record["register"], record["record_key"])
            except (ValueError, KeyError, TypeError) as error:
                raise click.ClickException(f"regel {number} is geen registerrecord: {error}") from error
            records.append(record)
    result = resolve(records)
    with output_path.open("w", encoding="utf-8") as handle:
        for record in sorted(records, key=lambda r: (r["register"], r["record_key"])):
            entity = result.entity_of[record_id(record["register"], record["record_key"])]
            handle.write(
                json.dumps(
                    {"register": record["register"], "record_key": record["record_key"], "entity": entity}
                )
                + "\n"
            )
    if decisions is not None:
        with decisions.open("w", encoding="utf-8") as handle:
            for decision in result.decisions:
                handle.write(
                    json.dumps(
                        {
                            "left": decision.left,
                            "right": decision.right,
                            "score": decision.score,
                            "band": decision.band,
                            "reasons": [reason.to_json() for reason in decision.reasons],
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
    entities = len(set(result.entity_of.values()))
    click.echo(
        f"{len(records)} records, {entities} ondernemingen, {len(result.review)} paren ter beoordeling",
        err=True,
    )


COMMANDS = (resolve_command,)
