"""Accounts: argon2 password hashing and role assignment."""

from __future__ import annotations

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from marketplace.accounts.models import ROLES, User, UserRole
from marketplace.accounts.passwords import dummy_hash, hasher
from marketplace.core import audit
from marketplace.core.database import utcnow
from marketplace.core.extensions import db
from marketplace.core.geography import LabourMarketRegion
from marketplace.core.refusals import ServiceError


class AccountError(ServiceError):
    """A request to create or change an account that cannot be honoured."""


def hash_password(password: str) -> str:
    return hasher().hash(password)


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    user = find_by_email(email)
    try:
        hasher().verify(user.password_hash if user and user.password_hash else dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or user.deleted_at is not None:
        return None
    if hasher().check_needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def create_user(
    email: str, password: str, roles: list[str], region_names: list[str] | None = None, name: str = ""
) -> User:
    """Create a confirmed account (for the first admin and coordinators, from the command line)."""
    if len(password) < 12:
        raise AccountError("account.password_too_short", minimum=MIN_PASSWORD)
    if find_by_email(email) is not None:
        raise AccountError("account.email_taken", email=email)
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        raise AccountError("account.unknown_role", roles=", ".join(unknown), choices=", ".join(ROLES))
    user = User(email=email.strip(), password_hash=hash_password(password), display_name=name)
    user.confirmed_at = utcnow()
    for role in roles:
        if role == "coordinator":
            if not region_names:
                raise AccountError("account.coordinator_needs_region")
            for region_name in region_names:
                region = db.session.scalar(
                    select(LabourMarketRegion).where(
                        func.lower(LabourMarketRegion.name) == region_name.lower()
                    )
                )
                if region is None:
                    raise AccountError("account.unknown_region", region=region_name)
                user.roles.append(UserRole(role=role, region=region))
        else:
            user.roles.append(UserRole(role=role))
    db.session.add(user)
    db.session.commit()
    return user


def _role_target(email: str, role: str, region_name: str | None) -> tuple[User, LabourMarketRegion | None]:
    user = find_by_email(email)
    if user is None or user.deleted_at is not None:
        raise AccountError("account.unknown_user", email=email)
    if role not in ROLES:
        raise AccountError("account.unknown_role", roles=role, choices=", ".join(ROLES))
    region = None
    if role == "coordinator":
        if not region_name:
            raise AccountError("account.coordinator_needs_region")
        region = db.session.scalar(
            select(LabourMarketRegion).where(
                func.lower(LabourMarketRegion.name) == region_name.strip().lower()
            )
        )
        if region is None:
            raise AccountError("account.unknown_region", region=region_name)
    return user, region


def _held(user: User, role: str, region: LabourMarketRegion | None) -> UserRole | None:
    region_id = region.id if region is not None else None
    return next((r for r in user.roles if r.role == role and r.region_id == region_id), None)


def add_role(email: str, role: str, region_name: str | None = None) -> User:
    """Give an existing account a role (a coordinator role for one region); audit-logged."""
    user, region = _role_target(email, role, region_name)
    if _held(user, role, region) is not None:
        raise AccountError("account.role_held", email=user.email, role=role)
    user.roles.append(UserRole(role=role, region=region))
    audit.record(
        None, "account.role_added", "user", user.id, region_id=region.id if region else None, role=role
    )
    db.session.commit()
    return user


def remove_role(email: str, role: str, region_name: str | None = None) -> User:
    """Take a role (or a coordinator's region) away from an account; audit-logged."""
    user, region = _role_target(email, role, region_name)
    held = _held(user, role, region)
    if held is None:
        raise AccountError("account.role_not_held", email=user.email, role=role)
    user.roles.remove(held)
    audit.record(
        None, "account.role_removed", "user", user.id, region_id=region.id if region else None, role=role
    )
    db.session.commit()
    return user


SELF_SERVICE_ROLES = ("procurer", "contractor", "entrepreneur")
MIN_PASSWORD = 12
LANGUAGE_CODES = ("nl", "en")


def register(
    email: str, password: str, name: str, role: str, public_body: str | None, language: str = "nl"
) -> User | None:
    """A new, unconfirmed account; None when the address is taken (the caller says nothing of it).
    The language the person signed up in becomes their account's language (pages and mails)."""
    if role not in SELF_SERVICE_ROLES:
        raise AccountError("account.choose_role")
    if len(password) < MIN_PASSWORD:
        raise AccountError("account.password_too_short", minimum=MIN_PASSWORD)
    if find_by_email(email) is not None:
        return None
    user = User(
        email=email.strip(),
        password_hash=hash_password(password),
        display_name=name.strip(),
        public_body=(public_body or "").strip() or None,
        locale=language if language in LANGUAGE_CODES else "nl",
    )
    user.roles.append(UserRole(role=role))
    db.session.add(user)
    db.session.commit()
    return user


def choose_language(user: User, language: str) -> None:
    """The language someone picks from the menu while signed in becomes their account's language."""
    if language in LANGUAGE_CODES and user.locale != language:
        user.locale = language
        db.session.commit()


def confirm(user: User) -> None:
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
        db.session.commit()


def set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("account.password_too_short", minimum=MIN_PASSWORD)
    user.password_hash = hash_password(password)
    user.end_sessions()  # a cookie copied before the change must not outlive the old password
    db.session.commit()


def end_sessions(user: User) -> None:
    """Sign the account out everywhere: every cookie issued so far stops working."""
    user.end_sessions()
    db.session.commit()


def change_name(user: User, name: str) -> None:
    before = user.display_name
    user.display_name = name.strip()
    if before != user.display_name:
        audit.record(user, "account.name", "user", user.id)  # no names: the log outlives the account
    db.session.commit()


def check_email_change(user: User, new_email: str, password: str) -> None:
    """Raise AccountError unless the address may be confirmed: the password proves it is the
    account holder. A taken address is not revealed here; confirming it fails quietly later."""
    if authenticate(user.email, password) is None:
        raise AccountError("account.wrong_password")
    if new_email.strip().lower() == user.email.lower():
        raise AccountError("account.same_email")


def apply_email_change(user: User, new_email: str) -> bool:
    """Use the confirmed new address; False when another account took it in the meantime."""
    taken = find_by_email(new_email)
    if taken is not None and taken.id != user.id:
        return False
    user.email = new_email.strip()
    audit.record(user, "account.email", "user", user.id)  # no addresses: the log outlives the account
    db.session.commit()
    return True


def change_password(user: User, current: str, new: str) -> None:
    if authenticate(user.email, current) is None:
        raise AccountError("account.wrong_password")
    set_password(user, new)
    audit.record(user, "account.password", "user", user.id)
    db.session.commit()
