"""Crawl runs keep their failure reasons as data (codes with parameters), worded when shown.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 16:30:00

"""

import json

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade():
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failure_reasons", JSON, nullable=True))
    runs = sa.table(
        "crawl_runs",
        sa.column("id", sa.Integer),
        sa.column("failure_reason", sa.Text),
        sa.column("failure_reasons", JSON),
    )
    connection = op.get_bind()
    for run_id, text in connection.execute(
        sa.select(runs.c.id, runs.c.failure_reason).where(runs.c.failure_reason.isnot(None))
    ):
        reasons = [{"code": "legacy.text", "params": {"text": part}} for part in text.split("; ")]
        connection.execute(runs.update().where(runs.c.id == run_id).values(failure_reasons=reasons))
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_column("failure_reason")


def downgrade():
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failure_reason", sa.Text(), nullable=True))
    runs = sa.table(
        "crawl_runs",
        sa.column("id", sa.Integer),
        sa.column("failure_reason", sa.Text),
        sa.column("failure_reasons", JSON),
    )
    connection = op.get_bind()
    for run_id, reasons in connection.execute(sa.select(runs.c.id, runs.c.failure_reasons)):
        if reasons:
            reasons = json.loads(reasons) if isinstance(reasons, str) else reasons
            text = "; ".join(r.get("params", {}).get("text") or r["code"] for r in reasons)
            connection.execute(runs.update().where(runs.c.id == run_id).values(failure_reason=text))
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_column("failure_reasons")
