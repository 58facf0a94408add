"""Issue 23: each document a contribution's rule set asks for (an invoice; a target-group statement
and a contract; a placement agreement; a report or photo; a supplement's own proof) is kept as a
row of its own, named by the document it is, so the coordinator sees each one by its name.

Revision ID: 0022
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "contribution_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("document", sa.String(length=40), nullable=False),
        sa.Column("filename", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["contribution_id"], ["contributions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contribution_id", "document", name="uq_contribution_documents_document"),
    )


def downgrade():
    op.drop_table("contribution_documents")
