"""The `impactmarkt` console script: Flask's command group bound to the app factory.

`impactmarkt run`, `impactmarkt serve`, `impactmarkt db upgrade` and the project commands below all
share it. A setting that cannot be used stops every command with one line naming the variable.
"""

from __future__ import annotations

import sys

from flask import Flask
from flask.cli import FlaskGroup

from marketplace import create_app
from marketplace.core.settings import ConfigurationError


def _create_app() -> Flask:
    try:
        return create_app()
    except ConfigurationError as error:
        print(f"impactmarkt: instelling onbruikbaar / unusable setting: {error}", file=sys.stderr)
        sys.exit(2)


def main() -> None:
    FlaskGroup(create_app=_create_app, help="Impactmarkt: beheer en ontwikkeling.")()
