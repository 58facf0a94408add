"""One-file backups and restores: the database and the uploaded files, with a manifest.

SQLite is copied with its online backup API (consistent while the app runs); PostgreSQL with
pg_dump's custom format, restored with pg_restore. A restore goes into an empty database only,
then rebuilds the search index, so nothing that is there can be overwritten by accident.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from marketplace import search
from marketplace.core import clock
from marketplace.core.extensions import db
from marketplace.profiles.services import media_dir

FORMAT = 1


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why."""


def _backend() -> str:
    return "postgresql" if db.engine.dialect.name == "postgresql" else "sqlite"


def _libpq_url() -> str:
    """The database URL as pg_dump and pg_restore read it (no SQLAlchemy driver name): the
    migrations' URL, the tables' owner, since a restore creates tables the app's role may not."""
    config = current_app.config
    return (
        make_url(config.get("MIGRATION_DATABASE_URL") or config["SQLALCHEMY_DATABASE_URI"])
        .set(drivername="postgresql")
        .render_as_string(hide_password=False)
    )


def _sqlite_path() -> Path:
    return Path(make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).database or "")


def _revision() -> str | None:
    try:
        return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:
        db.session.rollback()
        return None


def backup(target: Path) -> dict[str, Any]:
    media = media_dir()
    media_files = sorted(path for path in media.rglob("*") if path.is_file()) if media.exists() else []
    manifest = {
        "format": FORMAT,
        "backend": _backend(),
        "revision": _revision(),
        "created": clock.now().isoformat(timespec="seconds"),
        "media_files": len(media_files),
    }
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / ("database.pgdump" if manifest["backend"] == "postgresql" else "database.sqlite")
        if manifest["backend"] == "postgresql":
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(dump),
                    _libpq_url(),
                ]
            )
        else:
            db.session.remove()
            with sqlite3.connect(_sqlite_path()) as source, sqlite3.connect(dump) as copy:
                source.backup(copy)
        partial = target.with_name(target.name + ".part")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            for path in media_files:
                archive.add(path, arcname=f"media/{path.relative_to(media)}")
        partial.replace(target)
    return manifest


def _run(command: list[str]) -> None:
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is niet geïnstalleerd") from None
    if completed.returncode != 0:
        raise BackupError(f"{command[0]} faalde: {completed.stderr.strip()[:500]}")


def restore(source: Path) -> dict[str, Any]:
    try:
        archive = tarfile.open(source, "r:gz")  # noqa: SIM115 - closed by the with-block below
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"geen leesbare reservekopie: {error}") from None
    with archive, tempfile.TemporaryDirectory() as work:
        try:
            manifest = json.loads(archive.extractfile("manifest.json").read())  # type: ignore[union-attr]
        except (KeyError, AttributeError, ValueError):
            raise BackupError("de reservekopie heeft geen manifest") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"onbekend formaat {manifest.get('format')!r}")
        if manifest["backend"] != _backend():
            raise BackupError(f"een {manifest['backend']}-kopie past niet in een {_backend()}-database")
        tables = set(inspect(db.engine).get_table_names())
        if tables:
            raise BackupError(
                f"de database is niet leeg ({len(tables)} tabellen): zet terug in een lege database"
            )
        archive.extractall(work, filter="data")
        dump = Path(work) / ("database.pgdump" if manifest["backend"] == "postgresql" else "database.sqlite")
        db.session.remove()
        db.engine.dispose()
        if manifest["backend"] == "postgresql":
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--dbname",
                    _libpq_url(),
                    str(dump),
                ]
            )
        else:
            with sqlite3.connect(dump) as copy, sqlite3.connect(_sqlite_path()) as target:
                copy.backup(target)
        extracted_media = Path(work) / "media"
        if extracted_media.exists():
            shutil.copytree(extracted_media, media_dir(), dirs_exist_ok=True)
    manifest["documents_indexed"] = search.reindex_all()
    return manifest
