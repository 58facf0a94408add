"""Search behind one interface, two backends: Whoosh on disk (embedded) or PostgreSQL.

The database is the source of truth. Changes to organisations and labels are collected per
session and indexed when the session commits (PostgreSQL: in the same transaction;
Whoosh: right after it); `impactmarkt reindex` rebuilds everything.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

import numpy as np
from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from marketplace.core import clock
from marketplace.core.extensions import db
from marketplace.organisations.models import Label, Organisation
from marketplace.organisations.owner_models import Offering, OrganisationOwner
from marketplace.search.documents import OutdatedDocument, SearchDocument, documents
from marketplace.search.facet_matrix import FacetMatrix
from marketplace.search.highlight import snippet
from marketplace.search.page_cache import PageCache
from marketplace.search.postgres_backend import PostgresBackend
from marketplace.search.query import PSO_LADDER, Hit, SearchQuery, SearchResult, pso_levels_from
from marketplace.search.whoosh_backend import WhooshBackend
from matching.query_understanding import Understood, understand

# The modules other features may import; views and commands are wired by marketplace.composition.
PUBLIC = ("documents", "page_cache", "presentation", "query")

EXTENSION_KEY = "impactmarkt_search"
PSO_VALUES = [f"pso:{level}" for level in PSO_LADDER]
BACKGROUND_AFTER = 500  # organisations: larger Whoosh updates run after the commit, one at a time
_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-index")
DIRTY_KEY = "search_dirty_organisations"
OWNED_BY_ORGANISATION = (Label, Offering, OrganisationOwner)  # a change to one re-indexes its organisation
ANNOUNCE_KEY = "search_announce_change"


class Backend(Protocol):
    name: str

    def rebuild(self, docs: list[SearchDocument]) -> None: ...
    def update(self, docs: list[SearchDocument], removed: list[int]) -> None: ...
    def matrix(self) -> FacetMatrix: ...
    def match(self, text: str) -> tuple[list[int], list[float]]: ...
    def suggest(self, text: str) -> str | None: ...


def backend() -> Backend:
    return current_app.extensions[EXTENSION_KEY]


def make_backend(app: Flask) -> Backend:
    choice = app.config.get("SEARCH_BACKEND", "whoosh")
    if choice == "postgresql":
        if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            raise RuntimeError(
                "IMPACTMARKT_SEARCH_BACKEND=postgresql needs a PostgreSQL IMPACTMARKT_DATABASE_URL"
            )
        return PostgresBackend(app.config.get("REDIS_URL"))
    if choice == "whoosh":
        return WhooshBackend(app.config["SEARCH_INDEX_DIR"])
    raise RuntimeError(f"unknown IMPACTMARKT_SEARCH_BACKEND {choice!r}: use whoosh or postgresql")


def current_matrix() -> FacetMatrix:
    """The facet matrix of the index; an index of an older document format is rebuilt first."""
    engine = backend()
    try:
        return engine.matrix()
    except OutdatedDocument:
        current_app.logger.warning("search index holds documents of an older format: rebuilding it")
        reindex_all()
        return engine.matrix()


def search(query: SearchQuery) -> SearchResult:
    """Filter, match and page; place names and a KvK number in the text are read as such
    (matching.query_understanding) unless the query asks to take its words literally."""
    understood = Understood(query.text) if query.literal else understand(query.text)
    result = _search(query, understood)
    if understood.places and understood.words and not result.total:
        # "Facilitair Bedrijf Nijmegen" may be an enterprise elsewhere: then the words are words.
        return _search(query, Understood(query.text))
    return result


def _filters(query: SearchQuery, understood: Understood) -> dict[str, tuple[str, ...]]:
    """The ticked facet values and the places read from the words (not the PSO level)."""
    filters = dict(query.filters)
    for facet, value in understood.places:
        filters[facet] = (*filters.get(facet, ()), value)
    return filters


def _search(query: SearchQuery, understood: Understood) -> SearchResult:
    engine = backend()
    matrix = current_matrix()
    day = matrix.on(clock.today(), int(current_app.config["GRACE_DAYS"]))
    # Without the PSO level first, so each "Trede N of hoger" choice can say how many it would give.
    filters = _filters(query, understood)
    mask = matrix.filter_mask(filters, query.include_expired, day)
    scores = np.zeros(len(matrix), dtype=np.float64)
    text = understood.words.strip()
    if text:
        matched, match_scores = _matched(engine, matrix, text)
        scores[matched] = match_scores[matched]
        mask &= matched
    at_least = matrix.at_least_counts("label", PSO_VALUES, mask, day)
    pso_from_counts = list(zip(PSO_LADDER, at_least, strict=True))
    if query.pso_from:  # a filter of its own: the ticked labels and the level both hold
        mask &= matrix.facet_mask("label", pso_levels_from(query.pso_from), day)
    facets = matrix.facet_counts(mask, day)
    positions = np.nonzero(mask)[0]
    ordered = matrix.order(
        positions, scores[positions], query.sort if text or query.sort != "relevance" else "name"
    )
    total = len(ordered)
    pages = max(1, -(-total // query.per_page))
    page = min(query.page, pages)
    window = ordered[(page - 1) * query.per_page : page * query.per_page]
    hits = [
        Hit(
            id=int(matrix.ids[p]),
            slug=matrix.slugs[p],
            name=matrix.names[p],
            city=matrix.cities[p],
            snippet=str(snippet(matrix.snippets[p], query.text)),
            in_grace=bool(day.in_grace[p]),
            listed=bool(day.listed[p]),
            labels=matrix.label_values(int(p), day),
        )
        for p in window
    ]
    suggestion = engine.suggest(text) if total == 0 and text else None
    return SearchResult(
        hits,
        total,
        page,
        pages,
        facets,
        suggestion,
        [int(matrix.ids[p]) for p in ordered],
        places=understood.places,
        pso_from_counts=pso_from_counts,
        generation=(matrix.token, clock.today().isoformat()),
    )


_MATCHES: PageCache[tuple[np.ndarray, np.ndarray]] = PageCache(size=256)


def _matched(engine: Backend, matrix: FacetMatrix, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Which documents the words match and how well, as arrays over the matrix, for this index
    state. Kept for the next requests with the same words (people page and refine by facets):
    facet filters are applied afterwards, so one match serves every filter combination."""

    def match() -> tuple[np.ndarray, np.ndarray]:
        ids, match_scores = engine.match(text)
        positions, known = matrix.locate(ids)
        matched = np.zeros(len(matrix), dtype=bool)
        matched[positions] = True
        scores = np.zeros(len(matrix), dtype=np.float64)
        scores[positions] = np.array(match_scores, dtype=np.float64)[known]
        return matched, scores

    return _MATCHES.get_or_render((matrix.token, text), match)


