"""SROI obligations and contributions: register an obligation, record and value contributions,
and say where a contractor stands. Every refusal is a reason code (ObligationRefused)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from stdnum.nl import bsn

from marketplace.accounts.models import User
from marketplace.core import audit, clock
from marketplace.core.extensions import db
from marketplace.core.geography import CpvCategory, LabourMarketRegion
from marketplace.core.i18n import current_language
from marketplace.core.refusals import ServiceError
from marketplace.core.web import values as values_rules
from marketplace.organisations import labels
from marketplace.organisations.models import Organisation
from marketplace.sroi import matches
from marketplace.sroi.models import Contribution, ContributionDocument, Obligation
from marketplace.sroi.obligations import timing
from marketplace.sroi.rulesets import company_lists
from marketplace.sroi.rulesets import services as sroi_rulesets
from marketplace.sroi.settlement import lock
from matching.labels import LabelFacts
from matching.reasons import Reason
from matching.sroi import (
    Activity,
    Hire,
    Purchase,
    RuleSet,
    Valuation,
    value_activity,
    value_hire,
    value_purchase,
)
from matching.sroi.evidence import block_kind, required
from matching.sroi.rulesets import DEFAULT_PERCENTAGE, names, no_ruleset, region_thresholds
from matching.sroi.timing import split_hire
from matching.sroi.valuation import person_months, required_amount

MAX_AMOUNT = Decimal("10000000000")  # ten billion euros: anything above is a typing error
MAX_TEXT = 2000


class ObligationRefused(ServiceError):
    """An obligation or contribution that cannot be recorded, with why."""


def money(value: Any, field: str) -> Decimal:
    """Euros from a string or number ("12000", "12.000,50", "12,000.50", 12000.5), exact; refused
    when absurd."""
    text = str(value if value is not None else "").strip().replace("€", "")
    text = text.replace(" ", "").replace("\xa0", "")
    text = values_rules.plain_amount(text, current_language())  # 12.000,50 and 12,000.50
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ObligationRefused("sroi.not_an_amount", field=field) from None
    if (
        not amount.is_finite()
        or amount <= 0
        or amount > MAX_AMOUNT
        or amount != amount.quantize(Decimal("0.01"))
    ):
        raise ObligationRefused("sroi.amount_out_of_range", field=field)
    return amount


def day(value: Any, field: str) -> date:
    """A date between 1900 and 2100 (marketplace.core.web.values), from a form, the API or a file."""
    return values_rules.day(value, field)


def text(value: Any, field: str, required: bool = True, limit: int = 200) -> str:
    """Text without NUL, control characters or lone surrogates; one line unless it may be long."""
    found = values_rules.clean_text(value, field, 100_000, one_line=limit <= 200).strip()  # str or None
    if required and not found:
        raise ObligationRefused("sroi.field_required", field=field)
    if len(found) > limit:
        raise ObligationRefused("sroi.text_too_long", field=field, limit=limit)
    return found


def region_by_name(name: Any) -> LabourMarketRegion:
    region = db.session.scalar(
        select(LabourMarketRegion).where(
            func.lower(LabourMarketRegion.name) == str(name or "").strip().lower()
        )
    )
    if region is None:
        raise ObligationRefused("sroi.unknown_region", region=str(name or ""))
    return region


def create_obligation(contractor: User, values: dict[str, Any]) -> Obligation:
    """Register an obligation; the rule set follows from the region, the percentage from the rule
    set unless the contract says otherwise."""
    if not contractor.has_role("contractor"):
        raise ObligationRefused("sroi.not_a_contractor")
    submission = str(values.get("submission") or "").strip() or None
    if submission is not None and not re.fullmatch(r"[0-9a-f]{32}", submission):
        raise ObligationRefused("sroi.already_registered")
    if submission is not None:
        earlier = _submitted(contractor, submission)
        if earlier is not None:  # the same form sent again (a double click, a retry): one obligation
            return earlier
    region = region_by_name(values.get("region"))
    ruleset_id = sroi_rulesets.region_ruleset(region).ruleset_id
    # No rule set known for the region: the obligation is registered and waits for the coordinator's
    # choice ("wacht op regelset"); its contributions are recorded with their value unknown till then.
    rules = None if ruleset_id == sroi_rulesets.NO_RULESET else sroi_rulesets.rules(ruleset_id)
    starts_on, ends_on = day(values.get("starts_on"), "starts_on"), day(values.get("ends_on"), "ends_on")
    if ends_on < starts_on:
        raise ObligationRefused("sroi.end_before_start")
    percentage = rules.percentage if rules is not None else DEFAULT_PERCENTAGE
    from_ruleset = values.get("percentage") in (None, "")
    if not from_ruleset:
        # Stored with two decimals (Numeric(5, 2)): 0.001 % is refused, never rounded to 0.
        percentage = values_rules.decimal(
            values["percentage"], "percentage", 2, Decimal(0), Decimal(100), above_minimum=True
        )
    cpv = cpv_codes(values.get("cpv"))
    obligation = Obligation(
        contractor_id=contractor.id,
        title=text(values.get("title"), "title"),
        contracting_authority=text(values.get("contracting_authority"), "contracting_authority"),
        contract_reference=text(
            values.get("contract_reference"), "contract_reference", required=False, limit=100
        ),
        contract_value_cents=int(
            money(values.get("contract_value_excl_vat"), "contract_value_excl_vat") * 100
        ),
        percentage=percentage,
        percentage_from_ruleset=from_ruleset,
        region_id=region.id,
        ruleset_id=ruleset_id,
        starts_on=starts_on,
        ends_on=ends_on,
        needs=text(values.get("needs"), "needs", required=False, limit=MAX_TEXT),
        cpv_codes=cpv,
        submission=submission,
    )
    threshold = rules.threshold if rules is not None else None
    below = threshold is not None and Decimal(obligation.contract_value_cents) / 100 <= threshold
    if below and rules is not None and rules.threshold_refuses:  # the data says: refuse below its threshold
        raise ObligationRefused("sroi.below_threshold", threshold=f"{threshold:.2f}")
    db.session.add(obligation)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same submission arrived at the same moment and was stored first
        earlier = _submitted(contractor, submission) if submission else None
        if earlier is None:
            raise ObligationRefused("sroi.already_registered") from None
        return earlier
    return obligation


def _submitted(contractor: User, submission: str) -> Obligation | None:
    return db.session.scalar(
        select(Obligation).where(
            Obligation.contractor_id == contractor.id, Obligation.submission == submission
        )
    )


def cpv_codes(value: Any) -> list[str]:
    """CPV codes as a list (a string is refused: "90910000" is not eight one-digit codes), each 2 to
    8 ASCII digits (a check digit after a dash is dropped) in a CPV division that exists."""
    codes = [code.strip() for code in values_rules.string_list(value, "cpv", 20, 20) if code.strip()]
    found = []
    for code in codes:
        plain = code.split("-")[0]
        if not re.fullmatch(r"[0-9]{2,8}", plain):
            raise ObligationRefused("sroi.bad_cpv")
        if db.session.get(CpvCategory, plain[:2]) is None:
            raise ObligationRefused("sroi.unknown_cpv", cpv=code[:20])
        found.append(plain)
    return found


def supplier(reference: Any, region_id: int | None = None) -> Organisation:
    """A listed organisation by its slug, its KvK number or its name (case and spaces aside): one with a
    register label, or one on the region's list of SW or learn-work companies. One already found (a
    bulk import looks each supplier up once) is checked again."""
    if isinstance(reference, Organisation):
        if not (reference.labels or company_lists.on_a_list(region_id, reference)):
            raise ObligationRefused("sroi.unknown_supplier", supplier=reference.name[:80])
        return reference
    key = " ".join(str(reference or "").split())
    number = key.replace(" ", "").replace(".", "")
    current = Organisation.merged_into_id.is_(None)
    found = db.session.scalar(select(Organisation).where(Organisation.slug == key))
    if found is None and number.isdigit() and len(number) == 8:
        found = db.session.scalar(select(Organisation).where(Organisation.kvk == number, current))
    if found is None and key:
        named = db.session.scalars(
            select(Organisation).where(func.lower(Organisation.name) == key.lower(), current).limit(2)
        ).all()
        if len(named) > 1:
            raise ObligationRefused("sroi.supplier_ambiguous", supplier=key[:80])
        found = named[0] if named else None
    if found is None or not (found.labels or company_lists.on_a_list(region_id, found)):
        raise ObligationRefused("sroi.unknown_supplier", supplier=key[:80])
    return found


def label_facts(organisation: Organisation) -> tuple[LabelFacts, ...]:
    return tuple(labels.facts(label) for label in organisation.labels)


def hours(value: Any, maximum: int) -> Decimal:
    """A number of hours above zero and at most `maximum` (per week for a hire, in all for an activity)."""
    # Stored with two decimals: 0.001 hours is refused, not rounded (and valued) silently.
    try:
        return values_rules.decimal(value, "hours", 2, Decimal(0), Decimal(maximum), above_minimum=True)
    except values_rules.BadValue as error:
        if error.reason.code == "input.too_many_places":
            raise
        raise ObligationRefused("sroi.bad_hours") from None


@dataclass(frozen=True)
class Prepared:
    """A contribution checked and valued, ready to store (or to print, for `sroi value`)."""

    contribution: Contribution
    valuation: Valuation


def value_contribution(values: dict[str, Any], ruleset_id: str, version: int | None = None,
                       period: tuple[date, date] | None = None, obligation: Obligation | None = None,
                       before_id: int | None = None, rules: RuleSet | None = None) -> Prepared:  # fmt: skip
    """Check and value one contribution of the CLI/API shape without storing it. With the obligation:
    its period, its region's lists of SW and learn-work companies, and the same person's other hires
    (those entered before `before_id`, or all) sharing one counting cap. Under no rule set (the
    obligation waits for one) it is checked and recorded with its value unknown. `rules`: the rule
    set in force, when the caller has it already (a bulk import parses it once for all rows)."""
    if obligation is not None and period is None:
        period = (obligation.starts_on, obligation.ends_on)
    region_id = obligation.region_id if obligation is not None else None
    waiting = ruleset_id == sroi_rulesets.NO_RULESET
    rules = None if waiting else (rules or sroi_rulesets.rules(ruleset_id, version))
    kind = values.get("kind")
    contribution = Contribution(kind=kind, ruleset_id=rules.id if rules else "",
                                ruleset_version=rules.version if rules else 0, supplements=[])  # fmt: skip
    valuation: Valuation | None = None
    if kind == "purchase":
        organisation = supplier(values.get("supplier"), region_id)
        invoice_date = day(values.get("invoice_date"), "invoice_date")
        if period and not period[0] <= invoice_date <= period[1]:
            raise ObligationRefused(
                "sroi.invoice_outside_contract", start=period[0].isoformat(), end=period[1].isoformat()
            )
        amount = money(values.get("amount_excl_vat"), "amount_excl_vat")
        contribution.organisation_id = organisation.id
        contribution.invoice_number = text(values.get("invoice_number"), "invoice_number", limit=80)
        contribution.invoice_key = values_rules.invoice_key(contribution.invoice_number)
        if not contribution.invoice_key:
            raise ObligationRefused("sroi.field_required", field="invoice_number")
        contribution.invoice_date = invoice_date
        contribution.amount_cents = int(amount * 100)
        if values.get("senl_member_since") not in (None, ""):
            contribution.senl_member_since = day(values.get("senl_member_since"), "senl_member_since")
        facts = (*label_facts(organisation), *company_lists.list_labels(region_id, organisation))
        if rules is not None:
            purchase = Purchase(invoice_date, amount, facts, contribution.senl_member_since)
            valuation = value_purchase(purchase, rules, labels.grace_days())
        contribution.counts_on = invoice_date
        if invoice_date > clock.today() and valuation is not None:
            planned = Reason("sroi.planned", {"day": invoice_date.isoformat()})
            valuation = replace(valuation, reasons=(*valuation.reasons, planned))
    elif kind == "hire":
        block = text(values.get("block"), "block", limit=80)
        known_blocks = rules.hires if rules is not None else names()["block"]
        if block not in known_blocks:
            raise ObligationRefused("sroi.unknown_block", block=block, ruleset=rules.name if rules else "")
        per_week = hours(values.get("hours_per_week"), 60)
        start, end = day(values.get("start"), "start"), day(values.get("end"), "end")
        if end < start:
            raise ObligationRefused("sroi.end_before_start")
        supplements = values_rules.string_list(values.get("supplements"), "supplements", 10, 80)
        known_supplements = rules.supplements if rules is not None else names()["supplement"]
        unknown = [s for s in supplements if s not in known_supplements]
        if unknown:
            raise ObligationRefused("sroi.unknown_supplement", supplement=", ".join(unknown)[:80],
                                    ruleset=rules.name if rules else "")  # fmt: skip
        contribution.block, contribution.hours_per_week = block, per_week
        contribution.starts_on, contribution.ends_on, contribution.supplements = start, end, supplements
        contribution.person_reference = person_reference(values.get("person_reference"))
        # Only the part within the contract period counts; the reason says so.
        counted_start, counted_end = start, end
        if period:
            if end < period[0] or start > period[1]:
                raise ObligationRefused(
                    "sroi.hire_outside_contract", start=period[0].isoformat(), end=period[1].isoformat()
                )
            counted_start, counted_end = max(start, period[0]), min(end, period[1])
        contribution.counts_on = counted_start
        if rules is not None:
            before = _person_months(obligation, contribution.person_reference, before_id, rules, period)
            hire = Hire(block, per_week, counted_start, counted_end, tuple(supplements))
            valuation = value_hire(hire, rules, before)
            if (counted_start, counted_end) != (start, end):
                clipped = Reason(
                    "sroi.hire_clipped",
                    {"start": counted_start.isoformat(), "end": counted_end.isoformat()},
                )
                valuation = replace(valuation, reasons=(*valuation.reasons, clipped))
            today = clock.today()
            if counted_end > today and valuation.amount > 0:  # the part ahead is planned, not realised
                _done, ahead = split_hire(hire, rules, today)
                planned = Reason("sroi.hire_planned_part", {
                    "start": max(counted_start, today + timedelta(days=1)).isoformat(),
                    "end": counted_end.isoformat(), "amount": f"{ahead:.2f}"})  # fmt: skip
                valuation = replace(valuation, reasons=(*valuation.reasons, planned))
    elif kind == "activity":
        spent = hours(values.get("hours"), 10000)
        contribution.hours = spent
        contribution.counts_on = clock.today()
        if rules is not None:
            valuation = value_activity(Activity(spent), rules)
    else:
        raise ObligationRefused("sroi.unknown_kind", kind=str(kind)[:20])
    if valuation is None:  # waiting for a rule set: value unknown, and the reason says why
        region = obligation.region.name if obligation is not None and obligation.region else ""
        waiting_reason = Reason("sroi.waiting_for_ruleset", {"region": region})
        valuation = Valuation(Decimal("0.00"), "", 0, False, (waiting_reason,))
    contribution.counted_cents = int(valuation.amount * 100)
    contribution.counted_label = valuation.label
    contribution.reasons = [reason.to_json() for reason in valuation.reasons]
    return Prepared(contribution, valuation)


def _person_months(obligation: Obligation | None, reference: str | None, before_id: int | None,
                   rules: RuleSet, period: tuple[date, date] | None) -> Decimal:  # fmt: skip
    """Months the same person's other live hires in this obligation counted already (entered before
    this one), within their blocks' caps: one counting cap per person, not per contribution."""
    if obligation is None or obligation.id is None or not reference:
        return Decimal(0)
    statement = select(Contribution).where(
        Contribution.obligation_id == obligation.id,
        Contribution.kind == "hire",
        Contribution.person_reference == reference,
        Contribution.status.not_in(("rejected", "withdrawn")),
    )
    if before_id is not None:
        statement = statement.where(Contribution.id < before_id)
    earlier = []
    for other in db.session.scalars(statement.order_by(Contribution.id)):
        if other.starts_on is None or other.ends_on is None or other.block is None:
            continue
        start, end = other.starts_on, other.ends_on
        if period:
            start, end = max(start, period[0]), min(end, period[1])
        if end >= start:
            earlier.append(Hire(other.block, other.hours_per_week or Decimal(0), start, end))
    return person_months(earlier, rules)


