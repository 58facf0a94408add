"""Candidate pairs: only records that share a KvK number, a website domain, or a municipality
with a similar name are ever compared, which keeps resolution close to linear.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

import numpy as np
from rapidfuzz import fuzz, process

from matching.resolution.features import Features

# A pair found by name alone (no shared KvK number or domain) needs at least this similarity
# to reach review or merge at all (see matching.resolution.scoring), so lower scores are not candidates.
NAME_CUTOFF = 85
MAX_BLOCK = 2500  # larger municipality blocks are split by the first letter of the name


def _groups(features: Iterable[Features]) -> tuple[dict[str, list[int]], ...]:
    by_kvk: dict[str, list[int]] = defaultdict(list)
    by_domain: dict[str, list[int]] = defaultdict(list)
    by_place: dict[str, list[int]] = defaultdict(list)
    by_core_without_place: dict[str, list[int]] = defaultdict(list)
    by_core: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(features):
        for number in item.kvk:
            by_kvk[number].append(index)
        if item.domain:
            by_domain[item.domain].append(index)
        if item.place:
            by_place[item.place].append(index)
        else:
            by_core_without_place[item.core].append(index)
        by_core[item.core].append(index)
    # A record without a place is compared with every record of exactly the same core name.
    for core, members in by_core_without_place.items():
        by_core_without_place[core] = sorted(set(members) | set(by_core[core]))
    return by_kvk, by_domain, by_place, by_core_without_place


def _all_pairs(members: list[int]) -> Iterator[tuple[int, int]]:
    for position, left in enumerate(members):
        for right in members[position + 1 :]:
            yield left, right


def _similar_name_pairs(features: list[Features], members: list[int]) -> Iterator[tuple[int, int]]:
    if len(members) > MAX_BLOCK:
        by_letter: dict[str, list[int]] = defaultdict(list)
        for index in members:
            by_letter[features[index].core[:1]].append(index)
        for part in by_letter.values():
            yield from _similar_name_pairs(features, part)
        return
    names = [features[index].core for index in members]
    matrix = process.cdist(
        names, names, scorer=fuzz.token_sort_ratio, score_cutoff=NAME_CUTOFF, dtype=np.uint8, workers=1
    )
    lefts, rights = np.nonzero(np.triu(matrix, k=1))
    for left, right in zip(lefts.tolist(), rights.tolist(), strict=True):
        yield members[left], members[right]


def candidate_pairs(features: list[Features], dirty: set[int] | None = None) -> set[tuple[int, int]]:
    """Index pairs (i < j) worth scoring; with `dirty`, only pairs that touch a dirty record."""
    by_kvk, by_domain, by_place, by_core_without_place = _groups(features)
    pairs: set[tuple[int, int]] = set()

    def keep(left: int, right: int) -> None:
        if dirty is None or left in dirty or right in dirty:
            pairs.add((left, right) if left < right else (right, left))

    for block in (*by_kvk.values(), *by_domain.values(), *by_core_without_place.values()):
        if len(block) > 1 and (dirty is None or dirty.intersection(block)):
            for left, right in _all_pairs(block):
                keep(left, right)
    for block in by_place.values():
        if len(block) > 1 and (dirty is None or dirty.intersection(block)):
            for left, right in _similar_name_pairs(features, block):
                keep(left, right)
    return pairs
