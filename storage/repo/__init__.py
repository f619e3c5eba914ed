"""Repository functions: what the pipeline, scheduler and review code call to read and write,
one module per aggregate (scan runs, listings, scores, evidence, requests, takedowns), all re-exported
here so callers write `repo.upsert_listings(...)`.

Rules of the house:
- Functions flush but never commit; the caller owns the transaction
  (``with sessions() as session, session.begin(): ...``).
- Batched writes are one statement per table per batch (chunked only to stay under the
  database's bind-parameter limit), in key order so concurrent writers lock rows in the
  same order and cannot deadlock each other.
- Upserts go through ``INSERT … ON CONFLICT``: two crawler processes writing the same
  listing at once on PostgreSQL both succeed and leave one row. They also *start* with a
  write, so on SQLite a writer takes the write lock first and then waits on the busy timeout
  instead of failing on a stale read snapshot.
- Datetimes coming in must be timezone-aware; a naive one is refused (ValueError) rather
  than guessed.
"""

from storage.repo._common import ListingKey, SellerKey
from storage.repo.evidence import (
    BODY_EXCERPT_CHARS,
    original_response,
    record_custody,
    record_evidence,
    record_extraction_error,
)
from storage.repo.listings import (
    PeerKey,
    UpsertResult,
    get_listing,
    iter_listings,
    listing_pk,
    peer_prices,
    peer_prices_bulk,
    price_history,
    seller_listings,
    seller_pk,
    upsert_listings,
)
from storage.repo.requests import claim_scan_request, finish_scan_request, request_scan
from storage.repo.scan_runs import finish_scan_run, start_scan_run
from storage.repo.scores import (
    SellerAssessmentLike,
    flagged_by_key,
    flagged_listing_pks,
    latest_assessment,
    save_scores,
    save_seller_assessment,
)
from storage.repo.scoring_models import (
    activate_model,
    active_model,
    list_models,
    model_by_sha256,
    model_by_version,
    register_model,
)
from storage.repo.takedowns import (
    CHECKABLE_STATUSES,
    ListingCheck,
    ListingRef,
    TakedownError,
    create_takedown,
    due_takedowns,
    get_takedown,
    list_takedowns,
    mark_sent,
    record_check,
)

__all__ = [
    "BODY_EXCERPT_CHARS", "CHECKABLE_STATUSES", "ListingCheck", "ListingKey", "ListingRef", "PeerKey", "SellerAssessmentLike",
    "SellerKey", "TakedownError", "UpsertResult", "activate_model", "active_model", "create_takedown", "due_takedowns",
    "get_takedown", "list_models", "list_takedowns", "mark_sent", "model_by_sha256", "model_by_version", "record_check",
    "register_model",
    "claim_scan_request", "finish_scan_request", "finish_scan_run", "flagged_by_key", "flagged_listing_pks",
    "get_listing", "iter_listings", "latest_assessment", "listing_pk", "original_response",
    "peer_prices", "peer_prices_bulk", "price_history", "record_custody", "record_evidence",
    "record_extraction_error", "request_scan", "save_scores", "save_seller_assessment",
    "seller_listings", "seller_pk", "start_scan_run", "upsert_listings",
]  # fmt: skip
