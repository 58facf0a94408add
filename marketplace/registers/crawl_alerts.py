"""Tell the admins when a register changed its layout: the crawl fails safely, but someone must
update the spider's layout block before the listing goes stale."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from marketplace.accounts.models import User, UserRole
from marketplace.core import mail
from marketplace.core.extensions import db
from marketplace.core.reasons import explain_all
from marketplace.registers.ingest import IngestOutcome
from scrapers.report import CrawlReport


def admin_addresses() -> list[str]:
    """Admin accounts, plus IMPACTMARKT_ADMIN_EMAILS for people without an account."""
    accounts = db.session.scalars(
        select(User.email).join(UserRole).where(UserRole.role == "admin", User.deleted_at.is_(None))
    )
    return sorted({*accounts, *current_app.config["ADMIN_EMAILS"]})


def alert_on_layout_change(report: CrawlReport, outcome: IngestOutcome) -> int:
    """Mail every admin once per run whose pages were laid out as no spider knows; returns the count."""
    if not report.layout_problems:
        return 0
    pages = "\n".join(f"- {problem}" for problem in report.layout_problems[:20])
    body = (
        f"De crawl van register {report.register} ({report.start_url}) is mislukt: de opmaak van het "
        f"register is veranderd. Er is niets gewijzigd aan de vermeldingen.\n\n"
        f"Reden: {explain_all(outcome.reasons)}\n\nPagina's:\n{pages}\n\n"
        f"Pas het blok 'Layout' bovenin scrapers/spiders/{report.register}.py aan en crawl opnieuw."
    )
    addresses = admin_addresses()
    for address in addresses:
        mail.send(address, f"Impactmarkt: opmaak van register {report.register} veranderd", body)
    return len(addresses)
