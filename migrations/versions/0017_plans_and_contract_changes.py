"""SROI plans per contract year with their conversation, reporting schedules and confirmed
progress reports, and contract changes (meerwerk, minderwerk, extensions) with the figures
before and after (issue 24).

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0017"
down_revision = "0022"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _fk(table: str, column: str, target: str, target_column: str = "id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.{target_column}"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _index(table: str, column: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade():
    op.create_table(
        "sroi_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("obligation_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=14), nullable=False),
        sa.Column("ruleset_id", sa.String(length=80), nullable=False),
        sa.Column("ruleset_version", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        _fk("sroi_plans", "obligation_id", "obligations"),
        _fk("sroi_plans", "proposed_by_id", "users"),
        _fk("sroi_plans", "decided_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sroi_plans")),
        sa.UniqueConstraint("obligation_id", "version", name=op.f("uq_sroi_plans_obligation_id")),
    )
    _index("sroi_plans", "obligation_id")
    op.create_table(
        "sroi_plan_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("block", sa.String(length=80), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("amount_cents", sa.BigInteger(), nullable=True),
        sa.Column("hours_per_week", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("months", sa.Integer(), nullable=True),
        sa.Column("hours", sa.Numeric(precision=9, scale=2), nullable=True),
        sa.Column("supplements", JSON, nullable=False),
        sa.Column("planned_cents", sa.BigInteger(), nullable=False),
        sa.Column("reasons", JSON, nullable=False),
        _fk("sroi_plan_lines", "plan_id", "sroi_plans"),
        _fk("sroi_plan_lines", "organisation_id", "organisations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sroi_plan_lines")),
    )
    _index("sroi_plan_lines", "plan_id")
    op.create_table(
        "sroi_plan_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("side", sa.String(length=12), nullable=False),
        sa.Column("action", sa.String(length=14), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("sroi_plan_messages", "plan_id", "sroi_plans"),
        _fk("sroi_plan_messages", "author_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sroi_plan_messages")),
    )
    _index("sroi_plan_messages", "plan_id")
    op.create_table(
        "sroi_reporting_schedules",
        sa.Column("obligation_id", sa.Integer(), nullable=False),
        sa.Column("interval_months", sa.Integer(), nullable=True),
        sa.Column("dates", JSON, nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        _fk("sroi_reporting_schedules", "obligation_id", "obligations"),
        _fk("sroi_reporting_schedules", "set_by_id", "users"),
        sa.PrimaryKeyConstraint("obligation_id", name=op.f("pk_sroi_reporting_schedules")),
    )
    op.create_table(
        "sroi_progress_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("obligation_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(), nullable=False),
        _fk("sroi_progress_reports", "obligation_id", "obligations"),
        _fk("sroi_progress_reports", "confirmed_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sroi_progress_reports")),
        sa.UniqueConstraint("obligation_id", "due_on", name=op.f("uq_sroi_progress_reports_obligation_id")),
    )
    _index("sroi_progress_reports", "obligation_id")
    op.create_table(
        "sroi_contract_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("obligation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("value_before_cents", sa.BigInteger(), nullable=False),
        sa.Column("value_after_cents", sa.BigInteger(), nullable=False),
        sa.Column("ends_before", sa.Date(), nullable=False),
        sa.Column("ends_after", sa.Date(), nullable=False),
        sa.Column("made_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("sroi_contract_changes", "obligation_id", "obligations"),
        _fk("sroi_contract_changes", "made_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sroi_contract_changes")),
    )
    _index("sroi_contract_changes", "obligation_id")


def downgrade():
    for table in ("sroi_contract_changes", "sroi_progress_reports", "sroi_reporting_schedules",
                  "sroi_plan_messages", "sroi_plan_lines", "sroi_plans"):  # fmt: skip
        op.drop_table(table)
