"""Rank a pool of candidates for one need: filter, score every part, sort, explain the top."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from functools import lru_cache

from rapidfuzz import fuzz, process

from matching.labels import DEFAULT_GRACE_DAYS
from matching.ranking.model import Need, Part, Ranked
from matching.ranking.parts import Concept, all_parts, concepts
from matching.ranking.pool import CandidatePool
from matching.ranking.weights import TYPO_MIN_LENGTH, TYPO_RATIO, WEIGHTS, Weights
from matching.reasons import Reason
from matching.text import fold


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
    said "not for us" to this need too. Ties are broken by name, then id."""
    day = need.today or need.starts_on  # labels are judged on the day asked, validity up to the end
    need_concepts: list[Concept] = concepts(need.text, _finder(pool), pool.by_term)
    divisions = {code[:2] for code in need.cpv_codes if len(code) >= 2}
    if need_concepts or divisions:
        terms = {term for concept in need_concepts for term in (*concept.alike, *concept.parts)}
        candidates = pool.sharing(terms, divisions)
    else:
        candidates = pool.candidates
    scored = []
    regional_only = bool(need.rules and need.rules.regional_suppliers_only)
    for candidate in candidates:
        if candidate.organisation_id in exclude:
            continue
        carried = (
            open_matches.get(candidate.organisation_id, 0)
            if open_matches is not None
            else candidate.open_matches
        )
        parts, share, level = all_parts(candidate, need, need_concepts, weights, day, grace_days, carried)
        if parts[0][1][0] <= 0 or parts[2][1][1] == "ranking.no_valid_label":
            continue  # does not fit, or holds no label on the day
        if share <= 0 and not include_uncounted:
            continue
        if regional_only and level not in ("municipality", "region"):
            continue
        total = sum(points for _name, (points, _code, _params) in parts)
        scored.append((-total, fold(candidate.name), candidate.organisation_id, candidate, parts, share))
    scored.sort(key=lambda item: item[:3])
    shown = scored if limit is None else scored[:limit]
    return [
        Ranked(
            candidate,
            tuple(Part(name, points, Reason(code, params)) for name, (points, code, params) in parts),
            share,
        )
        for _total, _name, _id, candidate, parts, share in shown
    ]
