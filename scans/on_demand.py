"""On-demand seller scans (an inspector pastes a shop URL): queue the request, claim it,
scan the seller, report; and `scan-seller --wait`, which hands the request to a running
daemon or scans it in its own process.

The daemon's worker that takes requests as they come is `scheduler.RequestWorker`; the
request rows are `storage.repo` (`request_scan`, `claim_scan_request`, `finish_scan_request`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence

from crawler import logs
from crawler.run import CrawlSpec
from crawler.seller_urls import (
    SellerRef,
    SellerURLError,
    fetch_url,
    resolve_seller,
    validate_seller_url,
)
from review.seller_report import SellerReport, scan_seller_of_run, seller_report
from rules.loader import RuleSet
from scans.execute import asked_params, execute_scan
from storage import repo
from storage.db import session_factory
from storage.models import ScanRun
from storage.runs import Progress, locked_session, owner_info, recover_stale, request_progress

log = logging.getLogger("listingwatch.scan")


def submit_seller_scan(db_url: str, rules: RuleSet, url: str, requested_by: str, *,
                       demo_origins: Sequence[str] = (), resolver: Callable[[str], list[str]] | None = None,
                       ) -> tuple[int, SellerRef]:
    """Validate and queue an on-demand scan; returns (request id, what was recognised)."""
    ref = validate_seller_url(url, rules, demo_origins=demo_origins, resolver=resolver)
    with session_factory(db_url)() as session, session.begin():
        row = repo.request_scan(session, ref.url, requested_by, platform=ref.platform, seller_key=ref.value)
        return row.id, ref


def claim_request(db_url: str, rules: RuleSet, *, request_id: int | None = None,
                  demo_origins: Sequence[str] = ()) -> tuple[int, int, SellerRef] | None:
    """Take a queued request and start its scan run in ONE transaction (so every running
    request has a run with an owner); a URL that fails validation is `refused` here (the web
    app stores what inspectors typed). Returns (request id, run id, ref) or None."""
    while True:
        with locked_session(db_url, "claim") as session:
            request = repo.claim_scan_request(session, request_id=request_id)
            if request is None:
                return None
            try:
                ref = validate_seller_url(request.url, rules, demo_origins=demo_origins)
            except SellerURLError as exc:
                repo.finish_scan_request(session, request.id, "refused", error=str(exc))
                log.warning("scan request %s refused: %s", request.id, exc)
                if request_id is not None:
                    return None
                continue
            od = rules.watchlist.on_demand
            run = repo.start_scan_run(session, kind="seller", platform=ref.platform, params={
                "request_id": request.id, "url": ref.url, "requested_by": request.requested_by,
                "recognised": {"kind": ref.kind, "value": ref.value}, "request_budget": od.request_budget,
                "owner": owner_info(),
            })
            request.platform, request.seller_key, request.scan_run_id = ref.platform, ref.value, run.id
            return request.id, run.id, ref


@logs.isolated
def process_request(db_url: str, rules: RuleSet, request_id: int, run_id: int, ref: SellerRef, *,
                    stop: threading.Event | None = None, fetch: Callable[[str], bytes] = fetch_url) -> SellerReport:
    """Scan one claimed request's seller and close the request (done / failed)."""
    logs.bind(scan_request_id=request_id, scan_run_id=run_id, platform=ref.platform)
    od = rules.watchlist.on_demand
    sessions = session_factory(db_url)
    try:
        seller = resolve_seller(ref, fetch)
    except Exception as exc:  # anything from the lookup: bad JSON, HTTP error, no id
        reason = f"could not find the seller: {exc}"
        with sessions() as session, session.begin():
            repo.finish_scan_run(session, run_id, status="failed", reason=reason)
            repo.finish_scan_request(session, request_id, "failed", scan_run_id=run_id, error=reason)
        return seller_report(db_url, request_id)
    spec = CrawlSpec(platform=ref.platform, mode="seller", seller=seller, base_url=ref.base_url,
                     max_requests=od.request_budget)
    with sessions() as session, session.begin():
        run = session.get(ScanRun, run_id)
        if run is not None:
            run.params = asked_params([spec], run.params)
    report = execute_scan([spec], kind="seller", db_url=db_url, rules=rules, platform=ref.platform,
                          run_id=run_id, stop=stop, timeout=od.timeout_seconds)
    with sessions() as session, session.begin():
        seller_pk = scan_seller_of_run(session, run_id)
        action = report.case_actions.get(seller_pk) if seller_pk is not None else None
        if action is not None:
            run = session.get(ScanRun, run_id)
            assert run is not None
            run.counts = {**(run.counts or {}), "seller_case": {"action": action[0], "case_id": action[1]}}
        failed = report.status == "failed"
        repo.finish_scan_request(session, request_id, "failed" if failed else "done", scan_run_id=run_id,
                                 error=report.reason if failed else None)
    return seller_report(db_url, request_id)


def wait_or_run(db_url: str, rules: RuleSet, request_id: int, *, demo_origins: Sequence[str] = (),
                on_progress: Callable[[Progress], None] | None = None, poll: float = 0.5,
                stop: threading.Event | None = None) -> SellerReport:
    """`scan-seller --wait`: give a running daemon ``on_demand.handoff_seconds`` to take the
    request; if none does, scan it in this process. Either way report progress until done.
    ``stop`` (the CLI's SIGTERM): a scan of this process ends `failed` and is waited for; a
    request still queued or in a daemon's hands is no longer waited for."""
    od = rules.watchlist.on_demand
    deadline = time.monotonic() + od.handoff_seconds
    worker: threading.Thread | None = None
    while True:
        progress = request_progress(db_url, request_id)
        if on_progress is not None:
            on_progress(progress)
        if progress.status in ("done", "failed", "refused"):
            break
        if stop is not None and stop.is_set() and worker is None:
            break
        if worker is None and progress.status == "queued" and time.monotonic() >= deadline:
            claimed = claim_request(db_url, rules, request_id=request_id, demo_origins=demo_origins)
            if claimed is not None:
                recover_stale(db_url)
                _, run_id, ref = claimed
                worker = threading.Thread(target=process_request, args=(db_url, rules, request_id, run_id, ref),
                                          kwargs={"stop": stop}, name="listingwatch-seller", daemon=True)
                worker.start()
        time.sleep(poll)
    if worker is not None:
        worker.join()
    return seller_report(db_url, request_id)
