"""SROI rule sets as data: one region's "bouwblokken" table, read from the shape of
matching/data/sroi_rulesets.yaml (the published tables with their sources).

A rule set says what the obligation is (percentage of the contract value), how hires count
(blocks with a value per year, per month or per learn-work year, for how many years, and
supplements), how much of a purchase's invoice counts per register label, and how social
activities count. Figures marked `confirmed: false` stay visible as unconfirmed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from matching.sroi.evidence import EvidenceRuleError, EvidenceRules, parse_evidence

DATA = Path(__file__).resolve().parent.parent / "data" / "sroi_rulesets.yaml"
DEFAULT_PERCENTAGE = Decimal("5")
UNKNOWN = "unknown"  # a figure no source gives: shown as "onbekend: uw coördinator stelt dit vast"
# Which labels count per purchase key when a rule set's data has no `labels` (versions stored before
# labels were data): certified labels only, never an Aspirant status or an application.
PSO_CERTIFIED = (("pso", "Basistrede"), ("pso", "Trede 1"), ("pso", "Trede 2"), ("pso", "Trede 3"))
DEFAULT_LABELS: dict[str, tuple[tuple[str, str], ...]] = {
    "code_sociale_ondernemingen_register": (("code", "Toegelaten"),),
    "social_enterprise_nl_member": (("senl", "*"),),
    "social_enterprise": (*PSO_CERTIFIED, ("code", "Toegelaten"), ("senl", "*")),
    "social_enterprise_or_sw_company": (*PSO_CERTIFIED, ("code", "Toegelaten"), ("senl", "*")),
    "pso": PSO_CERTIFIED,
    "pso_30_plus": (("pso", "30+"),),
    "sw_company": (),
    "learn_work_company": (),
}  # fmt: skip
# No register names SW companies or learn-work companies: each region's coordinators keep a list
# (marketplace/sroi/rulesets/company_lists.py), and a company on it holds the label "list:<kind>". The
# purchase keys that name such companies count it, whatever labels the data adds for them.
LIST_LABELS: dict[str, tuple[tuple[str, str], ...]] = {
    "sw_company": (("list", "sw_company"),),
    "social_enterprise_or_sw_company": (("list", "sw_company"),),
    "learn_work_company": (("list", "learn_work_company"),),
}
PURCHASE_KEYS = DEFAULT_LABELS
# Bounds on every figure (an edit outside them is refused with a message).
MAX_PER_YEAR = Decimal("1000000")
MAX_HOURS = Decimal("60")
MAX_YEARS = Decimal("50")
PLAIN_NUMBER = re.compile(r"\d{1,12}(\.\d{1,8})?")


class RuleSetError(ValueError):
    """A rule set that cannot be used, with what is wrong."""


@dataclass(frozen=True)
class Source:
    """Where a figure comes from: a document of the rule set and the sentence or row as published."""

    document: str = ""
    title: str = ""
    url: str = ""
    version: str = ""
    date: str = ""
    quote: str = ""


@dataclass(frozen=True)
class HireBlock:
    block: str
    unit: str  # "year" (pro rata by hours and calendar months), "month", "learn_work_year" or "each"
    value: Decimal | None  # None: unknown
    counts_years: Decimal | None = None  # None: no limit
    value_range: tuple[Decimal, Decimal] | None = None
    confirmed: bool = True
    nl: str = ""
    en: str = ""
    source: Source = Source()


@dataclass(frozen=True)
class Supplement:
    when: str
    add: Decimal | None
    once_per_hire: bool = False  # only when the data says so (with its source)
    nl: str = ""
    en: str = ""
    source: Source = Source()


@dataclass(frozen=True)
class PurchaseRule:
    key: str
    register: str
    level: str  # a level, "*" for any, "30+" for PSO 30+
    share: Decimal | None  # None: unknown
    confirmed: bool = True
    note: str | None = None
    source: Source = Source()


@dataclass(frozen=True)
class RuleSet:
    id: str
    version: int
    name: str
    percentage: Decimal
    fulltime_hours: Decimal | None  # None: no source gives it; the coordinator sets it
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
    nl: str = ""
    en: str = ""
    labels_unknown: tuple[str, ...] = ()  # purchase keys whose qualifying labels no source names
    threshold_refuses: bool = False  # below the threshold: refuse (True) or warn (False)
    threshold_source: Source = Source()
    fulltime_source: Source = Source()
    evidence: EvidenceRules = field(default_factory=EvidenceRules)  # documents asked per kind

    def purchase_rule(self, register: str, level: str | None, pso30plus: bool) -> PurchaseRule | None:
        """The most generous rule that applies to a label (PSO 30+ may count more than the level);
        a rule whose share is unknown only when no known one applies."""
        found = [
            rule
            for rule in self.purchases
            if rule.register == register
            and (rule.level in ("*", level) or (rule.level == "30+" and pso30plus))
        ]
        known = [rule for rule in found if rule.share is not None]
        if known:
            return max(known, key=lambda rule: (rule.share, rule.key))
        return found[0] if found else None


def _unknown(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() in (UNKNOWN, "onbekend")


def _money(value: Any, where: str, maximum: Decimal | None = None) -> Decimal:
    """A figure within its bounds; text that is not a plain number is refused before any arithmetic
    (so 1e999999 never becomes a number with a million digits)."""
    text = str(value).strip()
    if isinstance(value, bool) or not (isinstance(value, int | float) or PLAIN_NUMBER.fullmatch(text)):
        raise RuleSetError(f"{where}: {text[:40]!r} is not an amount")
    try:
        amount = Decimal(text)
    except Exception:
        raise RuleSetError(f"{where}: {text[:40]!r} is not an amount") from None
    if not amount.is_finite() or amount < 0:
        raise RuleSetError(f"{where}: {text[:40]!r} is not an amount")
    limit = MAX_PER_YEAR if maximum is None else maximum
    if amount > limit:
        raise RuleSetError(f"{where}: {text[:40]!r} is above the bound of {limit:f}")
    return amount


def _figure(value: Any, where: str, maximum: Decimal | None = None) -> Decimal | None:
    return None if _unknown(value) else _money(value, where, maximum)


def _documents(entry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        str(doc.get("id")): doc
        for doc in entry.get("documents") or []
        if isinstance(doc, dict) and doc.get("id") is not None
    }


def _source(spec: Any, documents: dict[str, dict[str, Any]]) -> Source:
    if not isinstance(spec, dict):
        return Source()
    key = str(spec.get("source") or "")
    doc = documents.get(key, {})
    url = str(doc.get("url") or (key if key.startswith("http") else ""))
    return Source(key, str(doc.get("title") or ""), url, str(doc.get("version") or ""),
                  str(doc.get("date") or ""), str(spec.get("quote") or ""))  # fmt: skip


def _hire_block(entry: dict[str, Any], documents: dict[str, dict[str, Any]]) -> HireBlock:
    name = str(entry.get("block") or "")
    if not name:
        raise RuleSetError(f"a hire block without a name: {entry}")
    counts = entry.get("counts_years")
    limit = None if counts is None else _money(counts, f"{name}.counts_years", MAX_YEARS)
    extra = {
        "confirmed": entry.get("confirmed", True) is not False,
        "nl": str(entry.get("nl") or ""),
        "en": str(entry.get("en") or ""),
        "source": _source(entry, documents),
    }
    units = (("per_year", "year"), ("per_month", "month"), ("per_learn_work_year", "learn_work_year"),
             ("per_activity", "each"), ("amount", "each"))  # fmt: skip
    for key, unit in units:
        if key in entry:
            return HireBlock(name, unit, _figure(entry[key], f"{name}.{key}"), limit, **extra)
    if "per_year_range" in entry:
        low, high = (_money(v, name) for v in entry["per_year_range"])
        return HireBlock(name, "year", low, limit, value_range=(low, high), **extra)
    raise RuleSetError(f"hire block {name}: no per_year, per_month, per_learn_work_year or per_activity")


def _levels(value: Any, key: str) -> tuple[tuple[str, str], ...]:
    found = []
    for item in value or ():
        register, _, level = str(item).partition(":")
        if register not in ("pso", "code", "senl", "list") or not level:
            raise RuleSetError(f"labels.{key}: {item!r} is not register:level")
        found.append((register, level))
    return tuple(found)


def _labels(entry: dict[str, Any]) -> tuple[dict[str, tuple[tuple[str, str], ...]], list[str]]:
    """Which labels count per purchase key (the data's `labels`, else the certified-only default)."""
    given = entry.get("labels")
    if not isinstance(given, dict):
        return dict(DEFAULT_LABELS), []
    labels: dict[str, tuple[tuple[str, str], ...]] = {}
    unknown: list[str] = []
    for key, spec in given.items():
        counts = spec.get("counts") if isinstance(spec, dict) else spec
        if _unknown(counts):
            unknown.append(str(key))
            labels[str(key)] = ()
        else:
            labels[str(key)] = _levels(counts, str(key))
    return labels, unknown


def _purchase_rules(
    purchases: dict[str, Any],
    labels: dict[str, tuple[tuple[str, str], ...]],
    documents: dict[str, dict[str, Any]],
) -> tuple[list[PurchaseRule], Decimal | None, bool]:
    """Purchase rules from the table's several shapes; also an activity rate found among them."""
    rules: list[PurchaseRule] = []
    activity: Decimal | None = None
    activity_confirmed = True

    def add(key: str, spec: dict[str, Any], inherited_confirmed: bool) -> None:
        nonlocal activity, activity_confirmed
        confirmed = inherited_confirmed and spec.get("confirmed", True) is not False
        share: Decimal | None = None
        known = True
        if "share_of_invoice_excl_vat" in spec:
            share = _figure(spec["share_of_invoice_excl_vat"], key, Decimal(1))
            known = share is not None
        elif (
            str(spec.get("counts", "")).startswith(("invoice", "paid_invoices"))
            or spec.get("or") == "invoice_of_activity"
        ):
            share = Decimal("1")
        if "per_hour_of_activity" in spec:
            activity = _figure(spec["per_hour_of_activity"], key, Decimal(10000))
            activity_confirmed = confirmed
        note = "by_agreement_with_adviser" if spec.get("by_agreement_with_adviser") else None
        counting = (*labels.get(key, DEFAULT_LABELS.get(key, ())), *LIST_LABELS.get(key, ()))
        for register, level in dict.fromkeys(counting):
            value = share if share is not None else (None if not known else Decimal("0"))
            rules.append(PurchaseRule(key, register, level, value, confirmed, note, _source(spec, documents)))

    for key, spec in (purchases or {}).items():
        if not isinstance(spec, dict):
            continue
        if key in DEFAULT_LABELS or key in labels:
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
    documents = _documents(entry)
    hires = [_hire_block(block, documents) for block in entry.get("hires") or []]
    names = [block.block for block in hires]
    if len(set(names)) != len(names):
        raise RuleSetError(f"{entry['id']}: a hire block appears twice")
    supplements = {
        str(item["when"]): Supplement(
            str(item["when"]), _figure(item.get("add"), str(item["when"])), item.get("once_per_hire") is True,
            str(item.get("nl") or ""), str(item.get("en") or ""), _source(item, documents),
        )
        for item in entry.get("supplements") or []
    }  # fmt: skip
    labels, labels_unknown = _labels(entry)
    purchases, activity, activity_confirmed = _purchase_rules(entry.get("purchases") or {}, labels, documents)
    for item in entry.get("activities") or []:
        if "per_hour_per_employee" in item or "per_hour" in item:
            activity = _figure(
                item.get("per_hour_per_employee", item.get("per_hour")), "activities", Decimal(10000)
            )
            activity_confirmed = item.get("confirmed", True) is not False
    percentage = _money(entry.get("percentage", DEFAULT_PERCENTAGE), "percentage", Decimal(100))
    hours = _figure(entry.get("fulltime_hours_per_week", UNKNOWN), "fulltime_hours_per_week", MAX_HOURS)
    if not 0 < percentage <= 100 or (hours is not None and not 0 < hours <= MAX_HOURS):
        raise RuleSetError(f"{entry['id']}: percentage or full-time hours out of range")
    threshold = entry.get("threshold_excl_vat")
    try:
        evidence = parse_evidence(entry)
    except EvidenceRuleError as error:
        raise RuleSetError(f"{entry['id']}: {error}") from None
    return RuleSet(
        id=str(entry["id"]),
        version=version,
        name=str(entry.get("nl") or entry.get("name") or entry["id"]),
        percentage=percentage,
        fulltime_hours=hours,
        hires={block.block: block for block in hires},
        supplements=supplements,
        purchases=purchases,
        activity_per_hour=activity,
        activity_confirmed=activity_confirmed,
        regional_suppliers_only=bool(entry.get("regional_suppliers_only", False)),
        threshold=_money(threshold, "threshold_excl_vat", Decimal("1000000000")) if threshold else None,
        counting_states=_states(entry.get("label_states_counting", ["active", "grace"])),
        sources=tuple(str(url) for url in entry.get("sources") or ()),
        nl=str(entry.get("nl") or entry.get("name") or entry["id"]),
        en=str(entry.get("en") or entry.get("name") or entry["id"]),
        labels_unknown=tuple(labels_unknown),
        threshold_refuses=entry.get("below_threshold") == "refuse",
        threshold_source=_source(entry.get("threshold_source"), documents),
        fulltime_source=_source(entry.get("fulltime_hours_source"), documents),
        evidence=evidence,
    )


NO_RULESET_NAMES = {"nl": "geen regelset bekend", "en": "no rule set known"}


def no_ruleset() -> RuleSet:
    """What an obligation waiting for its rule set counts under: nothing known. Every purchase's
    share is unknown (a ranking says "onbekend", never 0%), no hire or activity has a value."""
    return RuleSet(id="", version=0, name=NO_RULESET_NAMES["nl"], percentage=DEFAULT_PERCENTAGE,
                   fulltime_hours=None, hires={}, supplements={}, purchases=[], activity_per_hour=None,
                   activity_confirmed=False, nl=NO_RULESET_NAMES["nl"], en=NO_RULESET_NAMES["en"],
                   labels_unknown=("social_enterprise",))  # fmt: skip


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def published() -> dict[str, list[dict[str, Any]]]:
    """The shipped tables: each rule set id with its versions' entries, oldest first."""
    data = _data()
    versions: dict[str, list[dict[str, Any]]] = {}
    for entry in [*data.get("rulesets", []), *data.get("later_versions", [])]:
        versions.setdefault(entry["id"], []).append(entry)
    return versions


@dataclass(frozen=True)
class Threshold:
    """A published contract value from which (or above which) a region asks social return."""

    who: str
    amount: Decimal
    soft: bool  # "veelal": usually, so a warning, never a refusal
    url: str
    quote: str


@lru_cache(maxsize=1)
def region_thresholds() -> dict[str, Threshold]:
    """The shipped thresholds by the region (or authority) they belong to, each with its source."""
    found: dict[str, Threshold] = {}
    for item in _data().get("obligation_defaults", {}).get("thresholds") or []:
        amount = item.get("over", item.get("from"))
        if amount is None:
            continue
        who = str(item["who"])
        found[who] = Threshold(who, _money(amount, who, Decimal("1000000000")), item.get("soft") is True,
                               str(item.get("source") or ""), str(item.get("quote") or ""))  # fmt: skip
    return found


@lru_cache(maxsize=1)
def names() -> dict[str, dict[str, dict[str, str]]]:
    """Dutch and English names by kind ("block", "supplement", "ruleset", "unit", "purchase") and key,
    from the shipped data: what a page shows instead of a key (also for reasons stored long ago)."""
    found: dict[str, dict[str, dict[str, str]]] = {
        kind: {} for kind in ("block", "supplement", "ruleset", "unit", "purchase", "activity", "document")
    }
    for entries in published().values():
        for entry in entries:
            for key in (str(entry["id"]), str(entry.get("name") or ""), str(entry.get("nl") or "")):
                found["ruleset"].setdefault(
                    key, {"nl": entry.get("nl") or entry["name"], "en": entry.get("en") or entry["name"]}
                )
            for kind, items, key in (("block", "hires", "block"), ("supplement", "supplements", "when"),
                                     ("activity", "activities", "what")):  # fmt: skip
                for item in entry.get(items) or []:
                    if item.get("nl") and item.get("en"):
                        found[kind].setdefault(str(item[key]), {"nl": item["nl"], "en": item["en"]})
    found["ruleset"][NO_RULESET_NAMES["nl"]] = dict(NO_RULESET_NAMES)
    for kind, table in (("unit", "units"), ("purchase", "purchases")):
        for key, words in (_data().get("names", {}).get(table) or {}).items():
            found[kind][str(key)] = {"nl": words["nl"], "en": words["en"]}
    for key, words in (_data().get("evidence_documents") or {}).items():  # the documents asked as evidence
        found["document"][str(key)] = {"nl": words["nl"], "en": words["en"]}
    return found


def name_of(kind: str, key: str, language: str = "nl") -> str:
    """A key's name in the language (Dutch when the language has none); the key never reaches a person:
    an unnamed key reads as words ("social_activity" -> "social activity")."""
    words = names().get(kind, {}).get(key)
    if words:
        return words.get(language) or words["nl"]
    return key.replace("_", " ")
