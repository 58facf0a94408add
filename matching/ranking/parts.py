"""The five parts of a supplier's score. Each returns its points and the reason for them as a
code with parameters; Reasons are made only for the suppliers that are shown."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from matching.labels import LabelFacts, lists_on, state_on
from matching.ranking.model import Need
from matching.ranking.weights import GRACE_SHARE, SPREAD_HALF
from matching.sroi.rulesets import RuleSet
from matching.sroi.valuation import label_name
from matching.text import fold

Scored = tuple[int, str, dict[str, Any]]  # points, reason code, reason parameters


UNKNOWN_SHARE = Decimal(-1)  # what the label counts is unknown under the rule set (shown so, never as 0%)


def _share(rules: RuleSet, register: str, level: str | None, pso30plus: bool) -> Decimal:
    rule = rules.purchase_rule(register, level, pso30plus)
    if rule is None:
        return UNKNOWN_SHARE if rules.labels_unknown else Decimal(0)
    return rule.share if rule.share is not None else UNKNOWN_SHARE


def counting_label(
    labels: tuple[LabelFacts, ...], need: Need, day: date, grace_days: int
) -> tuple[LabelFacts | None, Decimal]:
    """Of a candidate's labels: the one held on `day` under which a purchase counts most, and that
    share (0 when none; UNKNOWN_SHARE when the rule set does not say what it counts)."""
    best: tuple[LabelFacts | None, Decimal] = (None, Decimal(-1))
    for label in labels:
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


def spread(open_matches: int, weight: int) -> Scored:
    """Enterprises with many open or recent matches rank a little lower (spend reaches more of them)."""
    points = round(weight * SPREAD_HALF / (SPREAD_HALF + open_matches))
    return points, "ranking.spread", {"open": open_matches}
