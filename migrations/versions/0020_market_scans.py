"""Saved market scans, the colleagues they are shared with, and their runs (issue 27).

Revision ID: 0020
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0020"
down_revision = "0016"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade():
    op.create_table(
        "market_scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("question", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("market_scans") as batch_op:
        batch_op.create_index("ix_market_scans_owner_id", ["owner_id"], unique=False)
    op.create_table(
        "market_scan_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("invited_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["scan_id"], ["market_scans.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("scan_id", "user_id"),
    )
    with op.batch_alter_table("market_scan_members") as batch_op:
        batch_op.create_index("ix_market_scan_members_user_id", ["user_id"], unique=False)
    op.create_table(
        "market_scan_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("run_at", sa.DateTime(), nullable=False),
        sa.Column("run_by_id", sa.Integer(), nullable=True),
        sa.Column("result", JSON, nullable=False),
        sa.ForeignKeyConstraint(["scan_id"], ["market_scans.id"]),
        sa.ForeignKeyConstraint(["run_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("market_scan_runs") as batch_op:
        batch_op.create_index("ix_market_scan_runs_scan_id", ["scan_id"], unique=False)


def downgrade():
    op.drop_table("market_scan_runs")
    op.drop_table("market_scan_members")
    op.drop_table("market_scans")
