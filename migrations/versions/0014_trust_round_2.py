"""Trust, round 2 (issue 22): sessions that end, shortlists shared with named colleagues, an
audit log that is hash-chained and cannot be truncated or replaced.

- users.session_version: part of every session cookie; raised at logout and password change.
- shortlist_members: the colleagues a list's maker invited by name. Lists shared the old way
  (with everybody of the same e-mail domain, gmail.com included) become private.
- audit_log.prev_hash / entry_hash: each entry's SHA-256 over its content and the previous
  entry's hash (entries from before this revision keep NULL: the chain starts after them).
- PostgreSQL: TRUNCATE on audit_log is refused by a trigger. SQLite: an INSERT over an existing
  id (INSERT OR REPLACE) is refused.

Revision ID: 0014
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), server_default="1", nullable=False))

    op.create_table(
        "shortlist_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shortlist_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("invited_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shortlist_id"], ["shortlists.id"], name=op.f("fk_shortlist_members_shortlist_id_shortlists")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_shortlist_members_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shortlist_members")),
        sa.UniqueConstraint("shortlist_id", "user_id", name=op.f("uq_shortlist_members_shortlist_id")),
    )
    with op.batch_alter_table("shortlist_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shortlist_members_user_id"), ["user_id"], unique=False)
    # Shared with a whole e-mail domain is shared with every gmail.com user: private from now on;
    # the maker invites the colleagues by name.
    op.execute("UPDATE shortlists SET shared = false")

    # Plain ADD COLUMN (no table copy): the append-only triggers stay as they are.
    op.add_column("audit_log", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_log", sa.Column("entry_hash", sa.String(length=64), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()"
        )
    else:
        op.execute(
            "CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log "
            "WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_replace")
    # Plain DROP COLUMN (SQLite 3.35+ too): a table copy would lose the append-only triggers.
    op.execute("ALTER TABLE audit_log DROP COLUMN entry_hash")
    op.execute("ALTER TABLE audit_log DROP COLUMN prev_hash")
    with op.batch_alter_table("shortlist_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shortlist_members_user_id"))
    op.drop_table("shortlist_members")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")
