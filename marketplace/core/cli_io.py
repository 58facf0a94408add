"""JSON in and out for the command line: one object printed per command, refusals in words, exit 2.

Commands are used by scripts; a script needs one parseable answer on standard output and a reason it
can show a person on standard error, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from marketplace.core.refusals import ServiceError
from marketplace.core.web import values


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=1))


def refuse(error: ServiceError) -> None:
    click.echo(str(error), err=True)
    sys.exit(2)


def read_json_file(path: Path) -> dict[str, Any]:
    """A command's JSON file, through the same rules as a request's JSON body (marketplace.core.web.values):
    no NUL, control character or lone surrogate in any string, nesting limited, NaN refused."""
    try:
        data = values.parse_json(path.read_bytes())
    except values.BadValue as error:
        click.echo(f"{path}: {error}", err=True)
        sys.exit(2)
    except (OSError, ValueError) as error:
        click.echo(f"{path}: geen leesbare JSON ({error})", err=True)
        sys.exit(2)
    if not isinstance(data, dict):
        click.echo(f"{path}: verwacht één JSON-object", err=True)
        sys.exit(2)
    return data
