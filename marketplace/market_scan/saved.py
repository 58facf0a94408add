"""Saved market scans: save a question with its first run, share it with named colleagues (as
shortlists are shared: by invitation, never by e-mail domain), run it again and see what changed
since the run before."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import User
from marketplace.core.extensions import db
from marketplace.market_scan import services
from marketplace.market_scan.models import MarketScan, MarketScanMember, MarketScanRun
from matching.market_scan import Question

NAME_LIMIT = 120
ROLE = "procurer"


def scans_for(user: User) -> list[MarketScan]:
    """The user's own scans and those they were invited to, newest first."""
    invited = select(MarketScanMember.scan_id).where(MarketScanMember.user_id == user.id)
    return list(
        db.session.scalars(
            select(MarketScan)
            .where(or_(MarketScan.owner_id == user.id, MarketScan.id.in_(invited)))
            .order_by(MarketScan.created_at.desc(), MarketScan.id.desc())
        )
    )


def scan_for(user: User, scan_id: int) -> MarketScan:
    """A scan the user may see; any other is as unknown as a missing one (LookupError)."""
    found = db.session.get(MarketScan, scan_id)
    if found is None or not (found.owner_id == user.id or any(m.user_id == user.id for m in found.members)):
        raise LookupError(scan_id)
    return found


def _name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise services.ScanRefused("scan.name_needed")
    if len(cleaned) > NAME_LIMIT:
        raise services.ScanRefused("sroi.text_too_long", field="name", limit=NAME_LIMIT)
    return cleaned


def _answer(question: Question) -> dict[str, Any]:
    result = services.run(question, fresh=True)
    return services.scan_json(result, services.listed(result))


def save(user: User, name: str, question: Question) -> MarketScan:
    """Keep the question and its answer as of now (all checked first: a refusal stores nothing)."""
    cleaned = _name(name)
    answer = _answer(question)
    scan = MarketScan(owner_id=user.id, name=cleaned, question=services.question_json(question))
    scan.runs.append(MarketScanRun(run_by_id=user.id, result=answer))
    db.session.add(scan)
    db.session.commit()
    return scan


def rerun(user: User, scan: MarketScan) -> MarketScanRun:
    """Ask the saved question again today; the earlier runs stay as they were."""
    answer = _answer(services.question_from(scan.question))
    run = MarketScanRun(scan_id=scan.id, run_by_id=user.id, result=answer)
    db.session.add(run)
    db.session.commit()
    db.session.refresh(scan)
    return run


def invite(user: User, scan: MarketScan, email: str) -> User:
    """Only the maker invites, and only a confirmed procurer named by their e-mail address."""
    if scan.owner_id != user.id:
        raise PermissionError(scan.id)
    address = email.strip().lower()
    colleague = db.session.scalar(select(User).where(func.lower(User.email) == address)) if address else None
    if (
        colleague is None
        or colleague.deleted_at is not None
        or colleague.confirmed_at is None
        or not colleague.has_role(ROLE)
    ):
        raise services.ScanRefused("scan.no_such_colleague")
    if colleague.id == user.id:
        raise services.ScanRefused("scan.own_scan")
    if not any(m.user_id == colleague.id for m in scan.members):
        scan.members.append(MarketScanMember(user_id=colleague.id))
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # invited at the same moment: the unique constraint held
    return colleague


def uninvite(user: User, scan: MarketScan, member_id: int) -> None:
    if scan.owner_id != user.id:
        raise PermissionError(scan.id)
    member = db.session.get(MarketScanMember, member_id)
    if member is None or member.scan_id != scan.id:
        raise LookupError(member_id)
    db.session.delete(member)
    db.session.commit()


@dataclass(frozen=True)
class Change:
    """What changed between two runs of one scan."""

    added: list[dict[str, Any]]  # enterprises that fit now and did not then
    gone: list[dict[str, Any]]
    counts: list[tuple[str, int, int]]  # (label or band key, then, now) where they differ
    judgement_then: str
    judgement_now: str

    @property
    def nothing(self) -> bool:
        return not (self.added or self.gone or self.counts) and self.judgement_then == self.judgement_now


def difference(then: dict[str, Any], now: dict[str, Any]) -> Change:
    before = {item["organisation"]: item for item in then.get("enterprises", [])}
    after = {item["organisation"]: item for item in now.get("enterprises", [])}
    counts = []
    for group in ("by_label", "by_band"):
        old, new = then["counts"][group], now["counts"][group]
        counts.extend((key, old.get(key, 0), new[key]) for key in new if old.get(key, 0) != new[key])
    for key in ("within_radius", "pso30_within_radius"):
        if then["counts"][key] != now["counts"][key]:
            counts.append((key, then["counts"][key], now["counts"][key]))
    return Change(
        added=[item for slug, item in after.items() if slug not in before],
        gone=[item for slug, item in before.items() if slug not in after],
        counts=counts,
        judgement_then=then["counts"]["judgement"]["code"],
        judgement_now=now["counts"]["judgement"]["code"],
    )
