"""Crawl runs name the pages they could not read.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 16:00:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "unread_pages",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )


def downgrade():
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_column("unread_pages")
