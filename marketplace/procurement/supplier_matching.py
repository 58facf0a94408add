"""Ranked suppliers for an obligation (or a purchase request): the database side of
matching.ranking. Builds the candidate pool from the listing (kept per process until the
listing changes), the need from the obligation, and answers in the shapes the page, the API
and the command show."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from flask import current_app
from sqlalchemy import case, func, select

from marketplace import search
from marketplace.core import clock
from marketplace.core.extensions import db
from marketplace.core.geography import LabourMarketRegion, Municipality, Province
from marketplace.core.reasons import explain
from marketplace.organisations import labels
from marketplace.organisations.models import Label, Organisation
from marketplace.organisations.owner_models import Offering
from marketplace.search.documents import sector_cpv, text_only
from marketplace.sroi.models import Obligation, SupplierMatch
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.rulesets import company_lists
from marketplace.sroi.rulesets import services as sroi_rulesets
from matching.places import PlaceResolver
from matching.ranking import (
    Candidate,
    CandidatePool,
    Lists,
    Need,
    Ranked,
    gap_share,
    rank,
    rank_lists,
    rank_parts,
)
from matching.sroi.rulesets import no_ruleset

OPEN_STATUSES = ("proposed", "contacted")
RECENT_DAYS = 90
FURTHER_SHOWN = 5  # suppliers further away than the need asks, listed apart
PAUSE_EVERY = 500  # rows read between two chances for requests to go first
POOL_KEY = "impactmarkt.candidate_pool"
REBUILDING_KEY = "impactmarkt.candidate_pool.rebuilding"
_POOL_LOCK = threading.Lock()
_SERVING = [0]  # requests being ranked now: a background rebuild lets them go first
YIELD_SECONDS = 0.002
MAX_YIELD_SECONDS = 2.0  # a rebuild never waits longer than this at one pause


@contextmanager
def _serving() -> Iterator[None]:
    with _POOL_LOCK:
        _SERVING[0] += 1
    try:
        yield
    finally:
        with _POOL_LOCK:
            _SERVING[0] -= 1


def _let_requests_go_first() -> None:
    """Called now and then by a background rebuild: while a request is being ranked, sleep (which
    frees Python's interpreter lock) so the request is not slowed by the rebuild."""
    waited = 0.0
    while _SERVING[0] and waited < MAX_YIELD_SECONDS:
        time.sleep(YIELD_SECONDS)
        waited += YIELD_SECONDS


def candidate_pool() -> CandidatePool:
    """Every listed organisation as a ranking candidate, one pool per version of the listing (the
    search index's generation changes whenever an organisation, label or offering does) and day.
    A request never waits for a rebuild once a pool exists: when the listing has changed, the old
    pool keeps serving while one background thread builds the new one and swaps it in. Only the
    very first request of a process builds the pool itself (there is nothing to serve yet)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    key = (search.generation(), clock.today())
    with _POOL_LOCK:
        cached = app.extensions.get(POOL_KEY)
        if cached is None:
            cached = (key, CandidatePool(_candidates()))
            app.extensions[POOL_KEY] = cached
        elif cached[0] != key and app.extensions.get(REBUILDING_KEY) is None:
            worker = threading.Thread(target=_rebuild, args=(app, key), name="candidate-pool", daemon=True)
            app.extensions[REBUILDING_KEY] = worker
            worker.start()
        return cached[1]  # type: ignore[no-any-return]


def _rebuild(app: Any, key: tuple[Any, ...]) -> None:
    """Build the pool for `key` in the background and swap it in (then check again: the listing may
    have changed meanwhile)."""
    try:
        with app.app_context():
            pool = CandidatePool(_candidates(_let_requests_go_first), _let_requests_go_first)
            db.session.remove()
        with _POOL_LOCK:
            app.extensions[POOL_KEY] = (key, pool)
    finally:
        with _POOL_LOCK:
            app.extensions[REBUILDING_KEY] = None


def wait_for_pool() -> None:
    """Wait until a background rebuild (if any) has swapped its pool in (for commands and tests)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    worker = app.extensions.get(REBUILDING_KEY)
    if worker is not None:
        worker.join()


def _candidates(pause: Callable[[], None] = lambda: None) -> list[Candidate]:
    places = {
        municipality_id: (municipality, region, province)
        for municipality_id, municipality, region, province in db.session.execute(
            select(Municipality.id, Municipality.name, LabourMarketRegion.name, Province.name)
            .join(LabourMarketRegion, Municipality.region_id == LabourMarketRegion.id)
            .join(Province, Municipality.province_id == Province.id)
        )
    }
    facts = defaultdict(list)
    for number, row in enumerate(
        db.session.execute(
            select(Label.organisation_id, *labels.FACT_COLUMNS).where(Label.state != "expired")
        )
    ):
        if number % PAUSE_EVERY == 0:
            pause()
        facts[row[0]].append(labels.facts_of(*row[1:]))
    offers: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for organisation_id, code, title, description in db.session.execute(
        select(Offering.organisation_id, Offering.cpv_code, Offering.title, Offering.description)
    ):
        offers[organisation_id].append((code, title, description or ""))
    sectors_cpv = sector_cpv()
    candidates = []
    for number, row in enumerate(
        db.session.execute(
            select(
                Organisation.id,
                Organisation.slug,
                Organisation.name,
                Organisation.sectors,
                Organisation.mission,
                Organisation.description,
                Organisation.impact_statement,
                Organisation.municipality_id,
            ).where(Organisation.merged_into_id.is_(None))
        )
    ):
        if number % PAUSE_EVERY == 0:
            pause()
        organisation_id, slug, name, sectors, mission, description, impact, municipality_id = row
        if organisation_id not in facts:
            continue
        offered = offers.get(organisation_id, [])
        # the evidence index reads these texts by field; the word sets the Candidate also carries
        # stand in only for candidates made without texts (they would be analysed twice here)
        texts = (
            *(("sector", sector) for sector in sectors or []),
            *(("offering", f"{title}: {about}" if about else title) for _code, title, about in offered),
            *(
                ("description", part)
                for part in (mission, text_only(description) if description else "", impact)
                if part
            ),
        )
        codes = {code for code, _title, _about in offered}
        for sector in sectors or []:
            codes.update(sectors_cpv.get(sector, ()))
        municipality, region, province = places.get(municipality_id, (None, None, None))
        candidates.append(
            Candidate(
                organisation_id,
                slug,
                name,
                frozenset(),
                tuple(sorted(codes)),
                tuple(facts[organisation_id]),
                municipality,
                region,
                province,
                texts=texts,
            )
        )
    return candidates


def main_province(region_id: int) -> str | None:
    """The province most of the region's municipalities lie in (reference data: remembered)."""
    return _province_of_region(current_app._get_current_object(), region_id)  # type: ignore[attr-defined]


@lru_cache(maxsize=512)
def _province_of_region(_app: object, region_id: int) -> str | None:
    found = Counter(
        db.session.scalars(
            select(Province.name)
            .join(Municipality, Municipality.province_id == Province.id)
            .where(Municipality.region_id == region_id)
        )
    )
    return found.most_common(1)[0][0] if found else None


def place_of_work(authority: str | None) -> str | None:
    """The municipality of a contracting authority named "Gemeente X" (else None: the region's centre)."""
    name = (authority or "").strip()
    if not name.lower().startswith("gemeente "):
        return None
    return PlaceResolver().municipality_for(name[len("gemeente ") :])


def need_for(obligation: Obligation) -> Need:
    progress = obligations.progress(obligation)
    return Need(
        text=obligation.needs or obligation.title,
        cpv_codes=tuple(obligation.cpv_codes or ()),
        starts_on=obligation.starts_on,
        ends_on=obligation.ends_on,
        # An obligation waiting for its rule set: every share unknown, never 0%.
        rules=sroi_rulesets.rules(obligation.ruleset_id) if obligation.ruleset_id else no_ruleset(),
        municipality=place_of_work(obligation.contracting_authority),
        region=obligation.region.name,
        province=main_province(obligation.region_id),
        remaining=progress.remaining,
        today=max(clock.today(), obligation.starts_on),
        region_labels=company_lists.region_labels(obligation.region_id),
    )


def matches_around(obligation: Obligation) -> tuple[dict[int, int], frozenset[int]]:
    """In one query: per organisation its open or recent matches (see open_matches), and the
    enterprises that said "not for us" to this obligation (see declined_for)."""
    since = clock.start_of(clock.today()) - timedelta(days=RECENT_DAYS)
    counted = (SupplierMatch.status != "not_for_us") & (
        SupplierMatch.status.in_(OPEN_STATUSES) | (SupplierMatch.created_at >= since)
    )
    declined = (SupplierMatch.obligation_id == obligation.id) & (SupplierMatch.status == "not_for_us")
    rows = db.session.execute(
        select(
            SupplierMatch.organisation_id,
            func.sum(case((counted, 1), else_=0)),
            func.max(case((declined, 1), else_=0)),
        ).group_by(SupplierMatch.organisation_id)
    ).all()
    return (
        {organisation_id: int(count) for organisation_id, count, _no in rows if count},
        frozenset(organisation_id for organisation_id, _count, no in rows if no),
    )


def ranking_for(
    obligation: Obligation, top: int = 10, include_uncounted: bool = False
) -> tuple[Need, list[Ranked]]:
    with _serving():
        need = need_for(obligation)
        carried, declined = matches_around(obligation)
        ranked = rank(
            need,
            candidate_pool(),
            limit=top,
            include_uncounted=include_uncounted,
            exclude=declined,
            open_matches=carried,
            grace_days=labels.grace_days(),
        )
    return need, ranked


def ranking_lists_for(
    obligation: Obligation, top: int = 10, further_top: int = FURTHER_SHOWN, include_uncounted: bool = False
) -> tuple[Need, Lists]:
    """The suppliers near enough (those whose counting is unknown after those that count) and,
    apart, those that fit but lie further away, with their kilometres (matching.ranking.rank_lists)."""
    with _serving():
        need = need_for(obligation)
        carried, declined = matches_around(obligation)
        lists = rank_lists(
            need,
            candidate_pool(),
            limit=top,
            further_limit=further_top,
            include_uncounted=include_uncounted,
            exclude=declined,
            open_matches=carried,
            grace_days=labels.grace_days(),
        )
    return need, lists


def ranking_per_part(obligation: Obligation, top: int = 5) -> list[tuple[str, list[Ranked]]]:
    """For a need of several parts: the best suppliers per part (matching.ranking.rank_parts)."""
    with _serving():
        carried, declined = matches_around(obligation)
        return rank_parts(
            need_for(obligation),
            candidate_pool(),
            limit=top,
            exclude=declined,
            open_matches=carried,
            grace_days=labels.grace_days(),
        )


def ranked_json(item: Ranked, remaining: Decimal) -> dict[str, Any]:
    gap = gap_share(item, remaining)
    return {
        "organisation": item.candidate.slug,
        "name": item.candidate.name,
        "score": item.score,
        "share_counted": str(item.share),
        "closes_gap_with": f"{gap.closes_with:.2f}" if gap.closes_with is not None else None,
        "evidence": list(item.part("fit").reason.params.get("quotes", ())),  # its own words that matched
        "km": item.part("distance").reason.params.get("km"),  # None when its place is unknown
        "parts": [
            {
                "part": part.part,
                "score": part.score,
                "reason": {**part.reason.to_json(), "text": explain(part.reason)},
            }
            for part in item.parts
        ],
    }
