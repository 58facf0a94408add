"""How much a contribution counts towards an SROI obligation under one rule-set version.

In: a contribution (a hire, a purchase with the supplier's label facts, a social activity)
and a RuleSet. Out: a Valuation: the amount in euros (Decimal, rounded half-up to the cent
once, at the end), the rule set id and version, whether it counts, and its reasons as data.
Never a float.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from matching.labels import DEFAULT_GRACE_DAYS, LabelFacts, listed_period
from matching.reasons import Reason
from matching.sroi.rulesets import RuleSet

CENT = Decimal("0.01")
REGISTER_NAMES = {"pso": "PSO", "code": "Code Sociale Ondernemingen", "senl": "Social Enterprise NL"}


@dataclass(frozen=True)
class Valuation:
    amount: Decimal
    ruleset: str
    version: int
    counts: bool
    reasons: tuple[Reason, ...]
    label: str | None = None  # for a purchase that counts: the label that made it count, "register:level"

    def to_json(self) -> dict[str, object]:
        return {
            "amount": f"{self.amount:.2f}",
            "ruleset": self.ruleset,
            "version": self.version,
            "counts": self.counts,
            "reasons": [reason.to_json() for reason in self.reasons],
        }


@dataclass(frozen=True)
class Hire:
    block: str
    hours_per_week: Decimal
    start: date
    end: date
    supplements: tuple[str, ...] = ()


@dataclass(frozen=True)
class Purchase:
    invoice_date: date
    amount_excl_vat: Decimal
    labels: tuple[LabelFacts, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Activity:
    hours: Decimal


def euros(amount: Decimal) -> str:
    """An amount as a parameter of a reason: a string with two decimals (exact, no float)."""
    return f"{amount.quantize(CENT, ROUND_HALF_UP):.2f}"


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, ROUND_HALF_UP)


def months_between(start: date, end: date) -> Decimal:
    """Calendar months from start to end, both days included; a part month by its days."""
    if end < start:
        return Decimal(0)
    stop = end + timedelta(days=1)
    months = 0
    cursor = start
    while True:
        year, month = divmod(cursor.month, 12)
        following = _same_day(cursor.year + year, month + 1, start.day)
        if following > stop:
            break
        months += 1
        cursor = following
    days_in_month = calendar.monthrange(cursor.year, cursor.month)[1]
    return Decimal(months) + Decimal((stop - cursor).days) / Decimal(days_in_month)


def _same_day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def value_hire(hire: Hire, rules: RuleSet) -> Valuation:
    reasons: list[Reason] = []
    block = rules.hires.get(hire.block)
    if block is None:
        reason = Reason("sroi.unknown_block", {"block": hire.block, "ruleset": rules.name})
        return Valuation(Decimal("0.00"), rules.id, rules.version, False, (reason,))
    months = months_between(hire.start, hire.end)
    asked = months
    if block.counts_years is not None and months > block.counts_years * 12:
        months = block.counts_years * 12
        reasons.append(
            Reason("sroi.hire_capped", {"years": str(block.counts_years.normalize()), "months": _num(asked)})
        )
    if block.unit == "year":
        share = min(hire.hours_per_week / rules.fulltime_hours, Decimal(1))
        amount = block.value * share * months / 12
        reasons.insert(
            0,
            Reason(
                "sroi.hire_year",
                {
                    "block": block.block,
                    "per_year": euros(block.value),
                    "hours": _num(hire.hours_per_week),
                    "fulltime": _num(rules.fulltime_hours),
                    "months": _num(months),
                    "amount": euros(amount),
                },
            ),
        )
        if block.value_range:
            low, high = block.value_range
            reasons.append(Reason("sroi.range_lower_bound", {"low": euros(low), "high": euros(high)}))
    elif block.unit == "month":
        amount = block.value * months
        reasons.insert(
            0,
            Reason(
                "sroi.hire_month",
                {
                    "block": block.block,
                    "per_month": euros(block.value),
                    "months": _num(months),
                    "amount": euros(amount),
                },
            ),
        )
    elif block.unit == "learn_work_year":
        amount = block.value * months / 12
        reasons.insert(
            0,
            Reason(
                "sroi.hire_learn_work_year",
                {
                    "block": block.block,
                    "per_year": euros(block.value),
                    "months": _num(months),
                    "amount": euros(amount),
                },
            ),
        )
    else:
        amount = block.value
        reasons.insert(0, Reason("sroi.hire_each", {"block": block.block, "amount": euros(amount)}))
    for name in hire.supplements:
        supplement = rules.supplements.get(name)
        if supplement is None:
            reasons.append(Reason("sroi.unknown_supplement", {"supplement": name, "ruleset": rules.name}))
            continue
        amount += supplement.add
        reasons.append(Reason("sroi.supplement", {"supplement": name, "amount": euros(supplement.add)}))
    if not block.confirmed:
        reasons.append(Reason("sroi.unconfirmed"))
    return Valuation(cents(amount), rules.id, rules.version, amount > 0, tuple(reasons))


def _num(value: Decimal) -> str:
    """A count as a short exact string: 12, 7.5, 3.23."""
    rounded = value.quantize(CENT, ROUND_HALF_UP).normalize()
    return f"{rounded:f}"


def label_name(label: LabelFacts) -> str:
    level = "PSO 30+" if label.pso30plus else label.level
    return f"{REGISTER_NAMES[label.register]} ({level})" if level else REGISTER_NAMES[label.register]


def _held_on(label: LabelFacts, day: date, grace_days: int) -> Reason | None:
    """None when the label held on `day`, else why not."""
    if label.state == "applied":
        return Reason("sroi.application_only", {"label": label_name(label)})
    start, end = listed_period(label, grace_days)
    if start is not None and day < start:
        return Reason(
            "sroi.label_not_yet",
            {"label": label_name(label), "from": start.isoformat(), "invoice_date": day.isoformat()},
        )
    if end is not None and day > end:
        return Reason(
            "sroi.label_ended",
            {"label": label_name(label), "until": end.isoformat(), "invoice_date": day.isoformat()},
        )
    return None


def value_purchase(purchase: Purchase, rules: RuleSet, grace_days: int = DEFAULT_GRACE_DAYS) -> Valuation:
    """The share of the invoice that counts for the best label the supplier held on the invoice date."""
    best: tuple[Decimal, LabelFacts, object] | None = None
    refusals: list[Reason] = []
    for label in purchase.labels:
        why_not = _held_on(label, purchase.invoice_date, grace_days)
        if why_not is not None:
            refusals.append(why_not)
            continue
        if label.state == "grace" and "grace" not in rules.counting_states:
            refusals.append(
                Reason("sroi.grace_not_counted", {"label": label_name(label), "ruleset": rules.name})
            )
            continue
        rule = rules.purchase_rule(label.register, label.level, label.pso30plus)
        if rule is None or rule.share == 0:
            refusals.append(
                Reason("sroi.label_not_counted", {"label": label_name(label), "ruleset": rules.name})
            )
            continue
        if best is None or rule.share > best[0]:
            best = (rule.share, label, rule)
    if best is None:
        if not purchase.labels:
            refusals.append(Reason("sroi.no_label"))
        return Valuation(Decimal("0.00"), rules.id, rules.version, False, tuple(refusals))
    share, label, rule = best
    amount = purchase.amount_excl_vat * share
    reasons = [
        Reason(
            "sroi.purchase",
            {
                "label": label_name(label),
                "share": _num(share * 100),
                "invoice": euros(purchase.amount_excl_vat),
                "amount": euros(amount),
            },
        )
    ]
    if label.state == "grace":
        reasons.append(Reason("sroi.label_in_grace", {"label": label_name(label)}))
    if not rule.confirmed:  # type: ignore[attr-defined]
        reasons.append(Reason("sroi.unconfirmed"))
    if rule.note == "by_agreement_with_adviser":  # type: ignore[attr-defined]
        reasons.append(Reason("sroi.by_agreement"))
    return Valuation(
        cents(amount), rules.id, rules.version, True, tuple(reasons), f"{label.register}:{label.level}"
    )


def value_activity(activity: Activity, rules: RuleSet) -> Valuation:
    if rules.activity_per_hour is None:
        reason = Reason("sroi.no_activity_rate", {"ruleset": rules.name})
        return Valuation(Decimal("0.00"), rules.id, rules.version, False, (reason,))
    amount = activity.hours * rules.activity_per_hour
    reasons = [
        Reason(
            "sroi.activity",
            {
                "hours": _num(activity.hours),
                "per_hour": euros(rules.activity_per_hour),
                "amount": euros(amount),
            },
        )
    ]
    if not rules.activity_confirmed:
        reasons.append(Reason("sroi.unconfirmed"))
    return Valuation(cents(amount), rules.id, rules.version, amount > 0, tuple(reasons))


def required_amount(contract_value: Decimal, percentage: Decimal) -> Decimal:
    """What an obligation asks: the percentage of the contract value excl. VAT, to the cent."""
    return cents(contract_value * percentage / 100)
