"""The PostgreSQL backend: full-text search in the database, for several app servers.

Terms come from the same Python analysis as the Whoosh backend and are stored as a
weighted tsvector (name A, the rest B) with a GIN index. pg_trgm finds indexed words close
to a mistyped query word; unaccent folds the visitor's words for suggestions.
"""

from __future__ import annotations

import contextlib
import json
import re
import time

from rapidfuzz.distance import Levenshtein
from sqlalchemy import delete, func, select, text

from marketplace.core.database import utcnow
from marketplace.core.extensions import db
from marketplace.search.documents import SearchDocument
from marketplace.search.facet_matrix import FacetMatrix
from marketplace.search.generation_watch import GenerationWatch, watch_for
from marketplace.search.models import SearchDocumentRow, SearchVocabulary
from matching import analysis

TYPO_SIMILARITY = 0.3
GENERATION_TTL = 1.0  # without Redis: seconds between checks whether another server changed the index
UPSERT = text(
    "INSERT INTO search_documents (organisation_id, terms, document, indexed_at) VALUES (:id, "
    "setweight(to_tsvector('simple', :name_terms), 'A') || "
    "setweight(to_tsvector('simple', :text_terms), 'B'), "
    "CAST(:document AS jsonb), :now) ON CONFLICT (organisation_id) DO UPDATE SET terms = excluded.terms, "
    "document = excluded.document, indexed_at = excluded.indexed_at"
)
ADD_WORD = text("INSERT INTO search_vocabulary (term) VALUES (:term) ON CONFLICT DO NOTHING")
_LEXEME = re.compile(r"^[a-z0-9]+$")


def _lexeme(term: str) -> str:
    return term if _LEXEME.match(term) else "'" + term.replace("'", "''") + "'"


class PostgresBackend:
    name = "postgresql"

    def __init__(self, redis_url: str | None = None) -> None:
        self._matrix: tuple[object, FacetMatrix] | None = None
        self._checked_at = 0.0
        # With Redis, every app server learns of another's index change before its next request
        # (generation_watch), so a cached page is never served for an older index; without it,
        # within a second.
        self._watch: GenerationWatch | None = watch_for(redis_url) if redis_url else None
        self._announced: bytes | None = None

    def _announced_generation(self) -> bytes | None:
        """The announced index generation (b"0" before any), or None without (reachable) Redis."""
        return self._watch.current() if self._watch is not None else None

    def announce(self) -> None:
        """Tell the other app servers the index changed (called after the change is committed)."""
        self._checked_at = 0.0
        if self._watch is not None:
            with contextlib.suppress(Exception):  # Redis away: the others notice at their next check
                self._watch.announce()

    def rebuild(self, docs: list[SearchDocument]) -> None:
        db.session.execute(delete(SearchDocumentRow))
        self._write(docs)
        db.session.commit()
        self.announce()

    def update(self, docs: list[SearchDocument], removed: list[int]) -> None:
        self._checked_at = 0.0
        if removed:
            db.session.execute(
                delete(SearchDocumentRow).where(SearchDocumentRow.organisation_id.in_(removed))
            )
        self._write(docs)

    def _write(self, docs: list[SearchDocument]) -> None:
        self._checked_at = 0.0
        vocabulary: set[str] = set()
        now = utcnow()
        rows = []
        for doc in docs:
            name_terms = analysis.index_terms(doc.name)
            text_terms = analysis.index_terms(doc.text)
            vocabulary.update(name_terms, text_terms)
            rows.append(
                {
                    "id": doc.id,
                    "name_terms": " ".join(name_terms),
                    "text_terms": " ".join(text_terms),
                    "document": json.dumps(vars(doc)),
                    "now": now,
                }
            )
        if rows:
            db.session.execute(UPSERT, rows)
        words = sorted(term for term in vocabulary if len(term) <= 120)
        if words:
            db.session.execute(ADD_WORD, [{"term": term} for term in words])

    def matrix(self) -> FacetMatrix:
        announced = self._announced_generation()
        if announced is not None:
            if self._matrix is not None and announced == self._announced and self._checked_at:
                return self._matrix[1]
            self._announced = announced
        elif self._matrix is not None and time.monotonic() - self._checked_at < GENERATION_TTL:
            # Other app servers' writes show within GENERATION_TTL; this process's own at once.
            return self._matrix[1]
        self._checked_at = time.monotonic()
        generation = tuple(
            db.session.execute(select(func.max(SearchDocumentRow.indexed_at), func.count())).one()
        )
        if self._matrix is None or self._matrix[0] != generation:
            docs = [
                SearchDocument.from_stored(row)
                for row in db.session.scalars(select(SearchDocumentRow.document))
            ]
            self._matrix = (generation, FacetMatrix(docs))  # type: ignore[arg-type]
        return self._matrix[1]

    def _similar_terms(self, term: str) -> list[str]:
        """Indexed words one slip away: pg_trgm finds candidates, then the same rule as Whoosh's
        FuzzyTerm (one edit, same first letter) decides, so both backends forgive the same typos."""
        rows = db.session.execute(
            text(
                "SELECT term FROM search_vocabulary WHERE term % :term AND similarity(term, :term) >= :least "
                "ORDER BY similarity(term, :term) DESC LIMIT 20"
            ),
            {"term": term, "least": TYPO_SIMILARITY},
        )
        return [row[0] for row in rows if row[0][:1] == term[:1] and Levenshtein.distance(row[0], term) <= 1]

    def tsquery(self, text_query: str) -> str | None:
        terms = analysis.query_terms(text_query)
        known = set(db.session.scalars(select(SearchVocabulary.term).where(SearchVocabulary.term.in_(terms))))
        clauses = []
        for term in terms:
            alternatives = [_lexeme(term)]
            if term not in known and len(term) >= 5:
                alternatives += [_lexeme(t) for t in self._similar_terms(term) if t != term]
            words, prefixes = analysis.query_expansions(term)
            alternatives += [_lexeme(word) for word in words]
            alternatives += [_lexeme(prefix) + ":*" for prefix in prefixes]
            parts = analysis.compound_parts(term)
            if parts:
                alternatives.append(
                    "(" + " & ".join(_lexeme(analysis.plural_to_singular(p)) for p in parts) + ")"
                )
            clauses.append("(" + " | ".join(alternatives) + ")")
        return " & ".join(clauses) or None

    def match(self, text_query: str) -> tuple[list[int], list[float]]:
        query = self.tsquery(text_query)
        if query is None:
            return [], []
        rows = db.session.execute(
            text(
                "SELECT organisation_id, ts_rank(terms, to_tsquery('simple', :q)) FROM search_documents "
                "WHERE terms @@ to_tsquery('simple', :q)"
            ),
            {"q": query},
        ).all()
        return [row[0] for row in rows], [float(row[1]) for row in rows]

    def suggest(self, text_query: str) -> str | None:
        changed = False
        words = []
        for word in analysis.words(text_query):
            if db.session.get(SearchVocabulary, analysis.plural_to_singular(word)) is not None:
                words.append(word)
                continue
            best = db.session.execute(
                text(
                    "SELECT term FROM search_vocabulary WHERE term % unaccent(lower(:w)) "
                    "ORDER BY similarity(term, unaccent(lower(:w))) DESC LIMIT 1"
                ),
                {"w": word},
            ).scalar()
            if best is None:
                return None
            words.append(best)
            changed = True
        return " ".join(words) if changed else None
