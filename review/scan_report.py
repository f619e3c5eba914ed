"""What one scan did, added up: the counts of its crawls and of the scored batch, the queue
sync, and the health check against the watchlist's expectations (DESIGN §4.7).

`scans.execute.execute_scan` fills a `ScanReport`; its `counts()` is the scan-run record, and the
CLI summary and the daemon's log read it. `rescore_stored` (`listingwatch rescore`) reuses the
queue sync without a crawl. Kept apart from the daemon so that the scheduler is only about
when and where scans run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from pipeline.batch import BatchResult, rescore_all
from review.queue import sync_scan
from rules.loader import RuleSet
from storage.db import session_factory

if TYPE_CHECKING:
    from crawler.run import CrawlOutcome, CrawlSpec


@dataclass
class ScanReport:
    """What a scan did, for the CLI summary, the scheduler's log and the scan-run record."""

    run_id: int
    status: str
    reason: str | None
    listings_by_platform: dict[str, int] = field(default_factory=dict)
    listings_seen: int = 0
    listings_new: int = 0
    listings_changed: int = 0
    flagged_listings: int = 0
    sellers_assessed: int = 0
    sellers_flagged: int = 0
    cases_opened: int = 0
    reappeared: int = 0  # takedown listings back online: "tái xuất hiện" events (issue 16)
    cases_updated: int = 0
    requests: int = 0
    extraction_errors: int = 0
    refused_requests: int = 0  # hops the address policy refused (crawler.address_guard)
    blocks: dict[str, int] = field(default_factory=dict)
    health: list[str] = field(default_factory=list)
    #: seller pk -> what the queue did (`CaseChange.action`), and the case id, for reports.
    case_actions: dict[int, tuple[str, int | None]] = field(default_factory=dict)
    #: seller pk -> (risk, priority, category, flagged listings) of sellers whose case this scan
    #: opened or re-opened: what the flagged-seller alerts read (review.alerts.hooks).
    newly_queued: dict[int, tuple[float, float, str | None, int]] = field(default_factory=dict)

    def counts(self) -> dict[str, Any]:
        return {
            "listings_by_platform": self.listings_by_platform,
            "listings_seen": self.listings_seen,
            "listings_new": self.listings_new,
            "listings_changed": self.listings_changed,
            "flagged": self.flagged_listings,
            "sellers_assessed": self.sellers_assessed,
            "sellers_flagged": self.sellers_flagged,
            "sellers_queued": self.cases_opened,
            "cases_updated": self.cases_updated,
            "reappeared": self.reappeared,
            "requests": self.requests,
            "errors": {"extraction": self.extraction_errors, "refused_requests": self.refused_requests},
            "blocks": self.blocks,
            "health": self.health,
        }


STATUS_ORDER = {"ok": 0, "partial": 1, "failed": 2}


def add_outcomes(report: ScanReport, outcomes: Sequence[CrawlOutcome]) -> None:
    """A scan is as bad as its worst crawl; the reasons of all crawls are kept."""
    report.status = max((o.status for o in outcomes), key=STATUS_ORDER.__getitem__, default="ok")
    reasons = [f"{o.spec.platform}: {o.reason}" for o in outcomes if o.reason is not None]
    report.reason = "; ".join(reasons) if reasons else None
    for outcome in outcomes:
        report.requests += outcome.requests
        report.extraction_errors += outcome.extraction_errors
        report.refused_requests += outcome.refused_requests
        report.listings_new += int(outcome.stats.get("listingwatch/listings_new", 0))
        report.listings_changed += int(outcome.stats.get("listingwatch/listings_changed", 0))
        for kind, count in outcome.blocks.items():
            report.blocks[kind] = report.blocks.get(kind, 0) + count


def add_batch(report: ScanReport, batch: BatchResult) -> None:
    report.listings_by_platform = dict(batch.listings_by_platform)
    report.listings_seen = batch.listings_seen
    report.flagged_listings = batch.flagged_listings
    report.sellers_assessed = len(batch.sellers)


def sync_queue(session: Session, batch: BatchResult, report: ScanReport) -> None:
    synced = sync_scan(session, batch.sellers, scanned_at=datetime.now(UTC))
    report.sellers_flagged += synced.sellers_flagged
    report.cases_opened += synced.cases_opened
    report.reappeared += synced.reappeared
    report.cases_updated += synced.cases_updated
    report.case_actions.update(synced.actions)
    for seller in batch.sellers:
        if synced.actions.get(seller.seller_pk, ("", None))[0] in ("opened", "reopened"):
            a = seller.assessment
            report.newly_queued[seller.seller_pk] = (a.risk, seller.priority, a.category, a.flagged_listings)


def check_health(report: ScanReport, rules: RuleSet, specs: Sequence[CrawlSpec], kind: str = "nightly") -> None:
    """Compare counts with what each platform usually yields: a quiet scan is not a clean one.

    Not for seller scans: one shop of five listings is not a quiet platform.
    """
    if kind == "seller":
        return
    for platform in sorted({spec.platform for spec in specs}):
        expected = rules.watchlist.expected_min_listings(platform)
        seen = report.listings_by_platform.get(platform, 0)
        if expected is not None and seen < expected:
            report.health.append(f"{platform}: {seen} listings, expected at least {expected}")
    if report.health and report.status == "ok":
        report.status = "partial"
        report.reason = "; ".join(report.health)


@dataclass
class RescoreReport:
    listings_scored: int
    flagged_listings: int
    sellers_assessed: int
    sellers_flagged: int
    cases_opened: int
    cases_updated: int


def rescore_stored(db_url: str, rules: RuleSet) -> RescoreReport:
    """Re-run the detectors over every stored listing and bring the queue in line."""
    sessions = session_factory(db_url)
    report = ScanReport(run_id=0, status="ok", reason=None)
    with sessions() as session, session.begin():
        batch = rescore_all(session, rules)
        sync_queue(session, batch, report)
    return RescoreReport(
        listings_scored=batch.listings_scored,
        flagged_listings=batch.flagged_listings,
        sellers_assessed=len(batch.sellers),
        sellers_flagged=report.sellers_flagged,
        cases_opened=report.cases_opened,
        cases_updated=report.cases_updated,
    )
