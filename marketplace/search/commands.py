"""`impactmarkt reindex`: rebuild the search index from the database."""

from __future__ import annotations

import click

from marketplace import search


@click.command("reindex", help="Bouw de zoekindex opnieuw op uit de database.")
def reindex_command() -> None:
    count = search.reindex_all()
    click.echo(f"{count} organisaties geïndexeerd ({search.backend().name})")


COMMANDS = (reindex_command,)
