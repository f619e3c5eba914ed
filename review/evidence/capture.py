"""Capture: each listing page in headless Chromium, kept as a WARC file (the main document's
HTTP exchange, a `revisit` record when the same body was archived before, then the API calls
the page made to render its listing, in full) and a full-page PNG, both in the
content-addressed `EvidenceStore`, indexed in `evidence` per listing and logged in the
chain-of-custody log (with each API response's URL and payload hash).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crawler.address_policy import AddressPolicy, RefusedAddress
from crawler.evidence import Revisit, build_warc, http_headers_list
from crawler.seller_urls import demo_origins_from_env
from detectors.vntime import VIETNAM_TZ_NAME, local_time
from review.evidence.page_calls import PageCalls
from review.evidence.settings import (
    SYSTEM,
    EvidenceError,
    EvidenceSettings,
    load_evidence_settings,
)
from storage import repo
from storage.db import session_factory
from storage.evidence_store import EvidenceStore, default_root
from storage.models import Listing, ReviewCase, ScanRun

log = logging.getLogger("listingwatch.evidence")


@dataclass(frozen=True, slots=True)
class CaptureTarget:
    url: str
    listing_pk: int | None = None
    case_id: int | None = None


@dataclass
class CaptureResult:
    target: CaptureTarget
    captured_at: datetime | None = None
    warc_id: int | None = None
    screenshot_id: int | None = None
    warc_sha256: str | None = None
    screenshot_sha256: str | None = None
    payload_sha256: str | None = None
    record_type: str | None = None
    http_status: int | None = None
    new_bytes: int = 0
    api_calls: int = 0  # API exchanges archived in the WARC beside the page
    error: str | None = None


def require_chromium() -> None:
    """Fail as a domain error (exit code 1, a clear line) before Playwright starts."""
    from crawler.browser import chromium_available, chromium_path

    if not chromium_available():
        raise EvidenceError(f"no Chromium at {chromium_path()} (set LISTINGWATCH_CHROMIUM)")


@contextmanager
def _browser(settings: EvidenceSettings, policy: AddressPolicy) -> Iterator[Any]:
    """A Chromium context whose every request (page, sub-resources, redirect hops) goes through
    the address-guard proxy: public addresses and the policy's allowed origins only."""
    from playwright.sync_api import sync_playwright

    from crawler import settings as crawl_settings
    from crawler.browser import launch_chromium
    from crawler.guard_proxy import guard_proxy

    require_chromium()
    with guard_proxy(policy) as proxy, sync_playwright() as pw, \
            launch_chromium(pw, proxy=proxy.playwright_option()) as browser:
        context = browser.new_context(
            viewport={"width": settings.viewport_width, "height": settings.viewport_height},
            locale="vi-VN",
            timezone_id=VIETNAM_TZ_NAME,
            user_agent=crawl_settings.USER_AGENT,
        )
        yield context


def capture_policy(allowed_origins: Sequence[str] | None) -> AddressPolicy:
    """The address policy of a capture: public addresses plus ``allowed_origins`` (None: the
    demo origins configured in ``$LISTINGWATCH_DEMO_URL``, as for scans)."""
    origins = demo_origins_from_env() if allowed_origins is None else tuple(allowed_origins)
    return AddressPolicy.from_origins(origins)


def capture_targets(
    sessions: sessionmaker[Session],
    targets: Sequence[CaptureTarget],
    *,
    store: EvidenceStore,
    scan_run_id: int | None = None,
    actor: str = SYSTEM,
    settings: EvidenceSettings | None = None,
    allowed_origins: Sequence[str] | None = None,
    stop: threading.Event | None = None,
) -> list[CaptureResult]:
    """Capture each target (WARC + full-page PNG), index it and log it in the custody log.

    A page that fails (timeout, bad URL, an address the policy refuses) is a result with
    `error`, not an exception: one dead listing must not cost the evidence of the others.
    Listing URLs come from crawled data, so each is checked like a crawl hop
    (`crawler.address_guard`); ``allowed_origins``: see `capture_policy`. Once ``stop`` is set
    (the scan is being stopped) the remaining targets are results with `error`, not captured.
    """
    settings = settings or load_evidence_settings()
    policy = capture_policy(allowed_origins)
    results = [CaptureResult(target) for target in targets]
    usable: list[CaptureResult] = []
    for result in results:
        scheme = urlsplit(result.target.url).scheme
        if scheme not in ("http", "https"):
            result.error = f"not an http(s) URL: {result.target.url!r}"
            continue
        try:
            policy.check_url(result.target.url)
        except RefusedAddress as exc:
            result.error = str(exc)
            log.warning("evidence capture of %s refused: %s", result.target.url, exc)
            continue
        usable.append(result)
    if not usable:
        return results
    policy = policy.allows_only_its_origins(r.target.url for r in usable)
    with _browser(settings, policy) as context:
        page = context.new_page()
        for result in usable:
            if stop is not None and stop.is_set():
                result.error = "not captured: the scan was stopped"
                continue
            try:
                _capture_one(page, result, sessions, store, scan_run_id, actor, settings)
            except Exception as exc:  # counted per listing; the run goes on
                result.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                log.warning("evidence capture of %s failed: %s", result.target.url, result.error)
                page.close()
                page = context.new_page()
    return results


