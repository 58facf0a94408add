"""Rank a pool of candidates for one need: filter, score every part, sort, explain the top."""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from matching.labels import DEFAULT_GRACE_DAYS
from matching.places import position
from matching.ranking.evidence import Concept
from matching.ranking.model import Candidate, Need, Part, Ranked
from matching.ranking.parts import counts, need_places, spread, validity
from matching.ranking.pool import CandidatePool, Counting, day_number
from matching.ranking.weights import (
    CPV_LEVELS,
    FAR_KM,
    FIT_FLOOR,
    GRACE_SHARE,
    NEAR_KM,
    REGION_SHARE,
    SPREAD_HALF,
    TEXT_SHARE,
    WEIGHTS,
    Weights,
)
from matching.reasons import Reason

CPV_FILE = Path(__file__).resolve().parent.parent / "data" / "cpv_trades.csv"


@lru_cache(maxsize=1)
def cpv_words() -> dict[str, str]:
    """CPV class or category prefix -> the trade words of its name (matching/data/cpv_trades.csv)."""
    with CPV_FILE.open(encoding="utf-8") as handle:
        found: dict[str, str] = {}
        for row in csv.DictReader(line for line in handle if not line.startswith("#")):
            found[row["prefix"]] = f"{found.get(row['prefix'], '')} {row['words']}".strip()
        return found


def need_text(need: Need) -> str:
    """The need's words plus the trade words of its CPV codes' classes and categories."""
    names = cpv_words()
    extra = [names[code[:digits]] for code in need.cpv_codes for digits in (5, 4) if code[:digits] in names]
    return " ".join([need.text or "", *extra])


@dataclass
class Scored:
    """Every candidate's points per part for one need, and what the fit and distance rest on."""

    parts: dict[str, np.ndarray]
    shown: np.ndarray
    concepts: list[Concept]
    cpv_level: np.ndarray  # 0 none, else the index+1 into CPV_LEVELS
    km: np.ndarray  # NaN where unknown
    same_region: np.ndarray
    evidence: np.ndarray  # fit from evidence (text or CPV class)
    unknown: np.ndarray  # whether purchases count is unknown under the rules: listed after those that count
    far: np.ndarray  # beyond the distance the need asks and outside its region: the "further away" list

    @property
    def total(self) -> np.ndarray:
        return sum(self.parts.values())  # type: ignore[return-value]


def score_all(
    need: Need,
    pool: CandidatePool,
    weights: Weights = WEIGHTS,
    *,
    include_uncounted: bool = False,
    grace_days: int = DEFAULT_GRACE_DAYS,
    exclude: frozenset[int] = frozenset(),
    open_matches: Mapping[int, int] | None = None,
) -> Scored:
    day = need.today or need.starts_on  # labels are judged on the day asked, validity up to the end
    size = len(pool)
    need_concepts = pool.text.concepts(need_text(need))
    counting = pool.counting_for(need, day, grace_days)
    # fit: text evidence (BM25F, relative to the best supplier's) and CPV class or category
    text, _matched = pool.text.scores(need_concepts)
    best_text = float(text.max()) if size else 0.0
    text_share = text / best_text if best_text > 0 else np.zeros(size)
    cpv_share = np.zeros(size)
    cpv_level = np.zeros(size, dtype=np.int64)
    for wanted in need.cpv_codes:
        for level, (digits, share, _name) in enumerate(CPV_LEVELS):
            if len(wanted) >= digits:
                hit = pool.with_prefix(wanted[:digits]) & (share > cpv_share)
                cpv_share = np.where(hit, share, cpv_share)
                cpv_level = np.where(hit, level + 1, cpv_level)
    text_evidence = text_share >= FIT_FLOOR
    if not need_concepts and not need.cpv_codes:
        fit = np.full(size, weights.fit, dtype=np.int64)
        evidence = np.ones(size, dtype=bool)
    else:
        if need_concepts and need.cpv_codes:
            raw = weights.fit * (TEXT_SHARE * text_share + (1 - TEXT_SHARE) * cpv_share)
        elif need_concepts:
            raw = weights.fit * text_share
        else:
            raw = weights.fit * cpv_share
        fit = np.rint(raw).astype(np.int64)
        evidence = (text_evidence | (cpv_level > 0)) & (fit > 0)
    counts, validity = _label_points(need, counting, weights, day)
    wanted_places = need_places(need)
    km, same_region, distance = pool.remembered(
        (
            need.municipality,
            need.region,
            wanted_places[1],
            weights.distance,
            NEAR_KM,
            FAR_KM,
            REGION_SHARE,
        ),
        lambda: _distance_points(need, pool, weights, wanted_places),
    )
    spread = _spread_points(pool, weights, open_matches)
    shown = evidence & counting.has_label
    if not include_uncounted:
        shown &= (counting.share > 0) | counting.unknown
    if need.rules and need.rules.regional_suppliers_only:
        shown &= same_region | (pool.places[0] == (pool.place_codes[0].get(wanted_places[0], -1)))
    if exclude:
        shown &= ~np.isin(pool.ids, np.fromiter(exclude, dtype=np.int64))
    parts = {"fit": fit, "counts": counts, "validity": validity, "distance": distance, "spread": spread}
    within = within_km(need)
    far = ~same_region & (np.nan_to_num(km, nan=0.0) > within)  # an unknown place is not called far
    unknown = counting.unknown if need.rules else np.zeros(size, dtype=bool)
    return Scored(parts, shown, need_concepts, cpv_level, km, same_region, evidence, unknown, far)


