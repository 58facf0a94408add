"""Filtering, facet counts, sorting and paging over all indexed documents, in numpy.

Both backends only answer "which documents match this text, how well"; everything else
happens here, so facets count the same way on Whoosh and PostgreSQL and stay fast at
50,000 organisations (one bincount per facet instead of a loop over documents).

Which labels list their organisation is decided per request from the labels' stored dates
(the vector form of matching.labels.state_on), so a certificate that ran out yesterday is
out of today's results, counts and exports without a reindex.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np

from marketplace.search.documents import FACETS, LABEL_FACETS, SearchDocument
from matching.labels import label_order
from matching.text import fold

STATE_CODES = {"active": 0, "applied": 1, "grace": 2, "expired": 3}
NO_DATE = np.iinfo(np.int64).max  # a label without a valid-until date never runs out
EPOCH = date(1970, 1, 1)


def day_number(value: str | date | None, missing: int) -> int:
    if value is None:
        return missing
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return (day - EPOCH).days


@dataclass
class FacetColumn:
    values: list[str]  # value index -> value
    owner_positions: np.ndarray  # pair index -> document position (label position for label facets)
    value_indexes: np.ndarray  # pair index -> value index


class Pairs:
    """The (document, value) pairs of one facet, indexed both ways: by document, to count values
    over a few matched documents, and by value, to filter. The work follows the size of what is
    asked for, not the size of the index."""

    def __init__(self, positions: np.ndarray, indexes: np.ndarray, documents: int, values: int) -> None:
        by_document = np.argsort(positions, kind="stable")
        self.positions, self.indexes = positions[by_document], indexes[by_document]
        self.document_starts = np.searchsorted(self.positions, np.arange(documents + 1))
        by_value = np.argsort(indexes, kind="stable")
        self.value_positions = positions[by_value]
        self.value_starts = np.searchsorted(indexes[by_value], np.arange(values + 1))
        self.values = values

    def documents_with(self, wanted: list[int]) -> np.ndarray:
        parts = [self.value_positions[self.value_starts[v] : self.value_starts[v + 1]] for v in wanted]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def selected(self, mask: np.ndarray) -> np.ndarray:
        """The pair indexes of the masked documents."""
        documents = np.flatnonzero(mask)
        if len(documents) * 4 > len(mask):  # most documents: one pass over all pairs is cheaper
            return np.flatnonzero(mask[self.positions])
        starts = self.document_starts[documents]
        lengths = self.document_starts[documents + 1] - starts
        total = int(lengths.sum())
        return np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)

    def counts(self, mask: np.ndarray) -> np.ndarray:
        return np.bincount(self.indexes[self.selected(mask)], minlength=self.values)


class FacetGroup:
    """Several facets' pairs in one Pairs, each facet's value indexes shifted past the previous
    ones', so counting every facet over a mask is one pass instead of one per facet (with a few
    matched documents the per-call cost of numpy, not the data, is what counts)."""

    def __init__(self, parts: Mapping[str, Pairs], documents: int) -> None:
        self.slices: dict[str, slice] = {}
        positions, indexes, start = [], [], 0
        for facet, pairs in parts.items():
            self.slices[facet] = slice(start, start + pairs.values)
            positions.append(pairs.positions)
            indexes.append(pairs.indexes + start)
            start += pairs.values
        joined_positions = np.concatenate(positions) if positions else np.zeros(0, dtype=np.int64)
        joined_indexes = np.concatenate(indexes) if indexes else np.zeros(0, dtype=np.int64)
        self.pairs = Pairs(joined_positions, joined_indexes, documents, start)

    def counts(self, mask: np.ndarray) -> dict[str, np.ndarray]:
        counted = self.pairs.counts(mask)
        return {facet: counted[part] for facet, part in self.slices.items()}


@dataclass(frozen=True)
class LabelDay:
    """Which labels list on one day, and what follows for the documents."""

    live: np.ndarray  # per label
    listed: np.ndarray  # per document
    in_grace: np.ndarray  # per document
    # Per label facet: (document position, value index) of the labels that list, each pair once.
    pairs: dict[str, Pairs]
    counted_together: FacetGroup  # the same pairs, for counting all label facets at once


_TOKENS = itertools.count(1)


def natural_order(facet: str, counts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Facet values as people look for them: labels in ladder order, CPV by code, names A-Z."""
    if facet in ("register", "label"):
        return sorted(counts, key=lambda item: label_order(item[0]))
    if facet == "cpv":
        return sorted(counts)
    return sorted(counts, key=lambda item: fold(item[0]).lstrip("'"))


