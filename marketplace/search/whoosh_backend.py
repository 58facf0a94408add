"""The embedded search backend: a Whoosh index on disk (whoosh-reloaded, pinned).

Whoosh has one writer at a time, which fits one app server plus the crawler; deployments
with several app servers use the PostgreSQL backend instead.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from rapidfuzz import process
from whoosh import index
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.query import And, FuzzyTerm, Or, Query, Term

from marketplace.search import analysis
from marketplace.search.documents import SearchDocument
from marketplace.search.facet_matrix import FacetMatrix

FIELDS = ("name", "text")
NAME_BOOST = 3.0


class DutchTermsTokenizer(Tokenizer):
    """Yields the shared analysis's index terms, so Whoosh indexes exactly what PostgreSQL does."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,  # type: ignore[no-untyped-def]
                 start_pos=0, start_char=0, mode="", **kwargs):  # fmt: skip
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, term in enumerate(analysis.index_terms(value)):
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar = token.endchar = start_char
            yield token


def schema() -> Schema:
    analyzer = DutchTermsTokenizer()
    return Schema(
        id=ID(stored=True, unique=True),
        name=TEXT(analyzer=analyzer, field_boost=NAME_BOOST),
        text=TEXT(analyzer=analyzer),
        document=STORED(),
    )


def term_query(term: str) -> Query:
    """One query word: exact, a small typo, or (for a compound) all of its parts."""
    alternatives: list[Query] = []
    for field in FIELDS:
        alternatives.append(Term(field, term))
        if len(term) >= 5:
            alternatives.append(FuzzyTerm(field, term, maxdist=1, prefixlength=1))
    parts = analysis.compound_parts(term)
    if parts:
        alternatives.append(
            And([Or([Term(f, analysis.plural_to_singular(p)) for f in FIELDS]) for p in parts])
        )
    return Or(alternatives)


class WhooshBackend:
    name = "whoosh"

    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)
        self._matrix: tuple[int, FacetMatrix] | None = None

    def _index(self) -> index.Index:
        if index.exists_in(self.directory):
            return index.open_dir(self.directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        return index.create_in(self.directory, schema())

    @staticmethod
    def _fields(doc: SearchDocument) -> dict[str, object]:
        return {"id": str(doc.id), "name": doc.name, "text": doc.text, "document": json.dumps(asdict(doc))}

    def rebuild(self, docs: list[SearchDocument]) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        ix = index.create_in(self.directory, schema())
        with ix.writer(limitmb=256) as writer:
            for doc in docs:
                writer.add_document(**self._fields(doc))

    def update(self, docs: list[SearchDocument], removed: list[int]) -> None:
        ix = self._index()
        with ix.writer(timeout=30.0) as writer:
            for organisation_id in removed:
                writer.delete_by_term("id", str(organisation_id))
            for doc in docs:
                writer.update_document(**self._fields(doc))

    def matrix(self) -> FacetMatrix:
        ix = self._index()
        generation = ix.latest_generation()
        if self._matrix is None or self._matrix[0] != generation:
            with ix.searcher() as searcher:
                docs = [
                    SearchDocument(**json.loads(fields["document"]))
                    for fields in searcher.all_stored_fields()
                ]
            self._matrix = (generation, FacetMatrix(docs))
        return self._matrix[1]

    def match(self, text: str) -> tuple[list[int], list[float]]:
        terms = analysis.query_terms(text)
        if not terms:
            return [], []
        query = And([term_query(term) for term in terms])
        with self._index().searcher() as searcher:
            results = searcher.search(query, limit=None)
            return [int(hit["id"]) for hit in results], [float(hit.score) for hit in results]

    def suggest(self, text: str) -> str | None:
        """The query with each unknown word replaced by the closest indexed word, if any is close."""
        with self._index().searcher() as searcher:
            reader = searcher.reader()
            vocabulary = sorted(
                {
                    term.decode() if isinstance(term, bytes) else term
                    for f in FIELDS
                    for term in reader.lexicon(f)
                }
            )
        return suggest_from(text, vocabulary)


def suggest_from(text: str, vocabulary: list[str]) -> str | None:
    known = set(vocabulary)
    changed = False
    words = []
    for word in analysis.words(text):
        if analysis.plural_to_singular(word) in known:
            words.append(word)
            continue
        best = process.extractOne(word, vocabulary, score_cutoff=75)
        if best is None:
            return None
        words.append(best[0])
        changed = True
    return " ".join(words) if changed else None