def replaced(obligation: Obligation, reference: Any) -> Contribution:
    """The rejected contribution of this obligation that a new one replaces (once)."""
    try:
        found = db.session.get(Contribution, int(str(reference)))
    except ValueError:
        found = None
    if found is None or found.obligation_id != obligation.id:
        raise ObligationRefused("sroi.cannot_replace")
    taken = db.session.scalar(select(Contribution.id).where(Contribution.replaces_id == found.id))
    if found.status != "rejected" or taken is not None:
        raise ObligationRefused("sroi.cannot_replace")
    return found


def person_reference(value: Any) -> str | None:
    """The contractor's own reference for a hired person: optional, short, and never a BSN."""
    cleaned = " ".join(str(value or "").split())[:60]
    if not cleaned:
        return None
    digits = re.sub(r"[\s.\-]", "", cleaned)
    if digits.isdigit() and len(digits) in (8, 9) and bsn.is_valid(digits.zfill(9)):
        raise ObligationRefused("sroi.reference_is_bsn")
    return cleaned


def documents_asked(contribution: Contribution, rules: RuleSet) -> tuple[str, ...]:
    """The documents the rule set asks for this contribution (its kind, a hire's block and the
    supplements chosen), each a key of the rule set's `evidence`, shown by its name."""
    block_as = None
    if contribution.kind == "hire":
        block = rules.hires.get(contribution.block or "")
        block_as = block_kind(rules.evidence, contribution.block or "", block.unit if block else None)
    return required(rules.evidence, contribution.kind, block_as, tuple(contribution.supplements or ()))