class FacetMatrix:
    def __init__(self, docs: Iterable[SearchDocument]) -> None:
        self.token = next(_TOKENS)  # unique in this process: names one index state (id() can be reused)
        docs = sorted(docs, key=lambda d: d.id)
        self.ids = np.array([d.id for d in docs], dtype=np.int64)
        self.slugs = [d.slug for d in docs]
        self.names = [d.name for d in docs]
        self.cities = [d.city for d in docs]
        self.snippets = [d.snippet_source for d in docs]
        self.confirmed = np.array([d.last_confirmed for d in docs], dtype=np.int64)
        self.name_order = np.empty(len(docs), dtype=np.int64)
        self.name_order[np.argsort(np.array([fold(d.name) for d in docs], dtype=object), kind="stable")] = (
            np.arange(len(docs))
        )
        labels = [(position, label) for position, doc in enumerate(docs) for label in doc.labels]
        self.label_doc = np.array([position for position, _ in labels], dtype=np.int64)
        self.label_state = np.array([STATE_CODES[label["state"]] for _, label in labels], dtype=np.int8)
        self.label_until = np.array(
            [day_number(label["valid_until"], NO_DATE) for _, label in labels], dtype=np.int64
        )
        self.label_grace_since = np.array(
            [day_number(label["grace_since"], NO_DATE) for _, label in labels], dtype=np.int64
        )
        self.labels = [label for _, label in labels]
        self.doc_labels: list[list[int]] = [[] for _ in docs]
        for label_position, (position, _label) in enumerate(labels):
            self.doc_labels[position].append(label_position)
        self.columns = {facet: self._column(docs, facet) for facet in FACETS if facet not in LABEL_FACETS}
        self.columns.update({facet: self._label_column(facet) for facet in LABEL_FACETS})
        self.pairs = {
            facet: Pairs(column.owner_positions, column.value_indexes, len(self.ids), len(column.values))
            for facet, column in self.columns.items()
            if facet not in LABEL_FACETS
        }
        self.counted_together = FacetGroup(self.pairs, len(self.ids))
        self._days: dict[tuple[date, int], LabelDay] = {}

    @staticmethod
    def _column(docs: list[SearchDocument], facet: str) -> FacetColumn:
        values: dict[str, int] = {}
        positions: list[int] = []
        indexes: list[int] = []
        for position, doc in enumerate(docs):
            for value in doc.facets.get(facet, ()):
                positions.append(position)
                indexes.append(values.setdefault(value, len(values)))
        return FacetColumn(
            list(values), np.array(positions, dtype=np.int64), np.array(indexes, dtype=np.int64)
        )

    def _label_column(self, facet: str) -> FacetColumn:
        values: dict[str, int] = {}
        positions: list[int] = []
        indexes: list[int] = []
        for position, label in enumerate(self.labels):
            for value in label["values"].get(facet, ()):
                positions.append(position)
                indexes.append(values.setdefault(value, len(values)))
        return FacetColumn(
            list(values), np.array(positions, dtype=np.int64), np.array(indexes, dtype=np.int64)
        )

    def __len__(self) -> int:
        return len(self.ids)

    def on(self, day: date, grace_days: int) -> LabelDay:
        """The labels that list on `day` (cached per day: the answer changes only at midnight)."""
        key = (day, grace_days)
        found = self._days.get(key)
        if found is None:
            today = day_number(day, 0)
            state = self.label_state
            grace = state == STATE_CODES["grace"]
            grace_over = grace & (self.label_grace_since <= today - grace_days)
            live = ((state == STATE_CODES["active"]) | grace) & (self.label_until >= today) & ~grace_over
            listed = np.bincount(self.label_doc[live], minlength=len(self.ids)) > 0
            in_grace = np.bincount(self.label_doc[live & grace], minlength=len(self.ids)) > 0
            pairs = {}
            for facet in LABEL_FACETS:
                column = self.columns[facet]
                keep = live[column.owner_positions]
                positions, indexes = self.label_doc[column.owner_positions[keep]], column.value_indexes[keep]
                # Two certificates of one register count their organisation once.
                width = max(len(column.values), 1)
                unique = np.unique(positions * width + indexes)
                pairs[facet] = Pairs(unique // width, unique % width, len(self.ids), len(column.values))
            found = LabelDay(live, listed, in_grace, pairs, FacetGroup(pairs, len(self.ids)))
            self._days = {key: found}
        return found

    def label_values(self, position: int, day: LabelDay) -> list[str]:
        """The label values ("pso:Trede 2", "pso:30+") of one document that list on the day."""
        values = [
            value
            for label_position in self.doc_labels[position]
            if day.live[label_position]
            for value in self.labels[label_position]["values"]["label"]
        ]
        return sorted(dict.fromkeys(values), key=label_order)

    def locate(self, ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the given ids, and which of the ids the matrix knows (same order as `ids`)."""
        wanted = np.array(ids, dtype=np.int64)
        positions = np.searchsorted(self.ids, wanted)
        found = positions < len(self.ids)
        found[found] = self.ids[positions[found]] == wanted[found]
        return positions[found], found

    def _pairs(self, facet: str, day: LabelDay) -> Pairs:
        """A facet's (document, value) pairs; label facets keep only the labels that list on the day."""
        return day.pairs[facet] if facet in LABEL_FACETS else self.pairs[facet]

    def facet_mask(self, facet: str, selected: Iterable[str], day: LabelDay) -> np.ndarray:
        """Documents with any of the selected values of one facet."""
        column = self.columns[facet]
        wanted = [column.values.index(value) for value in selected if value in column.values]
        mask = np.zeros(len(self.ids), dtype=bool)
        mask[self._pairs(facet, day).documents_with(wanted)] = True
        return mask

    def at_least_counts(self, facet: str, ladder: list[str], mask: np.ndarray, day: LabelDay) -> list[int]:
        """For each step of a ladder of values ("pso:Aspirant" ... "pso:Trede 3"), how many masked
        documents hold that step or a higher one: one pass over the pairs, not one per step."""
        column = self.columns[facet]
        step_of_value = np.full(len(column.values) + 1, -1, dtype=np.int64)
        for step, value in enumerate(ladder):
            if value in column.values:
                step_of_value[column.values.index(value)] = step
        pairs = self._pairs(facet, day)
        chosen = pairs.selected(mask)
        positions, steps = pairs.positions[chosen], step_of_value[pairs.indexes[chosen]]
        keep = steps >= 0
        highest = np.full(len(self.ids), -1, dtype=np.int64)
        np.maximum.at(highest, positions[keep], steps[keep])
        held = np.bincount(highest[highest >= 0], minlength=len(ladder))
        return [int(n) for n in np.cumsum(held[::-1])[::-1]]

    def _listed(self, facet: str, counted: np.ndarray) -> list[tuple[str, int]]:
        values = self.columns[facet].values
        found = [(values[i], int(counted[i])) for i in np.flatnonzero(counted)]
        return sorted(found, key=lambda item: (-item[1], item[0]))

    def filter_mask(
        self, filters: Mapping[str, tuple[str, ...]], include_expired: bool, day: LabelDay
    ) -> np.ndarray:
        """Documents that pass the facet filters (and are listed, unless expired ones are asked for)."""
        mask = np.ones(len(self.ids), dtype=bool) if include_expired else day.listed.copy()
        for facet, selected in filters.items():
            if facet in self.columns and selected:
                mask &= self.facet_mask(facet, selected, day)
        return mask

    def facet_counts(self, mask: np.ndarray, day: LabelDay) -> dict[str, list[tuple[str, int]]]:
        """Per facet, its values over the masked documents with their counts, most frequent first."""
        counted = {**self.counted_together.counts(mask), **day.counted_together.counts(mask)}
        return {facet: self._listed(facet, counted[facet]) for facet in FACETS}

    def order(self, positions: np.ndarray, scores: np.ndarray, sort: str) -> np.ndarray:
        if sort == "name":
            return positions[np.argsort(self.name_order[positions], kind="stable")]
        if sort == "confirmed":
            return positions[np.lexsort((self.name_order[positions], -self.confirmed[positions]))]
        return positions[np.lexsort((self.name_order[positions], -scores))]
