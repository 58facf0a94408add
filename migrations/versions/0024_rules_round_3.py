"""Rules as published, round 3 (issue 28): obligations that wait for a rule set, regions' lists of SW
companies and learn-work companies, an SENL membership start proven with evidence; and columns nothing
reads any more dropped.

- obligations.percentage_from_ruleset: no percentage came with the contract, so the rule set's applies
  (set when a waiting obligation, ruleset_id "", gets its rule set).
- contributions.senl_member_since: the SENL membership start a contractor proved with evidence.
- sroi_region_companies: per region and kind (sw_company, learn_work_company), by KvK number.
- dropped: sroi_region_rulesets.stand_in (a stand-in became "no rule set known"), shortlists.shared and
  shortlists.colleagues_domain (from when lists were shared by e-mail domain; 0014 made them private).

Revision ID: 0024
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("obligations") as batch_op:
        batch_op.add_column(
            sa.Column("percentage_from_ruleset", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("contributions") as batch_op:
        batch_op.add_column(sa.Column("senl_member_since", sa.Date(), nullable=True))
    op.create_table(
        "sroi_region_companies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("kvk", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name=op.f("fk_sroi_region_companies_added_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_sroi_region_companies_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["labour_market_regions.id"],
            name=op.f("fk_sroi_region_companies_region_id_labour_market_regions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sroi_region_companies")),
        sa.UniqueConstraint("region_id", "kind", "kvk", name=op.f("uq_sroi_region_companies_region_id")),
    )
    with op.batch_alter_table("sroi_region_companies") as batch_op:
        batch_op.create_index(batch_op.f("ix_sroi_region_companies_region_id"), ["region_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sroi_region_companies_kvk"), ["kvk"], unique=False)
    # A stand-in of old is "no rule set known": the region's coordinator chooses.
    op.execute("UPDATE sroi_region_rulesets SET ruleset_id = '' WHERE stand_in = true")
    with op.batch_alter_table("sroi_region_rulesets") as batch_op:
        batch_op.drop_column("stand_in")
    with op.batch_alter_table("shortlists") as batch_op:
        batch_op.drop_index("ix_shortlists_colleagues_domain")
        batch_op.drop_column("colleagues_domain")
        batch_op.drop_column("shared")


def downgrade():
    with op.batch_alter_table("shortlists") as batch_op:
        batch_op.add_column(sa.Column("shared", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(
            sa.Column("colleagues_domain", sa.String(length=254), server_default="", nullable=False)
        )
        batch_op.create_index("ix_shortlists_colleagues_domain", ["colleagues_domain"], unique=False)
    with op.batch_alter_table("sroi_region_rulesets") as batch_op:
        batch_op.add_column(sa.Column("stand_in", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("sroi_region_companies") as batch_op:
        batch_op.drop_index(batch_op.f("ix_sroi_region_companies_kvk"))
        batch_op.drop_index(batch_op.f("ix_sroi_region_companies_region_id"))
    op.drop_table("sroi_region_companies")
    with op.batch_alter_table("contributions") as batch_op:
        batch_op.drop_column("senl_member_since")
    with op.batch_alter_table("obligations") as batch_op:
        batch_op.drop_column("percentage_from_ruleset")