def _capture_one(
    page: Any,
    result: CaptureResult,
    sessions: sessionmaker[Session],
    store: EvidenceStore,
    scan_run_id: int | None,
    actor: str,
    settings: EvidenceSettings,
) -> None:
    target = result.target
    timeout_ms = settings.page_timeout_seconds * 1000
    with PageCalls(page, limit=settings.max_api_calls, max_bytes=settings.max_api_bytes) as calls:
        response = page.goto(target.url, wait_until="load", timeout=timeout_ms)
        if response is None:
            raise EvidenceError(f"no response for {target.url}")
        if settings.settle_ms:
            page.wait_for_timeout(settings.settle_ms)
        # The listing of a JavaScript page arrives with its API calls: wait for them so the
        # screenshot shows it and the WARC holds it.
        calls.wait(timeout_ms)
        captured_at = datetime.now(UTC)
        body: bytes = response.body()
        png: bytes = page.screenshot(full_page=True, type="png", animations="disabled")
        api = calls.exchanges() if settings.max_api_calls else []
    if calls.failed or calls.skipped:
        log.warning("evidence capture of %s: %d API call(s) failed, %d over the caps",
                    target.url, calls.failed, calls.skipped)
    request_headers = [(k, v) for k, v in response.request.all_headers().items()
                       if not k.startswith(":")]
    payload = hashlib.sha256(body).hexdigest()
    local = local_time(captured_at).isoformat()
    with sessions() as session, session.begin():
        original = repo.original_response(session, payload)
        revisit = None if original is None or original.url is None else Revisit(
            original.url, original.captured_at)
        warc = build_warc(
            url=response.url, method=response.request.method, request_headers=request_headers,
            status=response.status, reason=response.status_text,
            response_headers=http_headers_list(response.headers_array()), body=body,
            captured_at=captured_at, scan_run_id=scan_run_id, revisit_of=revisit,
            note=f"listing page captured by {actor} with headless Chromium"
                 + (f", with the {len(api)} API call(s) the page made" if api else ""),
            related=api,
        )
        stored_warc = store.put(warc.data, "warc.gz")
        stored_png = store.put(png, "png")
        common: dict[str, Any] = {
            "listing_id": target.listing_pk, "scan_run_id": scan_run_id, "url": response.url,
            "captured_at": captured_at, "captured_at_local": local,
            "http_status": response.status,
        }
        warc_row = repo.record_evidence(
            session, kind="warc", path=stored_warc.path, sha256=stored_warc.sha256,
            size=stored_warc.size, media_type="application/warc",
            payload_sha256=warc.payload_sha256, record_type=warc.record_type, **common,
        )
        png_row = repo.record_evidence(
            session, kind="screenshot", path=stored_png.path, sha256=stored_png.sha256,
            size=stored_png.size, media_type="image/png", record_type="image",
            payload_sha256=stored_png.sha256, **common,
        )
        # which API responses this listing's WARC holds, findable without opening it
        api_index = [{"url": x.url, "status": x.status,
                      "payload_sha256": hashlib.sha256(x.body).hexdigest()} for x in api]
        for row in (warc_row, png_row):
            repo.record_custody(
                session, action="capture", actor=actor, case_id=target.case_id,
                evidence_id=row.id, at=captured_at,
                detail={"kind": row.kind, "url": row.url, "sha256": row.sha256,
                        "scan_run_id": scan_run_id, "captured_at_local": local,
                        **({"api_responses": api_index} if row is warc_row and api else {})},
            )
        result.warc_id, result.screenshot_id = warc_row.id, png_row.id
    result.captured_at = captured_at
    result.warc_sha256, result.screenshot_sha256 = stored_warc.sha256, stored_png.sha256
    result.payload_sha256, result.record_type = warc.payload_sha256, warc.record_type
    result.http_status = response.status
    result.api_calls = len(api)
    result.new_bytes = (stored_warc.size if stored_warc.new else 0) + (
        stored_png.size if stored_png.new else 0)


