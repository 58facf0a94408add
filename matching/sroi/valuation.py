"""How much a contribution counts towards an SROI obligation under one rule-set version.

In: a contribution (a hire, a purchase with the supplier's label facts, a social activity)
and a RuleSet. Out: a Valuation: the amount in euros (Decimal, rounded half-up to the cent
once, at the end), the rule set id and version, whether it counts, and its reasons as data.
Never a float.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from matching.labels import DEFAULT_GRACE_DAYS, LabelFacts, listed_period
from matching.reasons import Reason
from matching.sroi.rulesets import RuleSet, name_of

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
    # An SENL membership's start as the contractor proved it with evidence (SENL shows no dates):
    # used when it is earlier than the day we first saw the membership.
    senl_member_since: date | None = None


@dataclass(frozen=True)
class Activity:
    hours: Decimal


def euros(amount: Decimal) -> str:
    """An amount as a parameter of a reason: a string with two decimals (exact, no float)."""
    return f"{amount.quantize(CENT, ROUND_HALF_UP):.2f}"


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, ROUND_HALF_UP)


def month_parts(start: date, end: date) -> list[tuple[int, int]]:
    """Per calendar month from start to end (both included): (days worked in it, days of that month)."""
    parts: list[tuple[int, int]] = []
    if end < start:
        return parts
    cursor = date(start.year, start.month, 1)
    while cursor <= end:
        days = calendar.monthrange(cursor.year, cursor.month)[1]
        last = date(cursor.year, cursor.month, days)
        worked = (min(end, last) - max(start, cursor)).days + 1
        parts.append((worked, days))
        cursor = last + timedelta(days=1)
    return parts


def months_between(start: date, end: date) -> Decimal:
    """Calendar months from start to end, both days included: a whole calendar month is 1, a part
    month the days worked in it ÷ the days of that month (15 March to 30 September = 17/31 + 6)."""
    return sum((Decimal(worked) / Decimal(days) for worked, days in month_parts(start, end)), Decimal(0))


def months_expression(start: date, end: date) -> str:
    """The months as the sum a person can redo: "17/31 + 6", "6", "14/28"."""
    terms: list[str] = []
    whole = 0
    for worked, days in month_parts(start, end):
        if worked == days:
            whole += 1
            continue
        if whole:
            terms.append(str(whole))
            whole = 0
        terms.append(f"{worked}/{days}")
    if whole or not terms:
        terms.append(str(whole))
    return " + ".join(terms)


def _same_day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _named(kind: str, key: str, nl: str, en: str) -> dict[str, str]:
    """A key with its names, so that the reason is worded in the reader's language, never as the key."""
    return {kind: key, "name_nl": nl or name_of(kind, key, "nl"), "name_en": en or name_of(kind, key, "en")}


def unknown(figure: str, rules: RuleSet, **params: str) -> Reason:
    """A figure no source gives: "onbekend: uw coördinator stelt dit vast"."""
    return Reason("sroi.figure_unknown", {"figure": figure, "ruleset": rules.name, **params})


def _unknown_valuation(rules: RuleSet, *reasons: Reason) -> Valuation:
    return Valuation(Decimal("0.00"), rules.id, rules.version, False, tuple(reasons))


def person_months(hires: list[Hire], rules: RuleSet) -> Decimal:
    """The months the same person's earlier hires counted, in the order given, each within its block's
    counting cap less what came before it: what a next hire of that person may still count."""
    counted = Decimal(0)
    for hire in hires:
        block = rules.hires.get(hire.block)
        months = months_between(hire.start, hire.end)
        if block is not None and block.counts_years is not None:
            months = min(months, max(block.counts_years * 12 - counted, Decimal(0)))
        counted += months
    return counted


