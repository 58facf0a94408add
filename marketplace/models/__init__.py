"""All models, importable from one place (Alembic autogenerate sees every table)."""

from marketplace.models.audit import AuditLogEntry, AuditLogIsAppendOnly
from marketplace.models.crawl import CrawlRun, FetchedRecord
from marketplace.models.geography import LabourMarketRegion, Municipality, Province
from marketplace.models.job import JOB_KINDS, JOB_STATUSES, Job
from marketplace.models.organisation import LABEL_STATES, REGISTERS, Label, Organisation
from marketplace.models.procurement import (
    CpvCategory,
    PurchaseRequest,
    PurchaseRequestNotice,
    PurchaseRequestResponse,
    Shortlist,
    ShortlistItem,
)
from marketplace.models.profile import Claim, Offering, OrganisationImage, OrganisationOwner, ProfileVersion
from marketplace.models.resolution import ResolutionOverride, ResolutionReview
from marketplace.models.search import SearchDocumentRow, SearchVocabulary
from marketplace.models.sroi import (
    Contribution,
    Obligation,
    RegionMonitorSettings,
    RegionRuleSet,
    RuleSetVersion,
    SentNotice,
    SupplierMatch,
)
from marketplace.models.user import ROLES, User, UserRole

__all__ = [
    "JOB_KINDS",
    "JOB_STATUSES",
    "LABEL_STATES",
    "REGISTERS",
    "ROLES",
    "AuditLogEntry",
    "AuditLogIsAppendOnly",
    "Claim",
    "Contribution",
    "CpvCategory",
    "CrawlRun",
    "FetchedRecord",
    "Job",
    "Label",
    "LabourMarketRegion",
    "Municipality",
    "Obligation",
    "Offering",
    "Organisation",
    "OrganisationImage",
    "OrganisationOwner",
    "ProfileVersion",
    "Province",
    "PurchaseRequest",
    "PurchaseRequestNotice",
    "PurchaseRequestResponse",
    "RegionMonitorSettings",
    "RegionRuleSet",
    "ResolutionOverride",
    "ResolutionReview",
    "RuleSetVersion",
    "SearchDocumentRow",
    "SearchVocabulary",
    "SentNotice",
    "Shortlist",
    "ShortlistItem",
    "SupplierMatch",
    "User",
    "UserRole",
]