def capture_for_scan(
    db_url: str,
    scan_run_id: int,
    seller_pks: Sequence[int],
    *,
    settings: EvidenceSettings | None = None,
    store: EvidenceStore | None = None,
    allowed_origins: Sequence[str] | None = None,
    stop: threading.Event | None = None,
) -> dict[str, Any]:
    """After a scan: capture the listings seen in it of every seller with an open case.

    Never raises (the scan's own result matters more); the counts, and an error if the
    browser could not run, are stored under `counts["evidence"]` of the scan run.
    """
    counts: dict[str, Any] = {"listings": 0, "captured": 0, "failed": 0, "new_bytes": 0}
    try:
        settings = settings or load_evidence_settings()
        if not settings.capture_on_scan:
            return {"skipped": "capture_on_scan is off"}
        sessions = session_factory(db_url)
        store = store or EvidenceStore(default_root(db_url))
        targets: list[CaptureTarget] = []
        with sessions() as session:
            for seller_pk in sorted(set(seller_pks)):
                case = session.scalar(select(ReviewCase).where(
                    ReviewCase.seller_id == seller_pk, ReviewCase.status.in_(("open", "in_review"))))
                if case is None:
                    continue
                rows = session.execute(
                    select(Listing.id, Listing.url)
                    .where(Listing.seller_id == seller_pk, Listing.last_scan_run_id == scan_run_id,
                           Listing.url.is_not(None))
                    .order_by(Listing.flagged.desc(), Listing.risk.desc(), Listing.id)
                    .limit(settings.max_listings_per_seller)
                ).all()
                targets.extend(CaptureTarget(str(url), pk, case.id) for pk, url in rows)
        counts["listings"] = len(targets)
        if targets:
            results = capture_targets(sessions, targets, store=store, scan_run_id=scan_run_id,
                                      settings=settings, allowed_origins=allowed_origins, stop=stop)
            counts["captured"] = sum(1 for r in results if r.error is None)
            counts["failed"] = sum(1 for r in results if r.error is not None)
            counts["new_bytes"] = sum(r.new_bytes for r in results)
            counts["api_calls"] = sum(r.api_calls for r in results)
    except Exception as exc:  # a missing browser must not fail the scan that found the sellers
        log.exception("evidence capture after scan run %s failed", scan_run_id)
        counts["error"] = f"{type(exc).__name__}: {exc}"
    try:
        with session_factory(db_url)() as session, session.begin():
            run = session.get(ScanRun, scan_run_id)
            if run is not None:
                run.counts = {**(run.counts or {}), "evidence": counts}
    except Exception:
        log.exception("could not record evidence counts on scan run %s", scan_run_id)
    return counts


def capture_url(
    db_url: str, url: str, *, actor: str, store: EvidenceStore | None = None,
    settings: EvidenceSettings | None = None, allowed_origins: Sequence[str] | None = None,
) -> CaptureResult:
    """Capture any page on request; linked to the stored listing (and its seller's open
    case) when the URL is a known listing's. ``allowed_origins``: see `capture_policy`."""
    sessions = session_factory(db_url)
    with sessions() as session:
        listing = session.scalar(select(Listing).where(Listing.url == url).limit(1))
        listing_pk = None if listing is None else listing.id
        case_id = None
        if listing is not None and listing.seller_id is not None:
            case_id = session.scalar(
                select(ReviewCase.id).where(ReviewCase.seller_id == listing.seller_id)
                .order_by(ReviewCase.opened_at.desc(), ReviewCase.id.desc()).limit(1))
    store = store or EvidenceStore(default_root(db_url))
    return capture_targets(sessions, [CaptureTarget(url, listing_pk, case_id)], store=store,
                           actor=actor, settings=settings, allowed_origins=allowed_origins)[0]

