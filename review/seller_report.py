"""What an inspector gets at the end of an on-demand seller scan (`listingwatch scan-seller`,
the web app): built from the database alone, so any process can show it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import repo
from storage.db import session_factory
from storage.models import Listing, ListingSignal, ReviewCase, ScanRequest, ScanRun


@dataclass
class SellerReport:
    """What an inspector gets at the end of an on-demand scan."""

    request_id: int
    status: str  # done | failed | refused
    error: str | None
    run_id: int | None
    run_status: str | None
    run_reason: str | None
    seller_pk: int | None = None
    seller_name: str | None = None
    seller_key: str | None = None
    platform: str | None = None
    risk: float | None = None
    flagged: bool | None = None
    listings: int = 0
    flagged_listings: list[dict[str, Any]] = field(default_factory=list)
    top_signals: list[dict[str, Any]] = field(default_factory=list)
    case_id: int | None = None
    case_action: str | None = None  # opened | reopened | rescored | touched | suppressed | none

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def scan_seller_of_run(session: Session, run_id: int) -> int | None:
    """The seller a seller scan found: the one with most listings in the run."""
    row = session.execute(
        select(Listing.seller_id, func.count()).where(Listing.last_scan_run_id == run_id, Listing.seller_id.is_not(None))
        .group_by(Listing.seller_id).order_by(func.count().desc()).limit(1)
    ).first()
    return None if row is None or row[0] is None else int(row[0])


def seller_report(db_url: str, request_id: int, *, top: int = 5) -> SellerReport:
    """The report of a finished (or failed) request, from the database alone, so any process
    (the CLI waiting on a daemon, the web app) can show it."""
    from storage.models import Seller

    with session_factory(db_url)() as session:
        request = session.get(ScanRequest, request_id)
        if request is None:
            raise LookupError(f"scan request {request_id} does not exist")
        run = session.get(ScanRun, request.scan_run_id) if request.scan_run_id is not None else None
        report = SellerReport(request_id=request.id, status=request.status, error=request.error,
                              run_id=None if run is None else run.id, run_status=None if run is None else run.status,
                              run_reason=None if run is None else run.reason, platform=request.platform)
        if run is None:
            return report
        seller_pk = scan_seller_of_run(session, run.id)
        if seller_pk is None:
            return report
        seller = session.get(Seller, seller_pk)
        assert seller is not None
        report.seller_pk, report.seller_name, report.seller_key = seller.id, seller.name, seller.seller_key
        report.platform, report.risk, report.flagged = seller.platform, seller.risk, seller.flagged
        report.listings = int(session.scalar(select(func.count()).select_from(Listing).where(Listing.seller_id == seller.id)) or 0)
        assessment = repo.latest_assessment(session, seller.id)
        if assessment is not None:
            report.top_signals = sorted(assessment.signals, key=lambda s: -float(s.get("score", 0)))[:top]
        for listing in session.scalars(
            select(Listing).where(Listing.seller_id == seller.id, Listing.flagged.is_(True))
            .order_by(Listing.risk.desc(), Listing.id)
        ):
            signals = session.scalars(select(ListingSignal.detail).where(ListingSignal.listing_id == listing.id)).all()
            report.flagged_listings.append({"listing_id": listing.listing_key, "title": listing.title,
                                            "price": listing.price, "risk": listing.risk, "url": listing.url,
                                            "signals": list(signals)})
        action = (run.counts or {}).get("seller_case") or {}
        report.case_action = action.get("action")
        case = session.scalar(select(ReviewCase).where(ReviewCase.seller_id == seller.id)
                              .order_by(ReviewCase.opened_at.desc(), ReviewCase.id.desc()).limit(1))
        report.case_id = action.get("case_id") if action.get("case_id") is not None else (None if case is None else case.id)
    return report

