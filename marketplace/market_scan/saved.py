"""Saved market scans: save a question with its first run, share it with named colleagues (as
shortlists are shared: by invitation, never by e-mail domain), run it again and see what changed
since the run before."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from marketplace.accounts import sharing
from marketplace.accounts.models import User
from marketplace.core.extensions import db
from marketplace.market_scan import services
from marketplace.market_scan.models import MarketScan, MarketScanMember, MarketScanRun
from matching.market_scan import Question

NAME_LIMIT = 120
ROLE = "procurer"


def scans_for(user: User) -> list[MarketScan]:
    """The user's own scans and those they were invited to, newest first."""
    mine = sharing.visible_to(MarketScan, MarketScanMember, MarketScanMember.scan_id, user)
    newest_first = (MarketScan.created_at.desc(), MarketScan.id.desc())
    return list(db.session.scalars(select(MarketScan).where(mine).order_by(*newest_first)))


def scan_for(user: User, scan_id: int) -> MarketScan:
    """A scan the user may see; any other is as unknown as a missing one (LookupError)."""
    found = db.session.get(MarketScan, scan_id)
    if found is None or not sharing.may_see(found, user):
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


def _refused(why: str) -> services.ScanRefused:
    return services.ScanRefused("scan.own_scan" if why == "own" else "scan.no_such_colleague")


def invite(user: User, scan: MarketScan, email: str) -> User:
    """Only the maker invites, and only a confirmed procurer named by their e-mail address."""
    return sharing.invite(
        user, scan, email, (ROLE,),
        refused=_refused,
        new_member=lambda colleague_id: MarketScanMember(user_id=colleague_id),
    )  # fmt: skip


def uninvite(user: User, scan: MarketScan, member_id: int) -> None:
    sharing.uninvite(user, scan, MarketScanMember, member_id)


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
