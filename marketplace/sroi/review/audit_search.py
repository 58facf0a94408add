"""Read the append-only audit log: search by item, person and period, within the reader's
regions (and their own actions), and export what was found. Nothing here writes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from marketplace.accounts.models import User
from marketplace.core import clock
from marketplace.core.audit_model import AuditLogEntry
from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.core.text_filters import ESCAPE, contains
from marketplace.core.web import values
from marketplace.sroi.review import audit_words

PAGE_LIMIT = 300
EXPORT_LIMIT = 100_000
SUBJECT_TYPES = (
    "contribution",
    "claim",
    "resolution_review",
    "supplier_match",
    "sroi_ruleset",
    "region",
    "organisation",
)


class AuditSearchRefused(ServiceError):
    """A search the log cannot answer, with why."""


@dataclass(frozen=True)
class AuditFilter:
    subject_type: str | None = None
    subject_id: str = ""
    person: str = ""
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Shown:
    entry: AuditLogEntry
    actor: str


def _day(value: str | None, name: str) -> date | None:
    if not value or not value.strip():
        return None
    try:
        return values.day(value, name)  # 1900 to 2100: 9999-12-31 would overflow the day after
    except values.BadValue:
        raise AuditSearchRefused("report.bad_filter", field=name) from None


def parse_filter(args: Mapping[str, str]) -> AuditFilter:
    subject_type = (args.get("soort") or "").strip() or None
    if subject_type is not None and subject_type not in SUBJECT_TYPES:
        raise AuditSearchRefused("report.bad_filter", field="soort")
    start, end = _day(args.get("van"), "van"), _day(args.get("tot"), "tot")
    if start and end and end < start:
        raise AuditSearchRefused("report.end_before_start")
    return AuditFilter(
        subject_type,
        (args.get("item") or "").strip()[:60],
        (args.get("persoon") or "").strip()[:254],
        start,
        end,
    )


def search(user: User, wanted: AuditFilter, limit: int = PAGE_LIMIT) -> tuple[list[Shown], bool]:
    """Newest first; (entries, whether there were more than the limit)."""
    statement = select(AuditLogEntry, User.email, User.display_name).outerjoin(
        User, AuditLogEntry.actor_id == User.id
    )
    if not user.has_role("admin"):
        statement = statement.where(
            or_(AuditLogEntry.region_id.in_(user.coordinator_region_ids()), AuditLogEntry.actor_id == user.id)
        )
    if wanted.subject_type:
        statement = statement.where(AuditLogEntry.subject_type == wanted.subject_type)
    if wanted.subject_id:
        statement = statement.where(AuditLogEntry.subject_id == wanted.subject_id)
    if wanted.person:
        pattern = contains(wanted.person)
        statement = statement.where(func.lower(User.email).like(pattern, escape=ESCAPE))
    if wanted.start:
        statement = statement.where(AuditLogEntry.at >= clock.start_of(wanted.start))
    if wanted.end:
        statement = statement.where(AuditLogEntry.at < clock.start_of(wanted.end + timedelta(days=1)))
    rows = db.session.execute(
        statement.order_by(AuditLogEntry.at.desc(), AuditLogEntry.id.desc()).limit(limit + 1)
    ).all()
    return [Shown(entry, name or email or "") for entry, email, name in rows[:limit]], len(rows) > limit


def details_text(details: dict[str, Any]) -> str:
    return json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)


def table(entries: list[Shown]) -> tuple[list[str], list[list[Any]]]:
    """One column per field, in the reader's language, times in Dutch time."""
    headers = [_("Nummer"), _("Wanneer (Nederlandse tijd)"), _("Wie"), _("Wat"), _("Status ervoor"),
               _("Status erna"), _("Telt mee ervoor"), _("Telt mee erna"), _("Bouwblok ervoor"),
               _("Bouwblok erna"), _("Reden"), _("Vraag")]  # fmt: skip
    contributions = audit_words.contributions_of([shown.entry for shown in entries])
    rows = []
    for shown in entries:
        details = shown.entry.details or {}
        before = details.get("before") if isinstance(details.get("before"), dict) else {}
        after = details.get("after") if isinstance(details.get("after"), dict) else {}
        pair = []
        for field in ("status", "counted_cents", "block"):
            pair += [audit_words.value(field, before.get(field)) if field in before else "",
                     audit_words.value(field, after.get(field)) if field in after else ""]  # fmt: skip
        rows.append([
            shown.entry.id,
            audit_words.moment(shown.entry),
            shown.actor,
            audit_words.sentence(shown.entry, shown.actor, contributions),
            *pair,
            details.get("reason") or details.get("why") or "",
            details.get("question") or "",
        ])  # fmt: skip
    return headers, rows


def describe(wanted: AuditFilter) -> list[tuple[str, str]]:
    return [
        (_("Gemaakt op"), clock.now().strftime("%Y-%m-%d %H:%M")),
        (_("Bron"), _("Impactmarkt, auditlog")),
        (_("Soort"), wanted.subject_type or _("alle")),
        (_("Item"), wanted.subject_id or _("alle")),
        (_("Persoon"), wanted.person or _("iedereen")),
        (_("Van"), wanted.start.isoformat() if wanted.start else _("begin")),
        (_("Tot en met"), wanted.end.isoformat() if wanted.end else _("nu")),
    ]
