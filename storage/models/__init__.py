"""The database schema (DESIGN §4.5): typed SQLAlchemy 2 models, one module per area.

`core` holds the base, the column types and the scan / listing / review tables; the
enforcement loop (`takedowns`), seller networks (`networks`), learned models (`learning`),
service heartbeats (`service`), API tokens (`api`) and alerts (`alerts`) sit beside it. Everything is
importable from `storage.models`, and importing this package registers every table on
`Base.metadata` (migrations and drift checks need all).
"""

from storage.models.alerts import (
    ALERT_KINDS,
    ALERT_STATUSES,
    DELIVERY_STATUSES,
    Alert,
    AlertDelivery,
)
from storage.models.api import API_TOKEN_SCOPES, ApiToken
from storage.models.core import (
    CASE_EVENT_KINDS,
    CASE_STATUSES,
    CUSTODY_ACTIONS,
    EVIDENCE_KINDS,
    EVIDENCE_RECORD_TYPES,
    NAMING_CONVENTION,
    NETWORK_REASONS,
    OPEN_CASE_STATUSES,
    SCAN_KINDS,
    SCAN_REQUEST_STATUSES,
    SCAN_STATUSES,
    TAKEDOWN_LISTING_STATUSES,
    TAKEDOWN_STATUSES,
    USER_ROLES,
    Base,
    CaseEvent,
    Evidence,
    EvidenceAccess,
    ExtractionError,
    Listing,
    ListingObservation,
    ListingScore,
    ListingSignal,
    ReviewCase,
    ScanRequest,
    ScanRun,
    Seller,
    SellerAssessment,
    User,
    UTCDateTime,
    WebSession,
    utcnow,
)
from storage.models.learning import ScoringModel
from storage.models.networks import SellerNetwork, SellerNetworkLink, SellerNetworkMember
from storage.models.service import ServiceHeartbeat
from storage.models.takedowns import TakedownListing, TakedownRequest

__all__ = [
    "ALERT_KINDS", "ALERT_STATUSES", "Alert", "AlertDelivery", "DELIVERY_STATUSES",
    "API_TOKEN_SCOPES", "ApiToken", "CASE_EVENT_KINDS", "CASE_STATUSES", "CUSTODY_ACTIONS", "EVIDENCE_KINDS", "EVIDENCE_RECORD_TYPES",
    "NAMING_CONVENTION", "NETWORK_REASONS", "OPEN_CASE_STATUSES", "SCAN_KINDS", "SCAN_REQUEST_STATUSES",
    "SCAN_STATUSES", "TAKEDOWN_LISTING_STATUSES", "TAKEDOWN_STATUSES", "USER_ROLES", "Base", "CaseEvent",
    "Evidence", "EvidenceAccess", "ExtractionError", "Listing", "ListingObservation", "ListingScore",
    "ListingSignal", "ReviewCase", "ScanRequest", "ScanRun", "ScoringModel", "Seller", "SellerAssessment",
    "SellerNetwork", "SellerNetworkLink", "SellerNetworkMember", "ServiceHeartbeat", "TakedownListing",
    "TakedownRequest", "User", "UTCDateTime", "WebSession", "utcnow",
]
