"""The chain of an obligation: invite a subcontractor by e-mail (a signed link), accept it with
the invited address, end it; what a subcontractor may see and enter. Every refusal is a reason
code (ChainRefused); another's invitation or contribution is as unknown as a missing one
(LookupError, a 404 on the pages). State changes apply only to the state they were made on."""

from __future__ import annotations

import re
from typing import Any

from flask import render_template
from flask_babel import force_locale, get_locale
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.core import audit, mail, tokens
from marketplace.core.database import utcnow
from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.core.web import values as values_rules
from marketplace.core.web.links import public_url_for
from marketplace.sroi.chain.models import ChainInvitation
from marketplace.sroi.models import Contribution, Obligation
from marketplace.sroi.obligations import services as obligations

TOKEN_PURPOSE = "chain-invitation"
INVITATION_SECONDS = 30 * 24 * 3600  # a month to sign up and accept
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
LIVE = ("invited", "accepted")


class ChainRefused(ServiceError):
    """An invitation that cannot be made, accepted or ended, or a contribution a subcontractor
    cannot enter, with why."""


def _address(value: Any) -> str:
    found = values_rules.clean_text(value, "email", 254, one_line=True).strip()
    if not EMAIL.fullmatch(found):
        raise ChainRefused("chain.bad_email")
    return found


def invite(contractor: User, obligation: Obligation, email: Any, company: Any = "") -> ChainInvitation:
    """Invite a subcontractor to the contractor's own obligation and mail them the link."""
    if obligation.contractor_id != contractor.id:
        raise LookupError(obligation.id)
    address = _address(email)
    if address.lower() == contractor.email.lower():
        raise ChainRefused("chain.own_address")
    name = values_rules.clean_text(company or "", "company", 200, one_line=True).strip()
    taken = db.session.scalar(
        select(ChainInvitation.id).where(
            ChainInvitation.obligation_id == obligation.id,
            func.lower(ChainInvitation.email) == address.lower(),
            ChainInvitation.status.in_(LIVE),
        )
    )
    if taken is not None:
        raise ChainRefused("chain.already_invited", email=address)
    invitation = ChainInvitation(
        obligation_id=obligation.id, email=address, company=name, invited_by_id=contractor.id,
        status="invited",
    )  # fmt: skip
    db.session.add(invitation)
    db.session.flush()
    audit.record(contractor, "chain.invite", "obligation", obligation.id, region_id=obligation.region_id,
                 invitation=invitation.id, email=address)  # fmt: skip
    db.session.commit()
    _mail(invitation, contractor)
    return invitation


def token_for(invitation: ChainInvitation) -> str:
    return tokens.make(TOKEN_PURPOSE, invitation.invited_by_id or 0, invitation=str(invitation.id))


def _mail(invitation: ChainInvitation, contractor: User) -> None:
    """The invitation in the inviter's language (the invitee's is not known yet), with the link."""
    link = public_url_for("contractor.chain_invitation", token=token_for(invitation))
    with force_locale(str(get_locale() or contractor.locale or "nl")):
        subject = render_template(
            "mail/chain_invitation_subject.txt", invitation=invitation, contractor=contractor
        ).strip()
        body = render_template(
            "mail/chain_invitation.txt", invitation=invitation, contractor=contractor, link=link
        )
    mail.send(invitation.email, subject, body)


def invitation_from_token(token: str) -> ChainInvitation | None:
    """The invitation a link names, if the link is genuine and not expired."""
    data = tokens.read(TOKEN_PURPOSE, token, INVITATION_SECONDS)
    reference = str((data or {}).get("invitation") or "")
    if not reference.isascii() or not reference.isdigit():
        return None
    found = db.session.get(ChainInvitation, int(reference))
    return found if found is not None and found.invited_by_id == data["user"] else None  # type: ignore[index]


def accept(user: User, token: str) -> ChainInvitation:
    """Bind the invitation to the account that accepts it: a contractor signed in with the invited
    address. Accepting twice is harmless; a link already used by another account is refused."""
    invitation = invitation_from_token(token)
    if invitation is None:
        raise ChainRefused("chain.link_invalid")
    if not user.has_role("contractor"):
        raise ChainRefused("chain.not_a_contractor")
    if user.email.lower() != invitation.email.lower():
        raise ChainRefused("chain.other_address", email=invitation.email)
    if invitation.obligation.contractor_id == user.id:
        raise ChainRefused("chain.own_address")
    if invitation.status == "accepted" and invitation.subcontractor_id == user.id:
        return invitation
    changed = db.session.execute(
        update(ChainInvitation)
        .where(ChainInvitation.id == invitation.id, ChainInvitation.status == "invited")
        .values(status="accepted", subcontractor_id=user.id, accepted_at=utcnow())
    ).rowcount
    if not changed:
        db.session.rollback()
        raise ChainRefused("chain.link_used")
    audit.record(user, "chain.accept", "obligation", invitation.obligation_id,
                 region_id=invitation.obligation.region_id, invitation=invitation.id)  # fmt: skip
    db.session.commit()
    db.session.refresh(invitation)
    return invitation


