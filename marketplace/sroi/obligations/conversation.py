"""A contribution's review as a conversation: one thread of messages per contribution, seen by
the contractor and the coordinators of the obligation's region. The contractor answers a
question (text and a file: it is pending again) or withdraws a pending or questioned
contribution; each message is mailed to the other side in the reader's language, naming the
contribution. A state change applies only to the state it was made on (a conditional UPDATE)."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select, update

from marketplace.accounts.models import User, UserRole
from marketplace.core import audit, clock, mail
from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.core.web.links import public_url_for
from marketplace.sroi.models import Contribution, ContributionMessage
from marketplace.sroi.obligations import evidence
from marketplace.sroi.settlement import lock

MESSAGE_LIMIT = 2000


class ConversationRefused(ServiceError):
    """A message or state change the conversation cannot take, with why."""


def message_text(value: object, required: bool = True) -> str:
    cleaned = "\n".join(line.rstrip() for line in str(value or "").strip().splitlines())
    if required and not cleaned:
        raise ConversationRefused("review.message_needed")
    return cleaned[:MESSAGE_LIMIT]


def thread(contribution_id: int) -> list[ContributionMessage]:
    return list(
        db.session.scalars(
            select(ContributionMessage)
            .where(ContributionMessage.contribution_id == contribution_id)
            .order_by(ContributionMessage.created_at, ContributionMessage.id)
        )
    )


def authors(messages: list[ContributionMessage]) -> dict[int, User]:
    ids = {m.author_id for m in messages if m.author_id is not None}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}


def own_contribution(contractor: User, contribution_id: int) -> Contribution:
    """The contractor's own contribution; another's is as unknown as a missing one."""
    found = db.session.get(Contribution, contribution_id)
    if found is None or found.obligation.contractor_id != contractor.id:
        raise LookupError(contribution_id)
    return found


def _move(contribution: Contribution, allowed: tuple[str, ...], status: str) -> None:
    """Change the status only from one of the allowed ones, in one conditional UPDATE."""
    result = db.session.execute(
        update(Contribution)
        .where(Contribution.id == contribution.id, Contribution.status.in_(allowed))
        .values(status=status)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise ConversationRefused("review.not_in_that_state")
    db.session.expire(contribution, ["status"])


def answer(
    contractor: User, contribution_id: int, body: str, upload: evidence.Checked | None
) -> Contribution:
    """The contractor answers a question: the message (and its file) joins the thread and the
    contribution waits for the coordinator again; the region's coordinators get a mail."""
    contribution = own_contribution(contractor, contribution_id)
    words = message_text(body, required=upload is None)
    lock.refuse_if_settled(contribution.obligation_id)
    if contribution.status != "questioned":
        raise ConversationRefused("review.not_in_that_state")
    _move(contribution, ("questioned",), "pending")
    message = ContributionMessage(contribution_id=contribution.id, author_id=contractor.id, side="contractor",
                                  body=words, evidence_filename=upload.name if upload else None,
                                  created_at=clock.now())  # fmt: skip
    db.session.add(message)
    audit.record(contractor, "review.contribution_answered", "contribution", contribution.id,
                 region_id=contribution.obligation.region_id, obligation=contribution.obligation_id,
                 before={"status": "questioned"}, after={"status": "pending"})  # fmt: skip
    db.session.commit()
    if upload is not None:
        evidence.keep(upload)  # only once the answer is committed
    notify(contribution, message, region_coordinators(contribution))
    return contribution


def withdraw(contractor: User, contribution_id: int) -> Contribution:
    contribution = own_contribution(contractor, contribution_id)
    lock.refuse_if_settled(contribution.obligation_id)
    before = contribution.status
    if before not in ("pending", "questioned"):
        raise ConversationRefused("review.not_in_that_state")
    _move(contribution, ("pending", "questioned"), "withdrawn")
    audit.record(contractor, "review.contribution_withdrawn", "contribution", contribution.id,
                 region_id=contribution.obligation.region_id, obligation=contribution.obligation_id,
                 before={"status": before}, after={"status": "withdrawn"})  # fmt: skip
    db.session.commit()
    return contribution


def region_coordinators(contribution: Contribution) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(
                UserRole.role == "coordinator",
                UserRole.region_id == contribution.obligation.region_id,
                User.deleted_at.is_(None),
            )
            .distinct()
            .order_by(User.id)
        )
    )


def contractor_of(contribution: Contribution) -> list[User]:
    found = db.session.get(User, contribution.obligation.contractor_id)
    return [found] if found is not None and found.deleted_at is None else []


def notify(contribution: Contribution, message: ContributionMessage, readers: list[User]) -> None:
    """Mail the message to each reader in their own language, naming the contribution, with a
    link to its page on the reader's side."""
    for reader in readers:
        side = "contractor" if reader.id == contribution.obligation.contractor_id else "coordinator"
        link = public_url_for(f"{side}.contribution", contribution_id=contribution.id)
        with force_locale(reader.locale or "nl"):
            subject = render_template(
                "mail/contribution_message_subject.txt", contribution=contribution, message=message
            ).strip()
            body = render_template(
                "mail/contribution_message.txt", contribution=contribution, message=message, link=link
            )
        mail.send(reader.email, subject, body)
