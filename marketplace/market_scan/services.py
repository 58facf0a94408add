"""The database side of matching.market_scan: the question checked (the same rules for the page,
the API and the command), the scan over the ranking's candidate pool, its answer as plain JSON,
and the sources (which registers, crawled when). Saved scans live in marketplace.market_scan.saved."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from marketplace.core import clock
from marketplace.core.extensions import db
from marketplace.core.reasons import explain
from marketplace.core.refusals import ServiceError
from marketplace.core.web import values
from marketplace.organisations import labels
from marketplace.procurement import supplier_matching
from marketplace.registers.models import CrawlRun
from marketplace.sroi.rulesets import company_lists
from matching import market_scan
from matching.market_scan import MAX_RADIUS_KM, MAX_THRESHOLD, Entry, Question, Scan, ScanIndex
from matching.places import PlaceResolver, municipality_rows, place_key, position
from matching.reasons import Reason

INDEX_KEY = "impactmarkt.market_scan_index"
NEED_LIMIT = 500
CPV = re.compile(r"([0-9]{8})(?:-[0-9])?")
REGISTERS = ("pso", "code", "senl")


class ScanRefused(ServiceError):
    """A question that cannot be scanned, with why (nothing is stored)."""


def scan_index(fresh: bool = False) -> ScanIndex:
    """The ranking's candidate pool with its labels laid out per day, kept as long as that pool.
    `fresh`: wait for a rebuild after a listing change (a rerun is asked to see what changed)."""
    pool = supplier_matching.candidate_pool()
    if fresh:
        supplier_matching.wait_for_pool()
        pool = supplier_matching.candidate_pool()
    cached = current_app.extensions.get(INDEX_KEY)
    if cached is None or cached.pool is not pool:
        cached = ScanIndex(pool)
        current_app.extensions[INDEX_KEY] = cached
    return cached  # type: ignore[no-any-return]


def _places() -> dict[str, tuple[str, str]]:
    rows = municipality_rows()
    return {place_key(row["name"]): (row["labour_market_region"], row["province"]) for row in rows}


def _cpv_codes(raw: Any) -> tuple[str, ...]:
    items = raw if isinstance(raw, (list, tuple)) else re.split(r"[\s,;]+", str(raw or ""))
    found: list[str] = []
    for item in values.string_list(list(items), "cpv", 20, 40):
        item = item.strip()
        if not item:
            continue
        matched = CPV.fullmatch(item)
        if matched is None:
            raise ScanRefused("scan.bad_cpv", value=item[:40])
        found.append(matched.group(1))
    return tuple(dict.fromkeys(found))


def _whole(value: Any, code: str, limit: int, field: str) -> int:
    try:
        return values.whole(value, field, 1, limit)
    except values.BadValue:
        raise ScanRefused(code, limit=limit) from None


def question_from(answers: Mapping[str, Any], today: date | None = None) -> Question:
    """The question from what was typed (page), sent (API) or read (command): every rule here, so the
    three refuse alike. Keys: need, cpv, place, radius_km, starts_on, ends_on, threshold."""
    text = " ".join(values.clean_text(answers.get("need") or "", "need", NEED_LIMIT).split())
    cpv = _cpv_codes(answers.get("cpv"))
    if not text and not cpv:
        raise ScanRefused("scan.need_needed")
    place = values.clean_text(answers.get("place") or "", "place", 120, one_line=True).strip()
    if not place:
        raise ScanRefused("scan.place_needed")
    municipality = PlaceResolver().municipality_for(place)
    point = position(municipality) if municipality else None
    if municipality is None or point is None:
        raise ScanRefused("scan.unknown_place", place=place[:120])
    radius = _whole(answers.get("radius_km"), "scan.bad_radius", MAX_RADIUS_KM, "radius_km")
    threshold_given = answers.get("threshold")
    threshold = (
        market_scan.DEFAULT_THRESHOLD
        if threshold_given in (None, "")
        else _whole(threshold_given, "scan.bad_threshold", MAX_THRESHOLD, "threshold")
    )
    starts_on = values.day(answers.get("starts_on"), "starts_on")
    ends_on = values.day(answers.get("ends_on"), "ends_on")
    if ends_on < starts_on:
        raise ScanRefused("scan.end_before_start")
    region, province = _places().get(place_key(municipality), (None, None))
    return Question(
        text=text, cpv_codes=cpv, municipality=municipality, point=point, radius_km=radius,
        starts_on=starts_on, ends_on=ends_on, threshold=threshold, today=today or clock.today(),
        region=region, province=province,
    )  # fmt: skip


def question_json(question: Question) -> dict[str, Any]:
    """The question as it is stored with a saved scan and read back by question_from."""
    return {
        "need": question.text,
        "cpv": list(question.cpv_codes),
        "place": question.municipality,
        "radius_km": question.radius_km,
        "starts_on": question.starts_on.isoformat(),
        "ends_on": question.ends_on.isoformat(),
        "threshold": question.threshold,
    }


def sw_companies_from_coordinators_lists() -> frozenset[int]:
    """The listed organisations that a region's coordinators keep on their list of SW companies
    (sociale werkbedrijven, issue 28): those that fit within the radius count towards a tender
    reserved under art. 2.82 beside PSO 30+. A listed name with only a KvK number (not in our
    listing) has no texts to judge fit by, so it is not counted."""
    return company_lists.listed_organisation_ids("sw_company")


def run(question: Question, fresh: bool = False) -> Scan:
    return market_scan.scan(
        question,
        scan_index(fresh),
        grace_days=labels.grace_days(),
        sw_ids=sw_companies_from_coordinators_lists(),
    )


def listed(result: Scan, limit: int | None = None) -> list[Entry]:
    return market_scan.entries(result, scan_index(), grace_days=labels.grace_days(), limit=limit)


def sources() -> list[dict[str, Any]]:
    """Which registers the listing comes from and when each was last crawled completely."""
    found = dict(
        db.session.execute(
            select(CrawlRun.register, func.max(CrawlRun.finished_at))
            .where(CrawlRun.status == "complete")
            .group_by(CrawlRun.register)
        ).all()
    )
    return [
        {
            "register": register,
            "name": labels.REGISTER_NAMES[register],
            "crawled_at": found[register].isoformat(timespec="minutes") if found.get(register) else None,
        }
        for register in REGISTERS
    ]


def _label_json(label: market_scan.LabelOverContract) -> dict[str, Any]:
    return {
        "register": label.register,
        "level": label.level,
        "pso30plus": label.pso30plus,
        "state": label.state,
        "valid_until": label.valid_until.isoformat() if label.valid_until else None,
        "ends_within_contract": label.ends_within_contract,
    }


def entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "organisation": entry.slug,
        "name": entry.name,
        "municipality": entry.municipality,
        "km": entry.km,
        "band": entry.band,
        "within_radius": entry.within_radius,
        "counted_as": list(entry.buckets),
        "labels": [_label_json(label) for label in entry.labels],
        "evidence": list(entry.quotes),  # its own words that fit the need
        "fit": {**entry.fit.to_json(), "text": explain(entry.fit)},
        "certificate_ends_within_contract": entry.ends_within_contract,
    }


def _tally_json(tally: market_scan.Tally) -> dict[str, Any]:
    return {**tally.to_json(), "judgement": {**tally.judgement.to_json(), "text": explain(tally.judgement)}}


def scan_json(result: Scan, entries: list[Entry], scanned_at: datetime | None = None) -> dict[str, Any]:
    """The answer as the command prints it, the API sends it and a saved run keeps it."""
    caveat = Reason("scan.check_capacity", {})
    return {
        "scanned_at": (scanned_at or clock.now()).isoformat(timespec="seconds"),
        "question": question_json(result.question),
        "counts": _tally_json(result.tally),
        "sizes_known": False,  # none of the three registers publishes an enterprise's size
        "caveat": {**caveat.to_json(), "text": explain(caveat)},
        "lots": [{"part": piece, "counts": _tally_json(tally)} for piece, tally in result.lots],
        "enterprises": [entry_json(entry) for entry in entries],
        "sources": sources(),
    }