def within_km(need: Need) -> float:
    """How far a supplier may lie before it is listed as further away: what the need asks, else
    FAR_KM, where distance stops giving points."""
    return need.within_km if need.within_km is not None else FAR_KM


def _label_points(
    need: Need, counting: Counting, weights: Weights, day: date
) -> tuple[np.ndarray, np.ndarray]:
    """The counts and validity points of every candidate: they depend on the rules, the day and the
    contract's end only, so the pool's counting remembers them for every need that shares those."""
    key = (need.rules is not None, day, need.ends_on, weights.counts, weights.validity, GRACE_SHARE)
    found = counting.points.get(key)
    if found is None:
        size = len(counting.share)
        counts = (
            np.rint(weights.counts * counting.share).astype(np.int64)
            if need.rules
            else np.zeros(size, np.int64)
        )
        day_num, end_num = day_number(day), day_number(need.ends_on)
        period = max(end_num - day_num, 1)
        covered = np.clip((counting.until - day_num) / period, 0.0, 1.0)
        validity = np.where(
            counting.in_grace,
            round(weights.validity * GRACE_SHARE),
            np.where(counting.until >= end_num, weights.validity, np.rint(weights.validity * covered)),
        ).astype(np.int64)
        found = counting.points[key] = (counts, validity)
    return found


