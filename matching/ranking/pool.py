"""The candidates to rank, laid out once as arrays so that one need is scored for all of them
at once (numpy), and only the suppliers shown are explained part by part in Python.

Built when the listing changes (the marketplace keeps the pool until then): an inverted index
from analysed term and from CPV prefix (2, 3 and 4 digits) to candidates, the vocabulary for
typo look-ups, places as numbers, and, per rule set version and day, each candidate's counting
label with its share and dates (they do not depend on the need's words, so every obligation
under the same rules reuses them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np

from matching.labels import LabelFacts, state_on
from matching.places import position
from matching.ranking.evidence import TextIndex
from matching.ranking.model import Candidate, Need
from matching.ranking.parts import counting_label

NO_END = 10**7  # a day number after every real one: a label without an end date


def day_number(day: date) -> int:
    return day.toordinal()


class Counting:
    """Per candidate: the label under which a purchase counts most on the day, and its facts as arrays."""

    def __init__(self, labels: list[tuple[LabelFacts | None, Decimal]], day: date, grace_days: int) -> None:
        self.labels = labels
        self.has_label = np.array([label is not None for label, _ in labels], dtype=bool)
        shares = np.array([float(share) for _, share in labels], dtype=np.float64)
        self.unknown = shares < 0  # the rule set does not say what this label counts: shown as unknown
        self.share = np.maximum(shares, 0.0)
        self.until = np.array(
            [
                day_number(label.valid_until) if label is not None and label.valid_until else NO_END
                for label, _ in labels
            ],
            dtype=np.int64,
        )
        self.in_grace = np.array(
            [label is not None and state_on(label, day, grace_days) == "grace" for label, _ in labels],
            dtype=bool,
        )


class CandidatePool:
    def __init__(self, candidates: Iterable[Candidate]) -> None:
        self.candidates: list[Candidate] = list(candidates)
        self.ids = np.array([c.organisation_id for c in self.candidates], dtype=np.int64)
        self.open_matches = np.array([c.open_matches for c in self.candidates], dtype=np.int64)
        self.index_of = {c.organisation_id: index for index, c in enumerate(self.candidates)}
        by_term: dict[str, list[int]] = defaultdict(list)
        by_core_term: dict[str, list[int]] = defaultdict(list)
        by_prefix: dict[str, list[int]] = defaultdict(list)
        for index, candidate in enumerate(self.candidates):
            for term in candidate.terms:
                by_term[term].append(index)
            for term in candidate.core_terms:
                by_core_term[term].append(index)
            prefixes = {
                code[:digits] for code in candidate.cpv_codes for digits in (2, 3, 4) if len(code) >= digits
            }
            for prefix in prefixes:
                by_prefix[prefix].append(index)
        self.by_term = {term: np.array(found, dtype=np.int64) for term, found in by_term.items()}
        self.by_core_term = {term: np.array(found, dtype=np.int64) for term, found in by_core_term.items()}
        self.by_prefix = {prefix: np.array(found, dtype=np.int64) for prefix, found in by_prefix.items()}
        self.vocabulary: list[str] = sorted(self.by_term)
        order = sorted(range(len(self.candidates)), key=lambda i: (self.candidates[i].sort_name, self.ids[i]))
        self.name_rank = np.empty(len(self.candidates), dtype=np.int64)
        self.name_rank[order] = np.arange(len(self.candidates))
        self.place_codes: list[dict[str, int]] = [{}, {}, {}]
        self.places = np.zeros((3, len(self.candidates)), dtype=np.int64)
        for index, candidate in enumerate(self.candidates):
            for level, name in enumerate(candidate.places):
                if name:
                    self.places[level, index] = self.place_codes[level].setdefault(
                        name, len(self.place_codes[level]) + 1
                    )
        self.counting: dict[tuple[Any, ...], Counting] = {}
        self.text = TextIndex([candidate.fields() for candidate in self.candidates])
        at = [position(c.municipality, c.region) for c in self.candidates]
        self.known_place = np.array([p is not None for p in at], dtype=bool)
        self.latitude = np.radians(np.array([p[0] if p else 0.0 for p in at]))
        self.longitude = np.radians(np.array([p[1] if p else 0.0 for p in at]))

    def kilometres_from(self, point: tuple[float, float]) -> np.ndarray:
        """Every candidate's distance from a point, in km (haversine); NaN where its place is unknown."""
        lat, lon = np.radians(point[0]), np.radians(point[1])
        h = (
            np.sin((self.latitude - lat) / 2) ** 2
            + np.cos(lat) * np.cos(self.latitude) * np.sin((self.longitude - lon) / 2) ** 2
        )
        km = 2 * 6371.0 * np.arcsin(np.sqrt(h))
        return np.where(self.known_place, km, np.nan)

    def __len__(self) -> int:
        return len(self.candidates)

    def counting_for(self, need: Need, day: date, grace_days: int) -> Counting:
        rules = need.rules
        key = ((rules.id, rules.version, rules.name) if rules else None, day, grace_days)
        found = self.counting.get(key)
        if found is None:
            found = Counting(
                [counting_label(c, need, day, grace_days) for c in self.candidates], day, grace_days
            )
            self.counting[key] = found
        return found

    def having(self, terms: Iterable[str], core: bool = False) -> np.ndarray:
        """A mask of the candidates with at least one of the terms (among their sectors and offerings
        when `core`)."""
        mask = np.zeros(len(self.candidates), dtype=bool)
        index = self.by_core_term if core else self.by_term
        for term in terms:
            found = index.get(term)
            if found is not None:
                mask[found] = True
        return mask

    def with_prefix(self, prefix: str) -> np.ndarray:
        mask = np.zeros(len(self.candidates), dtype=bool)
        found = self.by_prefix.get(prefix)
        if found is not None:
            mask[found] = True
        return mask