def end(contractor: User, obligation: Obligation, invitation_id: int) -> ChainInvitation:
    """End an invitation of the contractor's own obligation: no new contributions from then on;
    what the subcontractor entered stays and counts."""
    invitation = db.session.get(ChainInvitation, invitation_id)
    if (
        invitation is None
        or invitation.obligation_id != obligation.id
        or obligation.contractor_id != contractor.id
    ):
        raise LookupError(invitation_id)
    changed = db.session.execute(
        update(ChainInvitation)
        .where(ChainInvitation.id == invitation.id, ChainInvitation.status.in_(LIVE))
        .values(status="ended", ended_at=utcnow())
    ).rowcount
    if not changed:
        db.session.rollback()
        raise ChainRefused("chain.already_ended")
    audit.record(contractor, "chain.end", "obligation", obligation.id, region_id=obligation.region_id,
                 invitation=invitation.id)  # fmt: skip
    db.session.commit()
    db.session.refresh(invitation)
    return invitation


def invitations_of(obligation: Obligation) -> list[ChainInvitation]:
    return list(
        db.session.scalars(
            select(ChainInvitation)
            .where(ChainInvitation.obligation_id == obligation.id)
            .order_by(ChainInvitation.created_at, ChainInvitation.id)
        )
    )


def memberships(user: User) -> list[ChainInvitation]:
    """The obligations a subcontractor works in (accepted or ended invitations), newest first."""
    return list(
        db.session.scalars(
            select(ChainInvitation)
            .where(ChainInvitation.subcontractor_id == user.id)
            .options(selectinload(ChainInvitation.obligation))
            .order_by(ChainInvitation.accepted_at.desc(), ChainInvitation.id.desc())
        )
    )


def membership_for(user: User, invitation_id: int) -> ChainInvitation:
    """The subcontractor's own invitation; another's is as unknown as a missing one."""
    found = db.session.get(ChainInvitation, invitation_id)
    if found is None or found.subcontractor_id is None or found.subcontractor_id != user.id:
        raise LookupError(invitation_id)
    return found


def may_enter(user: User, invitation: ChainInvitation) -> None:
    """Refuse new contributions on an ended invitation (checked again by every entry)."""
    db.session.refresh(invitation)
    if invitation.status != "accepted" or invitation.subcontractor_id != user.id:
        raise ChainRefused("chain.ended")


def subcontractor_values(values: dict[str, Any]) -> dict[str, Any]:
    """A subcontractor's contribution never replaces another's rejected one."""
    return {key: value for key, value in values.items() if key != "replaces"}


def add_contribution(user: User, invitation_id: int, values: dict[str, Any], evidence: str | None = None,
                     documents: dict[str, str] | None = None) -> obligations.Prepared:  # fmt: skip
    """A subcontractor's contribution to the obligation of their accepted invitation, valued and
    stored as the main contractor's are, marked as entered by them."""
    invitation = membership_for(user, invitation_id)
    may_enter(user, invitation)
    return obligations.add_contribution(
        invitation.obligation, subcontractor_values(values), evidence, documents=documents, entered_by=user
    )


def own_contributions(user: User, invitation: ChainInvitation) -> list[Contribution]:
    return list(
        db.session.scalars(
            select(Contribution)
            .where(
                Contribution.obligation_id == invitation.obligation_id, Contribution.entered_by_id == user.id
            )
            .options(selectinload(Contribution.organisation))
            .order_by(Contribution.id)
        )
    )


def own_contribution(user: User, contribution_id: int) -> Contribution:
    """A contribution the subcontractor entered; any other is as unknown as a missing one."""
    found = db.session.get(Contribution, contribution_id)
    if found is None or found.entered_by_id is None or found.entered_by_id != user.id:
        raise LookupError(contribution_id)
    return found


def subcontractors_by_user(obligation: Obligation) -> dict[int, ChainInvitation]:
    """The obligation's subcontractors by account, to name who entered a contribution."""
    return {i.subcontractor_id: i for i in invitations_of(obligation) if i.subcontractor_id is not None}
