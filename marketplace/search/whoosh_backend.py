"""The embedded search backend: a Whoosh index on disk (whoosh-reloaded, pinned).

Whoosh has one writer at a time, which fits one app server plus the crawler; deployments
with several app servers use the PostgreSQL backend instead.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
from rapidfuzz import process
from whoosh import index
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.query import And, FuzzyTerm, Or, Prefix, Query, Term
from whoosh.searching import Searcher

from marketplace.search.documents import SearchDocument
from marketplace.search.facet_matrix import FacetMatrix
from matching import analysis

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


def term_query(term: str, known: bool) -> Query:
    """One query word: exact, a small typo when the word itself is unknown, what it also means
    (matching.analysis.query_alternatives), or a compound's parts."""
    alternatives: list[Query] = []
    for field in FIELDS:
        alternatives.append(Term(field, term))
        if not known and len(term) >= 5:
            alternatives.append(FuzzyTerm(field, term, maxdist=1, prefixlength=1))
    words, prefixes = analysis.query_expansions(term)
    alternatives += [Term(field, word) for word in words for field in FIELDS]
    alternatives += [Prefix(field, prefix) for prefix in prefixes for field in FIELDS]
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
        self._id_of_docnum = np.zeros(0, dtype=np.int64)
        self._local = threading.local()
        self._words: tuple[int, list[str]] | None = None

    def _index(self) -> index.Index:
        if index.exists_in(self.directory):
            return index.open_dir(self.directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        return index.create_in(self.directory, schema())

    def _searcher(self) -> Searcher:
        """This thread's searcher, reopened only when a writer committed a newer generation."""
        searcher = getattr(self._local, "searcher", None)
        try:
            # Every commit writes a new table of contents into the folder, which changes its
            # modification time: one stat() instead of listing and reading the folder per search.
            stamp = self.directory.stat().st_mtime_ns
        except FileNotFoundError:
            stamp = None
        if searcher is not None and stamp is not None and stamp == getattr(self._local, "stamp", None):
            return searcher
        self._local.stamp = stamp
        if searcher is None or not index.exists_in(self.directory):
            searcher = self._index().searcher()
        elif not searcher.up_to_date():
            # Not searcher.refresh(): it reuses segment readers whose deletions are stale, so a
            # replaced document would show twice.
            searcher.close()
            searcher = self._index().searcher()
        if searcher is not getattr(self._local, "searcher", None):
            # The table of contents' generation names this index state, also across segments.
            self._local.generation = searcher._ix.latest_generation()
        self._local.searcher = searcher
        return searcher

    @staticmethod
    def _fields(doc: SearchDocument) -> dict[str, object]:
        return {"id": str(doc.id), "name": doc.name, "text": doc.text, "document": json.dumps(vars(doc))}

    def rebuild(self, docs: list[SearchDocument]) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        ix = index.create_in(self.directory, schema())
        with ix.writer(limitmb=256) as writer:
            for doc in docs:
                writer.add_document(**self._fields(doc))
        # A new index starts its generations again: this thread's searcher and matrix are stale.
        self._local = threading.local()
        self._matrix = None

    def update(self, docs: list[SearchDocument], removed: list[int]) -> None:
        ix = self._index()
        with ix.searcher() as searcher:
            indexed = {term.decode() for term in searcher.reader().lexicon("id")}
        with ix.writer(timeout=30.0, limitmb=256) as writer:
            for organisation_id in removed:
                writer.delete_by_term("id", str(organisation_id))
            for doc in docs:
                # A new organisation needs no delete-by-id lookup first.
                (writer.update_document if str(doc.id) in indexed else writer.add_document)(
                    **self._fields(doc)
                )

    def matrix(self) -> FacetMatrix:
        searcher = self._searcher()
        generation = self._local.generation
        if self._matrix is None or self._matrix[0] != generation:
            reader = searcher.reader()
            docs = []
            id_of_docnum = np.full(reader.doc_count_all(), -1, dtype=np.int64)
            for docnum in reader.all_doc_ids():  # skips replaced documents (iter_docs does not)
                doc = SearchDocument.from_stored(json.loads(reader.stored_fields(docnum)["document"]))
                id_of_docnum[docnum] = doc.id
                docs.append(doc)
            self._id_of_docnum = id_of_docnum
            self._matrix = (generation, FacetMatrix(docs))
        return self._matrix[1]

    def match(self, text: str) -> tuple[list[int], list[float]]:
        terms = analysis.query_terms(text)
        if not terms:
            return [], []
        searcher = self._searcher()
        reader = searcher.reader()
        known = {term: any((field, term) in reader for field in FIELDS) for term in terms}
        query = And([term_query(term, known[term]) for term in terms])
        self.matrix()  # the docnum -> id map of this generation
        results = searcher.search(query, limit=None)
        scored = results.top_n  # (score, docnum): no stored fields are read
        docnums = np.array([docnum for _, docnum in scored], dtype=np.int64)
        return self._id_of_docnum[docnums].tolist(), [float(score) for score, _ in scored]

    def suggest(self, text: str) -> str | None:
        """The query with each unknown word replaced by the closest indexed word, if any is close."""
        return suggest_from(text, self._vocabulary())

    def _vocabulary(self) -> list[str]:
        """Every indexed word, read once per index generation (not per search without results)."""
        reader = self._searcher().reader()
        generation = self._local.generation
        cached = self._words
        if cached is None or cached[0] != generation:
            lexicon = set()
            for field in FIELDS:
                lexicon.update(t.decode() if isinstance(t, bytes) else t for t in reader.lexicon(field))
            cached = self._words = (generation, sorted(lexicon))
        return cached[1]


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
