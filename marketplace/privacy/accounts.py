"""Deleting an account: the person's data goes, the row stays as a pseudonym for the audit trail.

It lives above the features because it touches what each of them keeps about a person (for now:
the ownership of listed enterprises)."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.core import audit
from marketplace.core.database import utcnow
from marketplace.core.extensions import db
from marketplace.organisations.owner_models import OrganisationOwner


def delete_account(user: User) -> None:
    """Remove personal data; the row stays as a pseudonym so the audit trail keeps its meaning."""
    audit.record(user, "account.delete", "user", user.id)
    user.email = f"verwijderd-{user.id}@impactmarkt.invalid"
    user.display_name = f"Verwijderd account {user.id}"
    user.public_body = None
    user.password_hash = None
    user.deleted_at = utcnow()
    user.roles.clear()
    for owner in db.session.scalars(select(OrganisationOwner).where(OrganisationOwner.user_id == user.id)):
        db.session.delete(owner)
    db.session.commit()
