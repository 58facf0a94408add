"""The house is one-way: register -> spider -> records -> store -> resolution -> pages.

scrapers/ imports no marketplace; matching/ imports neither Flask, SQLAlchemy, marketplace nor
scrapers. Checked on the source (every import statement), not on what happens to be loaded.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_top_levels(package: str) -> dict[str, set[str]]:
    """Top-level modules each file of a package imports."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def offenders(package: str, forbidden: set[str]) -> dict[str, set[str]]:
    return {path: names & forbidden for path, names in imported_top_levels(package).items() if names & forbidden}


def test_scrapers_import_no_marketplace() -> None:
    assert offenders("scrapers", {"marketplace"}) == {}


def test_matching_imports_no_app_no_database_no_scrapers() -> None:
    assert offenders("matching", {"flask", "flask_babel", "sqlalchemy", "marketplace", "scrapers"}) == {}


def test_matching_has_one_sub_package_per_concern_each_saying_what_goes_in_and_out() -> None:
    for concern in ("resolution", "sroi", "ranking"):
        module = ROOT / "matching" / concern / "__init__.py"
        docstring = ast.get_docstring(ast.parse(module.read_text(encoding="utf-8"))) or ""
        assert "In:" in docstring and "Out:" in docstring, concern
