"""Invoice numbers compared in a normal form (unique per supplier on it) and an idempotency token
for obligations registered from a form (issue 22).

Downgrade: it puts back the unique index on the invoice number as written. That works only while
no supplier has two live purchases (not rejected or withdrawn) under the very same number; such
rows can exist at 0016 (two spellings that were one invoice before 0016 keep their number apart
in the key, `inv1~<id>`, and once the first of them is rejected a third live entry may repeat a
number). Then the downgrade refuses, before it changes anything, naming the contributions; a
coordinator rejects the doubles (or they stay at 0016). After a downgrade the database no longer
catches one invoice in another spelling (inv-1, INV‐1, INV 1): only the exact same number.

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
            "SELECT id, organisation_id, invoice_number, status IN ('rejected', 'withdrawn')"
            " FROM contributions WHERE kind = 'purchase' ORDER BY id"
        )
    ).all()
    seen = set()
    for row_id, organisation_id, number, set_aside in rows:
        key = _key(number or "")[:60]
        if set_aside:  # outside the index (as in LIVE_PURCHASE): its plain key blocks nobody
            connection.execute(
                sa.text("UPDATE contributions SET invoice_key = :key WHERE id = :id"),
                {"key": key, "id": row_id},
            )
            continue
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


class DowngradeRefused(RuntimeError):
    """The database holds what the revision below cannot: the message names it and what to do."""


def _live_doubles(connection) -> list[tuple[int, str, int]]:
    rows = connection.execute(
        sa.text(
            "SELECT organisation_id, invoice_number, COUNT(*) FROM contributions"
            f" WHERE {LIVE_PURCHASE} GROUP BY organisation_id, invoice_number HAVING COUNT(*) > 1"
            " ORDER BY organisation_id, invoice_number"
        )
    ).all()
    return [(organisation_id, number, count) for organisation_id, number, count in rows]


def downgrade():
    connection = op.get_bind()
    doubles = _live_doubles(connection)
    if doubles:
        listed = "; ".join(f"supplier {org}, invoice {number!r}: {n} times" for org, number, n in doubles)
        raise DowngradeRefused(
            "Cannot go below revision 0016: the unique index on the invoice number as written cannot be "
            f"put back, because these invoices are live more than once under the same number: {listed}. "
            "Reject or withdraw the doubles first (each counts once at 0016 only through its normal "
            "form), or stay at 0016. Nothing was changed."
        )
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