def document_list(
    contribution: Contribution, cache: dict[tuple[str, int], RuleSet] | None = None
) -> list[tuple[str, ContributionDocument | None]]:
    """Each document asked (under the rule-set version the contribution was valued by) with its
    stored row, None where it is missing, then any stored one no longer asked. Empty for a
    contribution stored before documents had names (its one file is `evidence_filename`)."""
    if contribution.evidence_filename and not contribution.documents:
        return []
    key = (contribution.ruleset_id, contribution.ruleset_version)
    cache = {} if cache is None else cache
    if key not in cache:
        cache[key] = sroi_rulesets.rules(*key) if contribution.ruleset_id else no_ruleset()
    asked = documents_asked(contribution, cache[key])
    stored = {document.document: document for document in contribution.documents}
    return [(name, stored.get(name)) for name in asked] + [
        (name, document) for name, document in stored.items() if name not in asked
    ]


def _check_documents(contribution: Contribution, documents: dict[str, str]) -> None:
    """Every document asked is there, and nothing else (a supplement's proof without the supplement)."""
    rules = (sroi_rulesets.rules(contribution.ruleset_id, contribution.ruleset_version)
             if contribution.ruleset_id else no_ruleset())  # fmt: skip
    asked = documents_asked(contribution, rules)
    for key in asked:
        if not documents.get(key):
            raise ObligationRefused("sroi.document_missing", document=key)
    for key in documents:
        if key not in asked:
            raise ObligationRefused("sroi.document_not_asked", document=key)


