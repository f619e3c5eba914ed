"""Removal checks: after a request's deadline, re-fetch each of its listings through the normal
spiders (refresh mode, one crawl per listing so each gets its own verdict) and record it.

Verdicts, strict on purpose (a wrong "removed" closes a takedown that did not work):

- ``still_online``: the spider extracted the listing itself from the page (a fresh WARC +
  screenshot is captured as evidence when Chromium is there);
- ``removed``: the spider saw HTTP 404/410 or the platform's removed-product page
  (`crawler.blocks.detect_removed`), and nothing was blocked or failed;
- ``unreachable``: everything else (a block, a captcha, a refused or failed connection, a page
  that shows neither the listing nor a removal). Never counted as removed.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from crawler import platforms
from crawler.address_policy import REFUSED_STAT
from crawler.run import CrawlOutcome, CrawlSpec, run_crawls
from review.takedown.service import TakedownError
from storage import repo
from storage.db import session_factory
from storage.models import TakedownListing, TakedownRequest
from storage.runs import job_lock

log = logging.getLogger("listingwatch.takedown")
#: Generous: every listing is its own crawl, one after the other, in one child process.
CRAWL_TIMEOUT_PER_LISTING: Final = 60.0
VERIFY_LOCK: Final = "takedown-verify"


class VerifyBusy(TakedownError):
    """Another process checks takedowns on this database right now."""


@dataclass
class CheckedListing:
    takedown_listing_id: int
    listing_id: int | None
    url: str
    status: str
    detail: str
    evidence_id: int | None = None


@dataclass
class VerifyReport:
    request_id: int
    case_id: int
    before: str
    after: str
    listings: list[CheckedListing] = field(default_factory=list)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _base_url(row: TakedownListing, platform: str, demo_urls: Sequence[str]) -> tuple[str | None, str | None]:
    """(the spider's base URL, None) or (None, why the listing cannot be fetched)."""
    if not platform.startswith("demo-"):
        return None, None
    root = next((u.rstrip("/") for u in demo_urls if _origin(u) == _origin(row.url)), None)
    if root is None:
        return None, f"demo listing at {_origin(row.url)}: no running demo marketplace given for it (--demo-url)"
    return root + (platforms.demo_paths().get(platform) or ""), None


def _spec(row: TakedownListing, platform: str, base_url: str | None, feed: Path) -> CrawlSpec:
    # No item pipeline: a check reads what the page says, it does not rescore or requeue.
    return CrawlSpec(platform=platform, mode="refresh", urls=[row.url], base_url=base_url, feed=str(feed),
                     max_requests=5, settings={"ITEM_PIPELINES": {}})


def _statuses(outcome: CrawlOutcome) -> str:
    prefix = "downloader/response_status_count/"
    codes = sorted(k.removeprefix(prefix) for k in outcome.stats if k.startswith(prefix))
    return "HTTP " + "/".join(codes) if codes else "no HTTP response"


def _extracted(feed: Path) -> list[dict[str, Any]]:
    if not feed.exists():
        return []
    items = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [item for item in items if isinstance(item, dict) and "listing_id" in item]


def classify(row: TakedownListing, outcome: CrawlOutcome, items: list[dict[str, Any]]) -> tuple[str, str]:
    """(status, detail) of one listing's re-fetch; see the module's docstring for the rules."""
    http = _statuses(outcome)
    if any(str(item.get("listing_id")) == row.listing_key for item in items):
        return "still_online", f"listing still shown ({http})"
    if outcome.blocks:
        kinds = ", ".join(f"{k}={v}" for k, v in sorted(outcome.blocks.items()))
        return "unreachable", f"blocked ({kinds}; {http}): not evidence of removal"
    if outcome.status == "failed":
        return "unreachable", f"fetch failed: {outcome.reason}"
    # The browser's own background requests refused by the address guard say nothing about the
    # page (crawler.run reports them as warnings); a refused crawl request does.
    if outcome.request_errors or int(outcome.stats.get(REFUSED_STAT, 0) or 0):
        return "unreachable", f"request errors or refused requests ({outcome.reason or http})"
    if int(outcome.stats.get("crawler/not_found", 0) or 0) > 0:
        return "removed", f"platform says the product is gone ({http})"
    return "unreachable", f"page shows neither the listing nor a removal ({http})"


def checkable_requests(
    db_url: str, *, request_id: int | None = None, due_only: bool = True,
) -> list[int]:
    """Ids of the requests a check looks at: one, the due ones, or every sent one."""
    with session_factory(db_url)() as session:
        if request_id is not None:
            request = repo.get_takedown(session, request_id)
            if request.status not in repo.CHECKABLE_STATUSES:
                raise repo.TakedownError(f"takedown request #{request_id} is {request.status}: "
                                         "only a sent request is checked")
            return [request.id]
        if due_only:
            return [r.id for r in repo.due_takedowns(session)]
        return [r.id for r in repo.list_takedowns(session) if r.status in repo.CHECKABLE_STATUSES]


def run_verify(
    db_url: str, *, actor: str, request_id: int | None = None, due_only: bool = True, demo_urls: Sequence[str] = (),
    capture: bool = True,
) -> list[VerifyReport]:
    """`takedown verify`, shared by the CLI and the scheduler's job so that both pick and check
    requests the same way: one request, the due ones (default) or every sent one."""
    # One check at a time per database: two daemons (or a daemon and the CLI) would re-fetch
    # the same listings and write every verdict twice.
    with job_lock(db_url, VERIFY_LOCK) as taken:
        if not taken:
            raise VerifyBusy("another takedown check is running on this database; try again when it ends")
        ids = checkable_requests(db_url, request_id=request_id, due_only=due_only)
        if not ids:
            return []
        return verify_takedowns(db_url, ids, actor=actor, demo_urls=demo_urls, capture=capture)


def verify_takedowns(
    db_url: str, request_ids: Sequence[int], *, actor: str, demo_urls: Sequence[str] = (), capture: bool = True,
) -> list[VerifyReport]:
    """Re-fetch every listing of these requests and record the verdicts (one case event each)."""
    sessions = session_factory(db_url)
    with sessions() as session:
        requests: list[TakedownRequest] = [repo.get_takedown(session, rid) for rid in request_ids]
        for request in requests:
            session.expunge(request)
    reports: list[VerifyReport] = []
    with tempfile.TemporaryDirectory(prefix="lw-takedown-") as tmp:
        planned: list[tuple[TakedownRequest, TakedownListing, CrawlSpec | None, str | None]] = []
        for request in requests:
            for row in request.listings:
                base, problem = _base_url(row, request.platform, demo_urls)
                spec = None if problem is not None else _spec(row, request.platform, base, Path(tmp) / f"{row.id}.jsonl")
                planned.append((request, row, spec, problem))
        specs = [spec for _, _, spec, _ in planned if spec is not None]
        outcomes = iter(run_crawls(specs, None, timeout=CRAWL_TIMEOUT_PER_LISTING * max(1, len(specs))))
        checked: dict[int, list[CheckedListing]] = {}
        for request, row, spec, problem in planned:
            if spec is None:
                status, detail = "unreachable", str(problem)
            else:
                assert spec.feed is not None
                status, detail = classify(row, next(outcomes), _extracted(Path(spec.feed)))
            log.info("takedown #%d %s: %s (%s)", request.id, row.url, status, detail)
            checked.setdefault(request.id, []).append(
                CheckedListing(row.id, row.listing_id, row.url, status, detail))
    if capture:
        _capture_still_online(db_url, requests, checked, actor=actor, demo_urls=demo_urls)
    for request in requests:
        rows = checked.get(request.id, [])
        with sessions() as session, session.begin():
            saved = repo.record_check(session, request.id, [
                repo.ListingCheck(c.takedown_listing_id, c.status, c.detail, c.evidence_id) for c in rows], actor=actor)
            reports.append(VerifyReport(request.id, request.case_id, request.status, saved.status, rows))
    return reports


def _capture_still_online(
    db_url: str, requests: Sequence[TakedownRequest], checked: dict[int, list[CheckedListing]], *, actor: str,
    demo_urls: Sequence[str],
) -> None:
    """A fresh WARC + screenshot of each listing still online, as evidence for the escalation."""
    from crawler.browser import chromium_available
    from review.evidence import CaptureTarget, capture_targets
    from storage.evidence_store import EvidenceStore, default_root

    targets = [(c, CaptureTarget(c.url, c.listing_id, r.case_id))
               for r in requests for c in checked.get(r.id, []) if c.status == "still_online"]
    if not targets:
        return
    if not chromium_available():
        for c, _ in targets:
            c.detail += "; no fresh capture (no Chromium)"
        return
    results = capture_targets(session_factory(db_url), [t for _, t in targets], store=EvidenceStore(default_root(db_url)),
                              actor=actor, allowed_origins=tuple(demo_urls))
    for (c, _), result in zip(targets, results, strict=True):
        if result.error is not None:
            c.detail += f"; fresh capture failed: {result.error}"
        else:
            c.evidence_id = result.screenshot_id or result.warc_id
            c.detail += f"; fresh capture evidence #{c.evidence_id}"
