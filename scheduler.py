"""Scans: what one scan does, and the APScheduler daemon that runs them nightly (DESIGN §4.7).

A scan = crawl (in a child process: the Twisted reactor cannot restart in one process)
-> score the scan's listings as one batch -> assess their sellers -> sync the case queue
-> a scan-run record with counts, errors, blocks and a status (`ok`, `partial`, `failed`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from crawler.run import CrawlOutcome, CrawlSpec, run_crawls
from pipeline.batch import BatchResult, rescore_all, score_scan
from review.queue import sync_case
from rules.loader import RuleSet, WatchEntry
from storage import repo
from storage.db import session_factory

log = logging.getLogger("listingwatch.scan")

PIPELINE_PATH = "pipeline.pipelines.ListingPipeline"


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
    cases_updated: int = 0
    requests: int = 0
    extraction_errors: int = 0
    blocks: dict[str, int] = field(default_factory=dict)
    health: list[str] = field(default_factory=list)

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
            "requests": self.requests,
            "errors": {"extraction": self.extraction_errors},
            "blocks": self.blocks,
            "health": self.health,
        }


def execute_scan(
    specs: Sequence[CrawlSpec],
    *,
    kind: str,
    db_url: str,
    rules: RuleSet,
    platform: str | None = None,
    params: dict[str, Any] | None = None,
    timeout: float = 1800.0,
    concurrent: bool = False,
) -> ScanReport:
    """Run one scan end to end and leave its scan-run record, whatever happens."""
    sessions = session_factory(db_url)
    with sessions() as session, session.begin():
        run = repo.start_scan_run(session, kind=kind, platform=platform, params=params or {})
        run_id = run.id
    report = ScanReport(run_id=run_id, status="failed", reason=None)
    try:
        prepared = [
            replace(spec, scan_run_id=run_id, settings={**spec.settings, "ITEM_PIPELINES": {PIPELINE_PATH: 300}})
            for spec in specs
        ]
        outcomes = run_crawls(prepared, db_url, concurrent=concurrent, timeout=timeout)
        _apply_outcomes(report, outcomes)
        with sessions() as session, session.begin():
            batch = score_scan(session, rules, run_id)
            _apply_batch(report, batch)
            _sync_queue(session, batch, report)
        _check_health(report, rules, specs)
    except Exception as exc:
        log.exception("scan run %s failed", run_id)
        report.status = "failed"
        report.reason = f"{type(exc).__name__}: {exc}"
    finally:
        with sessions() as session, session.begin():
            repo.finish_scan_run(
                session, run_id, status=report.status, reason=report.reason, counts=report.counts()
            )
    return report


STATUS_ORDER = {"ok": 0, "partial": 1, "failed": 2}

DEMO_PATHS: dict[str, str] = {"demo-tiki": "/tiki", "demo-shopee": "/shopee", "demo-web": ""}
"""Where each demo platform lives under the demo marketplace's root."""


def search_terms(entry: WatchEntry, rules: RuleSet) -> list[str]:
    """What a watchlist entry asks to search for: keywords, brand names, category keywords."""
    terms = list(entry.keywords) + list(entry.brands)
    for key in entry.categories:
        category = rules.categories.categories.get(key)
        if category is not None and category.keywords:
            terms.append(category.keywords[0])
    unique: dict[str, str] = {}
    for term in terms:
        unique.setdefault(term.casefold(), term)
    return list(unique.values())


def watchlist_specs(
    rules: RuleSet, *, platforms: Sequence[str] | None = None, demo_base_url: str | None = None,
    base_url: str | None = None,
) -> list[CrawlSpec]:
    """Crawl specs for one scan from the watchlist: a search per platform, a crawl per known seller."""
    specs: list[CrawlSpec] = []
    for platform, entry in rules.watchlist.platforms.items():
        if platforms is not None and platform not in platforms:
            continue
        if platforms is None and not entry.enabled:
            continue
        root = base_url
        if root is None and platform in DEMO_PATHS and demo_base_url is not None:
            root = demo_base_url + DEMO_PATHS[platform]
        terms = search_terms(entry, rules)
        if terms:
            specs.append(
                CrawlSpec(platform=platform, mode="search", keywords=terms, base_url=root,
                          max_requests=entry.request_budget)
            )
        specs.extend(
            CrawlSpec(platform=platform, mode="seller", seller=seller, base_url=root,
                      max_requests=entry.request_budget)
            for seller in entry.sellers
        )
    return specs


def _apply_outcomes(report: ScanReport, outcomes: Sequence[CrawlOutcome]) -> None:
    """A scan is as bad as its worst crawl; the reasons of all crawls are kept."""
    report.status = max((o.status for o in outcomes), key=STATUS_ORDER.__getitem__, default="ok")
    reasons = [f"{o.spec.platform}: {o.reason}" for o in outcomes if o.reason is not None]
    report.reason = "; ".join(reasons) if reasons else None
    for outcome in outcomes:
        report.requests += outcome.requests
        report.extraction_errors += outcome.extraction_errors
        report.listings_new += int(outcome.stats.get("listingwatch/listings_new", 0))
        report.listings_changed += int(outcome.stats.get("listingwatch/listings_changed", 0))
        for kind, count in outcome.blocks.items():
            report.blocks[kind] = report.blocks.get(kind, 0) + count


def _apply_batch(report: ScanReport, batch: BatchResult) -> None:
    report.listings_by_platform = dict(batch.listings_by_platform)
    report.listings_seen = batch.listings_seen
    report.flagged_listings = batch.flagged_listings
    report.sellers_assessed = len(batch.sellers)


def _sync_queue(session: Session, batch: BatchResult, report: ScanReport) -> None:
    now = datetime.now(UTC)
    for seller in batch.sellers:
        if seller.assessment.flagged:
            report.sellers_flagged += 1
        change = sync_case(
            session,
            seller.seller_pk,
            risk=seller.assessment.risk,
            flagged=seller.assessment.flagged,
            priority=seller.priority,
            scanned_at=now,
        )
        if change.action in ("opened", "reopened"):
            report.cases_opened += 1
        elif change.action in ("rescored", "touched"):
            report.cases_updated += 1


def _check_health(report: ScanReport, rules: RuleSet, specs: Sequence[CrawlSpec]) -> None:
    """Compare counts with what each platform usually yields: a quiet scan is not a clean one."""
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
        _sync_queue(session, batch, report)
    return RescoreReport(
        listings_scored=batch.listings_scored,
        flagged_listings=batch.flagged_listings,
        sellers_assessed=len(batch.sellers),
        sellers_flagged=report.sellers_flagged,
        cases_opened=report.cases_opened,
        cases_updated=report.cases_updated,
    )
