"""Shortlists of suppliers for procurers and contractors. A list belongs to its maker; the
colleagues the maker invites by name (their account's e-mail address) see it and add to it.
Never by e-mail domain: everybody at gmail.com is not a colleague. Exports use the one
organisation view, like every other export."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.accounts import sharing
from marketplace.accounts.models import User
from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.organisations.models import Organisation
from marketplace.procurement.models import Shortlist, ShortlistItem, ShortlistMember

NAME_LIMIT = 120
NOTE_LIMIT = 500


class ShortlistRefused(ServiceError):
    """A list change that cannot be made, with why."""


MEMBER_ROLES = ("procurer", "contractor")


def lists_for(user: User) -> list[Shortlist]:
    """The user's own lists and the lists they were invited to, newest first."""
    mine = sharing.visible_to(Shortlist, ShortlistMember, ShortlistMember.shortlist_id, user)
    newest_first = (Shortlist.created_at.desc(), Shortlist.id.desc())
    return list(db.session.scalars(select(Shortlist).where(mine).order_by(*newest_first)))


def shortlist_for(user: User, shortlist_id: int) -> Shortlist:
    """A list the user may see and add to; any other is as unknown as a missing one (LookupError)."""
    found = db.session.get(Shortlist, shortlist_id)
    if found is None or not sharing.may_see(found, user):
        raise LookupError(shortlist_id)
    return found


def _list_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ShortlistRefused("list.name_needed")
    if len(cleaned) > NAME_LIMIT:
        raise ShortlistRefused("sroi.text_too_long", field="name", limit=NAME_LIMIT)
    return cleaned


def create(user: User, name: str) -> Shortlist:
    shortlist = Shortlist(owner_id=user.id, name=_list_name(name))
    db.session.add(shortlist)
    db.session.commit()
    return shortlist


def add_to_new(user: User, name: str, organisation_id: int, note: str = "") -> Shortlist:
    """Make a list with this organisation on it, in one step from the organisation's page: all is
    checked first, so a refusal leaves no empty list behind."""
    cleaned = _list_name(name)
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or organisation.merged_into_id is not None:
        raise LookupError(organisation_id)
    if len(note) > NOTE_LIMIT:
        raise ShortlistRefused("sroi.text_too_long", field="note", limit=NOTE_LIMIT)
    shortlist = Shortlist(owner_id=user.id, name=cleaned)
    db.session.add(shortlist)
    db.session.flush()
    db.session.add(
        ShortlistItem(
            shortlist_id=shortlist.id, organisation_id=organisation_id, note=note.strip(), added_by_id=user.id
        )
    )
    db.session.commit()
    return shortlist


def add(user: User, shortlist: Shortlist, organisation_id: int, note: str = "") -> bool:
    """Put a listed organisation on the list; False when it was on it already."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or organisation.merged_into_id is not None:
        raise LookupError(organisation_id)
    if len(note) > NOTE_LIMIT:
        raise ShortlistRefused("sroi.text_too_long", field="note", limit=NOTE_LIMIT)
    exists = db.session.scalar(
        select(ShortlistItem.id).where(
            ShortlistItem.shortlist_id == shortlist.id, ShortlistItem.organisation_id == organisation_id
        )
    )
    if exists is not None:
        return False
    db.session.add(
        ShortlistItem(
            shortlist_id=shortlist.id, organisation_id=organisation_id, note=note.strip(), added_by_id=user.id
        )
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # added at the same moment by a colleague: the unique constraint held
        return False
    return True


def remove(shortlist: Shortlist, item_id: int) -> None:
    item = db.session.get(ShortlistItem, item_id)
    if item is None or item.shortlist_id != shortlist.id:
        raise LookupError(item_id)
    db.session.delete(item)
    db.session.commit()


def invite(user: User, shortlist: Shortlist, email: str) -> User:
    """Only the maker invites, and only an account that keeps lists itself (a procurer or a
    contractor), named by its e-mail address. Returns the colleague."""
    return sharing.invite(
        user, shortlist, email, MEMBER_ROLES,
        refused=lambda why: ShortlistRefused("list.own_list" if why == "own" else "list.no_such_colleague"),
        new_member=lambda colleague_id: ShortlistMember(user_id=colleague_id),
    )  # fmt: skip


def uninvite(user: User, shortlist: Shortlist, member_id: int) -> None:
    """The maker takes a colleague off the list's sharing; they no longer see it."""
    sharing.uninvite(user, shortlist, ShortlistMember, member_id)


def organisation_ids(shortlist: Shortlist) -> list[int]:
    return [item.organisation_id for item in shortlist.items]
