"""The candidates to rank, indexed once so that one need only scores the few that fit.

An inverted index from analysed term and from CPV division to candidates, and the vocabulary
for typo look-ups, are built when the pool is made (the marketplace keeps a pool until the
listing changes); ranking a need then touches only candidates that share a word or a CPV
division with it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from matching.ranking.model import Candidate


class CandidatePool:
    def __init__(self, candidates: Iterable[Candidate]) -> None:
        self.candidates: list[Candidate] = list(candidates)
        self.by_term: dict[str, list[int]] = defaultdict(list)
        self.by_division: dict[str, list[int]] = defaultdict(list)
        for index, candidate in enumerate(self.candidates):
            for term in candidate.terms:
                self.by_term[term].append(index)
            for division in {code[:2] for code in candidate.cpv_codes if len(code) >= 2}:
                self.by_division[division].append(index)
        self.vocabulary: list[str] = sorted(self.by_term)

    def __len__(self) -> int:
        return len(self.candidates)

    def sharing(self, terms: Iterable[str], divisions: Iterable[str]) -> list[Candidate]:
        """Candidates with at least one of the terms or a CPV code in one of the divisions."""
        found: set[int] = set()
        for term in terms:
            found.update(self.by_term.get(term, ()))
        for division in divisions:
            found.update(self.by_division.get(division, ()))
        return [self.candidates[index] for index in sorted(found)]
