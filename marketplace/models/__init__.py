"""All models, importable from one place (Alembic autogenerate sees every table)."""

from marketplace.models.audit import AuditLogEntry, AuditLogIsAppendOnly
from marketplace.models.crawl import CrawlRun, RegisterRecord
from marketplace.models.geography import LabourMarketRegion, Municipality, Province
from marketplace.models.organisation import LABEL_STATES, REGISTERS, Label, Organisation
from marketplace.models.procurement import CpvCategory, PurchaseRequest
from marketplace.models.profile import Claim, Offering, OrganisationImage, OrganisationOwner, ProfileVersion
from marketplace.models.resolution import ResolutionOverride, ResolutionReview
from marketplace.models.search import SearchDocumentRow, SearchVocabulary
from marketplace.models.sroi import Contribution, Match, Obligation
from marketplace.models.user import ROLES, User, UserRole

__all__ = [
    "LABEL_STATES",
    "REGISTERS",
    "ROLES",
    "AuditLogEntry",
    "AuditLogIsAppendOnly",
    "Claim",
    "Contribution",
    "CpvCategory",
    "CrawlRun",
    "Label",
    "LabourMarketRegion",
    "Match",
    "Municipality",
    "Obligation",
    "Offering",
    "Organisation",
    "OrganisationImage",
    "OrganisationOwner",
    "ProfileVersion",
    "Province",
    "PurchaseRequest",
    "RegisterRecord",
    "ResolutionOverride",
    "ResolutionReview",
    "SearchDocumentRow",
    "SearchVocabulary",
    "User",
    "UserRole",
]
