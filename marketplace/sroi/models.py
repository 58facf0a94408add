"""Social return: rule-set versions, each region's default rule set, obligations, what contractors
do to meet them (contributions, each valued with its reasons), and proposed supplier matches.

Amounts are integer euro cents. A contribution keeps the rule-set version it was valued under;
editing a rule set makes a new version and never changes a stored valuation.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.database import JsonColumn, utcnow
from marketplace.core.extensions import db
from marketplace.core.geography import LabourMarketRegion
from marketplace.organisations.models import Organisation

CONTRIBUTION_KINDS = ("purchase", "hire", "activity")
CONTRIBUTION_STATUSES = ("pending", "approved", "rejected")
MATCH_STATUSES = ("proposed", "contacted", "accepted", "declined")
# A rule-set version saved by a coordinator waits for a colleague's review; published ones do not.
REVIEW_STATUSES = ("pending", "approved", "rejected")


class RuleSetVersion(db.Model):
    """One version of a rule set: the table as data (the shape of the published YAML entries)."""

    __tablename__ = "sroi_ruleset_versions"
    __table_args__ = (UniqueConstraint("ruleset_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ruleset_id: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(JsonColumn)
    why: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    review_status: Mapped[str] = mapped_column(String(10), default="approved", server_default="approved")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)


class RegionRuleSet(db.Model):
    """The rule set a labour-market region uses by default; "" (no rule set known) until its
    coordinator chooses one."""

    __tablename__ = "sroi_region_rulesets"

    region_id: Mapped[int] = mapped_column(ForeignKey("labour_market_regions.id"), primary_key=True)
    ruleset_id: Mapped[str] = mapped_column(String(80))
    chosen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    chosen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    region: Mapped[LabourMarketRegion] = relationship()


class Obligation(db.Model):
    """A contractor's SROI obligation under one public contract."""

    __tablename__ = "obligations"
    __table_args__ = (
        Index("ix_obligations_region_ends", "region_id", "ends_on"),
        # One form submission registers one obligation however often it arrives.
        Index("uq_obligations_submission", "contractor_id", "submission", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    contracting_authority: Mapped[str] = mapped_column(String(200), index=True)
    contract_reference: Mapped[str] = mapped_column(String(100), default="")
    contract_value_cents: Mapped[int] = mapped_column(BigInteger)
    percentage: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    region_id: Mapped[int] = mapped_column(ForeignKey("labour_market_regions.id"))
    # "" while it waits for its region's coordinator to choose a rule set ("wacht op regelset").
    ruleset_id: Mapped[str] = mapped_column(String(80))
    # True: no percentage was given with the contract, so the rule set's percentage applies (set again
    # when a waiting obligation gets its rule set).
    percentage_from_ruleset: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    needs: Mapped[str] = mapped_column(Text, default="")
    cpv_codes: Mapped[list[str]] = mapped_column(JsonColumn, default=list)
    submission: Mapped[str | None] = mapped_column(String(64))  # the form's idempotency token
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    region: Mapped[LabourMarketRegion] = relationship()
    contributions: Mapped[list[Contribution]] = relationship(
        back_populates="obligation", order_by="Contribution.id"
    )


LIVE_PURCHASE = "kind = 'purchase' AND status NOT IN ('rejected', 'withdrawn')"


class Contribution(db.Model):
    """A purchase, hire or social activity recorded against an obligation, valued at once under
    the rule-set version in force (kept with it), pending a coordinator's review."""

    __tablename__ = "contributions"
    __table_args__ = (
        # The same invoice of the same supplier counts once, across all obligations, in whatever
        # spelling: the index is on the normal form (marketplace.core.web.values.invoice_key). A
        # rejected or withdrawn one may be entered again, as its replacement.
        Index(
            "uq_contributions_invoice_key",
            "organisation_id",
            "invoice_key",
            unique=True,
            sqlite_where=text(LIVE_PURCHASE),
            postgresql_where=text(LIVE_PURCHASE),
        ),
        # Reports, the monitor and open data read only these columns: with them in one index, every
        # report is an index-only scan per obligation in scope instead of random reads of wide rows.
        Index(
            "ix_contributions_report",
            "obligation_id",
            "status",
            "kind",
            "counts_on",
            "counted_cents",
            "amount_cents",
            "organisation_id",
            "counted_label",
            "block",
            "hours_per_week",
            "created_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("obligations.id"))  # ix_contributions_report
    kind: Mapped[str] = mapped_column(String(12))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    invoice_number: Mapped[str | None] = mapped_column(String(80))
    invoice_key: Mapped[str | None] = mapped_column(String(80))  # normal form, for the unique index
    invoice_date: Mapped[date | None] = mapped_column(Date)
    amount_cents: Mapped[int | None] = mapped_column(BigInteger)  # invoice excl. VAT
    block: Mapped[str | None] = mapped_column(String(80))
    hours_per_week: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    supplements: Mapped[list[str]] = mapped_column(JsonColumn, default=list)
    hours: Mapped[Decimal | None] = mapped_column(Numeric(9, 2))  # social activity
    # A hire's person, by a reference of the contractor's own choosing (never a name or BSN): it
    # links the contributions for the same person and makes the same hire entered twice visible.
    person_reference: Mapped[str | None] = mapped_column(String(60))
    # A contribution entered in place of a rejected one links to it.
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("contributions.id"))
    evidence_filename: Mapped[str | None] = mapped_column(String(80))
    # A purchase from an SENL member: the membership's start as the contractor proved it with the
    # evidence (SENL's register shows no dates; without this it counts from the day we first saw it).
    senl_member_since: Mapped[date | None] = mapped_column(Date)
    counted_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    # The day it counts on in reports (invoice date, start of a hire, day an activity was recorded)
    # and the label that made a purchase count ("code:Toegelaten"): both kept for reporting.
    counts_on: Mapped[date | None] = mapped_column(Date)
    counted_label: Mapped[str | None] = mapped_column(String(60))
    ruleset_id: Mapped[str] = mapped_column(String(80))
    ruleset_version: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JsonColumn, default=list)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    review_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JsonColumn, default=list)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Who entered it when it is not the obligation's contractor: a subcontractor in the chain
    # (marketplace.sroi.chain). Empty for the main contractor's own contributions.
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    obligation: Mapped[Obligation] = relationship(back_populates="contributions")
    organisation: Mapped[Organisation | None] = relationship()
    entered_by: Mapped[Any] = relationship("User", foreign_keys=[entered_by_id])
    # Each document the rule set asked for, by its name (selectin: a page of the queue in one query).
    documents: Mapped[list[ContributionDocument]] = relationship(
        order_by="ContributionDocument.id", lazy="selectin", cascade="all, delete-orphan"
    )


class ContributionDocument(db.Model):
    """One document of a contribution, named by what it is (`document`: a key of the rule set's
    `evidence`, shown by its name); the file goes (filename None) when hire documents are purged."""

    __tablename__ = "contribution_documents"
    __table_args__ = (
        UniqueConstraint("contribution_id", "document", name="uq_contribution_documents_document"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id"))
    document: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ContributionMessage(db.Model):
    """One message in a contribution's review conversation, seen by the contractor and the
    region's coordinators: a coordinator's question or note, a contractor's answer (with a file)."""

    __tablename__ = "contribution_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    side: Mapped[str] = mapped_column(String(12))  # coordinator | contractor
    body: Mapped[str] = mapped_column(Text, default="")
    evidence_filename: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SupplierMatch(db.Model):
    """A supplier proposed for an obligation or purchase request, with the ranking's reasons."""

    __tablename__ = "supplier_matches"

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int | None] = mapped_column(ForeignKey("obligations.id"), index=True)
    purchase_request_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_requests.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(JsonColumn, default=list)
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    contribution_id: Mapped[int | None] = mapped_column(ForeignKey("contributions.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # An outcome (accepted or declined) waits for the coordinator: did the match turn into social return?
    outcome_at: Mapped[datetime | None] = mapped_column(DateTime)
    review_status: Mapped[str | None] = mapped_column(String(10))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)

    organisation: Mapped[Organisation] = relationship()
    obligation: Mapped[Obligation | None] = relationship()


class RegionMonitorSettings(db.Model):
    """When an obligation in a region counts as at risk: less than `fulfilled_below` of it approved
    with less than `time_left_below` of the contract period left. Regions without a row use the
    defaults in services/monitoring.py."""

    __tablename__ = "sroi_region_monitor"

    region_id: Mapped[int] = mapped_column(ForeignKey("labour_market_regions.id"), primary_key=True)
    fulfilled_below: Mapped[Decimal] = mapped_column(Numeric(4, 2))
    time_left_below: Mapped[Decimal] = mapped_column(Numeric(4, 2))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SentNotice(db.Model):
    """A reminder or digest that went out, so the same one is not sent again too soon."""

    __tablename__ = "sroi_sent_notices"
    __table_args__ = (Index("ix_sroi_sent_notices_lookup", "kind", "subject_id", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "at_risk" (subject: obligation), "digest" (user)
    subject_id: Mapped[int] = mapped_column(Integer)
    sent_on: Mapped[date] = mapped_column(Date)
    to: Mapped[str] = mapped_column(String(254))


COMPANY_KINDS = ("sw_company", "learn_work_company")


class RegionCompany(db.Model):
    """An SW company (sociaal werkbedrijf) or learn-work company (leerwerkbedrijf) on a region's list,
    kept by the region's coordinators: purchases from it count where the region's table says so.
    By KvK number (a company not in our directory too), with the organisation when we list it."""

    __tablename__ = "sroi_region_companies"
    __table_args__ = (UniqueConstraint("region_id", "kind", "kvk"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("labour_market_regions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    kvk: Mapped[str] = mapped_column(String(8), index=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    source: Mapped[str] = mapped_column(Text, default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
