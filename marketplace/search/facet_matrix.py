"""Filtering, facet counts, sorting and paging over all indexed documents, in numpy.

Both backends only answer "which documents match this text, how well"; everything else
happens here, so facets count the same way on Whoosh and PostgreSQL and stay fast at
50,000 organisations (one bincount per facet instead of a loop over documents).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from marketplace.search.documents import FACETS, SearchDocument
from matching.text import fold


@dataclass
class FacetColumn:
    values: list[str]  # value index -> value
    doc_positions: np.ndarray  # pair index -> document position
    value_indexes: np.ndarray  # pair index -> value index


_TOKENS = itertools.count(1)


class FacetMatrix:
    def __init__(self, docs: Iterable[SearchDocument]) -> None:
        self.token = next(_TOKENS)  # unique in this process: names one index state (id() can be reused)
        docs = sorted(docs, key=lambda d: d.id)
        self.ids = np.array([d.id for d in docs], dtype=np.int64)
        self.slugs = [d.slug for d in docs]
        self.names = [d.name for d in docs]
        self.cities = [d.city for d in docs]
        self.snippets = [d.snippet_source for d in docs]
        self.listed = np.array([d.listed for d in docs], dtype=bool)
        self.in_grace = np.array([d.in_grace for d in docs], dtype=bool)
        self.confirmed = np.array([d.last_confirmed for d in docs], dtype=np.int64)
        self.name_order = np.empty(len(docs), dtype=np.int64)
        self.name_order[np.argsort(np.array([fold(d.name) for d in docs], dtype=object), kind="stable")] = (
            np.arange(len(docs))
        )
        self.columns = {facet: self._column(docs, facet) for facet in FACETS}

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

    def __len__(self) -> int:
        return len(self.ids)

    def locate(self, ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the given ids, and which of the ids the matrix knows (same order as `ids`)."""
        wanted = np.array(ids, dtype=np.int64)
        positions = np.searchsorted(self.ids, wanted)
        found = positions < len(self.ids)
        found[found] = self.ids[positions[found]] == wanted[found]
        return positions[found], found

    def facet_mask(self, facet: str, selected: Iterable[str]) -> np.ndarray:
        """Documents with any of the selected values of one facet."""
        column = self.columns[facet]
        wanted = [column.values.index(v) for v in selected if v in column.values]
        mask = np.zeros(len(self.ids), dtype=bool)
        if wanted:
            hits = np.isin(column.value_indexes, wanted)
            mask[column.doc_positions[hits]] = True
        return mask

    def counts(self, facet: str, mask: np.ndarray) -> list[tuple[str, int]]:
        column = self.columns[facet]
        if not len(column.doc_positions):
            return []
        counted = np.bincount(column.value_indexes[mask[column.doc_positions]], minlength=len(column.values))
        found = [(column.values[i], int(n)) for i, n in enumerate(counted) if n]
        return sorted(found, key=lambda item: (-item[1], item[0]))

    def filter_mask(self, filters: Mapping[str, tuple[str, ...]], include_expired: bool) -> np.ndarray:
        """Documents that pass the facet filters (and are listed, unless expired ones are asked for)."""
        mask = np.ones(len(self.ids), dtype=bool) if include_expired else self.listed.copy()
        for facet, selected in filters.items():
            if facet in self.columns and selected:
                mask &= self.facet_mask(facet, selected)
        return mask

    def facet_counts(self, mask: np.ndarray) -> dict[str, list[tuple[str, int]]]:
        return {facet: self.counts(facet, mask) for facet in FACETS}

    def order(self, positions: np.ndarray, scores: np.ndarray, sort: str) -> np.ndarray:
        if sort == "name":
            return positions[np.argsort(self.name_order[positions], kind="stable")]
        if sort == "confirmed":
            return positions[np.lexsort((self.name_order[positions], -self.confirmed[positions]))]
        return positions[np.lexsort((self.name_order[positions], -scores))]
