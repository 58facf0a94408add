"""Entity resolution: which register records are one enterprise, with reasons.

`resolve` is deterministic: the same records, previous assignment and overrides give the
same result. With a previous assignment it is incremental: only records marked dirty (new,
changed, or named in an override) are compared and placed again; every other record keeps
its entity, so profile URLs, claims and owners' edits stay attached.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from matching.places import PlaceResolver
from matching.resolution.blocking import candidate_pairs
from matching.resolution.clustering import ConstrainedUnionFind
from matching.resolution.features import Features, features_of, record_id
from matching.resolution.scoring import PairDecision, score_pair


@dataclass(frozen=True)
class Override:
    """A coordinator's decision on two records: "merge" (same enterprise) or "split" (different)."""

    left: str
    right: str
    decision: str


@dataclass
class Resolution:
    entity_of: dict[str, str]  # record id -> entity id (a previous id, or a new "E…" id)
    new_entities: set[str] = field(default_factory=set)
    merged: list[PairDecision] = field(default_factory=list)
    review: list[PairDecision] = field(default_factory=list)
    decisions: list[PairDecision] = field(default_factory=list)


def new_entity_id(member_ids: Iterable[str]) -> str:
    """A stable id for an entity nobody had before, derived from its first record."""
    return "E" + hashlib.sha1(min(member_ids).encode()).hexdigest()[:12]


def resolve(
    records: Iterable[Mapping[str, Any]],
    previous: Mapping[str, str] | None = None,
    dirty: Iterable[str] | None = None,
    overrides: Iterable[Override] = (),
    places: PlaceResolver | None = None,
) -> Resolution:
    places = places or PlaceResolver()
    features = sorted((features_of(record, places) for record in records), key=lambda f: f.rid)
    index_of = {item.rid: index for index, item in enumerate(features)}
    overrides = [o for o in overrides if o.left in index_of and o.right in index_of]
    previous = dict(previous or {})

    dirty_index: set[int] | None = None
    if previous:
        dirty_ids = set(dirty or ()) | {rid for rid in index_of if rid not in previous}
        dirty_ids |= _violated_override_records(overrides, previous)
        dirty_index = {index_of[rid] for rid in dirty_ids if rid in index_of}

    cannot = [(index_of[o.left], index_of[o.right]) for o in overrides if o.decision == "split"]
    groups = ConstrainedUnionFind(features, cannot)
    if dirty_index is not None:
        _keep_previous_groups(groups, features, previous, dirty_index)
    for override in overrides:
        if override.decision == "merge":
            groups.union(index_of[override.left], index_of[override.right], force=True)

    decisions = [
        score_pair(features[i], features[j]) for i, j in sorted(candidate_pairs(features, dirty_index))
    ]
    decisions.sort(key=lambda d: (-d.score, d.left, d.right))
    resolution = Resolution(entity_of={}, decisions=decisions)
    for decision in decisions:
        if decision.band == "merge":
            if groups.union(index_of[decision.left], index_of[decision.right]):
                resolution.merged.append(decision)
            else:
                resolution.review.append(decision)
        elif decision.band == "review":
            resolution.review.append(decision)
    resolution.review = [
        d for d in resolution.review if groups.find(index_of[d.left]) != groups.find(index_of[d.right])
    ]
    _assign_ids(resolution, groups, features, previous)
    return resolution


def _violated_override_records(overrides: list[Override], previous: Mapping[str, str]) -> set[str]:
    violated: set[str] = set()
    for override in overrides:
        same = previous.get(override.left) is not None and previous.get(override.left) == previous.get(
            override.right
        )
        if (override.decision == "merge") != same:
            violated |= {override.left, override.right}
    return violated


def _keep_previous_groups(
    groups: ConstrainedUnionFind, features: list[Features], previous: Mapping[str, str], dirty: set[int]
) -> None:
    first_of_entity: dict[str, int] = {}
    for index, item in enumerate(features):
        if index in dirty or item.rid not in previous:
            continue
        entity = previous[item.rid]
        if entity in first_of_entity:
            groups.union(first_of_entity[entity], index, force=True)
        else:
            first_of_entity[entity] = index


def _assign_ids(
    resolution: Resolution,
    groups: ConstrainedUnionFind,
    features: list[Features],
    previous: Mapping[str, str],
) -> None:
    """Each group keeps the previous id most of its records had; a split-off part gets a new id."""
    members = [[features[index].rid for index in group] for group in groups.groups()]
    members.sort(key=lambda rids: (-len(rids), min(rids)))
    taken: set[str] = set()
    for rids in members:
        votes = Counter(previous[rid] for rid in rids if rid in previous and previous[rid] not in taken)
        if votes:
            entity = min(votes, key=lambda e: (-votes[e], _id_order(e)))
        else:
            entity = new_entity_id(rids)
            resolution.new_entities.add(entity)
        taken.add(entity)
        for rid in rids:
            resolution.entity_of[rid] = entity


def _id_order(entity: str) -> tuple[int, str]:
    """Older ids first: numeric ids (organisation ids) by value, then others as text."""
    return (int(entity), "") if entity.isdigit() else (10**18, entity)


__all__ = ["Override", "PairDecision", "Resolution", "record_id", "resolve"]
