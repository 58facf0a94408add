"""SROI rule sets as data: one region's "bouwblokken" table, read from the shape of
matching/data/sroi_rulesets.yaml (the published tables with their sources).

A rule set says what the obligation is (percentage of the contract value), how hires count
(blocks with a value per year, per month or per learn-work year, for how many years, and
supplements), how much of a purchase's invoice counts per register label, and how social
activities count. Figures marked `confirmed: false` stay visible as unconfirmed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent.parent / "data" / "sroi_rulesets.yaml"
DEFAULT_PERCENTAGE = Decimal("5")
DEFAULT_FULLTIME_HOURS = Decimal("36")
# Which purchases count: (register, level or "*") per purchase key in the published tables.
PURCHASE_KEYS = {
    "code_sociale_ondernemingen_register": [("code", "Toegelaten"), ("code", "Aspirant")],
    "social_enterprise_nl_member": [("senl", "Lid"), ("senl", "BOOST")],
    "social_enterprise": [("pso", "*"), ("code", "Toegelaten"), ("code", "Aspirant"), ("senl", "*")],
    "social_enterprise_or_sw_company": [
        ("pso", "*"),
        ("code", "Toegelaten"),
        ("code", "Aspirant"),
        ("senl", "*"),
    ],
    "pso": [("pso", "*")],
    "pso_30_plus": [("pso", "30+")],
}


class RuleSetError(ValueError):
    """A rule set that cannot be used, with what is wrong."""


@dataclass(frozen=True)
class HireBlock:
    block: str
    unit: str  # "year" (pro-rated by hours and months), "month", "learn_work_year" or "each"
    value: Decimal
    counts_years: Decimal | None = None  # None: no limit
    value_range: tuple[Decimal, Decimal] | None = None
    confirmed: bool = True


@dataclass(frozen=True)
class Supplement:
    when: str
    add: Decimal


@dataclass(frozen=True)
class PurchaseRule:
    key: str
    register: str
    level: str  # a level, "*" for any, "30+" for PSO 30+
    share: Decimal
    confirmed: bool = True
    note: str | None = None


@dataclass(frozen=True)
class RuleSet:
    id: str
    version: int
    name: str
    percentage: Decimal
    fulltime_hours: Decimal
    hires: dict[str, HireBlock]
    supplements: dict[str, Supplement]
    purchases: list[PurchaseRule]
    activity_per_hour: Decimal | None
    activity_confirmed: bool
    regional_suppliers_only: bool = False
    threshold: Decimal | None = None  # contract value excl. VAT above which social return is asked
    counting_states: tuple[str, ...] = ("active", "grace")  # label states whose purchases count
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def purchase_rule(self, register: str, level: str | None, pso30plus: bool) -> PurchaseRule | None:
        """The most generous rule that applies to a label (PSO 30+ may count more than the level)."""
        found = [
            rule
            for rule in self.purchases
            if rule.register == register
            and (rule.level in ("*", level) or (rule.level == "30+" and pso30plus))
        ]
        return max(found, key=lambda rule: (rule.share, rule.key), default=None)


def _money(value: Any, where: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except Exception:
        raise RuleSetError(f"{where}: {value!r} is not an amount") from None
    if amount < 0 or not amount.is_finite():
        raise RuleSetError(f"{where}: {value!r} is not an amount")
    return amount


def _hire_block(entry: dict[str, Any]) -> HireBlock:
    name = str(entry.get("block") or "")
    if not name:
        raise RuleSetError(f"a hire block without a name: {entry}")
    counts = entry.get("counts_years")
    limit = None if counts is None else _money(counts, f"{name}.counts_years")
    confirmed = entry.get("confirmed", True) is not False
    if "per_year" in entry:
        return HireBlock(name, "year", _money(entry["per_year"], name), limit, confirmed=confirmed)
    if "per_month" in entry:
        return HireBlock(name, "month", _money(entry["per_month"], name), limit, confirmed=confirmed)
    if "per_learn_work_year" in entry:
        return HireBlock(
            name, "learn_work_year", _money(entry["per_learn_work_year"], name), limit, confirmed=confirmed
        )
    if "per_year_range" in entry:
        low, high = (_money(v, name) for v in entry["per_year_range"])
        return HireBlock(name, "year", low, limit, value_range=(low, high), confirmed=confirmed)
    if "amount" in entry:
        return HireBlock(name, "each", _money(entry["amount"], name), limit, confirmed=confirmed)
    raise RuleSetError(f"hire block {name}: no per_year, per_month, per_learn_work_year or amount")


def _purchase_rules(purchases: dict[str, Any]) -> tuple[list[PurchaseRule], Decimal | None, bool]:
    """Purchase rules from the table's several shapes; also an activity rate found among them."""
    rules: list[PurchaseRule] = []
    activity: Decimal | None = None
    activity_confirmed = True

    def add(key: str, spec: dict[str, Any], inherited_confirmed: bool) -> None:
        nonlocal activity, activity_confirmed
        confirmed = inherited_confirmed and spec.get("confirmed", True) is not False
        share: Decimal | None = None
        if "share_of_invoice_excl_vat" in spec:
            share = _money(spec["share_of_invoice_excl_vat"], key)
        elif (
            str(spec.get("counts", "")).startswith(("invoice", "paid_invoices"))
            or spec.get("or") == "invoice_of_activity"
        ):
            share = Decimal("1")
        if "per_hour_of_activity" in spec:
            activity = _money(spec["per_hour_of_activity"], key)
            activity_confirmed = confirmed
        note = "by_agreement_with_adviser" if spec.get("by_agreement_with_adviser") else None
        if share is not None and share > 1:
            raise RuleSetError(f"{key}: a share above 100%")
        for register, level in PURCHASE_KEYS.get(key, []):
            rules.append(
                PurchaseRule(
                    key, register, level, share if share is not None else Decimal("0"), confirmed, note
                )
            )

    for key, spec in (purchases or {}).items():
        if not isinstance(spec, dict):
            continue
        if key in PURCHASE_KEYS or key == "sw_company":
            add(key, spec, True)
        else:  # a named practice nested under the table ("practice_twente")
            nested_confirmed = spec.get("confirmed", True) is not False
            for inner, inner_spec in spec.items():
                if isinstance(inner_spec, dict):
                    add(inner, inner_spec, nested_confirmed)
    return rules, activity, activity_confirmed


