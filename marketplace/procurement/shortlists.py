"""Shortlists of suppliers for procurers and contractors. A list belongs to its maker; shared,
colleagues (accounts with the same e-mail domain) see it and add to it. Exports use the one
organisation view, like every other export."""

from __future__ import annotations

from sqlalchemy import or_, select

from marketplace.accounts.models import User
from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.organisations.models import Organisation
from marketplace.procurement.models import Shortlist, ShortlistItem

NAME_LIMIT = 120
NOTE_LIMIT = 500


class ShortlistRefused(ServiceError):
    """A list change that cannot be made, with why."""


def colleagues_domain(user: User) -> str:
    return user.email.rsplit("@", 1)[-1].lower()


def lists_for(user: User) -> list[Shortlist]:
    """The user's own lists and the lists colleagues shared, newest first."""
    return list(
        db.session.scalars(
            select(Shortlist)
            .where(
                or_(
                    Shortlist.owner_id == user.id,
                    (Shortlist.shared.is_(True)) & (Shortlist.colleagues_domain == colleagues_domain(user)),
                )
            )
            .order_by(Shortlist.created_at.desc(), Shortlist.id.desc())
        )
    )


def shortlist_for(user: User, shortlist_id: int) -> Shortlist:
    """A list the user may see and add to; any other is as unknown as a missing one (LookupError)."""
    found = db.session.get(Shortlist, shortlist_id)
    if found is None or not (
        found.owner_id == user.id or (found.shared and found.colleagues_domain == colleagues_domain(user))
    ):
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
    shortlist = Shortlist(owner_id=user.id, name=_list_name(name), colleagues_domain=colleagues_domain(user))
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
    shortlist = Shortlist(owner_id=user.id, name=cleaned, colleagues_domain=colleagues_domain(user))
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
    db.session.commit()
    return True


def remove(shortlist: Shortlist, item_id: int) -> None:
    item = db.session.get(ShortlistItem, item_id)
    if item is None or item.shortlist_id != shortlist.id:
        raise LookupError(item_id)
    db.session.delete(item)
    db.session.commit()


def set_shared(user: User, shortlist: Shortlist, shared: bool) -> None:
    """Only the maker shares or unshares a list."""
    if shortlist.owner_id != user.id:
        raise PermissionError(shortlist.id)
    shortlist.shared = shared
    db.session.commit()


def organisation_ids(shortlist: Shortlist) -> list[int]:
    return [item.organisation_id for item in shortlist.items]
