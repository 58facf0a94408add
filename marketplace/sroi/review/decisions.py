"""A coordinator's decisions on contributions, match outcomes and colleagues' rule-set versions:
approve, reject with a reason (the contractor sees it and gets a mail), correct a valuation
(another building block or a part of the amount, with a reason), and approve routine items in
bulk. Every decision is its own audit entry with the before and the after, in one transaction
with the change. Claims and duplicate pairs keep their own services (claims, reviews)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from marketplace.accounts.models import User
from marketplace.core import audit, clock, mail
from marketplace.core.extensions import db
from marketplace.core.web.links import public_url_for
from marketplace.sroi.models import Contribution, ContributionMessage, RuleSetVersion, SupplierMatch
from marketplace.sroi.obligations import conversation
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.review.queue import QueueRefused, pending_rulesets
from marketplace.sroi.rulesets import services as sroi_rulesets
from marketplace.sroi.settlement import lock
from matching.reasons import Reason

REASON_LIMIT = 500
# A corrected amount above this is a typing error (a hundred million euros).
MAXIMUM_CENTS = 100_000_000_00


@dataclass(frozen=True)
class Correction:
    """What a coordinator changes before approving: another building block (hires), and/or the
    amount that counts (a part of the valued amount)."""

    block: str | None = None
    amount: Decimal | None = None


def _reason_text(reason: str) -> str:
    cleaned = " ".join(reason.split())
    if not cleaned:
        raise QueueRefused("review.reason_needed")
    return cleaned[:REASON_LIMIT]


def _state(contribution: Contribution) -> dict[str, Any]:
    return {
        "status": contribution.status,
        "counted_cents": contribution.counted_cents,
        "block": contribution.block,
        "ruleset_version": contribution.ruleset_version,
    }


def _scoped_pending(user: User, contribution_id: int, valued: bool = False) -> Contribution:
    """The contribution if it is in the user's regions (else LookupError, as if it did not exist),
    refused when it is no longer pending or its obligation is settled (read-only); with `valued`,
    also while it waits for a rule set (its value is unknown: nothing to approve yet)."""
    contribution = obligations.contribution_for_coordinator(user, contribution_id)
    lock.refuse_if_settled(contribution.obligation_id)
    if contribution.status != "pending":
        raise _already_decided(contribution)
    if valued and not contribution.ruleset_id:
        raise QueueRefused("review.waiting_for_ruleset")
    return contribution


def _already_decided(contribution: Contribution) -> QueueRefused:
    """The refusal of a decision on a contribution that someone decided meanwhile: who and when."""
    decider = db.session.get(User, contribution.reviewed_by_id) if contribution.reviewed_by_id else None
    if decider is None or contribution.reviewed_at is None:
        return QueueRefused("review.already_decided")
    return QueueRefused(
        "review.already_decided_by",
        who=decider.display_name or decider.email,
        moment=contribution.reviewed_at.isoformat(timespec="seconds"),
    )


def _close(
    contribution: Contribution, user: User, status: str, notes: list[Reason], **changes: Any
) -> None:
    """Decide the contribution only if it is still pending, in one conditional UPDATE: of two
    coordinators deciding at the same moment, the database lets exactly one change the row (the
    other's UPDATE waits for the first to commit, then finds it no longer pending and changes
    nothing). The loser's transaction is rolled back and refused with who decided and when."""
    values = {
        "status": status,
        "review_reasons": [note.to_json() for note in notes],
        "reviewed_by_id": user.id,
        "reviewed_at": clock.now(),
        **changes,
    }
    with db.session.no_autoflush:
        result = db.session.execute(
            update(Contribution)
            .where(Contribution.id == contribution.id, Contribution.status == "pending")
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    if result.rowcount != 1:
        contribution_id = contribution.id
        db.session.rollback()
        raise _already_decided(db.session.get(Contribution, contribution_id))
    for name, value in values.items():
        set_committed_value(contribution, name, value)


def approve(user: User, contribution_id: int) -> Contribution:
    contribution = _scoped_pending(user, contribution_id, valued=True)
    before = _state(contribution)
    _close(contribution, user, "approved", [Reason("review.approved")])
    _log(user, "review.contribution_approved", contribution, before)
    db.session.commit()
    return contribution


def reject(user: User, contribution_id: int, reason: str) -> Contribution:
    """Reject with a reason the contractor sees on their page and gets by mail."""
    why = _reason_text(reason)
    contribution = _scoped_pending(user, contribution_id)
    before = _state(contribution)
    _close(contribution, user, "rejected", [Reason("review.rejected", {"reason": why})])
    _log(user, "review.contribution_rejected", contribution, before, reason=why)
    db.session.commit()
    _mail_contractor(contribution, "rejected")
    return contribution


def correct(user: User, contribution_id: int, correction: Correction, reason: str) -> Contribution:
    """Approve with a corrected valuation: value again with another block, and/or count another
    amount (lower or higher: a valuation can be read wrongly either way)."""
    why = _reason_text(reason)
    contribution = _scoped_pending(user, contribution_id, valued=True)
    before = _state(contribution)
    notes: list[Reason] = []
    changes: dict[str, Any] = {}
    counted = contribution.counted_cents
    if correction.block and correction.block != contribution.block:
        if contribution.kind != "hire":
            raise QueueRefused("review.block_only_for_hires")
        values = obligations.contribution_values(contribution) | {"block": correction.block}
        obligation = contribution.obligation
        prepared = obligations.value_contribution(
            values, contribution.ruleset_id, contribution.ruleset_version,
            obligation=obligation, before_id=contribution.id,
        )  # fmt: skip
        notes.append(
            Reason("review.corrected_block", {"before": contribution.block, "after": correction.block})
        )
        counted = prepared.contribution.counted_cents
        changes |= {"block": correction.block, "reasons": prepared.contribution.reasons}
    if correction.amount is not None:
        cents = int(correction.amount * 100)
        if cents < 0 or cents > MAXIMUM_CENTS:
            raise QueueRefused(
                "review.partial_too_high", maximum=f"{Decimal(MAXIMUM_CENTS) / 100:.2f}"
            )
        counted = cents
    if not notes and correction.amount is None:
        raise QueueRefused("review.nothing_corrected")
    changes["counted_cents"] = counted
    notes.append(
        Reason(
            "review.corrected",
            {
                "was": f"{Decimal(before['counted_cents']) / 100:.2f}",
                "now": f"{Decimal(counted) / 100:.2f}",
                "reason": why,
            },
        )
    )
    _close(contribution, user, "approved", notes, **changes)
    _log(user, "review.contribution_corrected", contribution, before, reason=why)
    db.session.commit()
    _mail_contractor(contribution, "corrected")
    return contribution


def ask(user: User, contribution_id: int, question: str) -> Contribution:
    """Ask the contractor for more information: the question joins the contribution's thread, it
    waits for their answer ("more information asked"), and they get a mail naming it."""
    words = conversation.message_text(question)
    contribution = _scoped_pending(user, contribution_id)
    before = _state(contribution)
    _close(contribution, user, "questioned", [Reason("review.asked", {"question": words[:REASON_LIMIT]})])
    message = ContributionMessage(contribution_id=contribution.id, author_id=user.id, side="coordinator",
                                  body=words, created_at=clock.now())  # fmt: skip
    db.session.add(message)
    _log(user, "review.contribution_questioned", contribution, before, question=words)
    db.session.commit()
    conversation.notify(contribution, message, conversation.contractor_of(contribution))
    return contribution


def approve_many(user: User, contribution_ids: Iterable[int]) -> tuple[int, int]:
    """Approve each selected pending contribution in the user's regions, each on its own terms
    (its own conditional UPDATE and audit entry, committed one by one). Returns (approved,
    skipped): items decided meanwhile or outside the regions are skipped."""
    approved = skipped = 0
    for contribution_id in sorted(set(contribution_ids)):
        try:
            contribution = _scoped_pending(user, contribution_id, valued=True)
            before = _state(contribution)
            _close(contribution, user, "approved", [Reason("review.approved")])
        except (LookupError, QueueRefused, lock.ObligationSettled):
            skipped += 1
            continue
        _log(user, "review.contribution_approved", contribution, before, bulk=True)
        db.session.commit()
        approved += 1
    return approved, skipped


def _log(user: User, action: str, contribution: Contribution, before: dict[str, Any], **details: Any) -> None:
    audit.record(
        user,
        action,
        "contribution",
        contribution.id,
        region_id=contribution.obligation.region_id,
        obligation=contribution.obligation_id,
        before=before,
        after=_state(contribution),
        **details,
    )


def _mail_contractor(contribution: Contribution, what: str) -> None:
    """Tell the contractor, in their language, with a link to the obligation's page."""
    contractor = db.session.get(User, contribution.obligation.contractor_id)
    if contractor is None or contractor.deleted_at is not None:
        return
    with force_locale(contractor.locale or "nl"):
        subject = render_template(
            "mail/contribution_reviewed_subject.txt", what=what, obligation=contribution.obligation
        ).strip()
        body = render_template(
            "mail/contribution_reviewed.txt",
            what=what,
            contribution=contribution,
            obligation=contribution.obligation,
            link=public_url_for("contractor.obligation", obligation_id=contribution.obligation_id),
        )
    mail.send(contractor.email, subject, body)


# Match outcomes ---------------------------------------------------------------------------------


def decide_match(user: User, match_id: int, approve_it: bool, reason: str = "") -> SupplierMatch:
    """Confirm (or not) that a match's outcome is right: did it turn into social return?"""
    match = db.session.get(SupplierMatch, match_id)
    regions = None if user.has_role("admin") else user.coordinator_region_ids()
    if (
        match is None
        or match.obligation is None
        or (regions is not None and match.obligation.region_id not in regions)
    ):
        raise LookupError(match_id)
    if match.review_status is not None or match.status not in ("accepted", "declined"):
        raise QueueRefused("review.already_decided")
    why = "" if approve_it else _reason_text(reason)
    match.review_status = "approved" if approve_it else "rejected"
    match.reviewed_by_id, match.reviewed_at = user.id, clock.now()
    audit.record(
        user,
        f"review.match_{match.review_status}",
        "supplier_match",
        match.id,
        region_id=match.obligation.region_id,
        before={"review_status": None},
        after={"review_status": match.review_status, "status": match.status},
        reason=why,
    )
    db.session.commit()
    return match


# Rule-set versions ------------------------------------------------------------------------------


def decide_ruleset(user: User, version_id: int, approve_it: bool, reason: str = "") -> RuleSetVersion:
    """A colleague's rule-set version: approve it, or reject it, which saves the version before it
    again as the newest (nothing is deleted; valuations keep the version they were made under)."""
    row = db.session.scalar(pending_rulesets(user).where(RuleSetVersion.id == version_id))
    if row is None:
        raise LookupError(version_id)
    why = "" if approve_it else _reason_text(reason)
    row.review_status = "approved" if approve_it else "rejected"
    row.reviewed_by_id, row.reviewed_at = user.id, clock.now()
    restored = None
    if not approve_it:
        previous = db.session.scalar(
            select(RuleSetVersion)
            .where(RuleSetVersion.ruleset_id == row.ruleset_id, RuleSetVersion.version < row.version)
            .order_by(RuleSetVersion.version.desc())
        )
        latest = sroi_rulesets.version_row(row.ruleset_id)
        if previous is not None and latest.id == row.id:
            restored = sroi_rulesets.save_version(dict(previous.data), user, why)
            if restored is not None:
                restored.review_status = "approved"
    audit.record(
        user,
        f"review.ruleset_{row.review_status}",
        "sroi_ruleset",
        row.id,
        ruleset=row.ruleset_id,
        version=row.version,
        before={"review_status": "pending"},
        after={
            "review_status": row.review_status,
            "restored_version": restored.version if restored else None,
        },
        reason=why,
    )
    db.session.commit()
    return row
