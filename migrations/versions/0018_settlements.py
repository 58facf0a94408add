"""Settlements of SROI obligations (kept when corrected: one current per obligation) and the
contractor's "still employed on <date>" reports per person (issue 24).

Revision ID: 0018
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0018"
down_revision = "0024"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
CURRENT = "superseded_at IS NULL"


def upgrade():
    op.create_table(
        "sroi_settlements",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("obligation_id", sa.Integer(), sa.ForeignKey("obligations.id"), nullable=False),
        sa.Column("settled_on", sa.Date(), nullable=False),
        sa.Column("required_cents", sa.BigInteger(), nullable=False),
        sa.Column("realised_cents", sa.BigInteger(), nullable=False),
        sa.Column("shortfall_cents", sa.BigInteger(), nullable=False),
        sa.Column("per_kind", JSON, nullable=False),
        sa.Column("contribution_ids", JSON, nullable=False),
        sa.Column("consequence", sa.String(length=20), nullable=False),
        sa.Column("consequence_text", sa.Text(), nullable=False),
        sa.Column("consequence_cents", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("corrects_id", sa.Integer(), sa.ForeignKey("sroi_settlements.id"), nullable=True),
        sa.Column("settled_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("superseded_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_sroi_settlements_obligation_id", "sroi_settlements", ["obligation_id"])
    op.create_index(
        "uq_sroi_settlements_current",
        "sroi_settlements",
        ["obligation_id"],
        unique=True,
        sqlite_where=sa.text(CURRENT),
        postgresql_where=sa.text(CURRENT),
    )
    op.create_table(
        "sroi_employment_checks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("obligation_id", sa.Integer(), sa.ForeignKey("obligations.id"), nullable=False),
        sa.Column("person_reference", sa.String(length=60), nullable=False),
        sa.Column("employed_on", sa.Date(), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index(
        "ix_sroi_employment_checks_person", "sroi_employment_checks", ["obligation_id", "person_reference"]
    )


def downgrade():
    op.drop_index("ix_sroi_employment_checks_person", table_name="sroi_employment_checks")
    op.drop_table("sroi_employment_checks")
    op.drop_index("uq_sroi_settlements_current", table_name="sroi_settlements")
    op.drop_index("ix_sroi_settlements_obligation_id", table_name="sroi_settlements")
    op.drop_table("sroi_settlements")
