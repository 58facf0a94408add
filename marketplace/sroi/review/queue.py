"""One review queue per coordinator: every kind of item waiting for them in their regions
(contributions, profile claims, possible duplicates, match outcomes, colleagues' rule-set
changes), filtered and oldest first. Deciding lives with each kind (contribution_review,
claims, reviews, match_review, ruleset_review); this module only gathers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.core import clock
from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.core.text_filters import ESCAPE, contains
from marketplace.core.web import values
from marketplace.organisations.owner_models import Claim
from marketplace.profiles import claims
from marketplace.resolution import review_queue as reviews
from marketplace.sroi.models import Contribution, Obligation, RegionRuleSet, RuleSetVersion, SupplierMatch

KINDS = ("contribution", "claim", "pair", "match", "ruleset")
REGISTERS = ("pso", "code", "senl")
PAGE_SIZE = 50  # a page a coordinator can work through; filters reach the rest


class QueueRefused(ServiceError):
    """A filter or decision the queue cannot take, with why."""


@dataclass(frozen=True)
class QueueFilter:
    kind: str | None = None
    older_than_days: int | None = None
    contractor: str = ""
    authority: str = ""
    register: str | None = None  # contributions: purchases counted under this register's label
    below_cents: int | None = None  # contributions: purchases with an invoice below this amount

    @property
    def is_contractor_filter(self) -> bool:
        return bool(self.contractor or self.authority or self.register or self.below_cents is not None)

    def as_args(self) -> dict[str, str]:
        """The filter as query arguments (to link back to the same view)."""
        args = {
            "soort": self.kind or "",
            "ouder_dan": str(self.older_than_days or ""),
            "opdrachtnemer": self.contractor,
            "opdrachtgever": self.authority,
            "register": self.register or "",
            "onder": str(Decimal(self.below_cents) / 100) if self.below_cents is not None else "",
        }
        return {key: value for key, value in args.items() if value}


def _whole(value: str, maximum: int) -> bool:
    try:
        values.whole(value, "?", 0, maximum)  # ASCII digits: "²".isdigit() is true, int("²") fails
    except values.BadValue:
        return False
    return True


def parse_filter(args: Mapping[str, str]) -> QueueFilter:
    """Query arguments to a filter; anything unreadable is refused with a reason code."""
    kind = (args.get("soort") or "").strip() or None
    if kind is not None and kind not in KINDS:
        raise QueueRefused("review.bad_filter", field="soort")
    register = (args.get("register") or "").strip() or None
    if register is not None and register not in REGISTERS:
        raise QueueRefused("review.bad_filter", field="register")
    older = (args.get("ouder_dan") or "").strip()
    if older and not _whole(older, 3650):
        raise QueueRefused("review.bad_filter", field="ouder_dan")
    below = (args.get("onder") or "").strip().replace("€", "").replace(".", "").replace(",", ".")
    try:
        below_amount = Decimal(below) if below else None
    except ArithmeticError:
        raise QueueRefused("review.bad_filter", field="onder") from None
    if below_amount is not None and not (below_amount.is_finite() and 0 < below_amount <= 10**9):
        raise QueueRefused("review.bad_filter", field="onder")
    return QueueFilter(
        kind=kind,
        older_than_days=int(older) if older else None,
        contractor=(args.get("opdrachtnemer") or "").strip()[:100],
        authority=(args.get("opdrachtgever") or "").strip()[:100],
        register=register,
        below_cents=int(below_amount * 100) if below_amount is not None else None,
    )


@dataclass(frozen=True)
class QueueItem:
    kind: str
    id: int
    since: datetime
    subject: Any  # the row itself: Contribution, Claim, ReviewView, SupplierMatch or RuleSetVersion
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Queue:
    items: list[QueueItem]
    counts: dict[str, int]  # per kind, after filtering

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _regions(user: User) -> set[int] | None:
    """None for an admin (every region), else the coordinator's regions."""
    return None if user.has_role("admin") else user.coordinator_region_ids()


def pending_contributions(user: User, wanted: QueueFilter) -> Select[tuple[Contribution]]:
    """Pending contributions in the user's regions, narrowed by the filter (a query to page or count)."""
    statement = (
        select(Contribution)
        .join(Obligation, Contribution.obligation_id == Obligation.id)
        .join(User, Obligation.contractor_id == User.id)
        .where(Contribution.status == "pending")
    )
    regions = _regions(user)
    if regions is not None:
        statement = statement.where(Obligation.region_id.in_(regions))
    if wanted.contractor:
        pattern = contains(wanted.contractor)
        statement = statement.where(
            or_(
                func.lower(User.email).like(pattern, escape=ESCAPE),
                func.lower(User.display_name).like(pattern, escape=ESCAPE),
            )
        )
    if wanted.authority:
        statement = statement.where(
            func.lower(Obligation.contracting_authority).like(contains(wanted.authority), escape=ESCAPE)
        )
    if wanted.register:
        statement = statement.where(Contribution.counted_label.like(f"{wanted.register}:%"))
    if wanted.below_cents is not None:
        statement = statement.where(
            Contribution.kind == "purchase", Contribution.amount_cents < wanted.below_cents
        )
    if wanted.older_than_days is not None:
        statement = statement.where(Contribution.created_at < _cutoff(wanted.older_than_days))
    return statement


