"""Invoice numbers compared in a normal form (unique per supplier on it) and an idempotency token
for obligations registered from a form (issue 22).

Revision ID: 0016
Revises: 0011
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0014"
branch_labels = None
depends_on = None


def _key(number: str) -> str:
    # A copy of marketplace.core.web.values.invoice_key as it was when this migration was written.
    folded = unicodedata.normalize("NFKC", number).casefold()
    return "".join(
        c
        for c in folded
        if unicodedata.category(c) not in ("Pd", "Zs", "Zl", "Zp", "Cf")
        and c not in "._/\\:;,#"
        and not c.isspace()
    )


# The same condition as 0013's index: a rejected or withdrawn invoice may be entered again.
LIVE_PURCHASE = "kind = 'purchase' AND status NOT IN ('rejected', 'withdrawn')"


def upgrade():
    with op.batch_alter_table("contributions") as batch_op:
        batch_op.add_column(sa.Column("invoice_key", sa.String(length=80), nullable=True))
    with op.batch_alter_table("obligations") as batch_op:
        batch_op.add_column(sa.Column("submission", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT id, organisation_id, invoice_number FROM contributions"
            " WHERE kind = 'purchase' ORDER BY id"
        )
    ).all()
    seen = set()
    for row_id, organisation_id, number in rows:
        key = _key(number or "")[:60]
        if (organisation_id, key) in seen:  # an invoice counted twice before: keep both, visibly apart
            key = f"{key}~{row_id}"
        seen.add((organisation_id, key))
        connection.execute(
            sa.text("UPDATE contributions SET invoice_key = :key WHERE id = :id"), {"key": key, "id": row_id}
        )
    with op.batch_alter_table("contributions") as batch_op:
        batch_op.drop_index("uq_contributions_invoice")
        batch_op.create_index(
            "uq_contributions_invoice_key",
            ["organisation_id", "invoice_key"],
            unique=True,
            sqlite_where=sa.text(LIVE_PURCHASE),
            postgresql_where=sa.text(LIVE_PURCHASE),
        )
    with op.batch_alter_table("obligations") as batch_op:
        batch_op.create_index("uq_obligations_submission", ["contractor_id", "submission"], unique=True)


def downgrade():
    with op.batch_alter_table("obligations") as batch_op:
        batch_op.drop_index("uq_obligations_submission")
        batch_op.drop_column("submission")
    with op.batch_alter_table("contributions") as batch_op:
        batch_op.drop_index("uq_contributions_invoice_key")
        batch_op.create_index(
            "uq_contributions_invoice",
            ["organisation_id", "invoice_number"],
            unique=True,
            sqlite_where=sa.text(LIVE_PURCHASE),
            postgresql_where=sa.text(LIVE_PURCHASE),
        )
        batch_op.drop_column("invoice_key")