def _states(value: Any) -> tuple[str, ...]:
    states = tuple(str(state) for state in value or ())
    if not set(states) <= {"active", "grace"} or "active" not in states:
        raise RuleSetError("label_states_counting: active, and grace if a label in grace counts")
    return states


def parse(entry: dict[str, Any], version: int = 1) -> RuleSet:
    """A rule set from one `rulesets` entry of the YAML shape."""
    if not isinstance(entry, dict) or not entry.get("id"):
        raise RuleSetError("a rule set needs an id")
    hires = [_hire_block(block) for block in entry.get("hires") or []]
    names = [block.block for block in hires]
    if len(set(names)) != len(names):
        raise RuleSetError(f"{entry['id']}: a hire block appears twice")
    supplements = {
        str(item["when"]): Supplement(str(item["when"]), _money(item.get("add"), str(item["when"])))
        for item in entry.get("supplements") or []
    }
    purchases, activity, activity_confirmed = _purchase_rules(entry.get("purchases") or {})
    for item in entry.get("activities") or []:
        if "per_hour_per_employee" in item or "per_hour" in item:
            activity = _money(item.get("per_hour_per_employee", item.get("per_hour")), "activities")
            activity_confirmed = item.get("confirmed", True) is not False
    percentage = _money(entry.get("percentage", DEFAULT_PERCENTAGE), "percentage")
    hours = _money(entry.get("fulltime_hours_per_week", DEFAULT_FULLTIME_HOURS), "fulltime_hours_per_week")
    if not 0 < percentage <= 100 or not 0 < hours <= 60:
        raise RuleSetError(f"{entry['id']}: percentage or full-time hours out of range")
    return RuleSet(
        id=str(entry["id"]),
        version=version,
        name=str(entry.get("name") or entry["id"]),
        percentage=percentage,
        fulltime_hours=hours,
        hires={block.block: block for block in hires},
        supplements=supplements,
        purchases=purchases,
        activity_per_hour=activity,
        activity_confirmed=activity_confirmed,
        regional_suppliers_only=bool(entry.get("regional_suppliers_only", False)),
        threshold=_money(entry["threshold_excl_vat"], "threshold_excl_vat")
        if entry.get("threshold_excl_vat")
        else None,
        counting_states=_states(entry.get("label_states_counting", ["active", "grace"])),
        sources=tuple(entry.get("sources") or ()),
    )


@lru_cache(maxsize=1)
def published() -> dict[str, list[dict[str, Any]]]:
    """The shipped tables: each rule set id with its versions' entries, oldest first."""
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    versions: dict[str, list[dict[str, Any]]] = {}
    for entry in [*data.get("rulesets", []), *data.get("later_versions", [])]:
        versions.setdefault(entry["id"], []).append(entry)
    return versions
