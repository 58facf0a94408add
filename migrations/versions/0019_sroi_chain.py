"""The chain of an obligation (issue 24): subcontractors invited by e-mail, and who entered a
contribution when it was not the obligation's own contractor.

- sroi_chain_invitations: one subcontractor per obligation (invited, accepted, ended).
- contributions.entered_by_id: the subcontractor who entered it (NULL: the main contractor).

Revision ID: 0019
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sroi_chain_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("obligation_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("company", sa.String(length=200), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("subcontractor_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["obligation_id"], ["obligations.id"], name="fk_sroi_chain_invitations_obligation_id_obligations"
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"], ["users.id"], name="fk_sroi_chain_invitations_invited_by_id_users"
        ),
        sa.ForeignKeyConstraint(
            ["subcontractor_id"], ["users.id"], name="fk_sroi_chain_invitations_subcontractor_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_sroi_chain_invitations"),
    )
    with op.batch_alter_table("sroi_chain_invitations") as batch_op:
        batch_op.create_index("ix_sroi_chain_invitations_obligation_id", ["obligation_id"], unique=False)
        batch_op.create_index(
            "ix_sroi_chain_invitations_subcontractor_id", ["subcontractor_id"], unique=False
        )
    with op.batch_alter_table("contributions") as batch_op:
        batch_op.add_column(sa.Column("entered_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_contributions_entered_by_id_users", "users", ["entered_by_id"], ["id"]
        )
        batch_op.create_index("ix_contributions_entered_by_id", ["entered_by_id"], unique=False)


def downgrade():
    with op.batch_alter_table("contributions") as batch_op:
        batch_op.drop_index("ix_contributions_entered_by_id")
        batch_op.drop_constraint("fk_contributions_entered_by_id_users", type_="foreignkey")
        batch_op.drop_column("entered_by_id")
    with op.batch_alter_table("sroi_chain_invitations") as batch_op:
        batch_op.drop_index("ix_sroi_chain_invitations_subcontractor_id")
        batch_op.drop_index("ix_sroi_chain_invitations_obligation_id")
    op.drop_table("sroi_chain_invitations")
