"""Issue 23: a hire's person reference of the contractor's own choosing (it links contributions
for the same person and refuses the same hire entered twice; never a name or BSN), and the review
conversation of each contribution (contribution_messages).

Revision ID: 0013
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None

LIVE = "kind = 'purchase' AND status NOT IN ('rejected', 'withdrawn')"


def upgrade():
    with op.batch_alter_table("contributions") as batch_op:
        batch_op.add_column(sa.Column("person_reference", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("replaces_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_contributions_replaces", "contributions", ["replaces_id"], ["id"])
    # A rejected or withdrawn invoice may be entered again (its replacement).
    op.drop_index("uq_contributions_invoice", table_name="contributions")
    op.create_index("uq_contributions_invoice", "contributions", ["organisation_id", "invoice_number"],
                    unique=True, sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))  # fmt: skip
    op.create_table(
        "contribution_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("side", sa.String(length=12), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("evidence_filename", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["contribution_id"], ["contributions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contribution_messages") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contribution_messages_contribution_id"), ["contribution_id"], unique=False
        )


def downgrade():
    op.drop_table("contribution_messages")
    op.drop_index("uq_contributions_invoice", table_name="contributions")
    op.create_index("uq_contributions_invoice", "contributions", ["organisation_id", "invoice_number"],
                    unique=True, sqlite_where=sa.text("kind = 'purchase'"),
                    postgresql_where=sa.text("kind = 'purchase'"))  # fmt: skip
    with op.batch_alter_table("contributions") as batch_op:
        batch_op.drop_constraint("fk_contributions_replaces", type_="foreignkey")
        batch_op.drop_column("replaces_id")
        batch_op.drop_column("person_reference")
