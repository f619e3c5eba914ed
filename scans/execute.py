"""What one scan does (DESIGN §4.7), wherever it is started from: the nightly jobs, the
on-demand worker, `listingwatch scan` and `listingwatch demo`.

A scan = crawl (in a child process: the Twisted reactor cannot restart in one process)
-> score the scan's listings as one batch -> assess their sellers -> sync the case queue
-> a scan-run record with counts, errors, blocks and a status (`ok`, `partial`, `failed`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from crawler import logs
from crawler.extensions import watch_settings
from crawler.run import CrawlSpec, allowed_origins, run_crawls
from pipeline.batch import score_scan
from review.alerts import hooks as alerts
from review.scan_report import ScanReport, add_batch, add_outcomes, check_health, sync_queue
from rules.loader import RuleSet
from storage import repo
from storage.db import session_factory
from storage.runs import STALE_MARGIN_S, ScanInterrupted, ScanStopped, StopRequest, start_run

log = logging.getLogger("listingwatch.scan")

PIPELINE_PATH = "pipeline.pipelines.ListingPipeline"
EVIDENCE_INDEX_PATH = "pipeline.evidence.EvidenceIndex"  # where a crawl's WARC captures are indexed


@logs.isolated
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
    run_id: int | None = None,
    job_id: str | None = None,
    stop: threading.Event | None = None,
) -> ScanReport:
    """Run one scan end to end and leave its scan-run record, whatever happens.

    ``run_id``: a run already started with `start_run` (the worker starts it together with
    claiming the request). ``job_id``: guard against a concurrent run of the same job
    (raises `ScanAlreadyRunning` before anything is crawled). ``stop``: set by the daemon
    on SIGTERM; the run then ends ``failed`` with reason ``stopped`` and is not scored.
    """
    sessions = session_factory(db_url)
    if run_id is None:
        run_id = start_run(db_url, kind=kind, platform=platform, params=asked_params(specs, params), job_id=job_id,
                           stale_after=timeout + STALE_MARGIN_S)
    logs.bind(scan_run_id=run_id, platform=platform)  # on this scan's log lines, until it returns
    report = ScanReport(run_id=run_id, status="failed", reason=None)
    try:
        if stop is not None and stop.is_set():
            raise ScanStopped
        prepared = [replace(spec, scan_run_id=run_id, settings=_child_settings(spec, index))
                    for index, spec in enumerate(specs)]
        outcomes = run_crawls(prepared, db_url, concurrent=concurrent, timeout=timeout)
        add_outcomes(report, outcomes)
        if stop is not None and stop.is_set():
            raise ScanStopped
        with sessions() as session, session.begin():
            batch = score_scan(session, rules, run_id)
            add_batch(report, batch)
            sync_queue(session, batch, report)
        # Issue #7: WARC + screenshot of the listings of sellers now in the queue, while the
        # pages still show what was scored (never raises; counts go to counts["evidence"]).
        from review.evidence import capture_for_scan

        capture_for_scan(db_url, run_id, [s.seller_pk for s in batch.sellers if s.assessment.flagged],
                         allowed_origins=sorted({o for spec in specs for o in allowed_origins(spec)}),
                         stop=stop)
        if stop is not None and stop.is_set():  # a stop during the capture: not a complete run
            raise ScanStopped
        check_health(report, rules, specs, kind)
    except ScanStopped:
        log.warning("scan run %s stopped before it finished", run_id)
        report.status = "failed"
        report.reason = stop.reason if isinstance(stop, StopRequest) else "stopped"
    except ScanInterrupted:
        log.warning("scan run %s interrupted (SIGTERM) before it finished", run_id)
        report.status = "failed"
        report.reason = "interrupted: the scan process got SIGTERM"
        raise
    except Exception as exc:
        log.exception("scan run %s failed", run_id)
        report.status = "failed"
        report.reason = f"{type(exc).__name__}: {exc}"
    finally:
        with sessions() as session, session.begin():
            repo.finish_scan_run(
                session, run_id, status=report.status, reason=report.reason, counts=report.counts()
            )
        alerts.after_scan(db_url, report, rules)  # never raises: an alert cannot fail a scan
    return report


def asked_params(specs: Sequence[CrawlSpec], params: dict[str, Any] | None) -> dict[str, Any]:
    """What the run was asked to do, for its record."""
    asked = [
        {k: v for k, v in {"platform": s.platform, "mode": s.mode, "keywords": s.keywords or None,
                           "seller": s.seller, "urls": len(s.urls) or None, "base_url": s.base_url,
                           "max_requests": s.max_requests}.items() if v is not None}
        for s in specs
    ]
    return {**(params or {}), "asked": asked}


def _child_settings(spec: CrawlSpec, index: int = 0) -> dict[str, Any]:
    """Settings the scan adds to a crawl: our pipeline, where WARC captures are indexed, and
    the watch extension (progress, parent-death stop). ``index``: the spec's place in the run,
    which names its part of ``counts.progress`` (workers get it too)."""
    return {
        **watch_settings(spec.settings, index),
        "ITEM_PIPELINES": {PIPELINE_PATH: 300},
        "LISTINGWATCH_EVIDENCE_INDEX": EVIDENCE_INDEX_PATH,
    }
