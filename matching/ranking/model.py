"""What the ranking receives and returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from matching.labels import LabelFacts
from matching.reasons import Reason
from matching.sroi.rulesets import RuleSet
from matching.text import fold


@lru_cache(maxsize=4096)
def _fold_place(name: str | None) -> str:
    """Places repeat across the listing (some hundreds of municipalities): folded once each."""
    return fold(name)


@dataclass(frozen=True)
class Need:
    """What a contractor or procurer wants, where, when and under which rules."""

    text: str
    cpv_codes: tuple[str, ...]
    starts_on: date
    ends_on: date
    rules: RuleSet | None  # None for a purchase request without an obligation: nothing to count
    municipality: str | None = None
    region: str | None = None
    province: str | None = None
    remaining: Decimal = Decimal("0.00")  # what is left of the obligation, in euros
    today: date | None = None  # the day asked; default: the start of the contract
    within_km: float | None = None  # how far a supplier may be; default: where distance stops counting
    # Labels no register gives: a place on the region's own list of SW or learn-work companies, per
    # organisation id ((id, labels), ...). They belong to the need's region, not to the pool, which
    # every region shares.
    region_labels: tuple[tuple[int, tuple[LabelFacts, ...]], ...] = ()


@dataclass(frozen=True)
class Candidate:
    """A listed enterprise as the ranking sees it."""

    organisation_id: int
    slug: str
    name: str
    terms: frozenset[str]  # analysed words of sectors, impact areas, offerings and descriptions
    cpv_codes: tuple[str, ...]
    labels: tuple[LabelFacts, ...]
    municipality: str | None = None
    region: str | None = None
    province: str | None = None
    open_matches: int = 0  # open or recent matches; the caller may pass fresher counts to rank()
    core_terms: frozenset[str] = frozenset()  # the words of its sectors and offerings: what it does
    # Its own texts by field (sector, offering, description), as written: the evidence of fit is
    # read and quoted from these. Empty: the terms above stand in (sectors/offerings, description).
    texts: tuple[tuple[str, str], ...] = ()
    sort_name: str = field(init=False, repr=False, compare=False)
    places: tuple[str, str, str] = field(init=False, repr=False, compare=False)  # folded, for comparing

    def fields(self) -> dict[str, str]:
        """Name, register sector, owner offerings and description, as the evidence index reads them."""
        if self.texts:
            found: dict[str, list[str]] = {}
            for name, text in self.texts:
                found.setdefault(name, []).append(text)
            return {"name": self.name} | {name: "\n".join(texts) for name, texts in found.items()}
        return {
            "name": self.name,
            "sector": " ".join(sorted(self.core_terms)),
            "description": " ".join(sorted(self.terms - self.core_terms)),
        }

    def __post_init__(self) -> None:
        object.__setattr__(self, "sort_name", fold(self.name))
        object.__setattr__(self, "terms", self.terms | self.core_terms)
        object.__setattr__(
            self,
            "places",
            (_fold_place(self.municipality), _fold_place(self.region), _fold_place(self.province)),
        )


@dataclass(frozen=True)
class Part:
    part: str  # fit, counts, validity, distance, spread
    score: int
    reason: Reason

    def to_json(self) -> dict[str, object]:
        return {"part": self.part, "score": self.score, "reason": self.reason.to_json()}


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    parts: tuple[Part, ...]
    share: Decimal  # the share of a purchase that counts under the rule set (0..1)

    @property
    def score(self) -> int:
        return sum(part.score for part in self.parts)

    def part(self, name: str) -> Part:
        return next(part for part in self.parts if part.part == name)
