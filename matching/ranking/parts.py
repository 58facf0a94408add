"""The five parts of a supplier's score. Each returns its points and the reason for them as a
code with parameters; Reasons are made only for the suppliers that are shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from matching.analysis import compound_parts, plural_to_singular, words
from matching.labels import LabelFacts, lists_on, state_on
from matching.ranking.model import Candidate, Need
from matching.ranking.weights import (
    CORE_CREDIT,
    CPV_LEVELS,
    DISTANCE_LEVELS,
    GRACE_SHARE,
    PART_CREDIT,
    SPREAD_HALF,
    TEXT_CREDIT,
    TEXT_SHARE,
    Weights,
)
from matching.sroi.rulesets import RuleSet
from matching.sroi.valuation import label_name
from matching.text import fold

Scored = tuple[int, str, dict[str, Any]]  # points, reason code, reason parameters
MIN_HEAD = 5


@dataclass(frozen=True)
class Concept:
    """One word of the need: its singular, the words that count as it (typos found in the pool's
    vocabulary) and, for a compound, its parts (a half match)."""

    word: str
    singular: str
    alike: frozenset[str]
    parts: tuple[str, ...]


def concepts(text: str, typo_neighbours: Any, known: Any = frozenset()) -> list[Concept]:
    """The need's words; a compound whose parts are not known trade words still matches on its
    last part when that is a known word ("kantoorschoonmaak" on "schoonmaak")."""
    found: dict[str, Concept] = {}
    for word in words(text):
        singular = plural_to_singular(word)
        if singular in found:
            continue
        parts = tuple(plural_to_singular(part) for part in compound_parts(singular)) or _head(singular, known)
        found[singular] = Concept(word, singular, frozenset({singular, *typo_neighbours(singular)}), parts)
    return list(found.values())


def _head(word: str, known: Any) -> tuple[str, ...]:
    """A known word the compound ends with (its head: "kantoorschoonmaak"), else one it starts with
    ("productiewerk"), at least MIN_HEAD letters."""
    for cut in range(1, len(word) - MIN_HEAD + 1):
        if word[cut:] in known:
            return (word[cut:],)
    for cut in range(len(word) - 1, MIN_HEAD - 1, -1):
        if word[:cut] in known:
            return (word[:cut],)
    return ()


def fit(candidate: Candidate, need_concepts: list[Concept], need_cpv: tuple[str, ...], weight: int) -> Scored:
    """What the supplier offers against what is needed: words (with plurals, compounds and typos)
    and CPV codes (same class above same group above same division)."""
    if not need_concepts and not need_cpv:
        return weight, "ranking.fit_unspecified", {}
    matched: list[str] = []
    credit = 0.0
    for concept in need_concepts:
        if concept.alike & candidate.core_terms:
            credit += CORE_CREDIT
            matched.append(concept.word)
        elif concept.alike & candidate.terms:
            credit += TEXT_CREDIT
            matched.append(concept.word)
        elif concept.parts and any(part in candidate.terms for part in concept.parts):
            credit += PART_CREDIT
            matched.append(concept.word)
    text_share = credit / len(need_concepts) if need_concepts else 0.0
    best_level, best_share, best_code = "", 0.0, ""
    for wanted in need_cpv:
        for offered in candidate.cpv_codes:
            for digits, share, level in CPV_LEVELS:
                if share > best_share and wanted[:digits] == offered[:digits] and len(offered) >= digits:
                    best_level, best_share, best_code = level, share, offered
                    break
    if need_concepts and need_cpv:
        points = weight * (TEXT_SHARE * text_share + (1 - TEXT_SHARE) * best_share)
    else:
        points = weight * (text_share if need_concepts else best_share)
    params: dict[str, Any] = {}
    if matched:
        params["words"] = ", ".join(matched[:5])
    if best_code:
        params |= {"cpv": best_code, "level": best_level}
    code = {
        (True, True): "ranking.fit_both",
        (True, False): "ranking.fit_text",
        (False, True): "ranking.fit_cpv",
        (False, False): "ranking.fit_none",
    }[(bool(matched), bool(best_code))]
    return round(points), code, params


UNKNOWN_SHARE = Decimal(-1)  # what the label counts is unknown under the rule set (shown so, never as 0%)


def _share(rules: RuleSet, register: str, level: str | None, pso30plus: bool) -> Decimal:
    rule = rules.purchase_rule(register, level, pso30plus)
    if rule is None:
        return UNKNOWN_SHARE if rules.labels_unknown else Decimal(0)
    return rule.share if rule.share is not None else UNKNOWN_SHARE


def counting_label(
    candidate: Candidate, need: Need, day: date, grace_days: int
) -> tuple[LabelFacts | None, Decimal]:
    """The label held on `day` under which a purchase counts most, and that share (0 when none;
    UNKNOWN_SHARE when the rule set does not say what it counts)."""
    best: tuple[LabelFacts | None, Decimal] = (None, Decimal(-1))
    for label in candidate.labels:
        if not lists_on(label, day, grace_days):
            continue
        if need.rules is None or (
            state_on(label, day, grace_days) == "grace" and "grace" not in need.rules.counting_states
        ):
            share = Decimal(0)
        else:
            share = _share(need.rules, label.register, label.level, label.pso30plus)
        if best[0] is None or share > best[1] or (share == best[1] and _lasts(label) > _lasts(best[0])):
            best = (label, share)
    return best if best[0] is not None else (None, Decimal(0))


def _lasts(label: LabelFacts) -> date:
    return label.valid_until or date.max


def counts(label: LabelFacts | None, share: Decimal, need: Need, weight: int) -> Scored:
    if need.rules is None:
        return 0, "ranking.counts_no_obligation", {}
    if label is None:
        return 0, "ranking.counts_no_label", {}
    if share < 0:
        return 0, "ranking.counts_unknown", {"ruleset": need.rules.name}
    percent = format((share * 100).normalize(), "f")
    params = {"share": percent, "ruleset": need.rules.name, "label": label_name(label)}
    if share <= 0:
        return 0, "ranking.counts_nothing", params
    return round(weight * float(share)), "ranking.counts", params


def validity(label: LabelFacts | None, need: Need, day: date, grace_days: int, weight: int) -> Scored:
    """Whether the label stays valid over the contract: a certificate ending before the contract
    scores the part of the period it covers; a label being reconfirmed (grace) scores little."""
    if label is None:
        return 0, "ranking.no_valid_label", {}
    name = label_name(label)
    if state_on(label, day, grace_days) == "grace":
        return round(weight * GRACE_SHARE), "ranking.in_grace", {"label": name}
    until = label.valid_until
    if until is None:
        return weight, "ranking.valid_open", {"label": name}
    if until >= need.ends_on:
        return weight, "ranking.valid_through", {"label": name, "until": until.isoformat()}
    period = max((need.ends_on - day).days, 1)
    covered = max(min((until - day).days / period, 1.0), 0.0)
    return (
        round(weight * covered),
        "ranking.valid_until_before_end",
        {"label": name, "until": until.isoformat(), "end": need.ends_on.isoformat()},
    )


def need_places(need: Need) -> tuple[str, str, str]:
    return fold(need.municipality), fold(need.region), fold(need.province)


def nearness(candidate: Candidate, wanted: tuple[str, str, str]) -> str:
    """Same municipality, same labour-market region, same province, or elsewhere."""
    levels = ("municipality", "region", "province")
    for level, mine, theirs in zip(levels, candidate.places, wanted, strict=True):
        if mine and mine == theirs:
            return level
    return "elsewhere"


def distance(candidate: Candidate, need: Need, level: str, weight: int) -> Scored:
    params = {
        "place": candidate.municipality or "?",
        "region": candidate.region or "?",
        "province": candidate.province or "?",
    }
    return round(weight * DISTANCE_LEVELS[level]), f"ranking.distance_{level}", params


def spread(open_matches: int, weight: int) -> Scored:
    """Enterprises with many open or recent matches rank a little lower (spend reaches more of them)."""
    points = round(weight * SPREAD_HALF / (SPREAD_HALF + open_matches))
    return points, "ranking.spread", {"open": open_matches}


def all_parts(
    candidate: Candidate,
    need: Need,
    need_concepts: list[Concept],
    weights: Weights,
    day: date,
    grace_days: int,
    open_matches: int,
    counting: tuple[LabelFacts | None, Decimal],
    level: str,
) -> list[tuple[str, Scored]]:
    """(part name, scored) for each part. `counting` is counting_label's answer for this candidate
    (the pool remembers it per rule set and day), `level` its nearness."""
    label, share = counting
    return [
        ("fit", fit(candidate, need_concepts, need.cpv_codes, weights.fit)),
        ("counts", counts(label, share, need, weights.counts)),
        ("validity", validity(label, need, day, grace_days, weights.validity)),
        ("distance", distance(candidate, need, level, weights.distance)),
        ("spread", spread(open_matches, weights.spread)),
    ]
