"""Purchase requests (inkoopvragen): a procurer or contractor posts a need; matching enterprises
hear of it in a daily digest and answer with a short offer; the requester compares the offers
and closes the request. Open requests are public without the requester's personal data."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal
from threading import Lock
from typing import Any
from weakref import WeakKeyDictionary

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import User
from marketplace.core import clock, mail
from marketplace.core.extensions import db
from marketplace.core.geography import CpvCategory, LabourMarketRegion
from marketplace.core.refusals import ServiceError
from marketplace.core.web.links import public_url_for
from marketplace.organisations.models import Organisation
from marketplace.procurement import supplier_matching
from marketplace.procurement.models import (
    PurchaseRequest,
    PurchaseRequestNotice,
    PurchaseRequestResponse,
)
from marketplace.profiles import claims
from marketplace.sroi import matches
from marketplace.sroi.obligations import services as obligations
from matching.ranking import CandidatePool, Need, Ranked, rank

DESCRIPTION_LIMIT = 5000
MESSAGE_LIMIT = 2000
NOTIFY_TOP = 20
SUGGEST_TOP = 10

# Which enterprises each open request fits, per version of the listing (the candidate pool is built
# anew when the listing or the day changes, and its entry goes with it): dashboards ask often.
_FITS: WeakKeyDictionary[CandidatePool, dict[int, frozenset[int]]] = WeakKeyDictionary()
_FITS_LOCK = Lock()


class RequestRefused(ServiceError):
    """A purchase request or offer that cannot be recorded, with why."""


def create(requester: User, values: dict[str, Any]) -> PurchaseRequest:
    """Check and store a request; anything wrong is refused with a reason and nothing is stored."""
    title = obligations.text(values.get("title"), "title")
    description = obligations.text(values.get("description"), "description", False, DESCRIPTION_LIMIT)
    region = obligations.region_by_name(values.get("region"))
    cpv = str(values.get("cpv") or "").strip()
    cpv_code = None
    if cpv:
        if not re.fullmatch(r"[0-9]{3,8}(-[0-9])?", cpv) or db.session.get(CpvCategory, cpv[:3]) is None:
            raise RequestRefused("sroi.bad_cpv", cpv=cpv[:20])
        cpv_code = cpv[:3]
    budget = values.get("budget")
    budget_cents = int(obligations.money(budget, "budget") * 100) if str(budget or "").strip() else None
    deadline_value = values.get("deadline")
    deadline = obligations.day(deadline_value, "deadline") if str(deadline_value or "").strip() else None
    if deadline is not None and deadline < clock.today():
        raise RequestRefused("request.deadline_past")
    request = PurchaseRequest(
        procurer_id=requester.id,
        title=title,
        description=description,
        cpv_code=cpv_code,
        region_id=region.id,
        budget_cents=budget_cents,
        deadline=deadline,
        status="open",
    )
    db.session.add(request)
    db.session.commit()
    return request


def is_open(request: PurchaseRequest, today: date | None = None) -> bool:
    today = today or clock.today()
    return request.status == "open" and (request.deadline is None or request.deadline >= today)


def open_requests() -> list[PurchaseRequest]:
    today = clock.today()
    return list(
        db.session.scalars(
            select(PurchaseRequest)
            .where(
                PurchaseRequest.status == "open",
                or_(PurchaseRequest.deadline.is_(None), PurchaseRequest.deadline >= today),
            )
            .order_by(PurchaseRequest.created_at.desc(), PurchaseRequest.id.desc())
        )
    )


def requests_of(user: User) -> list[PurchaseRequest]:
    return list(
        db.session.scalars(
            select(PurchaseRequest)
            .where(PurchaseRequest.procurer_id == user.id)
            .order_by(PurchaseRequest.id.desc())
        )
    )


def visible(request_id: int, user: User | None) -> PurchaseRequest:
    """An open request for anyone; a closed one only for its requester."""
    found = db.session.get(PurchaseRequest, request_id)
    if found is None or not (is_open(found) or (user is not None and found.procurer_id == user.id)):
        raise LookupError(request_id)
    return found


def respond(
    user: User, request: PurchaseRequest, organisation_id: int, message: str, price: Any = None
) -> None:
    """An owner answers for one of their enterprises, once per enterprise."""
    if not claims.owns(user, organisation_id):
        raise PermissionError(organisation_id)
    if not is_open(request):
        raise RequestRefused("request.closed")
    text = obligations.text(message, "message", limit=MESSAGE_LIMIT)
    price_cents = int(obligations.money(price, "price") * 100) if str(price or "").strip() else None
    exists = db.session.scalar(
        select(PurchaseRequestResponse.id).where(
            PurchaseRequestResponse.request_id == request.id,
            PurchaseRequestResponse.organisation_id == organisation_id,
        )
    )
    if exists is not None:
        raise RequestRefused("request.already_answered")
    db.session.add(
        PurchaseRequestResponse(
            request_id=request.id,
            organisation_id=organisation_id,
            responder_id=user.id,
            message=text,
            price_cents=price_cents,
        )
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # a second answer sent at the same moment: the constraint held
        raise RequestRefused("request.already_answered") from None
    _tell_requester(request, organisation_id, text, price_cents)


def _tell_requester(
    request: PurchaseRequest, organisation_id: int, message: str, price_cents: int | None
) -> None:
    """One mail to the requester per offer, in their language, with the link to all offers."""
    requester = db.session.get(User, request.procurer_id)
    if requester is None or requester.deleted_at is not None:
        return
    organisation = db.session.get(Organisation, organisation_id)
    with force_locale(requester.locale or "nl"):
        subject = render_template("mail/offer_subject.txt", request_=request).strip()
        body = render_template(
            "mail/offer.txt",
            requester=requester,
            request_=request,
            organisation=organisation,
            message=message,
            price=Decimal(price_cents) / 100 if price_cents is not None else None,
            link=public_url_for("requests.detail", request_id=request.id),
        )
    mail.send(requester.email, subject, body)


def close(user: User, request: PurchaseRequest) -> None:
    if request.procurer_id != user.id:
        raise PermissionError(request.id)
    request.status, request.closed_at = "closed", clock.now()
    db.session.commit()


def need_for(request: PurchaseRequest) -> Need:
    region = db.session.get(LabourMarketRegion, request.region_id) if request.region_id else None
    today = clock.today()
    return Need(
        text=f"{request.title} {request.description}",
        cpv_codes=(request.cpv_code,) if request.cpv_code else (),
        starts_on=today,
        ends_on=request.deadline or today,
        rules=None,
        region=region.name if region else None,
        province=supplier_matching.main_province(request.region_id) if request.region_id else None,
        today=today,
    )


def matching_suppliers(request: PurchaseRequest, top: int = NOTIFY_TOP) -> list[int]:
    return [item.candidate.organisation_id for item in suggested(request, top)]


def suggested(request: PurchaseRequest, top: int = SUGGEST_TOP) -> list[Ranked]:
    """The enterprises that fit a request best, by the supplier ranking (its requester sees them)."""
    return rank(need_for(request), supplier_matching.candidate_pool(), limit=top, include_uncounted=True)


def fitting(organisation_ids: list[int]) -> list[PurchaseRequest]:
    """Open requests that fit one of these enterprises, from the moment they are posted (the owners'
    dashboard; the mail digest stays daily), and those they were told about by mail."""
    if not organisation_ids:
        return []
    wanted = set(organisation_ids)
    told = set(db.session.scalars(
        select(PurchaseRequestNotice.request_id).where(PurchaseRequestNotice.organisation_id.in_(organisation_ids))
    ))  # fmt: skip
    pool = supplier_matching.candidate_pool()
    with _FITS_LOCK:
        fits = _FITS.setdefault(pool, {})
    found = []
    for request in open_requests():
        if request.id not in fits:
            ranked = rank(need_for(request), pool, limit=NOTIFY_TOP, include_uncounted=True)
            fits[request.id] = frozenset(item.candidate.organisation_id for item in ranked)
        if request.id in told or wanted & fits[request.id]:
            found.append(request)
    return found


def send_digest(today: date | None = None) -> int:
    """One mail per enterprise address with the open requests it matches and was not told about
    yet; returns the number of mails. Run daily (`impactmarkt requests digest`)."""
    today = today or clock.today()
    told = {(n.request_id, n.organisation_id) for n in db.session.scalars(select(PurchaseRequestNotice))}
    news: dict[int, list[PurchaseRequest]] = defaultdict(list)
    for request in open_requests():
        for organisation_id in matching_suppliers(request):
            if (request.id, organisation_id) not in told:
                news[organisation_id].append(request)
    sent = 0
    for organisation_id, requests in sorted(news.items()):
        organisation = db.session.get(Organisation, organisation_id)
        owners = matches.recipients(organisation)
        addresses = [(o.email, o.locale or "nl") for o in owners] or (
            [(organisation.contact_email, "nl")] if organisation.contact_email else []
        )
        for address, locale in addresses:
            with force_locale(locale):
                subject = render_template(
                    "mail/request_digest_subject.txt", organisation=organisation
                ).strip()
                body = render_template(
                    "mail/request_digest.txt",
                    organisation=organisation,
                    requests=requests,
                    links={r.id: public_url_for("requests.detail", request_id=r.id) for r in requests},
                )
            mail.send(address, subject, body)
            sent += 1
        for request in requests:
            db.session.add(
                PurchaseRequestNotice(request_id=request.id, organisation_id=organisation_id, sent_on=today)
            )
        db.session.commit()
    return sent


def budget_euros(request: PurchaseRequest) -> Decimal | None:
    return Decimal(request.budget_cents) / 100 if request.budget_cents is not None else None
