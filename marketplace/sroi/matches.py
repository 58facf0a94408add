"""Matches between an obligation and a supplier: a contractor keeps a supplier from the ranking
(proposed), contacts it through the platform (contacted: the owners, or the address the profile
lists, get a mail), and records the outcome (accepted or declined: the coordinator reviews it).
A purchase from a matched supplier links the match to its contribution. An enterprise can say
"not for us", which the ranking then respects."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.core import audit, clock, mail
from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.core.web.links import public_url_for
from marketplace.organisations.models import Organisation
from marketplace.organisations.owner_models import OrganisationOwner
from marketplace.sroi.models import Contribution, Obligation, SupplierMatch
from matching.ranking import Ranked

MESSAGE_LIMIT = 2000
OUTCOMES = ("accepted", "declined")


class MatchRefused(ServiceError):
    """A match step that cannot be taken, with why."""


def match_of(obligation: Obligation, organisation_id: int) -> SupplierMatch | None:
    return db.session.scalar(
        select(SupplierMatch).where(
            SupplierMatch.obligation_id == obligation.id, SupplierMatch.organisation_id == organisation_id
        )
    )


def matches_of(obligation: Obligation) -> list[SupplierMatch]:
    return list(
        db.session.scalars(
            select(SupplierMatch)
            .where(SupplierMatch.obligation_id == obligation.id)
            .order_by(SupplierMatch.id)
        )
    )


def keep(obligation: Obligation, ranked: Ranked) -> SupplierMatch:
    """Put a ranked supplier on the obligation's shortlist (once), with its score and reasons."""
    found = match_of(obligation, ranked.candidate.organisation_id)
    if found is not None:
        return found
    match = SupplierMatch(
        obligation_id=obligation.id,
        organisation_id=ranked.candidate.organisation_id,
        score=float(ranked.score),
        reasons=[part.to_json() for part in ranked.parts],
        status="proposed",
    )
    db.session.add(match)
    db.session.commit()
    return match


def recipients(organisation: Organisation) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(OrganisationOwner, OrganisationOwner.user_id == User.id)
            .where(OrganisationOwner.organisation_id == organisation.id, User.deleted_at.is_(None))
        )
    )


def reachable(organisation: Organisation) -> bool:
    """Whether a message sent through the platform reaches someone: an owner's account, or the
    e-mail address the profile lists. Otherwise people are shown the other ways to get in touch."""
    return bool(organisation.contact_email) or bool(recipients(organisation))


def contact(obligation: Obligation, contractor: User, match: SupplierMatch, message: str) -> int:
    """Send the supplier the contractor's message (to its owners, else to the address its profile
    lists); returns how many addresses got it. The match becomes "contacted"."""
    text = message.strip()
    if not text:
        raise MatchRefused("match.message_needed")
    if len(text) > MESSAGE_LIMIT:
        raise MatchRefused("sroi.text_too_long", field="message", limit=MESSAGE_LIMIT)
    organisation = match.organisation
    owners = recipients(organisation)
    addresses = [(owner.email, owner.locale or "nl") for owner in owners]
    if not addresses and organisation.contact_email:
        addresses = [(organisation.contact_email, "nl")]
    if not addresses:
        raise MatchRefused("match.no_address", name=organisation.name)
    for address, locale in addresses:
        with force_locale(locale):
            subject = render_template("mail/match_contact_subject.txt", organisation=organisation).strip()
            body = render_template(
                "mail/match_contact.txt",
                organisation=organisation,
                obligation=obligation,
                contractor=contractor,
                message=text,
                link=public_url_for("public.organisation", slug=organisation.slug),
                reply_to=contractor.email,
            )
        mail.send(address, subject, body)
    if match.status == "proposed":
        match.status = "contacted"
    db.session.commit()
    return len(addresses)


def record_outcome(
    obligation: Obligation, contractor: User, match: SupplierMatch, outcome: str
) -> SupplierMatch:
    """The contractor says how the match ended; the region's coordinator then reviews it."""
    if outcome not in OUTCOMES:
        raise MatchRefused("match.unknown_outcome")
    before = match.status
    match.status, match.outcome_at, match.review_status = outcome, clock.now(), None
    audit.record(
        contractor,
        "match.outcome",
        "supplier_match",
        match.id,
        region_id=obligation.region_id,
        before={"status": before},
        after={"status": outcome},
    )
    db.session.commit()
    return match


def link_contribution(contribution: Contribution) -> None:
    """A purchase from a supplier matched to the same obligation shows the match turned into social return."""
    if contribution.kind != "purchase" or contribution.organisation_id is None:
        return
    match = db.session.scalar(
        select(SupplierMatch).where(
            SupplierMatch.obligation_id == contribution.obligation_id,
            SupplierMatch.organisation_id == contribution.organisation_id,
            SupplierMatch.contribution_id.is_(None),
        )
    )
    if match is not None:
        match.contribution_id = contribution.id
        if match.status in ("proposed", "contacted"):
            match.status, match.outcome_at, match.review_status = "accepted", clock.now(), None
        db.session.commit()


def not_for_us(organisation: Organisation, owner: User, obligation_id: int) -> SupplierMatch:
    """The enterprise declines an obligation it was matched to; the ranking leaves it out from now on."""
    match = db.session.scalar(
        select(SupplierMatch).where(
            SupplierMatch.obligation_id == obligation_id, SupplierMatch.organisation_id == organisation.id
        )
    )
    if match is None:
        raise LookupError(obligation_id)
    before = match.status
    match.status = "not_for_us"
    audit.record(
        owner,
        "match.not_for_us",
        "supplier_match",
        match.id,
        before={"status": before},
        after={"status": "not_for_us"},
    )
    db.session.commit()
    return match


def matched_to(organisation_ids: list[int]) -> list[SupplierMatch]:
    """The matches of an entrepreneur's enterprises, newest first (their dashboard)."""
    if not organisation_ids:
        return []
    return list(
        db.session.scalars(
            select(SupplierMatch)
            .where(SupplierMatch.organisation_id.in_(organisation_ids))
            .order_by(SupplierMatch.created_at.desc(), SupplierMatch.id.desc())
            .limit(200)
        )
    )
