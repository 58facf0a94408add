"""The coordinators' review queue of possible duplicates, scoped to their regions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from marketplace.accounts.models import User
from marketplace.core import audit
from marketplace.core.database import utcnow
from marketplace.core.extensions import db
from marketplace.organisations.models import Label
from marketplace.resolution import services as resolution
from marketplace.resolution.models import ResolutionOverride, ResolutionReview
from matching.resolution.features import record_id

DECISIONS = {"merge": "merged", "split": "split"}


class NotYourRegion(PermissionError):
    """The review belongs to regions this coordinator does not cover."""


class AlreadyDecided(ValueError):
    """Someone decided this pair already."""


@dataclass(frozen=True)
class ReviewView:
    review: ResolutionReview
    left: Label | None
    right: Label | None


def _scope(user: User):  # type: ignore[no-untyped-def]
    """Admins see every pair; a coordinator the pairs with a record in one of their regions."""
    if user.has_role("admin"):
        return True
    regions = user.coordinator_region_ids()
    return or_(ResolutionReview.left_region_id.in_(regions), ResolutionReview.right_region_id.in_(regions))


def open_reviews(user: User) -> list[ReviewView]:
    reviews = db.session.scalars(
        select(ResolutionReview)
        .where(ResolutionReview.status == "open", _scope(user))
        .order_by(ResolutionReview.score.desc(), ResolutionReview.id)
    ).all()
    labels = {resolution.label_record_id(label): label for label in _labels_of(reviews)}
    return [ReviewView(r, labels.get(r.left_record), labels.get(r.right_record)) for r in reviews]


def open_review_count(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(ResolutionReview)
            .where(ResolutionReview.status == "open", _scope(user))
        )
        or 0
    )


def _labels_of(reviews: list[ResolutionReview]) -> list[Label]:
    wanted = {rid for r in reviews for rid in (r.left_record, r.right_record)}
    registers = {rid.split(":", 1)[0] for rid in wanted}
    keys = {rid.split(":", 1)[1] for rid in wanted}
    candidates = db.session.scalars(
        select(Label).where(Label.register.in_(registers), Label.record_key.in_(keys))
    )
    return [label for label in candidates if record_id(label.register, label.record_key) in wanted]


def decide(review_id: int, user: User, decision: str) -> ResolutionReview:
    """Store a coordinator's merge or split, log it, and apply it at once. One transaction."""
    if decision not in DECISIONS:
        raise ValueError(decision)
    review = db.session.scalar(select(ResolutionReview).where(ResolutionReview.id == review_id, _scope(user)))
    if review is None:
        raise NotYourRegion(review_id)
    if review.status != "open":
        raise AlreadyDecided(review_id)
    override = db.session.scalar(
        select(ResolutionOverride).where(
            ResolutionOverride.left_record == review.left_record,
            ResolutionOverride.right_record == review.right_record,
        )
    )
    if override is None:
        override = ResolutionOverride(left_record=review.left_record, right_record=review.right_record)
        db.session.add(override)
    override.decision = decision
    override.decided_by_id = user.id
    override.decided_at = utcnow()
    review.status = DECISIONS[decision]
    review.decided_by_id = user.id
    review.decided_at = utcnow()
    audit.record(
        user,
        f"resolution.{decision}",
        "resolution_review",
        review.id,
        region_id=review.left_region_id or review.right_region_id,
        left=review.left_record,
        right=review.right_record,
        score=review.score,
        reasons=review.reasons,
        before={"status": "open"},
        after={"status": review.status},
    )
    db.session.flush()
    resolution.Relinker().relink(dirty={review.left_record, review.right_record})
    db.session.commit()
    return review