def _cutoff(days: int) -> datetime:
    return clock.start_of(clock.today()) - timedelta(days=days)


def _contributions(user: User, wanted: QueueFilter) -> tuple[list[QueueItem], int]:
    statement = pending_contributions(user, wanted)
    count = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = db.session.scalars(
        statement.options(selectinload(Contribution.obligation), selectinload(Contribution.organisation))
        .order_by(Contribution.created_at, Contribution.id)
        .limit(PAGE_SIZE)
    ).all()
    contractors = _users({row.obligation.contractor_id for row in rows})
    items = [
        QueueItem(
            "contribution",
            row.id,
            row.created_at,
            row,
            {"contractor": contractors.get(row.obligation.contractor_id)},
        )
        for row in rows
    ]
    return items, count


def _users(ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}


def _matches(user: User, wanted: QueueFilter) -> tuple[list[QueueItem], int]:
    statement = (
        select(SupplierMatch)
        .join(Obligation, SupplierMatch.obligation_id == Obligation.id)
        .where(SupplierMatch.status.in_(("accepted", "declined")), SupplierMatch.review_status.is_(None))
    )
    regions = _regions(user)
    if regions is not None:
        statement = statement.where(Obligation.region_id.in_(regions))
    if wanted.authority:
        statement = statement.where(
            func.lower(Obligation.contracting_authority).like(contains(wanted.authority), escape=ESCAPE)
        )
    since = func.coalesce(SupplierMatch.outcome_at, SupplierMatch.created_at)
    if wanted.older_than_days is not None:
        statement = statement.where(since < _cutoff(wanted.older_than_days))
    count = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = db.session.scalars(
        statement.options(selectinload(SupplierMatch.obligation), selectinload(SupplierMatch.organisation))
        .order_by(since, SupplierMatch.id)
        .limit(PAGE_SIZE)
    ).all()
    return [QueueItem("match", row.id, row.outcome_at or row.created_at, row) for row in rows], count


def pending_rulesets(user: User) -> Select[tuple[RuleSetVersion]]:
    """Rule-set versions saved by someone else that wait for review, of rule sets the user's regions use."""
    statement = select(RuleSetVersion).where(
        RuleSetVersion.review_status == "pending",
        or_(RuleSetVersion.created_by_id.is_(None), RuleSetVersion.created_by_id != user.id),
    )
    regions = _regions(user)
    if regions is not None:
        used = select(RegionRuleSet.ruleset_id).where(RegionRuleSet.region_id.in_(regions))
        in_use = select(Obligation.ruleset_id).where(Obligation.region_id.in_(regions))
        statement = statement.where(
            or_(RuleSetVersion.ruleset_id.in_(used), RuleSetVersion.ruleset_id.in_(in_use))
        )
    return statement


def _rulesets(user: User, wanted: QueueFilter) -> tuple[list[QueueItem], int]:
    statement = pending_rulesets(user)
    if wanted.older_than_days is not None:
        statement = statement.where(RuleSetVersion.created_at < _cutoff(wanted.older_than_days))
    rows = db.session.scalars(statement.order_by(RuleSetVersion.created_at, RuleSetVersion.id)).all()
    authors = _users({row.created_by_id for row in rows if row.created_by_id})
    return [
        QueueItem("ruleset", row.id, row.created_at, row, {"author": authors.get(row.created_by_id or 0)})
        for row in rows
    ], len(rows)


def _old_enough(since: datetime, wanted: QueueFilter) -> bool:
    return wanted.older_than_days is None or since < _cutoff(wanted.older_than_days)


def _claims(user: User, wanted: QueueFilter) -> tuple[list[QueueItem], int]:
    rows: list[Claim] = [row for row in claims.reviewable(user) if _old_enough(row.created_at, wanted)]
    return [QueueItem("claim", row.id, row.created_at, row) for row in rows], len(rows)


def _pairs(user: User, wanted: QueueFilter) -> tuple[list[QueueItem], int]:
    views = [view for view in reviews.open_reviews(user) if _old_enough(view.review.created_at, wanted)]
    return [QueueItem("pair", view.review.id, view.review.created_at, view) for view in views], len(views)


SOURCES = {
    "contribution": _contributions,
    "claim": _claims,
    "pair": _pairs,
    "match": _matches,
    "ruleset": _rulesets,
}
# A contractor or contribution filter keeps only contributions; an authority filter also matches.
AUTHORITY_KINDS = {"contribution", "match"}


def queue(user: User, wanted: QueueFilter) -> Queue:
    """The user's open items of the wanted kinds, oldest first (at most PAGE_SIZE shown)."""
    kinds = [wanted.kind] if wanted.kind else list(KINDS)
    if wanted.is_contractor_filter:
        narrow = wanted.contractor or wanted.register or wanted.below_cents is not None
        keep = {"contribution"} if narrow else AUTHORITY_KINDS
        kinds = [kind for kind in kinds if kind in keep]
    items: list[QueueItem] = []
    counts: dict[str, int] = {}
    for kind in kinds:
        found, counts[kind] = SOURCES[kind](user, wanted)
        items.extend(found)
    items.sort(key=lambda item: (item.since, KINDS.index(item.kind), item.id))
    return Queue(items[:PAGE_SIZE], counts)


def open_count(user: User) -> int:
    return queue(user, QueueFilter()).total