def _distance_points(
    need: Need, pool: CandidatePool, weights: Weights, wanted_places: tuple[str, str, str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Kilometres from the place of work, whether in its labour-market region, and the points:
    full up to NEAR_KM, none from FAR_KM, at least REGION_SHARE within the region."""
    size = len(pool)
    region_code = pool.place_codes[1].get(wanted_places[1], -1) if wanted_places[1] else -1
    same_region = pool.places[1] == region_code
    point = position(need.municipality, need.region)
    km = pool.kilometres_from(point) if point is not None else np.full(size, np.nan)
    near = np.clip((FAR_KM - np.nan_to_num(km, nan=FAR_KM)) / (FAR_KM - NEAR_KM), 0.0, 1.0)
    near = np.where(same_region, np.maximum(near, REGION_SHARE), near)
    return km, same_region, np.rint(weights.distance * near).astype(np.int64)


def _spread_points(
    pool: CandidatePool, weights: Weights, open_matches: Mapping[int, int] | None
) -> np.ndarray:
    carried = _open_array(pool, open_matches) if open_matches else pool.open_matches
    return np.rint(weights.spread * SPREAD_HALF / (SPREAD_HALF + carried)).astype(np.int64)


def scores(
    need: Need,
    pool: CandidatePool,
    weights: Weights = WEIGHTS,
    *,
    include_uncounted: bool = False,
    grace_days: int = DEFAULT_GRACE_DAYS,
    exclude: frozenset[int] = frozenset(),
    open_matches: Mapping[int, int] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Every candidate's total score for the need, computed for all at once, and a mask of those
    that may be shown (evidence of fit, a label, counting unless asked, the region if required)."""
    scored = score_all(
        need,
        pool,
        weights,
        include_uncounted=include_uncounted,
        grace_days=grace_days,
        exclude=exclude,
        open_matches=open_matches,
    )
    return scored.total, scored.shown


LEVEL_NAMES = ("municipality", "region", "province", "elsewhere")


def _open_array(pool: CandidatePool, open_matches: Mapping[int, int]) -> np.ndarray:
    carried = pool.open_matches.copy()
    for organisation_id, count in open_matches.items():
        index = pool.index_of.get(organisation_id)
        if index is not None:
            carried[index] = count
    return carried


def rank(
    need: Need,
    pool: CandidatePool,
    weights: Weights = WEIGHTS,
    *,
    include_uncounted: bool = False,
    limit: int | None = 10,
    grace_days: int = DEFAULT_GRACE_DAYS,
    exclude: frozenset[int] = frozenset(),
    open_matches: Mapping[int, int] | None = None,
) -> list[Ranked]:
    """The suppliers that fit the need, best first. A supplier whose purchases count for nothing
    under the rule set is left out unless `include_uncounted` (then shown, with why); one outside
    the region when the rule set counts only regional suppliers is always left out; one that
    said "not for us" to this need too. Suppliers whose counting is unknown under the rules come
    after those that count (marked so by their counts reason, never hidden). Ties are broken by
    name, then id. All candidates are scored at once (scores()); only the shown ones are
    explained part by part."""
    if not len(pool):
        return []
    scored = score_all(
        need,
        pool,
        weights,
        include_uncounted=include_uncounted,
        grace_days=grace_days,
        exclude=exclude,
        open_matches=open_matches,
    )
    return explain_order(
        need, pool, scored, best_first(pool, scored, scored.shown, limit), weights, grace_days, open_matches
    )


@dataclass(frozen=True)
class Lists:
    """The suppliers that fit, as a page shows them: `near` within the distance the need asks (or in
    its region, or of unknown place), those whose counting is unknown after those that count; and
    `further`, those that fit but lie beyond it, each with its kilometres. The counts are of all
    that fit, not only of those returned."""

    near: list[Ranked]
    further: list[Ranked]
    near_count: int
    further_count: int


def rank_lists(
    need: Need,
    pool: CandidatePool,
    weights: Weights = WEIGHTS,
    *,
    include_uncounted: bool = False,
    limit: int | None = 10,
    further_limit: int | None = 5,
    grace_days: int = DEFAULT_GRACE_DAYS,
    exclude: frozenset[int] = frozenset(),
    open_matches: Mapping[int, int] | None = None,
) -> Lists:
    """rank(), split into the suppliers near enough and those further away (need.within_km, else
    FAR_KM, where distance stops giving points), scored once."""
    if not len(pool):
        return Lists([], [], 0, 0)
    scored = score_all(
        need,
        pool,
        weights,
        include_uncounted=include_uncounted,
        grace_days=grace_days,
        exclude=exclude,
        open_matches=open_matches,
    )
    near, further = scored.shown & ~scored.far, scored.shown & scored.far
    options = (weights, grace_days, open_matches)
    return Lists(
        explain_order(need, pool, scored, best_first(pool, scored, near, limit), *options),
        explain_order(need, pool, scored, best_first(pool, scored, further, further_limit), *options),
        int(near.sum()),
        int(further.sum()),
    )


def explain_order(
    need: Need,
    pool: CandidatePool,
    scored: Scored,
    order: np.ndarray,
    weights: Weights,
    grace_days: int,
    open_matches: Mapping[int, int] | None,
) -> list[Ranked]:
    """The candidates at `order`, each with its parts and their reasons."""
    day = need.today or need.starts_on
    counting = pool.counting_for(need, day, grace_days)
    ranked = []
    for index in order.tolist():
        candidate = pool.candidates[index]
        carried = open_matches.get(candidate.organisation_id, 0) if open_matches else candidate.open_matches
        label, share = counting.label(index)
        points = {name: int(values[index]) for name, values in scored.parts.items()}
        reasons = {
            "fit": fit_reason(pool, index, scored, need),
            "counts": counts(label, share, need, weights.counts)[1:],
            "validity": validity(label, need, day, grace_days, weights.validity)[1:],
            "distance": distance_reason(candidate, scored, index),
            "spread": spread(carried, weights.spread)[1:],
        }
        ranked.append(
            Ranked(
                candidate,
                tuple(Part(name, points[name], Reason(*reasons[name])) for name in PART_NAMES),
                share,
            )
        )
    return ranked


PART_NAMES = ("fit", "counts", "validity", "distance", "spread")


def best_first(pool: CandidatePool, scored: Scored, shown: np.ndarray, limit: int | None) -> np.ndarray:
    """The shown candidates' indices: those whose purchases count (or need no counting) before
    those whose counting is unknown, then by score, name and id (name_rank orders both); only the
    first `limit` are sorted."""
    candidates = np.flatnonzero(shown)
    if limit is not None and limit <= 0:
        return candidates[:0]
    # one key: counting known first, a higher score, then the earlier name (name_rank is unique)
    total = scored.total[candidates]
    width = len(pool) + 1
    lowest = min(int(total.min()), 0) if len(total) else 0
    key = (total - lowest) * width + (len(pool) - pool.name_rank[candidates])
    ceiling = (int(total.max()) - lowest + 1) * width if len(total) else 0
    key = key + np.where(scored.unknown[candidates], 0, ceiling)
    if limit is not None and limit < len(candidates):
        top = np.argpartition(-key, limit - 1)[:limit]
        candidates, key = candidates[top], key[top]
    return candidates[np.argsort(-key, kind="stable")]


def fit_reason(pool: CandidatePool, index: int, scored: Scored, need: Need) -> tuple[str, dict[str, Any]]:
    """What the supplier offers against what is needed, in its own words (quoted), and its CPV."""
    if not scored.concepts and not need.cpv_codes:
        return "ranking.fit_unspecified", {}
    quotes = pool.text.quotes(index, scored.concepts) if scored.evidence[index] else []
    params: dict[str, Any] = {}
    if quotes:
        unique = list(dict.fromkeys(quote.text for quote in quotes))[:3]
        params["words"] = ", ".join(f"‘{text}’" for text in unique)
        params["quotes"] = unique
    level = int(scored.cpv_level[index])
    if level:
        digits, _share, name = CPV_LEVELS[level - 1]
        candidate = pool.candidates[index]
        code = next((c for c in candidate.cpv_codes for w in need.cpv_codes if c[:digits] == w[:digits]), "")
        params |= {"cpv": code, "level": name}
    code = {
        (True, True): "ranking.fit_both",
        (True, False): "ranking.fit_text",
        (False, True): "ranking.fit_cpv",
        (False, False): "ranking.fit_none",
    }[(bool(quotes), bool(level))]
    return code, params


def distance_reason(candidate: Candidate, scored: Scored, index: int) -> tuple[str, dict[str, Any]]:
    """ "12 km (Hengelo, Twente)"; without a known place, the place as far as known."""
    km = scored.km[index]
    params: dict[str, Any] = {
        "place": candidate.municipality or "?",
        "region": candidate.region or "?",
        "province": candidate.province or "?",
    }
    if np.isnan(km):
        return "ranking.distance_unknown", params
    params["km"] = round(float(km))
    return ("ranking.distance_km_region" if scored.same_region[index] else "ranking.distance_km"), params


PART_SPLIT = re.compile(r"\s*(?:[,;+/]|\ben\b|\band\b|\bplus\b|\bdaarnaast\b)\s*", re.IGNORECASE)


def need_parts(need: Need, pool: CandidatePool) -> list[str]:
    """The parts of a need that asks for several trades ("groenonderhoud, schoonmaak en catering"):
    pieces of its text, each with at least one word the pool knows; [] for a need of one part."""
    pieces = [piece.strip(" .:()") for piece in PART_SPLIT.split(need.text or "")]
    known = []
    for piece in pieces:
        concepts = pool.text.concepts(piece)
        if any(pool.text.knows(word) for concept in concepts for word, _share in concept.alternatives):
            known.append(piece)
    return known if len(known) > 1 else []


def rank_parts(
    need: Need, pool: CandidatePool, weights: Weights = WEIGHTS, *, limit: int = 5, **options: Any
) -> list[tuple[str, list[Ranked]]]:
    """The best suppliers for each part of a need of several parts (see need_parts), each part
    ranked as a need of its own under the same place, period and rules."""
    return [
        (piece, rank(replace(need, text=piece, cpv_codes=()), pool, weights, limit=limit, **options))
        for piece in need_parts(need, pool)
    ]
