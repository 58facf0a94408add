"""Claiming a listed organisation: a code mailed to an address at its own website domain, or
a coordinator of its region decides. A claim on an owned profile always goes to a coordinator.
Every step is in the audit log."""

from __future__ import annotations

import secrets
from datetime import timedelta

from argon2.exceptions import VerificationError
from flask_babel import force_locale, gettext
from sqlalchemy import or_, select

from marketplace.accounts.models import User, UserRole
from marketplace.accounts.passwords import hasher
from marketplace.core import audit, mail
from marketplace.core.database import utcnow
from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.core.web.links import public_url_for
from marketplace.organisations.models import Organisation
from marketplace.organisations.owner_models import Claim, OrganisationOwner
from matching.normalise import website_domain

CODE_MINUTES = 30
MAX_ATTEMPTS = 5


class ClaimError(ServiceError):
    """A claim step that cannot be taken."""


def owns(user: User, organisation_id: int) -> bool:
    return (
        db.session.scalar(
            select(OrganisationOwner.id).where(
                OrganisationOwner.user_id == user.id, OrganisationOwner.organisation_id == organisation_id
            )
        )
        is not None
    )


def owned_organisations(user: User) -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .join(OrganisationOwner)
            .where(OrganisationOwner.user_id == user.id)
            .order_by(Organisation.name)
        )
    )


def is_owned(organisation: Organisation) -> bool:
    return (
        db.session.scalar(
            select(OrganisationOwner.id).where(OrganisationOwner.organisation_id == organisation.id)
        )
        is not None
    )


def proof_domain(organisation: Organisation) -> str | None:
    """The domain an address must be at to prove ownership by code (the register's website)."""
    return website_domain(organisation.website)


def _region_id(organisation: Organisation) -> int | None:
    return organisation.municipality.region_id if organisation.municipality else None


def start_by_code(organisation: Organisation, user: User, email: str) -> Claim:
    domain = proof_domain(organisation)
    address = email.strip().lower()
    if domain is None:
        raise ClaimError("claim.no_website")
    if is_owned(organisation):
        raise ClaimError("claim.already_owned")
    if not address.endswith("@" + domain) and not address.endswith("." + domain):
        raise ClaimError("claim.wrong_domain", domain=domain)
    code = f"{secrets.randbelow(10**6):06d}"
    claim = Claim(
        organisation_id=organisation.id,
        user_id=user.id,
        status="code_sent",
        email=address,
        code_hash=hasher().hash(code),
        code_expires_at=utcnow() + timedelta(minutes=CODE_MINUTES),
        region_id=_region_id(organisation),
    )
    db.session.add(claim)
    db.session.flush()
    audit.record(
        user,
        "claim.code_sent",
        "claim",
        claim.id,
        claim.region_id,
        organisation=organisation.id,
        email=address,
    )
    db.session.commit()
    with force_locale(user.locale or "nl"):
        subject = gettext("Uw code voor %(name)s op Impactmarkt", name=organisation.name)
        body = gettext(
            "Uw code is %(code)s.\n\nVul deze code binnen %(minutes)s minuten in op Impactmarkt om te "
            "bevestigen dat %(name)s uw onderneming is.\n"
            "Heeft u dit niet gevraagd? Dan kunt u deze mail negeren.",
            code=code,
            minutes=CODE_MINUTES,
            name=organisation.name,
        )
    mail.send(address, subject, body)
    return claim


def verify_code(claim: Claim, user: User, code: str) -> None:
    if claim.user_id != user.id or claim.status != "code_sent":
        raise ClaimError("claim.code_not_possible")
    if claim.code_expires_at is None or claim.code_expires_at < utcnow() or claim.attempts >= MAX_ATTEMPTS:
        claim.status = "expired"
        db.session.commit()
        raise ClaimError("claim.code_expired")
    claim.attempts += 1
    try:
        hasher().verify(claim.code_hash or "", code.strip())
    except VerificationError:
        audit.record(user, "claim.code_wrong", "claim", claim.id, claim.region_id, attempt=claim.attempts)
        db.session.commit()
        raise ClaimError("claim.code_wrong") from None
    _grant(claim, user, decided_by=None)
    audit.record(
        user, "claim.approved_by_code", "claim", claim.id, claim.region_id, organisation=claim.organisation_id
    )
    db.session.commit()


def request_review(organisation: Organisation, user: User, motivation: str) -> Claim:
    if not motivation.strip():
        raise ClaimError("claim.motivation_needed")
    claim = Claim(
        organisation_id=organisation.id,
        user_id=user.id,
        status="review",
        motivation=motivation.strip(),
        region_id=_region_id(organisation),
    )
    db.session.add(claim)
    db.session.flush()
    audit.record(
        user,
        "claim.review_requested",
        "claim",
        claim.id,
        claim.region_id,
        organisation=organisation.id,
        already_owned=is_owned(organisation),
    )
    db.session.commit()
    return claim


def _grant(claim: Claim, user: User, decided_by: User | None) -> None:
    claim.status = "approved"
    claim.decided_by_id = decided_by.id if decided_by else None
    claim.decided_at = utcnow()
    if not owns(user, claim.organisation_id):
        db.session.add(OrganisationOwner(organisation_id=claim.organisation_id, user_id=user.id))
    if not user.has_role("entrepreneur"):
        user.roles.append(UserRole(role="entrepreneur"))


def reviewable(coordinator: User) -> list[Claim]:
    scope = (
        True
        if coordinator.has_role("admin")
        else or_(Claim.region_id.in_(coordinator.coordinator_region_ids()))
    )
    return list(
        db.session.scalars(select(Claim).where(Claim.status == "review", scope).order_by(Claim.created_at))
    )


def decide(claim_id: int, coordinator: User, approve: bool, reason: str) -> Claim:
    claim = next((c for c in reviewable(coordinator) if c.id == claim_id), None)
    if claim is None:
        raise PermissionError(claim_id)
    if not reason.strip():
        raise ClaimError("claim.reason_needed")
    claim.reason = reason.strip()
    if approve:
        _grant(claim, claim.user, decided_by=coordinator)
    else:
        claim.status = "rejected"
        claim.decided_by_id = coordinator.id
        claim.decided_at = utcnow()
    audit.record(
        coordinator,
        "claim.approved" if approve else "claim.rejected",
        "claim",
        claim.id,
        claim.region_id,
        organisation=claim.organisation_id,
        reason=claim.reason,
        before={"status": "review"},
        after={"status": claim.status},
    )
    db.session.commit()
    name, page = claim.organisation.name, public_url_for("public.organisation", slug=claim.organisation.slug)
    with force_locale(claim.user.locale or "nl"):
        if approve:
            subject = gettext("U beheert nu %(name)s op Impactmarkt", name=name)
            body = gettext(
                "Uw aanvraag voor %(name)s is goedgekeurd. U kunt het profiel nu aanvullen:\n%(page)s",
                name=name,
                page=page,
            )
        else:
            subject = gettext("Uw aanvraag voor %(name)s op Impactmarkt", name=name)
            body = gettext("Uw aanvraag voor %(name)s is afgewezen.", name=name)
        if claim.reason:
            body += "\n\n" + gettext("Reden: %(reason)s", reason=claim.reason)
    mail.send(claim.user.email, subject, body)
    return claim
