"""The weight of each ranking part, in one place: the most points a part can give.

Points are whole numbers and a score is their sum, so the parts always add up to the score
exactly. Fit decides what a supplier is for; counts decides whether buying there fulfils the
obligation; validity, distance and spread order the suppliers that do both.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Weights:
    fit: int = 400
    counts: int = 300
    validity: int = 150
    distance: int = 400  # chosen by cross-validation on the blind-judged dev set (relevance --tune)
    spread: int = 50

    @property
    def total(self) -> int:
        return self.fit + self.counts + self.validity + self.distance + self.spread

    def without_spread(self) -> Weights:
        """The same weights without the spread part (to measure what spread costs)."""
        return Weights(self.fit, self.counts, self.validity, self.distance, 0)


WEIGHTS = Weights()

# Within fit: text against CPV. Only the same CPV category (5 digits) or class (4) is evidence: a
# division (2 digits: 79 is every business service) or group says nothing about the trade.
TEXT_SHARE = 0.6
CPV_LEVELS = ((5, 1.0, "category"), (4, 0.8, "class"))
# Within fit: text evidence relative to the best supplier's for the same need; below FIT_FLOOR of
# it a supplier is not shown (no evidence of fit).
FIT_FLOOR = 0.2
# Within distance: full points up to NEAR_KM, none from FAR_KM on, in a straight line between;
# a supplier in the need's own labour-market region gets at least REGION_SHARE.
NEAR_KM = 15.0
FAR_KM = 60.0
REGION_SHARE = 0.8
# Within validity: a label in grace (being reconfirmed) gives this share.
GRACE_SHARE = 0.3
# Spread: full points with no open matches, half at SPREAD_HALF open matches, less beyond.
SPREAD_HALF = 3
# A word of five letters or more counts as typed with a typo at this RapidFuzz ratio or above.
TYPO_RATIO = 85
TYPO_MIN_LENGTH = 5
