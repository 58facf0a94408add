"""Test harness: a real database per session (SQLite or PostgreSQL), the real migrations.

IMPACTMARKT_TEST_DATABASE picks the backend (tests/run_all.sh runs both). On PostgreSQL the
session creates its own database on the server and drops it at the end; when no server
answers, the run stops with a clear message, and fails when CI=true.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from marketplace import create_app
from marketplace.core.extensions import db

BACKEND = os.environ.get("IMPACTMARKT_TEST_DATABASE", "sqlite")
POSTGRES_URL = os.environ.get(
    "IMPACTMARKT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# Every test runs on this day (the register snapshot's "today"), whatever the calendar says:
# no test may depend on the day it runs. Tests about time move the clock themselves.
TEST_TODAY = date(2026, 11, 1)
REFERENCE_TABLES = {
    "provinces",
    "labour_market_regions",
    "municipalities",
    "cpv_categories",
    "alembic_version",
}


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def postgres_answers() -> str | None:
    """None when PostgreSQL answers, else why not."""
    try:
        with psycopg.connect(_libpq(POSTGRES_URL), connect_timeout=3):
            return None
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]


def pytest_configure(config: pytest.Config) -> None:
    if BACKEND != "postgresql":
        return
    problem = postgres_answers()
    if problem is None:
        return
    where = make_url(POSTGRES_URL).render_as_string(hide_password=True)
    if os.environ.get("CI") == "true":
        pytest.exit(f"PostgreSQL is required on CI but does not answer at {where}: {problem}", returncode=3)
    pytest.exit(f"PostgreSQL does not answer at {where} ({problem}); PostgreSQL tests skipped.", returncode=0)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests whose outcome cannot depend on the database run in one half of `make test` only, so
    the two halves (run side by side on two cores) finish sooner and about together: what a person
    sees in Chromium runs in the SQLite half (every page it visits is also fetched through the test
    client in the PostgreSQL half); tests that use no database at all (no fixture reaches one:
    spiders on saved pages, pure matching and valuation functions) run in the PostgreSQL half.
    Run alone (`make test-fast`, one file) or with no PostgreSQL to run the other half, SQLite runs
    both kinds."""
    if BACKEND == "postgresql":
        skip = pytest.mark.skip(reason="browser tests run in the SQLite half")
        for item in items:
            if item.get_closest_marker("browser"):
                item.add_marker(skip)
    elif os.environ.get("IMPACTMARKT_TEST_HALVES") == "1" and postgres_answers() is None:
        skip = pytest.mark.skip(reason="tests without a database run in the PostgreSQL half")
        for item in items:
            uses_database = "postgres_databases" in getattr(item, "fixturenames", ())
            if not uses_database and not item.get_closest_marker("browser"):
                item.add_marker(skip)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    from tests.browser import close_shared_browser

    close_shared_browser()


def pytest_report_header() -> str:
    return f"impactmarkt test database: {BACKEND}"


class PostgresDatabases:
    """Creates throw-away databases on the test server and drops them afterwards."""

    def __init__(self) -> None:
        self.created: list[str] = []

    def create(self) -> str:
        name = f"impactmarkt_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(_libpq(POSTGRES_URL), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with psycopg.connect(_libpq(POSTGRES_URL), autocommit=True) as connection:
            for name in self.created:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresDatabases]:
    databases = PostgresDatabases()
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def empty_database_url(tmp_path_factory: pytest.TempPathFactory, postgres_databases: PostgresDatabases):
    """A factory for new, empty databases of the backend under test (for migration tests)."""

    def make() -> str:
        if BACKEND == "postgresql":
            return postgres_databases.create()
        return f"sqlite:///{tmp_path_factory.mktemp('empty') / 'empty.sqlite'}"

    return make


def make_test_app(database_url: str, instance_path: Path, **extra: object) -> Flask:
    settings = {
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TESTING": True,
        "SEARCH_INDEX_DIR": str(instance_path / "search-index"),
        "MAIL_OUTBOX_DIR": str(instance_path / "outbox"),
        "SERVER_NAME": "impactmarkt.test",
        "PUBLIC_URL": "https://impactmarkt.test",
        "TODAY": TEST_TODAY,
        "DEVELOPMENT": True,
        "JOBS_BACKEND": "immediate",
        "EXPORT_DIR": str(instance_path / "exports"),
        # The cheapest argon2id costs: the suite creates and signs in well over a thousand accounts,
        # and at production costs each hash or login takes about 0.2 s of processor time here.
        "PASSWORD_HASH_TIME_COST": 1,
        "PASSWORD_HASH_MEMORY_KIB": 64,
        "PASSWORD_HASH_PARALLELISM": 1,
        **extra,
    }
    return create_app(settings)


def fresh_request_globals(application: Flask) -> Flask:
    """Requests made inside a test's app context would share `g` (and Flask-WTF's cached CSRF
    token, Flask-Login's user); in production every request starts with an empty `g`."""

    @application.before_request
    def clear_globals() -> None:
        from flask import g

        g.__dict__.clear()

    return application


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory, postgres_databases: PostgresDatabases) -> str:
    """A database at the latest migration with the reference data loaded, made once."""
    from flask_migrate import upgrade

    from marketplace.reference.services import load_reference_data

    workdir = tmp_path_factory.mktemp("template")
    url = (
        postgres_databases.create() if BACKEND == "postgresql" else f"sqlite:///{workdir / 'template.sqlite'}"
    )
    app = make_test_app(url, workdir)
    with app.app_context():
        upgrade()
        load_reference_data()
        db.engine.dispose()
    return url


@pytest.fixture
def app(migrated_database: str, tmp_path: Path) -> Iterator[Flask]:
    """An app on a clean database: a copy of the template on SQLite, truncated tables on PostgreSQL."""
    if BACKEND == "postgresql":
        url = migrated_database
    else:
        template = Path(make_url(migrated_database).database or "")
        copy = tmp_path / "test.sqlite"
        shutil.copyfile(template, copy)
        url = f"sqlite:///{copy}"
    application = fresh_request_globals(make_test_app(url, tmp_path))

    with application.app_context():
        yield application
        db.session.remove()
        if BACKEND == "postgresql":
            tables = [t.name for t in db.metadata.sorted_tables if t.name not in REFERENCE_TABLES]
            with db.engine.begin() as connection:
                # The harness empties the database as its owner: the audit log's TRUNCATE trigger
                # is lifted for this one transaction (replica mode fires no ordinary trigger).
                connection.execute(text("SET LOCAL session_replication_role = replica"))
                connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            # The shipped rule sets and region defaults are reference data that tests may change:
            # truncated with the rest, then loaded again as a fresh database has them.
            from marketplace.sroi.rulesets.services import load_published

            load_published()
            db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