def value_hire(hire: Hire, rules: RuleSet, counted_before: Decimal = Decimal(0)) -> Valuation:
    """A hire as the table states its unit: per full-time year pro rata by hours and calendar months,
    per month, per learn-work year (pro rata by calendar months) or per activity; supplements like
    their block (pro rata, within the same counting cap) unless the data says once per hire.
    `counted_before`: months the same person's other contributions in the obligation counted already;
    a cap "at most N years" holds for the person across them, not per contribution."""
    reasons: list[Reason] = []
    block = rules.hires.get(hire.block)
    if block is None:
        reason = Reason("sroi.unknown_block", {"block": hire.block, "ruleset": rules.name})
        return Valuation(Decimal("0.00"), rules.id, rules.version, False, (reason,))
    named = _named("block", block.block, block.nl, block.en)
    if block.value is None:
        return _unknown_valuation(rules, unknown("block_value", rules, **named))
    months = months_between(hire.start, hire.end)
    expression = months_expression(hire.start, hire.end)
    if block.counts_years is not None:
        left = max(block.counts_years * 12 - counted_before, Decimal(0))
        if months > left and counted_before > 0:
            params = {"years": _num(block.counts_years), "before": _num(counted_before), "months": _num(left)}
            reasons.append(Reason("sroi.person_capped", params))
            months, expression = left, _num(left)
        elif months > left:
            reasons.append(
                Reason("sroi.hire_capped", {"years": _num(block.counts_years), "months": _num(months)})
            )
            months, expression = left, _num(left)
    share = Decimal(1)
    hours_part: dict[str, str] = {}
    if block.unit == "year":
        if rules.fulltime_hours is None:
            return _unknown_valuation(rules, unknown("fulltime_hours", rules))
        hours = min(hire.hours_per_week, rules.fulltime_hours)
        if hire.hours_per_week > rules.fulltime_hours:
            reasons.append(
                Reason(
                    "sroi.hours_capped",
                    {"hours": _num(hire.hours_per_week), "fulltime": _num(rules.fulltime_hours)},
                )
            )
        share = hours / rules.fulltime_hours
        hours_part = {"hours": _num(hours), "fulltime": _num(rules.fulltime_hours)}
        amount = block.value * share * months / 12
        params = {**named, "per_year": euros(block.value), **hours_part, "months_expr": expression}
        reasons.insert(0, Reason("sroi.hire_year", {**params, "amount": euros(amount)}))
    elif block.unit == "month":
        amount = block.value * months
        params = {**named, "per_month": euros(block.value), "months_expr": expression}
        reasons.insert(0, Reason("sroi.hire_month", {**params, "amount": euros(amount)}))
    elif block.unit == "learn_work_year":
        amount = block.value * months / 12
        params = {**named, "per_year": euros(block.value), "months_expr": expression}
        reasons.insert(0, Reason("sroi.hire_learn_work_year", {**params, "amount": euros(amount)}))
    else:
        amount = block.value
        reasons.insert(0, Reason("sroi.hire_each", {**named, "amount": euros(amount)}))
    for name in hire.supplements:
        supplement = rules.supplements.get(name)
        if supplement is None:
            reasons.append(Reason("sroi.unknown_supplement", {"supplement": name, "ruleset": rules.name}))
            continue
        words = _named("supplement", name, supplement.nl, supplement.en)
        if supplement.add is None:
            reasons.append(unknown("supplement_value", rules, **words))
            continue
        if supplement.once_per_hire or block.unit == "each":
            added = supplement.add
            reasons.append(Reason("sroi.supplement", {**words, "amount": euros(added)}))
        else:
            added = supplement.add * share * months / 12
            reasons.append(Reason("sroi.supplement_pro_rata", {**words, "per_year": euros(supplement.add),
                                                                **hours_part, "months_expr": expression,
                                                                "amount": euros(added)}))  # fmt: skip
        amount += added
    if not block.confirmed:
        reasons.append(Reason("sroi.unconfirmed"))
    return Valuation(cents(amount), rules.id, rules.version, amount > 0, tuple(reasons))


def _num(value: Decimal) -> str:
    """A count as a short exact string: 12, 7.5, 3.23."""
    rounded = value.quantize(CENT, ROUND_HALF_UP).normalize()
    return f"{rounded:f}"


def label_name(label: LabelFacts) -> str:
    """A label as a reason shows it: "PSO (Trede 2)"; a place on a region's list as "list:sw_company",
    which marketplace.core.reasons words in the reader's language."""
    if label.register == "list":
        return f"list:{label.level}"
    level = "PSO 30+" if label.pso30plus else label.level
    return f"{REGISTER_NAMES[label.register]} ({level})" if level else REGISTER_NAMES[label.register]


def _held_on(label: LabelFacts, day: date, grace_days: int) -> Reason | None:
    """None when the label held on `day`, else why not."""
    if label.state == "applied":
        return Reason("sroi.application_only", {"label": label_name(label)})
    start, end = listed_period(label, grace_days)
    if start is not None and day < start and label.register == "senl":
        # SENL shows no dates: a membership counts from the first day we saw it, and says exactly that.
        return Reason("sroi.senl_known_since", {"since": start.isoformat(), "invoice_date": day.isoformat()})
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


def _proven_start(label: LabelFacts, since: date | None) -> LabelFacts:
    """An SENL membership counts from the start the contractor proved, when that is earlier than the
    day we first saw it."""
    if label.register != "senl" or since is None or label.first_seen is None or since >= label.first_seen:
        return label
    return replace(label, first_seen=since)


def value_purchase(purchase: Purchase, rules: RuleSet, grace_days: int = DEFAULT_GRACE_DAYS) -> Valuation:
    """The share of the invoice that counts for the best label the supplier held on the invoice date."""
    best: tuple[Decimal, LabelFacts, object] | None = None
    refusals: list[Reason] = []
    known_since: dict[int, date] = {}  # a proven SENL start: the day we first saw it, by label
    for label in purchase.labels:
        seen = label.first_seen
        label = _proven_start(label, purchase.senl_member_since)
        if seen is not None and label.first_seen != seen:
            known_since[id(label)] = seen
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
        if rule is not None and rule.share is None:
            refusals.append(unknown("purchase_share", rules, label=label_name(label)))
            continue
        if rule is None and rules.labels_unknown:
            refusals.append(unknown("labels", rules, label=label_name(label),
                                    **_named("purchase", rules.labels_unknown[0], "", "")))  # fmt: skip
            continue
        if rule is None or rule.share == 0:
            refusals.append(
                Reason("sroi.label_not_counted", {"label": label_name(label), "ruleset": rules.name})
            )
            continue
        if best is None or rule.share > best[0]:  # type: ignore[operator]
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
    if label.register == "senl" and label.first_seen is not None and id(label) in known_since:
        proven = {"since": label.first_seen.isoformat(), "known_since": known_since[id(label)].isoformat()}
        reasons.append(Reason("sroi.senl_member_proven", proven))
    elif label.register == "senl" and label.first_seen is not None:
        reasons.append(Reason("sroi.senl_member", {"since": label.first_seen.isoformat()}))
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
    if rules.activity_per_hour is None and any(
        block.unit == "each" and block.value is not None for block in rules.hires.values()
    ):
        reason = Reason("sroi.activity_per_activity", {"ruleset": rules.name})
        return Valuation(Decimal("0.00"), rules.id, rules.version, False, (reason,))
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
