"""A hire's person reference of the contractor's own choosing (issue 23): it links contributions
for the same person and refuses the same hire entered twice. Never a name or BSN.

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


def downgrade():
    with op.batch_alter_table("contributions") as batch_op:
        batch_op.drop_column("person_reference")
