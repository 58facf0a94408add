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


def upgrade():
    with op.batch_alter_table("contributions") as batch_op:
        batch_op.add_column(sa.Column("person_reference", sa.String(length=60), nullable=True))
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
    with op.batch_alter_table("contributions") as batch_op:
        batch_op.drop_column("person_reference")
