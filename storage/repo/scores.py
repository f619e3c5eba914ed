"""Listing scores and signals, seller assessments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import (
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from rules import record
from storage.models import (
    Listing,
    ListingScore,
    ListingSignal,
    Seller,
    SellerAssessment,
    utcnow,
)
from storage.repo._common import (
    _aware,
    _plain_chunks,
    _signal_dict,
)


class SellerAssessmentLike(Protocol):
    """What `save_seller_assessment` needs; `detectors.assess_seller`'s result fits."""

    @property
    def risk(self) -> float: ...
    @property
    def flagged(self) -> bool: ...
    @property
    def signals(self) -> Sequence[Any]: ...
    @property
    def flagged_listings(self) -> int: ...
    @property
    def total_listings(self) -> int: ...


def save_scores(
    session: Session,
    scan_run_id: int | None,
    rules_version: str,
    items: Sequence[tuple[int, record.ScoredListing]],
    *,
    scored_at: datetime | None = None,
) -> list[int]:
    """Store one score per listing (history), replace its current signals, and update the
    listing's latest risk / flagged / rules version. Returns the new `listing_scores` ids."""
    scored_at = _aware(scored_at or utcnow(), "scored_at")
    latest: dict[int, record.ScoredListing] = {}
    for pk, scored in items:
        latest[pk] = scored
    if not latest:
        return []
    pks = sorted(latest)
    score_rows = [
        {
            "listing_id": pk,
            "scan_run_id": scan_run_id,
            "rules_version": rules_version,
            "model_version": latest[pk].model_version,
            "risk": latest[pk].risk,
            "flagged": latest[pk].flagged,
            "signals": [_signal_dict(s) for s in latest[pk].signals],
            "scored_at": scored_at,
        }
        for pk in pks
    ]
    score_ids = list(
        session.scalars(
            insert(ListingScore).returning(ListingScore.id, sort_by_parameter_order=True),
            score_rows,
        )
    )
    for part in _plain_chunks(pks, 1000):
        session.execute(
            delete(ListingSignal).where(ListingSignal.listing_id.in_(part)),
            execution_options={"synchronize_session": False},
        )
    signal_rows = [
        {"listing_id": pk, "listing_score_id": score_id, **_signal_dict(signal)}
        for pk, score_id in zip(pks, score_ids, strict=True)
        for signal in latest[pk].signals
    ]
    if signal_rows:
        session.execute(insert(ListingSignal), signal_rows)
    session.execute(
        update(Listing),
        [
            {
                "id": pk,
                "risk": latest[pk].risk,
                "flagged": latest[pk].flagged,
                "rules_version": rules_version,
                "model_version": latest[pk].model_version,
                "scored_at": scored_at,
            }
            for pk in pks
        ],
    )
    session.flush()
    return score_ids


def save_seller_assessment(
    session: Session,
    seller_pk: int,
    rules_version: str,
    assessment: SellerAssessmentLike,
    *,
    scan_run_id: int | None = None,
    assessed_at: datetime | None = None,
) -> SellerAssessment:
    """Store a seller roll-up (history) and update the seller's latest risk / flagged."""
    assessed_at = _aware(assessed_at or utcnow(), "assessed_at")
    seller = session.get(Seller, seller_pk)
    if seller is None:
        raise LookupError(f"seller {seller_pk} does not exist")
    row = SellerAssessment(
        seller_id=seller_pk,
        scan_run_id=scan_run_id,
        rules_version=rules_version,
        risk=float(assessment.risk),
        flagged=bool(assessment.flagged),
        flagged_listings=int(assessment.flagged_listings),
        total_listings=int(assessment.total_listings),
        signals=[_signal_dict(s) for s in assessment.signals],
        assessed_at=assessed_at,
    )
    session.add(row)
    seller.risk = row.risk
    seller.flagged = row.flagged
    seller.rules_version = rules_version
    seller.assessed_at = assessed_at
    if row.flagged and seller.first_flagged_at is None:
        seller.first_flagged_at = assessed_at
    session.flush()
    return row


def latest_assessment(session: Session, seller_pk: int) -> SellerAssessment | None:
    stmt = (
        select(SellerAssessment)
        .where(SellerAssessment.seller_id == seller_pk)
        .order_by(SellerAssessment.assessed_at.desc(), SellerAssessment.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def flagged_listing_pks(
    session: Session, *, code: str | None = None, seller_pk: int | None = None
) -> list[int]:
    """Currently flagged listings, optionally only those carrying signal `code`."""
    stmt = select(Listing.id).where(Listing.flagged.is_(True)).order_by(Listing.id)
    if code is not None:
        stmt = stmt.where(
            select(ListingSignal.id)
            .where(ListingSignal.listing_id == Listing.id, ListingSignal.code == code)
            .exists()
        )
    if seller_pk is not None:
        stmt = stmt.where(Listing.seller_id == seller_pk)
    return list(session.scalars(stmt))


def flagged_by_key(
    session: Session, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], tuple[float, list[str]]]:
    """Currently flagged listings among `keys` (platform, listing id): each one's risk and
    current signal codes, strongest first (the order they were stored in)."""
    by_platform: dict[str, set[str]] = defaultdict(set)
    for platform, listing_id in keys:
        by_platform[platform].add(listing_id)
    out: dict[tuple[str, str], tuple[float, list[str]]] = {}
    for platform, ids in sorted(by_platform.items()):
        for part in _plain_chunks(sorted(ids), 1000):
            rows = session.execute(
                select(Listing.id, Listing.listing_key, Listing.risk, ListingSignal.code)
                .outerjoin(ListingSignal, ListingSignal.listing_id == Listing.id)
                .where(Listing.platform == platform, Listing.listing_key.in_(part), Listing.flagged.is_(True))
                .order_by(Listing.id, ListingSignal.id)
            )
            for _, listing_id, risk, code in rows:
                entry = out.setdefault((platform, listing_id), (float(risk or 0.0), []))
                if code is not None:
                    entry[1].append(code)
    return out
