"""Register links point at the register's own public page: labels filled from a copy on this
machine (the snapshot `make run` serves on a temporary port) kept that copy's address, dead once
filling ended. Rewrites those to the register's public site; the next crawl keeps them so.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 22:20:00

"""

from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# The registers' public sites as they were when this migration was written (scrapers.runner).
PUBLIC_SITES = {
    "pso": "https://www.pso-nederland.nl/",
    "code": "https://www.codesocialeondernemingen.nl/",
    "senl": "https://www.social-enterprise.nl/",
}
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def upgrade():
    labels = sa.table("labels", sa.column("id", sa.Integer), sa.column("register", sa.String),
                      sa.column("source_url", sa.String))  # fmt: skip
    connection = op.get_bind()
    rows = connection.execute(sa.select(labels.c.id, labels.c.register, labels.c.source_url)).all()
    for label_id, register, url in rows:
        page = urlsplit(url or "")
        if page.hostname not in LOOPBACK or register not in PUBLIC_SITES:
            continue
        site = urlsplit(PUBLIC_SITES[register])
        public = urlunsplit((site.scheme, site.netloc, page.path, page.query, ""))
        connection.execute(sa.update(labels).where(labels.c.id == label_id).values(source_url=public))


def downgrade():
    pass  # the copy's addresses were dead links; nothing to restore
