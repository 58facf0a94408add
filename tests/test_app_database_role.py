"""On PostgreSQL the app connects as a role that may only add to and read the audit log.

The migrations run as the tables' owner (IMPACTMARKT_MIGRATION_DATABASE_URL) and grant the app's
role (IMPACTMARKT_DATABASE_URL) its rights; as that role TRUNCATE, ALTER TABLE … DISABLE TRIGGER,
session_replication_role = replica, UPDATE and DELETE on the audit log are all refused, while the
app still records a coordinator's decision. Issue 22 ("the app connects as the superuser").
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy import select
from sqlalchemy.engine import make_url

from marketplace.core import audit
from marketplace.core.audit_model import AuditLogEntry
from marketplace.core.extensions import db
from marketplace.core.grants import app_role
from marketplace.reference.services import load_reference_data
from marketplace.sroi.models import RegionRuleSet
from tests.conftest import BACKEND, POSTGRES_URL, _libpq, fresh_request_globals, make_test_app
from tests.factories import csrf_token, login, user

postgresql_only = pytest.mark.skipif(BACKEND != "postgresql", reason="database roles are PostgreSQL's")


def _superuser() -> psycopg.Connection:
    return psycopg.connect(_libpq(POSTGRES_URL), autocommit=True)


@pytest.fixture
def app_role_name() -> Iterator[str]:
    """A login role of our own on the test server, dropped (with its rights) afterwards."""
    name = f"impactmarkt_app_{uuid.uuid4().hex[:10]}"
    with _superuser() as connection:
        connection.execute(f'CREATE ROLE "{name}" LOGIN')
    yield name
    with _superuser() as connection:
        databases = connection.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'impactmarkt_test_%'"
        ).fetchall()
    for (database,) in databases:  # rights and default privileges live per database
        try:
            with psycopg.connect(_libpq(make_url(POSTGRES_URL).set(database=database).render_as_string(
                    hide_password=False)), autocommit=True) as connection:  # fmt: skip
                connection.execute(f'DROP OWNED BY "{name}"')
        except psycopg.Error:
            continue  # another session's database, gone meanwhile
    with _superuser() as connection:
        connection.execute(f'DROP ROLE IF EXISTS "{name}"')


def _as(url: str, role: str) -> str:
    return make_url(url).set(username=role).render_as_string(hide_password=False)


def _refused(role_url: str, statement: str) -> str:
    """Run one statement as the app's role; the database's refusal (None when it was accepted)."""
    with psycopg.connect(_libpq(role_url), autocommit=True) as connection:
        try:
            connection.execute(statement)
        except psycopg.Error as error:
            return str(error).splitlines()[0]
    return ""


@postgresql_only
def test_the_apps_role_cannot_empty_or_change_the_audit_log_but_the_app_still_logs(
    empty_database_url, app_role_name: str, tmp_path: Path
) -> None:
    owner_url = empty_database_url()
    role_url = _as(owner_url, app_role_name)
    app = fresh_request_globals(make_test_app(role_url, tmp_path, MIGRATION_DATABASE_URL=owner_url))
    with app.app_context():
        upgrade()  # as the owner; grants the app's role its rights at the end
        load_reference_data()  # as the app's role: it may write the ordinary tables
        user("coordinator@rijnmond.example", "coordinator", regions=("Rijnmond",))
        client = app.test_client()
        login(client, "coordinator@rijnmond.example")
        region_id = db.session.scalar(
            select(RegionRuleSet.region_id).where(RegionRuleSet.region.has(name="Rijnmond"))
        )
        token = csrf_token(client, "/coordinator/regelsets")
        chosen = client.post(
            f"/coordinator/regelsets/regio/{region_id}",
            data={"csrf_token": token, "ruleset": "oost-nederland-bouwblokken-v05"},
        )
        assert chosen.status_code == 302
        db.session.remove()
        logged = db.session.scalars(select(AuditLogEntry.action)).all()
        assert logged == ["sroi.region_default"]
        assert audit.verify().intact
        db.session.remove()
        db.engine.dispose()

    with psycopg.connect(_libpq(role_url)) as connection:
        superuser, owner = connection.execute(
            "SELECT rolsuper, pg_has_role(current_user, tableowner, 'USAGE') FROM pg_roles, pg_tables "
            "WHERE rolname = current_user AND tablename = 'audit_log'"
        ).fetchone()
    assert (superuser, owner) == (False, False)

    refusals = {
        statement: _refused(role_url, statement)
        for statement in (
            "TRUNCATE audit_log",
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
            "ALTER TABLE audit_log DISABLE TRIGGER ALL",
            "SET session_replication_role = replica",
            "UPDATE audit_log SET action = 'changed'",
            "DELETE FROM audit_log",
            "DROP TABLE audit_log",
            "INSERT INTO alembic_version VALUES ('x')",
        )
    }
    assert all(refusals.values()), {s: why for s, why in refusals.items() if not why}
    assert "permission denied" in refusals["TRUNCATE audit_log"]
    assert "must be owner" in refusals["ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"]
    assert "permission denied" in refusals["SET session_replication_role = replica"]
    # What the app does need still works as its role: read the log and add to it.
    assert _refused(
        role_url,
        "INSERT INTO audit_log (at, action, subject_type, subject_id, details) "
        "VALUES (CURRENT_TIMESTAMP, 'test', 'organisation', '1', '{}')",
    ) == ""
    with psycopg.connect(_libpq(owner_url)) as connection:
        actions = [row[0] for row in connection.execute("SELECT action FROM audit_log ORDER BY id")]
    assert actions == ["sroi.region_default", "test"]


@postgresql_only
def test_an_upgrade_refuses_to_grant_a_role_that_could_empty_the_log(
    empty_database_url, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    owner_url = empty_database_url()
    name = f"impactmarkt_super_{uuid.uuid4().hex[:10]}"
    with _superuser() as connection:
        connection.execute(f'CREATE ROLE "{name}" LOGIN SUPERUSER')
    try:
        app = make_test_app(_as(owner_url, name), tmp_path, MIGRATION_DATABASE_URL=owner_url)
        with app.app_context(), pytest.raises(SystemExit):
            upgrade()  # Flask-Migrate logs the refusal and exits non-zero
        assert "is a superuser: it could empty the audit log" in capfd.readouterr().err
        with psycopg.connect(_libpq(owner_url)) as connection:  # one transaction: nothing was made
            assert connection.execute("SELECT to_regclass('audit_log')").fetchone() == (None,)
    finally:
        with _superuser() as connection:
            connection.execute(f'DROP ROLE IF EXISTS "{name}"')


def test_one_url_for_both_means_no_separate_role() -> None:
    url = "postgresql+psycopg://impactmarkt@db/impactmarkt"
    assert app_role(url, url) is None
    assert app_role("postgresql+psycopg://web@db/impactmarkt", url) == "web"
    assert app_role("sqlite:///instance/x.sqlite", url) is None


def test_the_migrations_url_defaults_to_the_apps(tmp_path: Path) -> None:
    from marketplace.core.settings import settings_from_environment

    app_url, owner_url = "postgresql+psycopg://web@db/m", "postgresql+psycopg://owner@db/m"
    one = settings_from_environment(tmp_path, environ={"IMPACTMARKT_DATABASE_URL": app_url, "IMPACTMARKT_SECRET_KEY": "k"})
    two = settings_from_environment(tmp_path, environ={"IMPACTMARKT_DATABASE_URL": app_url,
                                                       "IMPACTMARKT_MIGRATION_DATABASE_URL": owner_url,
                                                       "IMPACTMARKT_SECRET_KEY": "k"})  # fmt: skip
    assert one["MIGRATION_DATABASE_URL"] == app_url
    assert (two["SQLALCHEMY_DATABASE_URI"], two["MIGRATION_DATABASE_URL"]) == (app_url, owner_url)
