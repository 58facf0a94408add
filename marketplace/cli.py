"""The `impactmarkt` console script: Flask's command group bound to the app factory.

`impactmarkt run`, `impactmarkt db upgrade` and the project commands below all share it.
"""

from __future__ import annotations

from flask.cli import FlaskGroup

from marketplace import create_app


def main() -> None:
    FlaskGroup(create_app=create_app, help="Impactmarkt: beheer en ontwikkeling.")()
