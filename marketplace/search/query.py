"""A search request and its result, independent of the backend."""

from __future__ import annotations

from dataclasses import dataclass, field

from marketplace.search.documents import FACETS
from matching.records import LEVELS

SORTS = ("relevance", "name", "confirmed")
MAX_PER_PAGE = 100
MAX_PAGE = 999_999_999  # the largest page number a query string may carry (nine digits)
PSO_LADDER = LEVELS["pso"]  # "Trede 2 of hoger" is one choice: this level and those above it


def pso_levels_from(level: str | None) -> tuple[str, ...]:
    """The label values of a PSO level and every level above it; () for no or an unknown level."""
    if level not in PSO_LADDER:
        return ()
    return tuple(f"pso:{step}" for step in PSO_LADDER[PSO_LADDER.index(level) :])


def whole_number(text: str | None) -> int | None:
    """A positive whole number written in ASCII digits, else None. str.isdigit() is not enough:
    it accepts "²" and other Unicode digits that int() then refuses."""
    if not text or len(text) > 9 or not text.isascii() or not text.isdecimal():
        return None
    return int(text) or None


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    include_expired: bool = False
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    pso_from: str | None = None  # a minimum PSO level ("Trede 2": Trede 2 or higher)
    literal: bool = False  # True: place names and KvK numbers are words like any other

    @classmethod
    def from_args(cls, args: object) -> SearchQuery:
        """From request arguments (a MultiDict): q, one list per facet, sort, pagina/page, per_page."""
        get = args.get  # type: ignore[attr-defined]
        getlist = args.getlist  # type: ignore[attr-defined]
        filters = {facet: tuple(v for v in getlist(facet) if v)[:20] for facet in FACETS if getlist(facet)}
        page = whole_number(get("pagina") or get("page")) or 1
        per_page = whole_number(get("per_page")) or 20
        sort = get("sort") or "relevance"
        pso_from = get("pso_vanaf")
        return cls(
            text=(get("q") or "")[:200],
            filters={k: v for k, v in filters.items() if v},
            include_expired=get("verlopen") in ("1", "ja"),
            sort=sort if sort in SORTS else "relevance",
            page=page,
            per_page=min(MAX_PER_PAGE, per_page),
            pso_from=pso_from if pso_from in PSO_LADDER else None,
            literal=get("letterlijk") in ("1", "ja"),
        )

    def url_args(self, **changes: object) -> dict[str, object]:
        """Arguments to rebuild this search in a URL, with changes (for paging and facet links)."""
        args: dict[str, object] = {"q": self.text or None, **{k: list(v) for k, v in self.filters.items()}}
        if self.sort != "relevance":
            args["sort"] = self.sort
        if self.include_expired:
            args["verlopen"] = "1"
        if self.pso_from:
            args["pso_vanaf"] = self.pso_from
        if self.literal:
            args["letterlijk"] = "1"
        args.update(changes)
        return {k: v for k, v in args.items() if v not in (None, "", []) and not (k == "pagina" and v == 1)}


@dataclass
class Hit:
    id: int
    slug: str
    name: str
    city: str
    snippet: str  # HTML-safe, query words in <mark>
    in_grace: bool
    listed: bool
    labels: list[str] = field(default_factory=list)  # label values listing today, in ladder order


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    page: int
    pages: int
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None = None
    ids: list[int] = field(default_factory=list)  # every matching id in order, for exports
    places: tuple[tuple[str, str], ...] = ()  # place filters read from the query text ("twente")
    pso_from_counts: list[tuple[str, int]] = field(default_factory=list)  # per level: it or higher
    generation: tuple[int, str] | None = None  # the index state and day this result is true for
