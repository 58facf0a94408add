"""A market scan before a tender: how many listed enterprises fit a need, by label and level, by
distance, and whether a contract reserved under art. 2.82 Aanbestedingswet (PSO 30+) looks feasible.

In: a Question (the need as words and CPV codes, the place of delivery, a radius, the contract
period, the threshold for competition) and the ranking's CandidatePool. Out: a Scan with the
counts, the feasibility judgement as a Reason, the counts per part of a several-part need (lots)
and, per fitting enterprise, its distance, its labels over the contract and the supplier's own
words that fit (the ranking's BM25F evidence). Plain Python and NumPy: no Flask, no database.
Fit is the ranking's own (matching.ranking.rank.score_all), so a scan and a ranking never
disagree on who offers what.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from matching.labels import DEFAULT_GRACE_DAYS, LEVEL_ORDER, state_on
from matching.ranking.model import Need
from matching.ranking.pool import CandidatePool
from matching.ranking.rank import Scored, fit_reason, need_parts, score_all
from matching.reasons import Reason

PSO_30 = "pso:30+"
# Every label and level the scan counts, in the order people read them (the best first).
BUCKETS: tuple[str, ...] = (
    PSO_30,
    *(f"pso:{level}" for level in reversed(LEVEL_ORDER["pso"]) if level != "30+"),
    "code:Toegelaten",
    "code:Aspirant",
    "senl:Lid",
    "senl:BOOST",
)
BANDS = (25, 50, 100)  # km: "binnen 25, 50, 100 km"; the rest of the country beyond
BAND_KEYS = ("within_25", "within_50", "within_100", "beyond_100", "unknown")
DEFAULT_THRESHOLD = 3  # at least three PSO 30+ suppliers for real competition
MAX_RADIUS_KM = 300  # the Netherlands is about 300 km across: more is a typo
MAX_THRESHOLD = 100


@dataclass(frozen=True)
class Question:
    """What a procurer asks before a tender."""

    text: str
    cpv_codes: tuple[str, ...]
    municipality: str  # the place of delivery, as a municipality
    point: tuple[float, float]  # its position
    radius_km: int
    starts_on: date
    ends_on: date
    threshold: int = DEFAULT_THRESHOLD
    today: date | None = None  # the day labels are judged on; default the contract's start
    region: str | None = None
    province: str | None = None

    @property
    def day(self) -> date:
        return self.today or self.starts_on


@dataclass(frozen=True)
class Tally:
    """The counts for one need (or one lot): within the radius by label and level, all over the
    country by distance band, and the judgement on a reserved tender."""

    within_radius: int
    by_label: dict[str, int]
    by_band: dict[str, int]
    pso30_within: int
    sw_companies: int
    feasible: bool
    judgement: Reason
    fitting: int  # everywhere, any distance

    def to_json(self) -> dict[str, object]:
        return {
            "fitting": self.fitting,
            "within_radius": self.within_radius,
            "by_label": dict(self.by_label),
            "by_band": dict(self.by_band),
            "pso30_within_radius": self.pso30_within,
            "sw_companies_within_radius": self.sw_companies,
            "reserved_feasible": self.feasible,
            "judgement": self.judgement.to_json(),
        }


@dataclass(frozen=True)
class LabelOverContract:
    register: str
    level: str | None
    pso30plus: bool
    state: str  # active or grace on the day asked
    valid_until: date | None
    ends_within_contract: bool  # the certificate ends before the contract does


@dataclass(frozen=True)
class Entry:
    """One enterprise behind the counts."""

    organisation_id: int
    slug: str
    name: str
    municipality: str | None
    km: int | None
    band: str
    within_radius: bool
    buckets: tuple[str, ...]  # the label/level counts it is in
    labels: tuple[LabelOverContract, ...]
    fit: Reason  # the ranking's fit reason, with the supplier's own words quoted

    @property
    def quotes(self) -> tuple[str, ...]:
        return tuple(self.fit.params.get("quotes", ()))

    @property
    def ends_within_contract(self) -> bool:
        return any(label.ends_within_contract for label in self.labels)


@dataclass(frozen=True)
class Scan:
    question: Question
    tally: Tally
    order: np.ndarray  # pool indices of every fitting enterprise: within the radius first, nearest first
    lots: tuple[tuple[str, Tally], ...] = ()
    scored: Scored | None = field(default=None, repr=False, compare=False)


class LabelsOn:
    """Per candidate, on one day: which counted labels it holds (a boolean matrix over BUCKETS)."""

    def __init__(self, pool: CandidatePool, day: date, grace_days: int) -> None:
        column = {bucket: index for index, bucket in enumerate(BUCKETS)}
        self.matrix = np.zeros((len(pool), len(BUCKETS)), dtype=bool)
        for row, candidate in enumerate(pool.candidates):
            for label in candidate.labels:
                if state_on(label, day, grace_days) not in ("active", "grace"):
                    continue
                found = column.get(f"{label.register}:{label.level}")
                if found is not None:
                    self.matrix[row, found] = True
                if label.register == "pso" and label.pso30plus:
                    self.matrix[row, 0] = True
        self.listed = self.matrix.any(axis=1)
        self.pso30 = self.matrix[:, 0]


class ScanIndex:
    """A pool with its labels laid out per day (kept as long as the pool: the listing is the same)."""

    def __init__(self, pool: CandidatePool) -> None:
        self.pool = pool
        self._days: dict[tuple[date, int], LabelsOn] = {}

    def labels_on(self, day: date, grace_days: int) -> LabelsOn:
        key = (day, grace_days)
        if key not in self._days:
            self._days = {key: LabelsOn(self.pool, day, grace_days)}  # one day at a time is enough
        return self._days[key]


def need_of(question: Question, text: str | None = None, cpv: tuple[str, ...] | None = None) -> Need:
    return Need(
        text=question.text if text is None else text,
        cpv_codes=question.cpv_codes if cpv is None else cpv,
        starts_on=question.starts_on,
        ends_on=question.ends_on,
        rules=None,  # a scan counts enterprises, not what a purchase counts for an obligation
        municipality=question.municipality,
        region=question.region,
        province=question.province,
        today=question.day,
    )


def judgement(question: Question, text: str, pso30: int, sw_companies: int) -> tuple[bool, Reason]:
    """Whether a tender reserved under art. 2.82 looks feasible: enough PSO 30+ enterprises (and
    SW companies) within the radius for competition, in words with the numbers behind them."""
    count = pso30 + sw_companies
    params = {"count": count, "km": question.radius_km, "need": text, "threshold": question.threshold}
    feasible = count >= question.threshold
    if count == 0:
        return feasible, Reason("scan.reserved_none", params)
    code = "scan.reserved_feasible" if feasible else "scan.reserved_not_feasible"
    return feasible, Reason(code + ("_one" if count == 1 else ""), params)


def _tally(
    question: Question, text: str, scored: Scored, labels: LabelsOn, sw_ids: frozenset[int], ids: np.ndarray
) -> tuple[Tally, np.ndarray, np.ndarray]:
    fitting = scored.evidence & labels.listed
    km = scored.km
    known = ~np.isnan(km)
    near = np.where(known, km, np.inf)
    within = fitting & (near <= question.radius_km)
    counts = labels.matrix[within].sum(axis=0)
    by_label = {bucket: int(count) for bucket, count in zip(BUCKETS, counts, strict=True)}
    by_band = {f"within_{limit}": int((fitting & (near <= limit)).sum()) for limit in BANDS}
    by_band["beyond_100"] = int((fitting & known & (near > BANDS[-1])).sum())
    by_band["unknown"] = int((fitting & ~known).sum())
    pso30 = by_label[PSO_30]
    # SW companies on a coordinator's list that fit within the radius and hold no PSO 30+ label
    # (those are counted already): they may take part in a tender reserved under art. 2.82 too.
    without_pso30 = ~labels.matrix[:, BUCKETS.index(PSO_30)].astype(bool)
    on_a_list = np.isin(ids, np.fromiter(sw_ids, dtype=ids.dtype)) if sw_ids else np.zeros(len(ids), bool)
    sw_companies = int((within & without_pso30 & on_a_list).sum())
    feasible, reason = judgement(question, text, pso30, sw_companies)
    tally = Tally(
        int(within.sum()), by_label, by_band, pso30, sw_companies, feasible, reason, int(fitting.sum())
    )
    return tally, fitting, within


def scan(
    question: Question,
    index: ScanIndex,
    *,
    grace_days: int = DEFAULT_GRACE_DAYS,
    sw_ids: frozenset[int] = frozenset(),
    lots: bool = True,
) -> Scan:
    """Count the enterprises that fit the question. `sw_ids`: the listed organisations on the
    coordinators' lists of SW companies (the caller knows those lists); those that fit within the
    radius count towards a reserved tender beside PSO 30+."""
    pool = index.pool
    labels = index.labels_on(question.day, grace_days)
    need = need_of(question)
    scored = score_all(need, pool, include_uncounted=True, grace_days=grace_days)
    tally, fitting, within = _tally(question, question.text, scored, labels, sw_ids, pool.ids)
    found = np.flatnonzero(fitting)
    km = np.nan_to_num(scored.km[found], nan=np.inf)
    order = found[np.lexsort((pool.ids[found], pool.name_rank[found], km, ~within[found]))]
    per_lot: list[tuple[str, Tally]] = []
    if lots and len(pool):
        for piece in need_parts(need, pool):
            piece_scored = score_all(
                need_of(question, piece, ()), pool, include_uncounted=True, grace_days=grace_days
            )
            per_lot.append((piece, _tally(question, piece, piece_scored, labels, sw_ids, pool.ids)[0]))
    return Scan(question, tally, order, tuple(per_lot), scored)


def band_of(km: float | None) -> str:
    if km is None:
        return "unknown"
    for limit in BANDS:
        if km <= limit:
            return f"within_{limit}"
    return "beyond_100"


def entries(result: Scan, index: ScanIndex, *, grace_days: int = DEFAULT_GRACE_DAYS,
            limit: int | None = None) -> list[Entry]:  # fmt: skip
    """The enterprises behind the counts, within the radius first and nearest first, each with its
    distance, its labels over the contract period and the fit in its own words."""
    pool, question, scored = index.pool, result.question, result.scored
    assert scored is not None
    labels = index.labels_on(question.day, grace_days)
    need = need_of(question)
    shown = result.order if limit is None else result.order[:limit]
    found = []
    for position in shown.tolist():
        candidate = pool.candidates[position]
        raw = scored.km[position]
        km = None if np.isnan(raw) else float(raw)
        over = []
        for label in candidate.labels:
            state = state_on(label, question.day, grace_days)
            if state not in ("active", "grace"):
                continue
            ends_within = label.valid_until is not None and label.valid_until < question.ends_on
            over.append(LabelOverContract(label.register, label.level, label.pso30plus, state,
                                          label.valid_until, ends_within))  # fmt: skip
        code, params = fit_reason(pool, position, scored, need)
        found.append(
            Entry(
                candidate.organisation_id,
                candidate.slug,
                candidate.name,
                candidate.municipality,
                None if km is None else round(km),
                band_of(km),
                km is not None and km <= question.radius_km,
                tuple(bucket for bucket, held in zip(BUCKETS, labels.matrix[position], strict=True) if held),
                tuple(over),
                Reason(code, params),
            )
        )
    return found

