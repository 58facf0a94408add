"""Sharing a thing a person made (a shortlist, a saved market scan) with named colleagues: the
maker invites one account by its e-mail address, never a whole e-mail domain (everybody at
gmail.com is not a colleague); the invited see the thing, and the maker takes them off again.
Each feature keeps its own members table and its own words; this is the one way of sharing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from marketplace.accounts.models import User
from marketplace.core.extensions import db


class Shared(Protocol):
    """A shareable thing: its id, its maker and its members (each with an id and a user_id)."""

    id: Any
    owner_id: Any
    members: Any


def visible_to(model: Any, member_model: Any, member_thing_id: Any, user: User) -> ColumnElement[bool]:
    """The condition on `model` for the things the user made or was invited to."""
    invited = select(member_thing_id).where(member_model.user_id == user.id)
    return or_(model.owner_id == user.id, model.id.in_(invited))


def may_see(thing: Shared, user: User) -> bool:
    return thing.owner_id == user.id or any(member.user_id == user.id for member in thing.members)


def invite(
    owner: User, thing: Shared, email: str, roles: tuple[str, ...], refused: Callable[[str], Exception],
    new_member: Callable[[int], Any],
) -> User:  # fmt: skip
    """Share `thing` with the confirmed account at `email` that holds one of `roles`; only its maker
    may (PermissionError). `refused("no_such_colleague" | "own")` makes the feature's refusal in its
    own words. Inviting the same colleague twice, even at the same moment, adds them once."""
    if thing.owner_id != owner.id:
        raise PermissionError(thing.id)
    address = email.strip().lower()
    colleague = db.session.scalar(select(User).where(func.lower(User.email) == address)) if address else None
    if (
        colleague is None
        or colleague.deleted_at is not None
        or colleague.confirmed_at is None
        or not any(colleague.has_role(role) for role in roles)
    ):
        raise refused("no_such_colleague")
    if colleague.id == owner.id:
        raise refused("own")
    if not any(m.user_id == colleague.id for m in thing.members):
        thing.members.append(new_member(colleague.id))
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # invited at the same moment: the unique constraint held
    return colleague


def uninvite(owner: User, thing: Shared, member_model: Any, member_id: int) -> None:
    """The maker takes a colleague off; they no longer see the thing (LookupError: not its member)."""
    if thing.owner_id != owner.id:
        raise PermissionError(thing.id)
    member = db.session.get(member_model, member_id)
    if member is None or member not in thing.members:
        raise LookupError(member_id)
    db.session.delete(member)
    db.session.commit()
