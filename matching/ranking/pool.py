"""The candidates to rank, laid out once as arrays so that one need is scored for all of them
at once (numpy), and only the suppliers shown are explained part by part in Python.

Built when the listing changes (the marketplace keeps the pool until then): the evidence index
(evidence.TextIndex), CPV prefixes (2, 3 and 4 digits) to candidates, places as numbers (each
distinct place once: a need's kilometres are computed per place, then spread over the
candidates), and the distinct label sets. Per rule set version and day, each distinct label set's
counting label with its share and dates is worked out once (it does not depend on the need's
words, so every obligation under the same rules reuses it), and per place of work the distance
points, so a need costs its text look-up and a few array sums.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
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
EARTH_KM = 6371.0
PREFIXES = (2, 3, 4, 5)  # CPV division, group, class and category
KEPT_PLACES = 512  # per pool: the distance arrays of this many places of work are remembered
KEPT_COUNTINGS = 256  # per pool: countings per rule set, day and region lists remembered


def day_number(day: date) -> int:
    return day.toordinal()


def _no_pause() -> None:
    return None


class Counting:
    """Per candidate: the label under which a purchase counts most on the day, and its facts as
    arrays. Worked out once per distinct set of labels (`groups`), then spread over the candidates
    through `group_of`."""

    def __init__(
        self,
        groups: list[tuple[LabelFacts | None, Decimal]],
        group_of: np.ndarray,
        day: date,
        grace_days: int,
    ) -> None:
        self.groups = groups
        self.group_of = group_of
        has_label = np.array([label is not None for label, _ in groups], dtype=bool)
        shares = np.array([float(share) for _, share in groups], dtype=np.float64)
        until = np.array(
            [
                day_number(label.valid_until) if label is not None and label.valid_until else NO_END
                for label, _ in groups
            ],
            dtype=np.int64,
        )
        in_grace = np.array(
            [label is not None and state_on(label, day, grace_days) == "grace" for label, _ in groups],
            dtype=bool,
        )
        self.has_label = has_label[group_of]
        shares = shares[group_of]
        self.unknown = shares < 0  # the rule set does not say what this label counts: shown as unknown
        self.share = np.maximum(shares, 0.0)
        self.until = until[group_of]
        self.in_grace = in_grace[group_of]
        self.points: dict[tuple[Any, ...], tuple[np.ndarray, np.ndarray]] = {}  # counts and validity

    def label(self, index: int) -> tuple[LabelFacts | None, Decimal]:
        """The counting label of the candidate at `index` and its share."""
        return self.groups[int(self.group_of[index])]


class CandidatePool:
    def __init__(self, candidates: Iterable[Candidate], pause: Callable[[], None] | None = None) -> None:
        """`pause` is called now and then while building: a caller that builds in the background
        can let requests go first there (the build holds Python's interpreter lock otherwise)."""
        pause = pause or _no_pause
        self.candidates: list[Candidate] = list(candidates)
        size = len(self.candidates)
        self.ids = np.array([c.organisation_id for c in self.candidates], dtype=np.int64)
        self.open_matches = np.array([c.open_matches for c in self.candidates], dtype=np.int64)
        self.index_of = {c.organisation_id: index for index, c in enumerate(self.candidates)}
        by_prefix: dict[str, list[int]] = defaultdict(list)
        label_sets: dict[tuple[LabelFacts, ...], int] = {}
        group_of = np.zeros(size, dtype=np.int64)
        for index, candidate in enumerate(self.candidates):
            codes = candidate.cpv_codes
            for prefix in {code[:digits] for code in codes for digits in PREFIXES if len(code) >= digits}:
                by_prefix[prefix].append(index)
            group_of[index] = label_sets.setdefault(candidate.labels, len(label_sets))
        self.by_prefix = {prefix: np.array(found, dtype=np.int64) for prefix, found in by_prefix.items()}
        self.label_sets = list(label_sets)
        self.label_group = group_of
        pause()
        order = sorted(range(size), key=lambda i: (self.candidates[i].sort_name, self.ids[i]))
        self.name_rank = np.empty(size, dtype=np.int64)
        self.name_rank[order] = np.arange(size)
        self.place_codes: list[dict[str, int]] = [{}, {}, {}]
        self.places = np.zeros((3, size), dtype=np.int64)
        spots: dict[tuple[str | None, str | None], int] = {}
        spot_of = np.zeros(size, dtype=np.int64)
        for index, candidate in enumerate(self.candidates):
            for level, name in enumerate(candidate.places):
                if name:
                    self.places[level, index] = self.place_codes[level].setdefault(
                        name, len(self.place_codes[level]) + 1
                    )
            spot_of[index] = spots.setdefault((candidate.municipality, candidate.region), len(spots))
        pause()
        self.counting: dict[tuple[Any, ...], Counting] = {}
        self.text = TextIndex([candidate.fields() for candidate in self.candidates], pause)
        at = [position(municipality, region) for municipality, region in spots]
        self.spot_of = spot_of
        self.spot_known = np.array([p is not None for p in at], dtype=bool)
        self.spot_latitude = np.radians(np.array([p[0] if p else 0.0 for p in at]))
        self.spot_longitude = np.radians(np.array([p[1] if p else 0.0 for p in at]))
        self.distances: dict[tuple[Any, ...], Any] = {}

    def kilometres_from(self, point: tuple[float, float]) -> np.ndarray:
        """Every candidate's distance from a point, in km (haversine); NaN where its place is unknown.
        Computed once per distinct place of the candidates, then spread over them."""
        lat, lon = np.radians(point[0]), np.radians(point[1])
        h = (
            np.sin((self.spot_latitude - lat) / 2) ** 2
            + np.cos(lat) * np.cos(self.spot_latitude) * np.sin((self.spot_longitude - lon) / 2) ** 2
        )
        km = np.where(self.spot_known, 2 * EARTH_KM * np.arcsin(np.sqrt(h)), np.nan)
        return km[self.spot_of] if len(km) else np.zeros(0)

    def remembered(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        """A need-independent array (distance points per place of work), made once per key."""
        found = self.distances.get(key)
        if found is None:
            if len(self.distances) >= KEPT_PLACES:
                self.distances.clear()
            found = self.distances[key] = make()
        return found

    def __len__(self) -> int:
        return len(self.candidates)

    def counting_for(self, need: Need, day: date, grace_days: int) -> Counting:
        """Every candidate's counting label under the need's rules on `day`; a candidate on the
        need's region's own lists (`need.region_labels`) holds those labels beside its register's."""
        rules = need.rules
        key = ((rules.id, rules.version, rules.name) if rules else None, day, grace_days, need.region_labels)
        found = self.counting.get(key)
        if found is None:
            label_sets = list(self.label_sets)
            group_of = self.label_group
            if need.region_labels:
                group_of = group_of.copy()
                known = {labels: group for group, labels in enumerate(label_sets)}
                for organisation_id, extra in need.region_labels:
                    index = self.index_of.get(organisation_id)
                    if index is None:
                        continue
                    labels = (*self.candidates[index].labels, *extra)
                    if labels not in known:
                        known[labels] = len(label_sets)
                        label_sets.append(labels)
                    group_of[index] = known[labels]
            groups = [counting_label(labels, need, day, grace_days) for labels in label_sets]
            found = Counting(groups, group_of, day, grace_days)
            if len(self.counting) >= KEPT_COUNTINGS:
                self.counting.clear()
            self.counting[key] = found
        return found

    def with_prefix(self, prefix: str) -> np.ndarray:
        mask = np.zeros(len(self.candidates), dtype=bool)
        found = self.by_prefix.get(prefix)
        if found is not None:
            mask[found] = True
        return mask
