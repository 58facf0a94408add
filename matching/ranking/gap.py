"""Close the gap: what spend with a supplier fills how much of what remains of the obligation,
and which few suppliers together fill it within a budget."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from itertools import combinations

from matching.ranking.model import Ranked

CENT = Decimal("0.01")
MAX_TOGETHER = 3
CONSIDERED = 10


@dataclass(frozen=True)
class GapShare:
    spend: Decimal  # euros excl. VAT spent with the supplier
    counted: Decimal  # what of it counts
    of_remaining: Decimal  # counted / remaining, 0..1
    closes_with: Decimal | None  # the spend that would fill all that remains (None: purchases do not count)


def gap_share(ranked: Ranked, remaining: Decimal, spend: Decimal | None = None) -> GapShare:
    """For a spend (default: what fills the remaining amount): what counts, which part of the gap it fills."""
    closes_with = (remaining / ranked.share).quantize(CENT, ROUND_CEILING) if ranked.share > 0 else None
    spend = spend if spend is not None else (closes_with or Decimal(0))
    counted = (
        min((spend * ranked.share).quantize(CENT, ROUND_HALF_UP), remaining) if remaining > 0 else Decimal(0)
    )
    share = (counted / remaining).quantize(Decimal("0.0001")) if remaining > 0 else Decimal(1)
    return GapShare(spend, counted, share, closes_with)


@dataclass(frozen=True)
class Combination:
    suppliers: tuple[Ranked, ...]
    spends: tuple[Decimal, ...]  # per supplier, euros excl. VAT
    counted: Decimal
    total_spend: Decimal


def combination(ranked: list[Ranked], remaining: Decimal, budget: Decimal) -> Combination | None:
    """A few suppliers (up to three of the best ten whose purchases count) that together fill the
    remaining amount within the budget, the remaining amount shared equally between them: spreading
    spend is the point. Of the combinations that fit, the one with the most suppliers and then the
    highest summed score wins; None when no combination fits the budget."""
    counting = [item for item in ranked if item.share > 0][:CONSIDERED]
    best: tuple[tuple[int, int, Decimal], Combination] | None = None
    if remaining <= 0:
        return Combination((), (), Decimal("0.00"), Decimal("0.00"))
    for size in range(1, MAX_TOGETHER + 1):
        for chosen in combinations(counting, size):
            part = remaining / size
            spends = tuple((part / item.share).quantize(CENT, ROUND_CEILING) for item in chosen)
            total = sum(spends, Decimal("0.00"))
            if total > budget:
                continue
            counted = sum(
                (
                    (s * item.share).quantize(CENT, ROUND_HALF_UP)
                    for s, item in zip(spends, chosen, strict=True)
                ),
                Decimal("0.00"),
            )
            key = (size, sum(item.score for item in chosen), -total)
            if best is None or key > best[0]:
                best = (key, Combination(chosen, spends, min(counted, remaining), total))
    return best[1] if best else None
