"""Batch scoring over stored listings: after a scan, and `listingwatch rescore`.

A seller is judged on all of its stored listings, not only those the last scan saw, so
each pass scores whole sellers. Peer prices for the outlier detector come from every
stored listing of the same brand/category, so a listing's risk does not depend on which
scan happened to see its peers.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from detectors import (
    ListingContext,
    SellerAssessment,
    assess_seller,
    peer_prices_from,
    queue_priority,
    score_listings_with_contexts,
)
from detectors.learned import LearnedModel
from detectors.reposts import FlaggedSource, marker_sources
from rules.loader import RuleSet
from rules.record import Listing, ScoredListing
from storage import repo
from storage.models import Listing as ListingRow
from storage.models import ListingObservation

log = logging.getLogger(__name__)

SELLERS_PER_PASS = 500


@dataclass(frozen=True, slots=True)
class SellerResult:
    seller_pk: int
    assessment: SellerAssessment
    priority: float


@dataclass
class BatchResult:
    listings_by_platform: dict[str, int] = field(default_factory=dict)
    listings_seen: int = 0
    listings_scored: int = 0
    flagged_listings: int = 0
    sellers: list[SellerResult] = field(default_factory=list)


def score_scan(session: Session, rules: RuleSet, scan_run_id: int) -> BatchResult:
    """Score every seller that scan `scan_run_id` saw, and count what it saw per platform."""
    seen = (
        select(ListingRow.platform, func.count(distinct(ListingRow.id)))
        .join(ListingObservation, ListingObservation.listing_id == ListingRow.id)
        .where(ListingObservation.scan_run_id == scan_run_id)
        .group_by(ListingRow.platform)
    )
    by_platform = {platform: count for platform, count in session.execute(seen)}
    sellers = session.scalars(
        select(ListingRow.seller_id)
        .join(ListingObservation, ListingObservation.listing_id == ListingRow.id)
        .where(ListingObservation.scan_run_id == scan_run_id, ListingRow.seller_id.is_not(None))
        .distinct()
    ).all()
    result = score_sellers(
        session, rules, [pk for pk in sellers if pk is not None], scan_run_id=scan_run_id
    )
    result.listings_by_platform = by_platform
    result.listings_seen = sum(by_platform.values())
    return result


def rescore_all(session: Session, rules: RuleSet) -> BatchResult:
    """Re-run the detectors over every stored listing (after the rules changed)."""
    sellers = session.scalars(
        select(ListingRow.seller_id).where(ListingRow.seller_id.is_not(None)).distinct()
    ).all()
    return score_sellers(session, rules, [pk for pk in sellers if pk is not None], scan_run_id=None)


def score_sellers(
    session: Session, rules: RuleSet, seller_pks: Sequence[int], *, scan_run_id: int | None
) -> BatchResult:
    """Score whole sellers. The learned model that scores (issue 13) is looked up here, once per
    call, from `LISTINGWATCH_MODEL` or the database's active model (none: the hand weights),
    so every scan, on-demand scan and `rescore` uses the same one; `ModelRefused` stops it."""
    from pipeline.model_store import model_for

    model = model_for(session)
    result = BatchResult()
    ordered = sorted(set(seller_pks))
    for start in range(0, len(ordered), SELLERS_PER_PASS):
        _score_pass(session, rules, ordered[start : start + SELLERS_PER_PASS], scan_run_id, result, model)
    return result


def _score_pass(
    session: Session,
    rules: RuleSet,
    seller_pks: Sequence[int],
    scan_run_id: int | None,
    result: BatchResult,
    model: LearnedModel | None = None,
) -> None:
    pairs = list(repo.iter_listings(session, seller_pks=seller_pks))
    if not pairs:
        return
    owner: dict[int, int | None] = {
        pk: seller
        for pk, seller in session.execute(
            select(ListingRow.id, ListingRow.seller_id).where(ListingRow.seller_id.in_(seller_pks))
        )
    }
    listings = [listing for _, listing in pairs]
    # The stored prices include the listings being scored: they were saved before scoring.
    peers = peer_prices_from(
        repo.peer_prices_bulk(session, {(listing.brand, listing.category) for listing in listings}),
        includes_batch=True,
    )
    # A re-post marker may name another seller's listing, scored in an earlier pass or scan.
    sources = {key: FlaggedSource(key[1], risk, tuple(codes))
               for key, (risk, codes) in repo.flagged_by_key(session, marker_sources(listings, rules)).items()}
    # The contexts go on to the seller roll-up, which would otherwise build them again.
    scored, contexts = score_listings_with_contexts(listings, rules, peers, model, sources)
    repo.save_scores(
        session, scan_run_id, rules.version, [(pk, s) for (pk, _), s in zip(pairs, scored, strict=True)]
    )
    result.listings_scored += len(scored)
    result.flagged_listings += sum(1 for s in scored if s.flagged)

    grouped: dict[int, list[tuple[Listing, ScoredListing, ListingContext]]] = defaultdict(list)
    for (pk, listing), score, context in zip(pairs, scored, contexts, strict=True):
        seller = owner.get(pk)
        if seller is not None:
            grouped[seller].append((listing, score, context))
    for seller_pk in seller_pks:
        items = grouped.get(seller_pk)
        if not items:
            continue
        seller_listings = [listing for listing, _, _ in items]
        seller_scores = [score for _, score, _ in items]
        assessment = assess_seller(seller_listings, seller_scores, rules, contexts=[c for _, _, c in items])
        repo.save_seller_assessment(session, seller_pk, rules.version, assessment)
        priority = queue_priority(assessment, seller_listings, rules)
        result.sellers.append(SellerResult(seller_pk, assessment, priority))
