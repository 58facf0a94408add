"""Accounts: argon2 password hashing and role assignment."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.models import ROLES, LabourMarketRegion, User, UserRole
from marketplace.models.base import utcnow

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so timing does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("impactmarkt-dummy-password")


class AccountError(ValueError):
    """A request to create or change an account that cannot be honoured, in plain words."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    user = find_by_email(email)
    try:
        _hasher.verify(user.password_hash if user and user.password_hash else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or user.deleted_at is not None:
        return None
    if _hasher.check_needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def create_user(
    email: str, password: str, roles: list[str], region_names: list[str] | None = None, name: str = ""
) -> User:
    """Create a confirmed account (for the first admin and coordinators, from the command line)."""
    if len(password) < 12:
        raise AccountError("Het wachtwoord moet minstens 12 tekens hebben.")
    if find_by_email(email) is not None:
        raise AccountError(f"Er is al een account met e-mailadres {email}.")
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        raise AccountError(f"Onbekende rol: {', '.join(unknown)}. Kies uit {', '.join(ROLES)}.")
    user = User(email=email.strip(), password_hash=hash_password(password), display_name=name)
    user.confirmed_at = utcnow()
    for role in roles:
        if role == "coordinator":
            if not region_names:
                raise AccountError("Een coördinator hoort bij minstens één arbeidsmarktregio (--region).")
            for region_name in region_names:
                region = db.session.scalar(
                    select(LabourMarketRegion).where(
                        func.lower(LabourMarketRegion.name) == region_name.lower()
                    )
                )
                if region is None:
                    raise AccountError(f"Onbekende arbeidsmarktregio: {region_name}.")
                user.roles.append(UserRole(role=role, region=region))
        else:
            user.roles.append(UserRole(role=role))
    db.session.add(user)
    db.session.commit()
    return user
