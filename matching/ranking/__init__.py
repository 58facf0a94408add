"""Supplier ranking: which listed enterprises help a contractor (or a procurer) most, and why.

In: a Need (what is wanted as text and CPV codes, where, over which period, under which SROI
rule set, how much of the obligation remains) and Candidates (a listed enterprise's offer as
text and CPV codes, its place, its labels' facts, how many open matches it carries).
Out: Ranked suppliers, best first, each with a score that is exactly the sum of its parts
(fit, counts, validity, distance, spread; weights in weights.py) and every part explained by
a Reason; and the gap-closer's answers (gap.py). Plain Python: no Flask, no database;
deterministic (ties broken by name, then id).
"""

from matching.ranking.gap import Combination, GapShare, combination, gap_share
from matching.ranking.model import Candidate, Need, Part, Ranked
from matching.ranking.pool import CandidatePool
from matching.ranking.rank import Lists, need_parts, rank, rank_lists, rank_parts, within_km
from matching.ranking.weights import WEIGHTS, Weights

__all__ = [
    "WEIGHTS",
    "Candidate",
    "CandidatePool",
    "Combination",
    "GapShare",
    "Lists",
    "Need",
    "Part",
    "Ranked",
    "Weights",
    "combination",
    "gap_share",
    "need_parts",
    "rank",
    "rank_lists",
    "rank_parts",
    "within_km",
]
