"""What the app's own database role may do on PostgreSQL, granted by `impactmarkt db upgrade`.

Migrations run as the tables' owner (IMPACTMARKT_MIGRATION_DATABASE_URL); the app connects as
another role (IMPACTMARKT_DATABASE_URL) that may read and change the ordinary tables but only
INSERT and SELECT on the audit log. Not being the owner or a superuser, it can neither TRUNCATE
the log, ALTER it (DISABLE TRIGGER) nor switch triggers off with session_replication_role: the
append-only rule then holds against the app itself, not only against its code. The grants are
applied after every upgrade (idempotent), so tables added by later migrations are covered too.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url

# The audit log: written and read, never changed. alembic_version: only migrations change it.
READ_AND_APPEND = ("audit_log",)
READ_ONLY = ("alembic_version",)


class AppRoleRefused(RuntimeError):
    """The app's role cannot be given the limited rights asked for; the message says why."""


def app_role(app_url: str, migration_url: str) -> str | None:
    """The role the app connects as, when it is not the one migrations run as (else None)."""
    app, migration = make_url(app_url), make_url(migration_url)
    if app.get_backend_name() != "postgresql" or not app.username:
        return None
    if app.username == migration.username:
        return None
    return app.username


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def _check(connection: Connection, role: str) -> None:
    found = connection.execute(
        text("SELECT rolsuper FROM pg_roles WHERE rolname = :role"), {"role": role}
    ).first()
    if found is None:
        raise AppRoleRefused(
            f"the app's database role {role!r} (IMPACTMARKT_DATABASE_URL) does not exist: create it "
            f"first, e.g. CREATE ROLE {role} LOGIN PASSWORD '…'"
        )
    if found.rolsuper:
        raise AppRoleRefused(
            f"the app's database role {role!r} is a superuser: it could empty the audit log. "
            "Give the app an ordinary role"
        )
    owns = connection.execute(
        text("SELECT pg_has_role(:role, tableowner, 'USAGE') FROM pg_tables WHERE tablename = 'audit_log'"
             " AND schemaname = current_schema()"),
        {"role": role},
    ).scalar()
    if owns:
        raise AppRoleRefused(
            f"the app's database role {role!r} owns the audit log (or is a member of its owner): "
            "run the migrations as another role (IMPACTMARKT_MIGRATION_DATABASE_URL)"
        )


def grant_app_role(connection: Connection, role: str) -> None:
    """Give `role` what the app needs and no more, in the connection's current schema."""
    _check(connection, role)
    who = _quote(connection, role)
    schema = _quote(connection, connection.execute(text("SELECT current_schema()")).scalar_one())
    statements = [
        f"GRANT USAGE ON SCHEMA {schema} TO {who}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {who}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {who}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {who}",
    ]
    for tables, rights in ((READ_AND_APPEND, "SELECT, INSERT"), (READ_ONLY, "SELECT")):
        for table in tables:
            if connection.execute(text("SELECT to_regclass(:t)"), {"t": table}).scalar() is None:
                continue  # not (yet, or no longer) there: after a downgrade to the start
            statements.append(f"REVOKE ALL ON {schema}.{table} FROM {who}")
            statements.append(f"GRANT {rights} ON {schema}.{table} TO {who}")
    for statement in statements:
        connection.execute(text(statement))
