"""Builds the package with what it needs at run time besides its Python modules.

The metadata lives in setup.cfg; this file only adds one build step. A wheel gets the page
templates and the Alembic migrations (kept at the repository's top level, where people look for
them) under marketplace/_shipped/, and the English catalogue compiled (messages.po -> .mo, which
git does not keep). An editable install (`pip install -e .`) compiles the catalogue in the source
tree, so the pages speak English there too without `make`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
CATALOGUES = Path("marketplace") / "translations"
SHIPPED = Path("marketplace") / "_shipped"
TOP_LEVEL_FOLDERS = ("templates", "migrations")


def compile_catalogues(source: Path, target: Path) -> list[Path]:
    """Every messages.po under `source` as messages.mo under `target` (fuzzy entries included,
    as `make translations` compiles them)."""
    written = []
    for po_file in sorted(source.glob("*/LC_MESSAGES/messages.po")):
        with po_file.open("rb") as handle:
            catalogue = read_po(handle, locale=po_file.parent.parent.name)
        mo_file = target / po_file.relative_to(source).with_suffix(".mo")
        mo_file.parent.mkdir(parents=True, exist_ok=True)
        with mo_file.open("wb") as handle:
            write_mo(handle, catalogue, use_fuzzy=True)
        written.append(mo_file)
    return written


class BuildWithRuntimeFiles(build_py):
    """build_py plus the compiled catalogue, and for a wheel the templates and migrations."""

    def run(self) -> None:
        if getattr(self, "editable_mode", False):
            compile_catalogues(ROOT / CATALOGUES, ROOT / CATALOGUES)
            super().run()
            return
        super().run()
        build = Path(self.build_lib)
        compile_catalogues(ROOT / CATALOGUES, build / CATALOGUES)
        for folder in TOP_LEVEL_FOLDERS:
            target = build / SHIPPED / folder
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(
                ROOT / folder, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )


setup(cmdclass={"build_py": BuildWithRuntimeFiles})