def check_contribution(
    obligation: Obligation, values: dict[str, Any], rules: RuleSet | None = None,
    evidence: str | None = None, documents: dict[str, str] | None = None,
) -> Prepared:  # fmt: skip
    """Check and value a contribution for this obligation as the forms, the API and a bulk import
    do, against what is stored already, without adding it to the session (a bulk import checks
    every row before it stores any). `documents` (document key -> checked file name) comes from a
    form: every document the rule set asks for must be there. Callers that carry no files (the JSON
    API, the command line, a bulk import) pass none; the queue then shows each asked document as
    missing. A settled obligation takes none (the form, the API and the command line all come here)."""
    lock.refuse_if_settled(obligation.id)
    prepared = value_contribution(values, obligation.ruleset_id, obligation=obligation, rules=rules)
    contribution = prepared.contribution
    if contribution.senl_member_since is not None and not (evidence or (documents or {}).get("invoice")):
        raise ObligationRefused("sroi.senl_start_needs_evidence")
    if contribution.kind == "hire" and contribution.person_reference:
        same = db.session.scalar(
            select(Contribution.id).where(
                Contribution.obligation_id == obligation.id,
                Contribution.kind == "hire",
                Contribution.person_reference == contribution.person_reference,
                Contribution.block == contribution.block,
                Contribution.starts_on == contribution.starts_on,
                Contribution.ends_on == contribution.ends_on,
                Contribution.status.not_in(("rejected", "withdrawn")),
            )
        )
        if same is not None:
            raise ObligationRefused(
                "sroi.duplicate_hire", reference=contribution.person_reference, other=same
            )
    if contribution.kind == "purchase":
        _refuse_counted_invoice(contribution)
    if values.get("replaces"):
        contribution.replaces_id = replaced(obligation, values["replaces"]).id
    if documents is not None:  # last: a refusal about the contribution itself comes first
        _check_documents(contribution, documents)
        contribution.documents = [ContributionDocument(document=key, filename=name)
                                  for key, name in documents.items()]  # fmt: skip
    contribution.obligation_id = obligation.id
    return prepared


