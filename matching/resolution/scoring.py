"""Score one pair of records and say why, as reasons a coordinator can check.

Evidence adds up like splink's match weights: a shared KvK number is strongest, then the
same website domain, then a similar name in the same municipality. Different KvK numbers
on both sides are a guard, not a weight: such records are never merged automatically.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from matching.names import without_article
from matching.reasons import Reason
from matching.resolution.features import Features

MERGE_AT = 7.0
REVIEW_AT = 4.0

WEIGHT_KVK_SHARED = 10.0
WEIGHT_DOMAIN_SAME = 5.0
WEIGHT_DOMAIN_DIFFERENT = -2.0
WEIGHT_PLACE_SAME = 2.0
WEIGHT_PLACE_DIFFERENT = -4.0
WEIGHT_NAME_SAME = 5.0
NAME_WEIGHTS = ((97, WEIGHT_NAME_SAME), (92, 3.5), (85, 1.0))
WEIGHT_NAME_DIFFERENT = -5.0
TYPO_MIN_WORD = 5  # a one-letter slip in a short word ("zon"/"ton") is a different word


@dataclass(frozen=True)
class PairDecision:
    left: str
    right: str
    score: float
    band: str  # "merge", "review" or "apart"
    reasons: tuple[Reason, ...]  # each with the weight it added
    kvk_conflict: bool = False


def name_similarity(left: str, right: str) -> float:
    """0-100: the better of plain and word-order-insensitive similarity of core names."""
    return max(fuzz.ratio(left, right), fuzz.token_sort_ratio(left, right))


def is_typo(left: str, right: str) -> bool:
    """Same words but for one slip each (a swap, a missing or extra letter) in long words."""
    left_words, right_words = left.split(), right.split()
    if len(left_words) != len(right_words) or left == right:
        return False
    differing = [(x, y) for x, y in zip(left_words, right_words, strict=True) if x != y]
    return all(min(len(x), len(y)) >= TYPO_MIN_WORD and OSA.distance(x, y) <= 1 for x, y in differing)


def name_evidence(left: str, right: str) -> Reason:
    """Weight and reason of the core names' similarity, with and without a leading article."""
    bare_left, bare_right = without_article(left), without_article(right)
    if (bare_left, bare_right) != (left, right) and name_similarity(bare_left, bare_right) > name_similarity(
        left, right
    ):
        left, right = bare_left, bare_right
    similarity = round(name_similarity(left, right))
    if is_typo(left, right):
        return Reason("resolution.name_typo", {"similarity": similarity}, WEIGHT_NAME_SAME)
    weight = next(
        (weight for at_least, weight in NAME_WEIGHTS if similarity >= at_least), WEIGHT_NAME_DIFFERENT
    )
    return Reason("resolution.name_similar", {"similarity": similarity}, weight)


def score_pair(a: Features, b: Features) -> PairDecision:
    left, right = (a, b) if a.rid <= b.rid else (b, a)
    reasons: list[Reason] = []
    kvk_conflict = False
    if left.kvk and right.kvk:
        shared = sorted(left.kvk & right.kvk)
        if shared:
            reasons.append(Reason("resolution.kvk_shared", {"kvk": shared[0]}, WEIGHT_KVK_SHARED))
        else:
            kvk_conflict = True
            reasons.append(
                Reason("resolution.kvk_different", {"left": min(left.kvk), "right": min(right.kvk)}, 0.0)
            )
    if left.domain and right.domain:
        if left.domain == right.domain:
            reasons.append(Reason("resolution.domain_same", {"domain": left.domain}, WEIGHT_DOMAIN_SAME))
        else:
            reasons.append(
                Reason(
                    "resolution.domain_different",
                    {"left": left.domain, "right": right.domain},
                    WEIGHT_DOMAIN_DIFFERENT,
                )
            )
    reasons.append(name_evidence(left.core, right.core))
    if left.place and right.place:
        if left.place == right.place:
            reasons.append(Reason("resolution.place_same", {"place": left.place}, WEIGHT_PLACE_SAME))
        else:
            reasons.append(
                Reason(
                    "resolution.place_different",
                    {"left": left.place_shown, "right": right.place_shown},
                    WEIGHT_PLACE_DIFFERENT,
                )
            )
    score = sum(reason.weight or 0.0 for reason in reasons)
    if kvk_conflict:
        # Never merged automatically; with otherwise strong evidence a coordinator decides.
        band = "review" if score >= MERGE_AT else "apart"
    elif score >= MERGE_AT:
        band = "merge"
    elif score >= REVIEW_AT:
        band = "review"
    else:
        band = "apart"
    return PairDecision(left.rid, right.rid, round(score, 2), band, tuple(reasons), kvk_conflict)
