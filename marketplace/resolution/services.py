"""Keep organisations in line with entity resolution (matching.resolution.resolve).

After a crawl, new and changed register records are resolved against all others; labels
move between organisations only where the evidence or a coordinator says so. Unsure pairs
land in the review queue of the coordinators of either record's region.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from marketplace.core.extensions import db
from marketplace.organisations import services as organisations
from marketplace.organisations.models import Label, Organisation
from marketplace.resolution.models import ResolutionOverride, ResolutionReview
from matching.resolution.features import record_id
from matching.resolution.resolve import Override, resolve


def label_record_id(label: Label) -> str:
    return record_id(label.register, label.record_key)


def stored_overrides() -> list[Override]:
    return [
        Override(o.left_record, o.right_record, o.decision)
        for o in db.session.scalars(select(ResolutionOverride))
    ]


def _pairs(statement: Select[tuple[str, str]]) -> set[tuple[str, str]]:
    return {(left, right) for left, right in db.session.execute(statement)}


@dataclass
class RelinkOutcome:
    touched: dict[int, Organisation] = field(default_factory=dict)
    moved: int = 0
    merged_away: int = 0
    new_reviews: int = 0


class Relinker:
    """Places labels in organisations according to the resolver, inside the caller's transaction."""

    def __init__(self, places: organisations.MunicipalityLookup | None = None) -> None:
        self.places = places or organisations.MunicipalityLookup()
        self.labels = {
            label_record_id(label): label
            for label in db.session.scalars(select(Label).options(selectinload(Label.organisation)))
        }
        self.slugs = organisations.SlugAllocator()

    def relink(self, pending: Iterable[Label] = (), dirty: Iterable[str] = ()) -> RelinkOutcome:
        """Attach `pending` (new, organisation-less) labels and re-place the `dirty` record ids."""
        pending_by_id = {label_record_id(label): label for label in pending}
        everything = {**self.labels, **pending_by_id}
        previous = {rid: str(label.organisation_id) for rid, label in self.labels.items()}
        result = resolve(
            (label.register_data for label in everything.values()),
            previous=previous or None,
            dirty=set(dirty) | set(pending_by_id),
            overrides=stored_overrides(),
            places=self.places.resolver,
        )
        outcome = RelinkOutcome()
        targets = self._organisations_for(result.entity_of, everything)
        losers: dict[int, Counter[int]] = {}
        for rid, entity in result.entity_of.items():
            label = everything[rid]
            target = targets[entity]
            current = label.organisation if rid not in pending_by_id else None
            if current is target:
                continue
            if current is not None:
                outcome.moved += 1
                outcome.touched[id(current)] = current
                losers.setdefault(id(current), Counter())[id(target)] += 1
            label.organisation = target
            if rid in pending_by_id:
                db.session.add(label)
            outcome.touched[id(target)] = target
        by_python_id = {id(org): org for org in targets.values()} | outcome.touched
        for loser_id, receivers in losers.items():
            loser = by_python_id[loser_id]
            if not loser.labels:
                loser.merged_into = by_python_id[receivers.most_common(1)[0][0]]
                outcome.merged_away += 1
        self.labels = everything
        outcome.new_reviews = self._record_reviews(result.review, result.entity_of, everything)
        for organisation in outcome.touched.values():
            if organisation.labels:
                organisation.merged_into = None
                organisations.refresh_register_fields(organisation, self.places)
        return outcome

    def _organisations_for(
        self, entity_of: dict[str, str], labels: dict[str, Label]
    ) -> dict[str, Organisation]:
        existing_ids = {int(entity) for entity in entity_of.values() if entity.isdigit()}
        found = {
            str(org.id): org
            for org in db.session.scalars(select(Organisation).where(Organisation.id.in_(existing_ids)))
        }
        members_of: dict[str, list[Label]] = {}
        for rid, entity in entity_of.items():
            if entity not in found:
                members_of.setdefault(entity, []).append(labels[rid])
        for entity in sorted(members_of):
            preferred = min(
                members_of[entity],
                key=lambda label: (organisations.REGISTER_PRECEDENCE[label.register], label.record_key),
            )
            data = preferred.register_data
            organisation = Organisation(
                name=data["name"], slug=self.slugs.allocate(data["name"], data.get("city")), sectors=[]
            )
            db.session.add(organisation)
            found[entity] = organisation
        return found

    def _record_reviews(self, pairs: list, entity_of: dict[str, str], labels: dict[str, Label]) -> int:
        """Open a review for each unsure pair not yet decided; close reviews the evidence settled."""
        open_reviews = {
            (r.left_record, r.right_record): r
            for r in db.session.scalars(select(ResolutionReview).where(ResolutionReview.status == "open"))
        }
        known = _pairs(select(ResolutionReview.left_record, ResolutionReview.right_record))
        decided = _pairs(select(ResolutionOverride.left_record, ResolutionOverride.right_record))
        created = 0
        for pair in pairs:
            key = (pair.left, pair.right)
            if key in known or key in decided:
                continue
            db.session.add(
                ResolutionReview(
                    left_record=pair.left,
                    right_record=pair.right,
                    score=pair.score,
                    reasons=[reason.to_json() for reason in pair.reasons],
                    left_region_id=self._region_id(labels[pair.left]),
                    right_region_id=self._region_id(labels[pair.right]),
                )
            )
            created += 1
        for (left, right), review in open_reviews.items():
            if entity_of.get(left) is not None and entity_of.get(left) == entity_of.get(right):
                review.status = "obsolete"
        return created

    def _region_id(self, label: Label) -> int | None:
        municipality = self.places.find((label.register_data or {}).get("city"))
        return municipality.region_id if municipality else None