def add_contribution(
    obligation: Obligation, values: dict[str, Any], evidence: str | None = None,
    documents: dict[str, str] | None = None, entered_by: User | None = None,
) -> Prepared:  # fmt: skip
    """Value and record a contribution under the rule-set version in force; pending review.
    `entered_by`: the subcontractor who entered it (None: the obligation's own contractor)."""
    prepared = check_contribution(obligation, values, evidence=evidence, documents=documents)
    contribution = prepared.contribution
    contribution.evidence_filename = evidence
    contribution.entered_by_id = entered_by.id if entered_by is not None else None
    db.session.add(contribution)
    try:
        db.session.commit()
    except IntegrityError:
        # Another submission of the same invoice won the race: the unique index held; say so.
        db.session.rollback()
        if contribution.kind == "purchase":
            _refuse_counted_invoice(contribution)
        raise ObligationRefused("sroi.already_registered") from None
    matches.link_contribution(contribution)
    return prepared


def _refuse_counted_invoice(contribution: Contribution) -> None:
    """Refuse an invoice of this supplier that counts already, in whatever spelling (its normal form)."""
    other = db.session.scalar(
        select(Contribution.id).where(
            Contribution.kind == "purchase",
            Contribution.organisation_id == contribution.organisation_id,
            Contribution.invoice_key == contribution.invoice_key,
            Contribution.status.not_in(("rejected", "withdrawn")),
        )
    )
    if other is not None:
        raise ObligationRefused("sroi.duplicate_invoice", number=contribution.invoice_number, other=other)


