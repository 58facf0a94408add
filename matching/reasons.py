"""Reasons are data: every explanation the product gives is a code with parameters.

Entity-resolution evidence, crawl judgements, SROI valuations, ranking parts, review
decisions and service errors are all `Reason`s: a registered code, its parameters (plain
JSON values: text, numbers, ISO dates, amounts as strings) and, where it has one, a weight
or an amount. They are stored and passed as data and put into words only when shown, in the
reader's language (marketplace.core.reasons), like splink's comparison levels. A code that is
not registered here cannot be made, and a test fails when a code has no Dutch or English text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

CODES: frozenset[str] = frozenset(
    {
        # entity resolution evidence (matching.resolution.scoring)
        "resolution.kvk_shared",
        "resolution.kvk_different",
        "resolution.domain_same",
        "resolution.domain_different",
        "resolution.name_similar",
        "resolution.name_typo",
        "resolution.place_same",
        "resolution.place_different",
        # crawl run judgement (marketplace.registers.run_judgement, ingest)
        "crawl.layout_changed",
        "crawl.listing_failed",
        "crawl.nothing_found",
        "crawl.fewer_than_stated",
        "crawl.fewer_than_last_run",
        "crawl.too_many_unread",
        "crawl.database_locked",
        "crawl.store_failed",
        "crawl.not_recorded",
        "crawl.abandoned",
        "crawl.unread_page",
        # service refusals (marketplace.core.refusals)
        "account.password_too_short",
        "account.email_taken",
        "account.unknown_role",
        "account.coordinator_needs_region",
        "account.unknown_region",
        "account.choose_role",
        "account.unknown_user",
        "account.role_held",
        "account.role_not_held",
        "account.wrong_password",
        "job.error",
        "job.unknown_register",
        "job.crawl_running",
        "job.crawl_stuck",
        "job.abandoned",
        "job.crawl_failed",
        "account.same_email",
        "claim.no_website",
        "claim.already_owned",
        "claim.wrong_domain",
        "claim.code_not_possible",
        "claim.code_expired",
        "claim.code_wrong",
        "claim.motivation_needed",
        "claim.reason_needed",
        "profile.offering_elsewhere",
        "profile.choose_image_kind",
        "profile.image_too_large",
        "profile.not_an_image",
        # SROI valuation (matching.sroi.valuation)
        "sroi.unknown_block",
        "sroi.figure_unknown",
        "sroi.hours_capped",
        "sroi.supplement_pro_rata",
        "sroi.senl_known_since",
        "sroi.senl_member",
        "sroi.activity_per_activity",
        "sroi.no_ruleset_known",
        "sroi.threshold_warning",
        "ranking.counts_unknown",
        "sroi.hire_outside_contract",
        "sroi.planned",
        "sroi.hire_planned_part",
        "sroi.document_missing",
        "sroi.document_not_asked",
        "sroi.cannot_replace",
        "sroi.hire_clipped",
        "sroi.reference_is_bsn",
        "sroi.duplicate_hire",
        "sroi.hire_year",
        "sroi.hire_month",
        "sroi.hire_learn_work_year",
        "sroi.hire_each",
        "sroi.hire_capped",
        "sroi.range_lower_bound",
        "sroi.supplement",
        "sroi.unknown_supplement",
        "sroi.unconfirmed",
        "sroi.by_agreement",
        "sroi.application_only",
        "sroi.label_not_yet",
        "sroi.label_ended",
        "sroi.label_not_counted",
        "sroi.label_in_grace",
        "sroi.grace_not_counted",
        "sroi.below_threshold",
        "sroi.no_label",
        "sroi.purchase",
        "sroi.no_activity_rate",
        "sroi.activity",
        "sroi.duplicate_invoice",
        # SROI refusals (marketplace.sroi.obligations.services, sroi_rulesets)
        "sroi.not_an_amount",
        "sroi.amount_out_of_range",
        "sroi.not_a_date",
        "sroi.field_required",
        "sroi.text_too_long",
        "sroi.unknown_region",
        "sroi.not_a_contractor",
        "sroi.end_before_start",
        "sroi.not_a_percentage",
        "sroi.bad_cpv",
        "sroi.unknown_supplier",
        "sroi.supplier_ambiguous",
        "sroi.invoice_outside_contract",
        "sroi.bad_hours",
        "sroi.unknown_kind",
        "sroi.unknown_ruleset",
        "sroi.ruleset_invalid",
        "sroi.bad_evidence",
        "sroi.why_needed",
        "sroi.ruleset_exists",
        # coordinator review (marketplace.sroi.review.decisions, review_queue)
        "review.approved",
        "review.rejected",
        "review.corrected",
        "review.corrected_block",
        "review.reason_needed",
        "review.already_decided",
        "review.already_decided_by",
        "review.asked",
        "review.message_needed",
        "review.not_in_that_state",
        "review.block_only_for_hires",
        "review.partial_too_high",
        "review.nothing_corrected",
        "review.bad_filter",
        # settlement and impact (marketplace.sroi.settlement)
        "settlement.read_only",
        "settlement.already_settled",
        "settlement.too_early",
        "settlement.not_settled",
        "settlement.reason_needed",
        "settlement.unknown_consequence",
        "settlement.agreement_needed",
        "settlement.amount_needed",
        "settlement.changed_meanwhile",
        "impact.unknown_person",
        "impact.future_day",
        # monitoring and reports (matching.sroi.monitoring, marketplace.sroi.reports.monitoring, sroi_reports)
        "monitor.at_risk",
        "monitor.bad_threshold",
        # plans, deadlines and contract changes (marketplace.sroi.plans, matching.sroi.plan_progress)
        "plan.line",
        "plan.reason_needed",
        "plan.bad_year",
        "plan.bad_months",
        "plan.bad_line",
        "plan.no_lines",
        "plan.too_many_lines",
        "plan.not_waiting",
        "plan.bad_interval",
        "plan.date_outside_contract",
        "plan.no_schedule",
        "plan.nothing_to_report",
        "plan.already_reported",
        "change.unknown_kind",
        "change.value_not_positive",
        "change.ends_before_start",
        "change.extension_not_later",
        "change.changed_meanwhile",
        "monitor.behind_plan",
        "report.bad_filter",
        "report.end_before_start",
        # supplier ranking (matching.ranking)
        "ranking.fit_unspecified",
        "ranking.fit_both",
        "ranking.fit_text",
        "ranking.fit_cpv",
        "ranking.fit_none",
        "ranking.counts",
        "ranking.counts_nothing",
        "ranking.counts_no_label",
        "ranking.counts_no_obligation",
        "ranking.no_valid_label",
        "ranking.in_grace",
        "ranking.valid_open",
        "ranking.valid_through",
        "ranking.valid_until_before_end",
        "ranking.distance_municipality",
        "ranking.distance_region",
        "ranking.distance_province",
        "ranking.distance_elsewhere",
        "ranking.distance_km",
        "ranking.distance_km_region",
        "ranking.distance_unknown",
        "ranking.spread",
        # market scan (matching.market_scan, marketplace.market_scan)
        "scan.reserved_feasible",
        "scan.reserved_feasible_one",
        "scan.reserved_not_feasible",
        "scan.reserved_not_feasible_one",
        "scan.reserved_none",
        "scan.check_capacity",
        "scan.need_needed",
        "scan.unknown_place",
        "scan.place_needed",
        "scan.bad_radius",
        "scan.end_before_start",
        "scan.bad_threshold",
        "scan.bad_cpv",
        "scan.name_needed",
        "scan.no_such_colleague",
        "scan.own_scan",
        # matches (marketplace.sroi.matches)
        "match.message_needed",
        "match.no_address",
        "match.unknown_outcome",
        "match.bad_budget",
        # shortlists and purchase requests (marketplace.procurement.shortlists, purchase_requests)
        "list.name_needed",
        "list.no_such_colleague",
        "list.own_list",
        # the audit log's hash chain (marketplace.core.audit, impactmarkt audit verify)
        "audit.chain_hash",
        "audit.chain_link",
        "audit.chain_unchained",
        "request.deadline_past",
        "request.closed",
        "request.already_answered",
        # rules as published, round 3 (issue 28): waiting obligations, per-person caps, SENL, region lists
        "sroi.ruleset_not_approved",
        "sroi.waiting_for_ruleset",
        "sroi.ruleset_already_chosen",
        "sroi.ruleset_chosen",
        "sroi.person_capped",
        "sroi.senl_member_proven",
        "sroi.senl_start_needs_evidence",
        "review.waiting_for_ruleset",
        "companies.bad_kvk",
        "companies.bad_kind",
        "companies.unknown_organisation",
        "companies.source_needed",
        "companies.already_listed",
        # values from outside (marketplace.core.values)
        "input.nul",
        "input.surrogate",
        "input.control",
        "input.not_text",
        "input.too_long",
        "input.not_whole",
        "input.out_of_range",
        "input.not_a_date",
        "input.date_out_of_range",
        "input.not_a_number",
        "input.too_many_places",
        "input.not_a_list",
        "input.too_many",
        "input.too_deep",
        "input.not_json",
        "input.unknown_field",
        "input.required",
        "input.not_a_choice",
        "sroi.unknown_cpv",
        "sroi.already_registered",
        "list.already_on_list",
        # the chain of subcontractors (marketplace.sroi.chain)
        "chain.bad_email",
        "chain.own_address",
        "chain.already_invited",
        "chain.link_invalid",
        "chain.not_a_contractor",
        "chain.other_address",
        "chain.link_used",
        "chain.already_ended",
        "chain.ended",
        # bulk entry from a spreadsheet (marketplace.sroi.bulk)
        "bulk.not_xlsx",
        "bulk.macros",
        "bulk.too_large",
        "bulk.too_many_rows",
        "bulk.empty",
        "bulk.missing_column",
        "bulk.unknown_block",
        "bulk.unknown_supplement",
        "bulk.duplicate_in_file",
        "bulk.not_for_you",
        # words stored before reasons were data
        "legacy.text",
    }
)


@dataclass(frozen=True)
class Reason:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    weight: float | None = None

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unregistered reason code {self.code!r}: add it to matching.reasons.CODES")
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "params": dict(self.params)}
        if self.weight is not None:
            data["weight"] = self.weight
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | str) -> Reason:
        """A stored reason; a plain string from before reasons were data keeps its words."""
        if isinstance(data, str):
            return cls("legacy.text", {"text": data})
        return cls(data["code"], data.get("params") or {}, data.get("weight"))