def generation() -> tuple[int, str]:
    """A token that changes whenever the index does (the facet matrix is rebuilt then), or the day."""
    return current_matrix().token, clock.today().isoformat()


def reindex_all() -> int:
    docs = documents()
    backend().rebuild(docs)
    return len(docs)


def _write_documents(engine: Backend, organisation_ids: set[int]) -> None:
    """Index the organisations' current documents; those without one (merged away) are removed."""
    docs = documents(sorted(organisation_ids))
    engine.update(docs, sorted(organisation_ids - {doc.id for doc in docs}))


def _collect(session: Session, _context: object) -> None:
    """After each flush, remember which organisations changed (new ones have their id by now)."""
    dirty = session.info.setdefault(DIRTY_KEY, set())
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, Organisation) and instance.id is not None:
            dirty.add(instance.id)
        elif isinstance(instance, OWNED_BY_ORGANISATION) and instance.organisation_id is not None:
            dirty.add(instance.organisation_id)


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = make_backend(app)
    if not event.contains(db.session, "after_flush", _collect):
        event.listen(db.session, "after_flush", _collect)
        event.listen(db.session, "before_commit", _index_in_transaction)
        event.listen(db.session, "after_commit", _index_after_commit)
        event.listen(db.session, "after_rollback", _forget)


def _active_backend() -> Backend | None:
    return current_app.extensions.get(EXTENSION_KEY) if current_app else None


def _forget(session: Session) -> None:
    session.info.pop(DIRTY_KEY, None)
    session.info.pop(ANNOUNCE_KEY, None)


def _pending(session: Session) -> set[int]:
    session.flush()
    return set(session.info.pop(DIRTY_KEY, set()))


def _index_in_transaction(session: Session) -> None:
    engine = _active_backend()
    if engine is None or engine.name != "postgresql":
        return
    dirty = _pending(session)
    if dirty:
        _write_documents(engine, dirty)
        session.info[ANNOUNCE_KEY] = True


def _index_after_commit(session: Session) -> None:
    engine = _active_backend()
    if engine is not None and session.info.pop(ANNOUNCE_KEY, False):
        engine.announce()  # type: ignore[attr-defined]  # PostgreSQL: now the other servers may look
    if engine is None or engine.name != "whoosh":
        return
    dirty = set(session.info.pop(DIRTY_KEY, set()))
    if not dirty:
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if len(dirty) <= BACKGROUND_AFTER:
        _index_in_own_context(app, engine, dirty)
    else:
        # A big batch (a first crawl): the index catches up seconds after the commit, in order.
        _background.submit(_index_in_own_context, app, engine, dirty)


def _index_in_own_context(app: Flask, engine: Backend, organisation_ids: set[int]) -> None:
    # The committed session may not emit SQL here: read the new state in an app context (and so
    # a database session) of its own, on this thread.
    with app.app_context():
        try:
            _write_documents(engine, organisation_ids)
        finally:
            db.session.remove()


def wait_for_index() -> None:
    """Block until every queued index update is written (the crawl command calls this)."""
    _background.submit(lambda: None).result()


__all__ = ["SearchQuery", "SearchResult", "backend", "init_app", "reindex_all", "search"]