def revalue(contribution: Contribution, coordinator: User, why: str) -> Prepared:
    """Value a stored contribution again under the current rule-set version (audit-logged)."""
    if not why.strip():
        raise ObligationRefused("sroi.why_needed")
    lock.refuse_if_settled(contribution.obligation_id)
    before = (contribution.counted_cents, contribution.ruleset_version)
    values = contribution_values(contribution)
    prepared = value_contribution(values, contribution.ruleset_id, obligation=contribution.obligation,
                                  before_id=contribution.id)  # fmt: skip
    contribution.counted_cents = prepared.contribution.counted_cents
    contribution.counted_label = prepared.contribution.counted_label
    contribution.ruleset_version = prepared.contribution.ruleset_version
    contribution.reasons = prepared.contribution.reasons
    audit.record(coordinator, "sroi.revalue", "contribution", contribution.id,
                 region_id=contribution.obligation.region_id, before=list(before),
                 after=[contribution.counted_cents, contribution.ruleset_version], why=why)  # fmt: skip
    db.session.commit()
    return prepared


def contribution_values(contribution: Contribution) -> dict[str, Any]:
    """A stored contribution in the CLI/API shape (for revaluation and for showing)."""
    if contribution.kind == "purchase":
        organisation = contribution.organisation
        return {"kind": "purchase", "supplier": organisation.slug if organisation else None,
                "invoice_number": contribution.invoice_number,
                "invoice_date": contribution.invoice_date.isoformat() if contribution.invoice_date else None,
                "amount_excl_vat": f"{Decimal(contribution.amount_cents or 0) / 100:.2f}",
                "senl_member_since": contribution.senl_member_since.isoformat()
                if contribution.senl_member_since else None}  # fmt: skip
    if contribution.kind == "hire":
        return {"kind": "hire", "block": contribution.block,
                "hours_per_week": str(contribution.hours_per_week),
                "start": contribution.starts_on.isoformat() if contribution.starts_on else None,
                "end": contribution.ends_on.isoformat() if contribution.ends_on else None,
                "supplements": list(contribution.supplements or []),
                "person_reference": contribution.person_reference}  # fmt: skip
    return {"kind": "activity", "hours": str(contribution.hours)}


@dataclass(frozen=True)
class Progress:
    required: Decimal
    counted: Decimal  # approved by a coordinator
    pending: Decimal
    remaining: Decimal
    share: Decimal  # counted / required, 0..1
    days_left: int
    planned: Decimal = Decimal("0.00")  # dated after today (or a hire's days ahead): counts once passed


