"""The PostgreSQL backend: full-text search in the database, for several app servers.

Terms come from the same Python analysis as the Whoosh backend and are stored as a
weighted tsvector (name A, the rest B) with a GIN index. pg_trgm finds indexed words close
to a mistyped query word; unaccent folds the visitor's words for suggestions.
"""

from __future__ import annotations

import re
from dataclasses import asdict

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects.postgresql import insert

from marketplace.extensions import db
from marketplace.models.base import utcnow
from marketplace.models.search import SearchDocumentRow, SearchVocabulary
from marketplace.search import analysis
from marketplace.search.documents import SearchDocument
from marketplace.search.facet_matrix import FacetMatrix

TYPO_SIMILARITY = 0.45
_LEXEME = re.compile(r"^[a-z0-9]+$")


def _lexeme(term: str) -> str:
    return term if _LEXEME.match(term) else "'" + term.replace("'", "''") + "'"


class PostgresBackend:
    name = "postgresql"

    def __init__(self) -> None:
        self._matrix: tuple[tuple[object, int], FacetMatrix] | None = None

    def rebuild(self, docs: list[SearchDocument]) -> None:
        db.session.execute(delete(SearchDocumentRow))
        self._write(docs)
        db.session.commit()

    def update(self, docs: list[SearchDocument], removed: list[int]) -> None:
        if removed:
            db.session.execute(
                delete(SearchDocumentRow).where(SearchDocumentRow.organisation_id.in_(removed))
            )
        self._write(docs)

    def _write(self, docs: list[SearchDocument]) -> None:
        vocabulary: set[str] = set()
        now = utcnow()
        for start in range(0, len(docs), 500):
            rows = []
            for doc in docs[start : start + 500]:
                name_terms = analysis.index_terms(doc.name)
                text_terms = analysis.index_terms(doc.text)
                vocabulary.update(name_terms, text_terms)
                rows.append(
                    {
                        "organisation_id": doc.id,
                        "terms": func.setweight(func.to_tsvector("simple", " ".join(name_terms)), "A").op(
                            "||"
                        )(func.setweight(func.to_tsvector("simple", " ".join(text_terms)), "B")),
                        "document": asdict(doc),
                        "indexed_at": now,
                    }
                )
            for row in rows:
                statement = insert(SearchDocumentRow).values(**row)
                db.session.execute(
                    statement.on_conflict_do_update(
                        index_elements=["organisation_id"],
                        set_={
                            "terms": statement.excluded.terms,
                            "document": statement.excluded.document,
                            "indexed_at": now,
                        },
                    )
                )
        words = sorted(term for term in vocabulary if len(term) <= 120)
        for start in range(0, len(words), 1000):
            db.session.execute(
                insert(SearchVocabulary)
                .values([{"term": t} for t in words[start : start + 1000]])
                .on_conflict_do_nothing()
            )

    def matrix(self) -> FacetMatrix:
        generation = tuple(
            db.session.execute(select(func.max(SearchDocumentRow.indexed_at), func.count())).one()
        )
        if self._matrix is None or self._matrix[0] != generation:
            docs = [SearchDocument(**row) for row in db.session.scalars(select(SearchDocumentRow.document))]
            self._matrix = (generation, FacetMatrix(docs))  # type: ignore[arg-type]
        return self._matrix[1]

    def _similar_terms(self, term: str) -> list[str]:
        rows = db.session.execute(
            text(
                "SELECT term FROM search_vocabulary WHERE term % :term AND similarity(term, :term) >= :least "
                "ORDER BY similarity(term, :term) DESC LIMIT 5"
            ),
            {"term": term, "least": TYPO_SIMILARITY},
        )
        return [row[0] for row in rows]

    def tsquery(self, text_query: str) -> str | None:
        clauses = []
        for term in analysis.query_terms(text_query):
            alternatives = [_lexeme(term)]
            if len(term) >= 5:
                alternatives += [_lexeme(t) for t in self._similar_terms(term) if t != term]
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
