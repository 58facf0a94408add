"""Rank a pool of candidates for one need: filter, score every part, sort, explain the top."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from matching.labels import DEFAULT_GRACE_DAYS
from matching.ranking.model import Need, Part, Ranked
from matching.ranking.parts import Concept, all_parts, concepts, nearness, need_places
from matching.ranking.pool import CandidatePool, day_number
from matching.ranking.weights import (
    CORE_CREDIT,
    CPV_LEVELS,
    DISTANCE_LEVELS,
    GRACE_SHARE,
    PART_CREDIT,
    SPREAD_HALF,
    TEXT_CREDIT,
    TEXT_SHARE,
    TYPO_MIN_LENGTH,
    TYPO_RATIO,
    WEIGHTS,
    Weights,
)
from matching.reasons import Reason


def _typo_finder(pool: CandidatePool):  # type: ignore[no-untyped-def]
    reversed_words = sorted(word[::-1] for word in pool.vocabulary)

    @lru_cache(maxsize=1024)
    def neighbours(term: str) -> tuple[str, ...]:
        """Words that count as `term`: typed with a typo, or compounds with `term` as their head
        ("kantoorschoonmaak" is a kind of "schoonmaak")."""
        if len(term) < TYPO_MIN_LENGTH:
            return ()
        found = process.extract(term, pool.vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_RATIO, limit=10)
        alike = [word for word, _score, _index in found if abs(len(word) - len(term)) <= 2]
        backwards = term[::-1]
        start = bisect_left(reversed_words, backwards)
        while start < len(reversed_words) and reversed_words[start].startswith(backwards):
            alike.append(reversed_words[start][::-1])
            start += 1
        return tuple(alike)

    return neighbours


def _finder(pool: CandidatePool):  # type: ignore[no-untyped-def]
    finder = getattr(pool, "_typo_finder", None)
    if finder is None:
        finder = _typo_finder(pool)
        pool._typo_finder = finder  # type: ignore[attr-defined]
    return finder


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
    """Every candidate's total score for the need, computed for all at once with the same rules
    (and the same rounding) as the parts in parts.py, and a mask of those that may be shown."""
    day = need.today or need.starts_on  # labels are judged on the day asked, validity up to the end
    size = len(pool)
    need_concepts: list[Concept] = concepts(need.text, _finder(pool), pool.by_term)
    counting = pool.counting_for(need, day, grace_days)
    # fit
    if not need_concepts and not need.cpv_codes:
        fit = np.full(size, weights.fit, dtype=np.int64)
    else:
        credit = np.zeros(size, dtype=np.float64)
        for concept in need_concepts:
            core = pool.having(concept.alike, core=True)
            anywhere = pool.having(concept.alike)
            part = pool.having(concept.parts) if concept.parts else np.zeros(size, dtype=bool)
            credit += np.where(
                core, CORE_CREDIT, np.where(anywhere, TEXT_CREDIT, np.where(part, PART_CREDIT, 0.0))
            )
        text_share = credit / len(need_concepts) if need_concepts else np.zeros(size)
        best = np.zeros(size, dtype=np.float64)
        for wanted in need.cpv_codes:
            for digits, share, _level in CPV_LEVELS:
                if len(wanted) >= digits:
                    best = np.where(pool.with_prefix(wanted[:digits]), np.maximum(best, share), best)
        if need_concepts and need.cpv_codes:
            raw = weights.fit * (TEXT_SHARE * text_share + (1 - TEXT_SHARE) * best)
        else:
            raw = weights.fit * (text_share if need_concepts else best)
        fit = np.rint(raw).astype(np.int64)
    # counts
    counts = (
        np.rint(weights.counts * counting.share).astype(np.int64) if need.rules else np.zeros(size, np.int64)
    )
    # validity
    day_num, end_num = day_number(day), day_number(need.ends_on)
    period = max(end_num - day_num, 1)
    covered = np.clip((counting.until - day_num) / period, 0.0, 1.0)
    validity = np.where(
        counting.in_grace,
        round(weights.validity * GRACE_SHARE),
        np.where(counting.until >= end_num, weights.validity, np.rint(weights.validity * covered)),
    ).astype(np.int64)
    # distance
    wanted_places = need_places(need)
    level = np.full(size, 3, dtype=np.int64)  # 0 municipality, 1 region, 2 province, 3 elsewhere
    for index in (2, 1, 0):
        code = pool.place_codes[index].get(wanted_places[index], -1) if wanted_places[index] else -1
        level = np.where(pool.places[index] == code, index, level)
    points_per_level = np.array([round(weights.distance * DISTANCE_LEVELS[name]) for name in LEVEL_NAMES])
    distance = points_per_level[level]
    # spread
    carried = _open_array(pool, open_matches) if open_matches else pool.open_matches
    spread = np.rint(weights.spread * SPREAD_HALF / (SPREAD_HALF + carried)).astype(np.int64)
    total = fit + counts + validity + distance + spread
    shown = (fit > 0) & counting.has_label
    if not include_uncounted:
        shown &= (counting.share > 0) | counting.unknown
    if need.rules and need.rules.regional_suppliers_only:
        shown &= level <= 1
    if exclude:
        shown &= ~np.isin(pool.ids, np.fromiter(exclude, dtype=np.int64))
    return total, shown


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
    said "not for us" to this need too. Ties are broken by name, then id. All candidates are
    scored at once (scores()); only the shown ones are explained part by part."""
    if not len(pool):
        return []
    total, shown = scores(
        need,
        pool,
        weights,
        include_uncounted=include_uncounted,
        grace_days=grace_days,
        exclude=exclude,
        open_matches=open_matches,
    )
    candidates = np.flatnonzero(shown)
    order = candidates[np.lexsort((pool.ids[candidates], pool.name_rank[candidates], -total[candidates]))]
    if limit is not None:
        order = order[:limit]
    day = need.today or need.starts_on
    need_concepts = concepts(need.text, _finder(pool), pool.by_term)
    counting = pool.counting_for(need, day, grace_days)
    wanted_places = need_places(need)
    ranked = []
    for index in order.tolist():
        candidate = pool.candidates[index]
        carried = open_matches.get(candidate.organisation_id, 0) if open_matches else candidate.open_matches
        label_share = counting.labels[index]
        parts = all_parts(
            candidate,
            need,
            need_concepts,
            weights,
            day,
            grace_days,
            carried,
            label_share,
            nearness(candidate, wanted_places),
        )
        ranked.append(
            Ranked(
                candidate,
                tuple(Part(name, points, Reason(code, params)) for name, (points, code, params) in parts),
                label_share[1],
            )
        )
    return ranked