def progress(obligation: Obligation) -> Progress:
    required = required_amount(Decimal(obligation.contract_value_cents) / 100, Decimal(obligation.percentage))
    today = clock.today()
    # one query: per status, what counts by today and what is dated after today (planned)
    due = (Contribution.counts_on.is_(None)) | (Contribution.counts_on <= today)
    rows = db.session.execute(
        select(
            Contribution.status,
            func.coalesce(func.sum(case((due, Contribution.counted_cents), else_=0)), 0),
            func.coalesce(
                func.sum(case((Contribution.counts_on > today, Contribution.counted_cents), else_=0)), 0
            ),
        )
        .where(Contribution.obligation_id == obligation.id)
        .group_by(Contribution.status)
    ).all()
    sums = {status: counted for status, counted, _planned in rows}
    planned_cents = sum(
        int(planned or 0)
        for status, _counted, planned in rows
        if status in ("pending", "questioned", "approved")
    )
    planned_cents = int(planned_cents or 0)
    # A hire under way: the part after today is planned, not realised (nor pending).
    running = db.session.scalars(
        select(Contribution).where(
            Contribution.obligation_id == obligation.id,
            Contribution.kind == "hire",
            Contribution.counts_on <= today,
            Contribution.ends_on > today,
            Contribution.status.in_(("pending", "questioned", "approved")),
        )
    ).all()
    cache: dict[tuple[str, int], RuleSet] = {}
    for hire in running:
        ahead = hire.counted_cents - timing.realised_cents(hire, obligation, today, cache)
        sums[hire.status] = int(sums.get(hire.status, 0)) - ahead
        planned_cents += ahead
    counted = Decimal(int(sums.get("approved", 0))) / 100
    pending = Decimal(int(sums.get("pending", 0)) + int(sums.get("questioned", 0))) / 100
    remaining = max(required - counted, Decimal("0.00"))
    share = min(counted / required, Decimal(1)) if required else Decimal(1)
    return Progress(required, counted, pending, remaining, share, (obligation.ends_on - today).days,
                    Decimal(planned_cents) / 100)  # fmt: skip


def notes(obligation: Obligation, rules: RuleSet) -> list[Reason]:
    """What the contractor should know about the obligation itself (e.g. below the rule set's threshold)."""
    found = []
    if rules.threshold is not None and Decimal(obligation.contract_value_cents) / 100 <= rules.threshold:
        found.append(Reason("sroi.below_threshold", {"threshold": f"{rules.threshold:.2f}"}))
    regional = region_thresholds().get(obligation.region.name) if obligation.region else None
    if regional is not None and Decimal(obligation.contract_value_cents) / 100 <= regional.amount:
        rule = f"{regional.who}: “{regional.quote}” ({regional.url})"
        found.append(Reason("sroi.threshold_warning", {"threshold": f"{regional.amount:.2f}", "rule": rule}))
    return found


def contributions_of(obligation: Obligation) -> list[Contribution]:
    """An obligation's contributions with their suppliers, in two queries."""
    return list(
        db.session.scalars(
            select(Contribution)
            .where(Contribution.obligation_id == obligation.id)
            .options(selectinload(Contribution.organisation))
            .order_by(Contribution.id)
        )
    )


def obligations_of(contractor: User) -> list[Obligation]:
    return list(
        db.session.scalars(
            select(Obligation).where(Obligation.contractor_id == contractor.id).order_by(Obligation.ends_on)
        )
    )


def obligation_for(contractor: User, obligation_id: int) -> Obligation:
    """The contractor's own obligation; another's is as unknown as a missing one."""
    found = db.session.get(Obligation, obligation_id)
    if found is None or found.contractor_id != contractor.id:
        raise LookupError(obligation_id)
    return found


def contributions_in_regions(user: User) -> list[Contribution]:
    """Contributions to obligations in the coordinator's regions (all for an admin), oldest first."""
    statement = (
        select(Contribution)
        .join(Obligation)
        .options(selectinload(Contribution.obligation), selectinload(Contribution.organisation))
        .order_by(Contribution.created_at, Contribution.id)
    )
    if not user.has_role("admin"):
        statement = statement.where(Obligation.region_id.in_(user.coordinator_region_ids()))
    return list(db.session.scalars(statement.limit(500)))


def contribution_for_coordinator(user: User, contribution_id: int) -> Contribution:
    found = db.session.get(Contribution, contribution_id)
    if found is None or not (
        user.has_role("admin") or found.obligation.region_id in user.coordinator_region_ids()
    ):
        raise LookupError(contribution_id)
    return found
