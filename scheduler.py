"""Scans: what one scan does, and the APScheduler daemon that runs them (DESIGN §4.7).

A scan = crawl (in a child process: the Twisted reactor cannot restart in one process)
-> score the scan's listings as one batch -> assess their sellers -> sync the case queue
-> a scan-run record with counts, errors, blocks and a status (`ok`, `partial`, `failed`).

The daemon (`listingwatch schedule`, `Daemon`) runs two things side by side:

- nightly jobs, one per watchlist platform, on APScheduler 3 (cron in the watchlist's time
  zone, SQLAlchemy job store in the same database, explicit ids, ``replace_existing``,
  ``coalesce`` + ``misfire_grace_time``: a run missed while asleep runs once on wake-up);
- a worker that takes on-demand seller scan requests (`repo.request_scan`, stored by
  `listingwatch scan-seller` and the web app) at once, at most ``on_demand.max_parallel``.

No scan overlaps itself: ``max_instances=1`` within one daemon, and `start_run` takes a
database lock (PostgreSQL advisory lock / SQLite ``BEGIN IMMEDIATE``) around "is a run of
this job still running?" so a second daemon on the same database skips the job.
Every run records its owner (host, pid); a restart marks runs whose owner is gone as
``failed`` (`recover_stale`). SIGTERM stops the crawls (their pipelines commit what they
have, in transactions) and marks their runs ``failed`` with reason ``stopped``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import os
import re
import signal
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from crawler import platforms as registry
from crawler.run import CrawlOutcome, CrawlSpec, run_crawls
from crawler.seller_urls import SellerRef, SellerURLError, recognize, system_resolver
from pipeline.batch import BatchResult, rescore_all, score_scan
from review.queue import sync_case
from rules.loader import RuleSet, WatchEntry
from storage import repo
from storage.db import SQLITE_BEGIN_OPTION, session_factory
from storage.models import Listing, ListingSignal, ReviewCase, ScanRequest, ScanRun

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
    #: seller pk -> what the queue did (`CaseChange.action`), and the case id, for reports.
    case_actions: dict[int, tuple[str, int | None]] = field(default_factory=dict)

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
        run_id = start_run(db_url, kind=kind, platform=platform, params=_asked(specs, params), job_id=job_id,
                           stale_after=timeout + STALE_MARGIN_S)
    report = ScanReport(run_id=run_id, status="failed", reason=None)
    try:
        if stop is not None and stop.is_set():
            raise ScanStopped
        prepared = [replace(spec, scan_run_id=run_id, settings=_child_settings(spec, run_id, index))
                    for index, spec in enumerate(specs)]
        outcomes = run_crawls(prepared, db_url, concurrent=concurrent, timeout=timeout)
        _apply_outcomes(report, outcomes)
        if stop is not None and stop.is_set():
            raise ScanStopped
        with sessions() as session, session.begin():
            batch = score_scan(session, rules, run_id)
            _apply_batch(report, batch)
            _sync_queue(session, batch, report)
        # Issue #7: WARC + screenshot of the listings of sellers now in the queue, while the
        # pages still show what was scored (never raises; counts go to counts["evidence"]).
        from review.evidence import capture_for_scan

        capture_for_scan(db_url, run_id, [s.seller_pk for s in batch.sellers if s.assessment.flagged])
        _check_health(report, rules, specs, kind)
    except ScanStopped:
        log.warning("scan run %s stopped before it finished", run_id)
        report.status = "failed"
        report.reason = "stopped"
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
        demo_path = registry.demo_paths().get(platform)
        if root is None and demo_path is not None and demo_base_url is not None:
            root = demo_base_url + demo_path
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
        report.case_actions[seller.seller_pk] = (change.action, change.case_id)
        if change.action in ("opened", "reopened"):
            report.cases_opened += 1
        elif change.action in ("rescored", "touched"):
            report.cases_updated += 1


def _check_health(report: ScanReport, rules: RuleSet, specs: Sequence[CrawlSpec], kind: str = "nightly") -> None:
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
        _sync_queue(session, batch, report)
    return RescoreReport(
        listings_scored=batch.listings_scored,
        flagged_listings=batch.flagged_listings,
        sellers_assessed=len(batch.sellers),
        sellers_flagged=report.sellers_flagged,
        cases_opened=report.cases_opened,
        cases_updated=report.cases_updated,
    )



# =========================================================================== runs: ownership, guard, recovery

#: A running run older than its crawl timeout plus this is stale even if its owner is on
#: another machine (we cannot see that machine's processes).
STALE_MARGIN_S = 600.0
JOB_PREFIX = "nightly:"
JOBS_TABLE = "apscheduler_jobs"
CRAWL_PROCESS_NAME = "listingwatch-crawl"
WATCH_EXTENSION = "scheduler.CrawlWatch"


class ScanStopped(Exception):
    """The daemon is stopping (SIGTERM): the run ends `failed`, reason `stopped`."""


class ScanAlreadyRunning(RuntimeError):
    """Another run of the same job is still running (this daemon or another one)."""

    def __init__(self, job_id: str, run_id: int) -> None:
        super().__init__(f"job {job_id} is already running as scan run {run_id}; not starting it twice")
        self.job_id = job_id
        self.run_id = run_id


def _proc_start(pid: int) -> str | None:
    """The kernel's start time of a process (Linux), to tell a live owner from a reused pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Field 22 (starttime) counted after the parenthesised command name, which may hold spaces.
    fields = stat[stat.rfind(")") + 2:].split()
    return fields[19] if len(fields) > 19 else None


def owner_info() -> dict[str, Any]:
    pid = os.getpid()
    return {"host": socket.gethostname(), "pid": pid, "proc_start": _proc_start(pid)}


def _owner_alive(owner: dict[str, Any]) -> bool | None:
    """True/False for an owner on this host; None when it is on another host (unknowable)."""
    if owner.get("host") != socket.gethostname():
        return None
    pid = owner.get("pid")
    if not isinstance(pid, int):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    started = owner.get("proc_start")
    return started is None or started == _proc_start(pid)


def _run_is_stale(run: ScanRun, now: datetime, stale_after: float) -> str | None:
    owner = (run.params or {}).get("owner") or {}
    alive = _owner_alive(owner)
    if alive is False:
        return f"stopped: the process that ran it (pid {owner.get('pid')} on {owner.get('host')}) is gone"
    if alive is None and now - run.started_at > timedelta(seconds=stale_after):
        return f"stopped: still 'running' {stale_after:.0f}s after its start, owner {owner.get('host')} silent"
    return None


def _lock_key(name: str) -> int:
    """A stable signed 64-bit key for a PostgreSQL advisory lock."""
    return int.from_bytes(zlib.crc32(b"listingwatch") .to_bytes(4, "big") + zlib.crc32(name.encode()).to_bytes(4, "big"),
                          "big", signed=True)


@contextlib.contextmanager
def _locked_session(db_url: str, lock_name: str) -> Iterator[Session]:
    """A transaction that holds a write lock for its whole life: PostgreSQL advisory lock on
    ``lock_name`` (released at commit), SQLite ``BEGIN IMMEDIATE`` (the database write lock)."""
    sessions = session_factory(db_url)
    with sessions() as session, session.begin():
        if session.get_bind().dialect.name == "sqlite":
            session.connection(execution_options={SQLITE_BEGIN_OPTION: "IMMEDIATE"})
        else:
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(lock_name)})
        yield session


def start_run(
    db_url: str, *, kind: str, platform: str | None, params: dict[str, Any], job_id: str | None = None,
    stale_after: float = 3600.0,
) -> int:
    """Start a scan run (status `running`) owned by this process; with ``job_id``, only if no
    other run of that job is still running (checked and inserted under one lock)."""
    with _locked_session(db_url, f"job:{job_id}") as session:
        if job_id is not None:
            now = datetime.now(UTC)
            running = session.scalars(
                select(ScanRun).where(ScanRun.status == "running", ScanRun.kind == kind)
            ).all()
            for run in running:
                if (run.params or {}).get("job_id") != job_id:
                    continue
                stale = _run_is_stale(run, now, stale_after)
                if stale is None:
                    raise ScanAlreadyRunning(job_id, run.id)
                repo.finish_scan_run(session, run.id, status="failed", reason=stale)
        full = {**params, "owner": owner_info()}
        if job_id is not None:
            full["job_id"] = job_id
        return repo.start_scan_run(session, kind=kind, platform=platform, params=full).id


def recover_stale(db_url: str, *, stale_after: float = 3 * 3600 + STALE_MARGIN_S) -> list[int]:
    """Mark `running` runs whose owner process is gone as `failed` (a restart after a crash or
    SIGKILL), and their seller-scan requests too. Returns the run ids marked."""
    marked: list[int] = []
    now = datetime.now(UTC)
    with _locked_session(db_url, "recover") as session:
        for stale_run in session.scalars(select(ScanRun).where(ScanRun.status == "running")).all():
            reason = _run_is_stale(stale_run, now, stale_after)
            if reason is None:
                continue
            repo.finish_scan_run(session, stale_run.id, status="failed", reason=reason)
            marked.append(stale_run.id)
            log.warning("scan run %s marked failed: %s", stale_run.id, reason)
        for request in session.scalars(select(ScanRequest).where(ScanRequest.status == "running")).all():
            run = session.get(ScanRun, request.scan_run_id) if request.scan_run_id is not None else None
            if run is not None and run.status != "running":
                repo.finish_scan_request(session, request.id, "failed",
                                         error=f"the worker stopped during the scan ({run.reason}); ask again")
    return marked


def _asked(specs: Sequence[CrawlSpec], params: dict[str, Any] | None) -> dict[str, Any]:
    """What the run was asked to do, for its record."""
    asked = [
        {k: v for k, v in {"platform": s.platform, "mode": s.mode, "keywords": s.keywords or None,
                           "seller": s.seller, "urls": len(s.urls) or None, "base_url": s.base_url,
                           "max_requests": s.max_requests}.items() if v is not None}
        for s in specs
    ]
    return {**(params or {}), "asked": asked}


def _child_settings(spec: CrawlSpec, run_id: int, index: int = 0) -> dict[str, Any]:
    """Settings the scan adds to a crawl: our pipeline, and the watch extension that reports
    progress and stops the crawl when its parent (the worker) dies. ``index``: the spec's
    place in the run, which names its part of ``counts.progress`` (workers get it too)."""
    from crawler import settings as defaults

    extensions = {**dict(getattr(defaults, "EXTENSIONS", {}) or {}), **dict(spec.settings.get("EXTENSIONS", {}) or {})}
    extensions[WATCH_EXTENSION] = 900
    return {
        **spec.settings,
        "ITEM_PIPELINES": {PIPELINE_PATH: 300},
        "EXTENSIONS": extensions,
        "LISTINGWATCH_PARENT_PID": os.getpid(),
        "LISTINGWATCH_CRAWL_INDEX": index,
    }


# =========================================================================== the crawl-side watch (runs in the child)


class CrawlWatch:
    """Scrapy extension in the crawl child: every ``LISTINGWATCH_PROGRESS_INTERVAL`` seconds it
    writes its crawl's progress (pages, listings) into the scan run's ``counts.progress``
    (`record_progress`), and closes the spider when the parent process has died (SIGKILL of
    the worker): without it an orphaned crawl would keep writing into a run that a restart
    has already marked failed."""

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.parent_pid = settings.getint("LISTINGWATCH_PARENT_PID", 0) or None
        self.run_id = settings.getint("LISTINGWATCH_SCAN_RUN_ID", 0) or None
        self.db_url = settings.get("LISTINGWATCH_DB_URL")
        self.interval = settings.getfloat("LISTINGWATCH_PROGRESS_INTERVAL", 1.0)
        # Which crawl of the run this is, and in which process: a shared crawl
        # (crawler.distributed) runs spec i in the coordinator and in every worker.
        role = settings.get("LISTINGWATCH_REDIS_ROLE") or "coordinator"
        index = settings.getint("LISTINGWATCH_CRAWL_INDEX", 0)
        self.part_key = progress_key(role, index, getattr(crawler.spidercls, "name", "") or "")
        self.loop: Any = None
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlWatch:
        from scrapy import signals

        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider: Any) -> None:
        from twisted.internet import task

        self.loop = task.LoopingCall(self.tick, spider)
        self.loop.start(self.interval, now=False)

    def closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.write_progress(final=True)

    def tick(self, spider: Any) -> None:
        if self.parent_pid is not None and os.getppid() != self.parent_pid and not self.closing:
            self.closing = True
            spider.logger.error("the scan worker (pid %s) is gone: stopping this crawl", self.parent_pid)
            self.crawler.engine.close_spider(spider, "parent_gone")
            return
        self.write_progress(final=False)

    def write_progress(self, *, final: bool) -> None:
        if self.run_id is None or self.db_url is None or self.crawler.stats is None:
            return
        stats = self.crawler.stats.get_stats()
        part = {
            "pages": int(stats.get("downloader/response_count", 0)),
            "requests": int(stats.get("downloader/request_count", 0)),
            "listings": int(stats.get("crawler/listings", 0)),
            "final": final,
        }
        try:
            record_progress(self.db_url, self.run_id, self.part_key, part)
        except Exception:  # progress is a nicety; the crawl must go on
            log.debug("progress write failed", exc_info=True)


PROGRESS_SUMS = ("pages", "requests", "listings")


def progress_key(role: str, index: int, spider: str) -> str:
    """The name of one crawl's part of ``counts.progress``: process role, spec index, spider."""
    return f"{role}:{index}:{spider}"


def merge_progress(progress: dict[str, Any] | None, key: str, part: dict[str, Any]) -> dict[str, Any]:
    """``progress`` with crawl ``key``'s part replaced and the totals summed over all parts.

    ``final`` is true when every part that has reported so far is final (a crawl that has
    not started yet has no part)."""
    parts = dict((progress or {}).get("parts") or {})
    parts[key] = dict(part)
    merged: dict[str, Any] = {name: sum(int(p.get(name, 0) or 0) for p in parts.values()) for name in PROGRESS_SUMS}
    merged["final"] = all(bool(p.get("final")) for p in parts.values())
    merged["parts"] = parts
    return merged


def record_progress(db_url: str, run_id: int, key: str, part: dict[str, Any]) -> None:
    """Write crawl ``key``'s part of run ``run_id``'s ``counts.progress`` while it is running.

    Several crawls write the same row (the platforms of one run, the coordinator and its
    crawl workers), so the read-modify-write holds the row: ``SELECT ... FOR UPDATE`` on
    PostgreSQL, the database write lock (``BEGIN IMMEDIATE``) on SQLite."""
    with session_factory(db_url)() as session, session.begin():
        if session.get_bind().dialect.name == "sqlite":
            session.connection(execution_options={SQLITE_BEGIN_OPTION: "IMMEDIATE"})
        run = session.get(ScanRun, run_id, with_for_update=True, populate_existing=True)
        if run is not None and run.status == "running":
            counts = dict(run.counts or {})
            run.counts = {**counts, "progress": merge_progress(counts.get("progress"), key, part)}


# =========================================================================== nightly jobs


@dataclass
class DaemonContext:
    """What the jobs and the worker of one daemon need (jobs are stored by reference, with
    only the platform as argument: the database URL never lands in the job table)."""

    db_url: str
    rules: RuleSet
    rules_dir: Path | None = None
    watchlist_path: Path | None = None
    demo_base_url: str | None = None
    demo_origins: tuple[str, ...] = ()
    stop: threading.Event = field(default_factory=threading.Event)
    #: Re-read the rules from disk before each nightly run (the CLI daemon does).
    reload_rules: bool = False

    def fresh_rules(self) -> RuleSet:
        """The rules as they are now on disk (analysts edit YAML between nights)."""
        from rules.loader import RulesError, load_rules, load_watchlist

        if not self.reload_rules:
            return self.rules
        try:
            rules = load_rules(self.rules_dir)
            if self.watchlist_path is not None:
                rules = rules.model_copy(update={"watchlist": load_watchlist(self.watchlist_path)})
            return rules
        except RulesError as exc:
            log.error("rules no longer load (%s); using the rules the daemon started with", exc)
            return self.rules


_CONTEXT: DaemonContext | None = None


def _context() -> DaemonContext:
    if _CONTEXT is None:
        raise RuntimeError("no daemon context: nightly jobs run inside `listingwatch schedule`")
    return _CONTEXT


def nightly_job(platform: str) -> None:
    """The job APScheduler stores (by reference ``scheduler:nightly_job``): one platform's scan."""
    ctx = _context()
    rules = ctx.fresh_rules()
    entry = rules.watchlist.platforms.get(platform)
    if entry is None or not entry.enabled:
        log.warning("job %s%s: no longer an enabled watchlist entry; skipped", JOB_PREFIX, platform)
        return
    specs = watchlist_specs(rules, platforms=[platform], demo_base_url=ctx.demo_base_url)
    if not specs:
        log.warning("job %s%s: nothing to crawl in the watchlist entry", JOB_PREFIX, platform)
        return
    try:
        report = execute_scan(
            specs, kind="nightly", db_url=ctx.db_url, rules=rules, platform=platform,
            params={"job": JOB_PREFIX + platform, "cron": entry.cron, "timezone": rules.watchlist.timezone},
            job_id=JOB_PREFIX + platform, stop=ctx.stop, timeout=rules.watchlist.scan_timeout_seconds,
        )
    except ScanAlreadyRunning as exc:
        log.warning("%s", exc)
        return
    log.info("job %s%s: scan run %s %s%s: %d listings, %d flagged, %d sellers queued",
             JOB_PREFIX, platform, report.run_id, report.status,
             f" ({report.reason})" if report.reason else "", report.listings_seen,
             report.flagged_listings, report.cases_opened)


def schedulable(rules: RuleSet) -> tuple[dict[str, WatchEntry], dict[str, str]]:
    """Watchlist entries that get a nightly job, and the others with the reason they don't."""
    jobs: dict[str, WatchEntry] = {}
    skipped: dict[str, str] = {}
    for platform, entry in rules.watchlist.platforms.items():
        if not entry.enabled:
            skipped[platform] = "disabled in the watchlist"
        elif registry.get(platform) is None:
            skipped[platform] = "no spider for this platform yet"
        else:
            jobs[platform] = entry
    return jobs, skipped


def make_scheduler(db_url: str, rules: RuleSet) -> Any:
    """A BackgroundScheduler with the database job store and our job defaults (not started)."""
    from apscheduler.executors.pool import ThreadPoolExecutor as APThreadPool
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    from storage.db import make_engine

    watch = rules.watchlist
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=make_engine(db_url), tablename=JOBS_TABLE)},
        executors={"default": APThreadPool(max_workers=watch.max_parallel_jobs)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": watch.misfire_grace_seconds},
        timezone=watch.timezone,
    )


def sync_jobs(scheduler: Any, rules: RuleSet, *, first_run_at: datetime | None = None) -> list[str]:
    """Put one job per schedulable watchlist platform in the store (explicit ids,
    ``replace_existing``), drop jobs of platforms no longer scheduled. ``first_run_at``: run
    every job once at that time first (`schedule --run-now`), then on its cron."""
    from apscheduler.triggers.cron import CronTrigger

    jobs, skipped = schedulable(rules)
    for platform, why in skipped.items():
        log.info("watchlist %s: not scheduled (%s)", platform, why)
    ids: list[str] = []
    for platform, entry in jobs.items():
        job_id = JOB_PREFIX + platform
        kwargs: dict[str, Any] = {}
        if first_run_at is not None:
            kwargs["next_run_time"] = first_run_at
        scheduler.add_job(
            "scheduler:nightly_job", CronTrigger.from_crontab(entry.cron, timezone=rules.watchlist.timezone),
            args=[platform], id=job_id, name=f"nightly scan of {platform}", replace_existing=True, **kwargs,
        )
        ids.append(job_id)
    for job in scheduler.get_jobs():
        if job.id.startswith(JOB_PREFIX) and job.id not in ids:
            log.info("removing job %s (no longer in the watchlist)", job.id)
            scheduler.remove_job(job.id)
    return ids


@dataclass
class JobInfo:
    id: str
    name: str
    trigger: str
    next_run: datetime | None


def list_jobs(db_url: str, rules: RuleSet) -> tuple[list[JobInfo], bool]:
    """The jobs in the store with their next run times (read-only), or — when the store is
    empty — what the watchlist would schedule. The flag says which."""
    from apscheduler.triggers.cron import CronTrigger

    scheduler = make_scheduler(db_url, rules)
    scheduler.start(paused=True)
    try:
        stored = [JobInfo(j.id, j.name, str(j.trigger), j.next_run_time) for j in scheduler.get_jobs()]
    finally:
        scheduler.shutdown(wait=False)
    if stored:
        return stored, True
    now = datetime.now(UTC)
    planned = []
    for platform, entry in schedulable(rules)[0].items():
        trigger = CronTrigger.from_crontab(entry.cron, timezone=rules.watchlist.timezone)
        planned.append(JobInfo(JOB_PREFIX + platform, f"nightly scan of {platform}", str(trigger),
                               trigger.get_next_fire_time(None, now)))
    return planned, False


def stop_crawls() -> int:
    """Terminate this process's crawl children (SIGTERM: Scrapy closes the spider and the
    pipeline commits its last batch). Returns how many were signalled."""
    count = 0
    for child in multiprocessing.active_children():
        if child.name == CRAWL_PROCESS_NAME and child.is_alive():
            child.terminate()
            count += 1
    return count


class Daemon:
    """`listingwatch schedule`: nightly jobs + the on-demand worker, until `stop()` / SIGTERM."""

    def __init__(self, ctx: DaemonContext, *, run_now: bool = False, first_run_at: datetime | None = None,
                 worker: bool = True) -> None:
        self.ctx = ctx
        self.first_run_at = first_run_at if first_run_at is not None else (datetime.now(UTC) if run_now else None)
        self.scheduler: Any = None
        self.worker = RequestWorker(ctx) if worker else None
        self._worker_thread: threading.Thread | None = None

    def start(self) -> None:
        global _CONTEXT
        _CONTEXT = self.ctx
        marked = recover_stale(self.ctx.db_url, stale_after=self.ctx.rules.watchlist.scan_timeout_seconds + STALE_MARGIN_S)
        if marked:
            log.warning("marked %d stale scan run(s) failed: %s", len(marked), marked)
        self.scheduler = make_scheduler(self.ctx.db_url, self.ctx.rules)
        self.scheduler.start(paused=True)
        sync_jobs(self.scheduler, self.ctx.rules, first_run_at=self.first_run_at)
        for job in self.scheduler.get_jobs():
            log.info("job %s next run %s", job.id, job.next_run_time)
        self.scheduler.resume()
        if self.worker is not None:
            self._worker_thread = threading.Thread(target=self.worker.run, name="listingwatch-worker", daemon=True)
            self._worker_thread.start()

    def stop(self, timeout: float = 60.0) -> None:
        """Stop taking work, stop running crawls, wait for their runs to be marked."""
        self.ctx.stop.set()
        deadline = time.monotonic() + timeout
        if self.scheduler is not None:
            self.scheduler.pause()
        waiter = threading.Thread(target=self._shutdown_scheduler, daemon=True)
        waiter.start()
        # Keep signalling: a job may spawn its crawl just after a first sweep.
        while time.monotonic() < deadline and (waiter.is_alive() or self._worker_busy()):
            stop_crawls()
            waiter.join(0.5)
            if self._worker_thread is not None:
                self._worker_thread.join(0.0)
        if waiter.is_alive() or self._worker_busy():
            log.error("scans still running %.0fs after the stop; leaving them to the OS", timeout)

    def _worker_busy(self) -> bool:
        return self._worker_thread is not None and self._worker_thread.is_alive()

    def _shutdown_scheduler(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=True)

    def run_forever(self) -> None:
        """Start, then block until SIGTERM / SIGINT, then stop cleanly."""
        received: list[int] = []

        def on_signal(signum: int, _frame: Any) -> None:
            received.append(signum)
            self.ctx.stop.set()

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            self.start()
            log.info("scheduler running (pid %d); SIGTERM stops it", os.getpid())
            while not self.ctx.stop.wait(1.0):
                pass
            log.info("stopping (signal %s): crawls are stopped, their runs marked", received[:1])
            self.stop()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


# =========================================================================== on-demand seller scans


def demo_origins_from_env() -> tuple[str, ...]:
    """``LISTINGWATCH_DEMO_URL``: roots of demo marketplaces allowed as scan targets (comma-separated)."""
    raw = os.environ.get("LISTINGWATCH_DEMO_URL", "")
    return tuple(part.strip() for part in raw.split(",") if part.strip() != "")


def validate_seller_url(
    url: str, rules: RuleSet, *, demo_origins: Sequence[str] = (), resolver: Callable[[str], list[str]] | None = None,
) -> SellerRef:
    """Recognise the seller in ``url`` or raise `SellerURLError`; sends no request. Also
    refuses platforms we have no spider for (recognised, but nothing could scan them)."""
    ref = recognize(
        url, hosts=rules.watchlist.on_demand.hosts, demo_origins=demo_origins, demo_paths=registry.demo_paths(),
        resolver=system_resolver if resolver is None else resolver,
    )
    if registry.get(ref.real_platform) is None:
        raise SellerURLError(
            f"recognised {ref.describe()}, but listingwatch has no {ref.real_platform} spider yet "
            f"(scannable: {', '.join(registry.names())})"
        )
    return ref


def submit_seller_scan(db_url: str, rules: RuleSet, url: str, requested_by: str, *,
                       demo_origins: Sequence[str] = (), resolver: Callable[[str], list[str]] | None = None,
                       ) -> tuple[int, SellerRef]:
    """Validate and queue an on-demand scan; returns (request id, what was recognised)."""
    ref = validate_seller_url(url, rules, demo_origins=demo_origins, resolver=resolver)
    with session_factory(db_url)() as session, session.begin():
        row = repo.request_scan(session, ref.url, requested_by, platform=ref.platform, seller_key=ref.value)
        return row.id, ref


_SELLER_ID_IN_PAGE = (
    re.compile(r'data-seller-id="(\d{1,15})"'),
    re.compile(r'"seller_id"\s*:\s*"?(\d{1,15})'),
    re.compile(r'"sellerId"\s*:\s*"?(\d{1,15})'),
)
RESOLVE_MAX_BYTES = 2_000_000


def _fetch(url: str, timeout: float = 20.0) -> bytes:
    """One GET to an already validated URL; redirects are NOT followed (a redirect to an
    internal address would bypass the check)."""
    import urllib.request

    from crawler.settings import USER_AGENT

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    if urlsplit(url).scheme not in ("http", "https"):
        raise SellerURLError(f"refused to fetch {url!r}: only http(s)")
    # The URL passed validate_seller_url (allowed host, public address or the demo).
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/json"})  # noqa: S310
    with opener.open(request, timeout=timeout) as response:
        return bytes(response.read(RESOLVE_MAX_BYTES))


def resolve_seller(ref: SellerRef, fetch: Callable[[str], bytes] = _fetch) -> str:
    """The seller reference the seller-mode spider takes: an id, or a shop URL it navigates.

    Tiki's spider needs the numeric seller id: a shop slug is looked up on the shop page, a
    product in the product API. Other spiders take the shop URL as it is.
    """
    if ref.kind == "seller_id":
        return ref.value
    platform = ref.real_platform
    root = ref.base_url if ref.base_url is not None else registry.public_roots().get(platform, "")
    if platform == "tiki" and ref.kind == "shop":
        body = fetch(ref.url).decode("utf-8", "replace")
        for pattern in _SELLER_ID_IN_PAGE:
            found = pattern.search(body)
            if found is not None:
                return found.group(1)
        raise SellerURLError(f"no seller id on the shop page {ref.url}; paste a URL with ?seller=ID")
    if platform == "tiki" and ref.kind == "product":
        data = json.loads(fetch(f"{root}/api/v2/products/{ref.value}"))
        seller = (data.get("current_seller") or {}).get("id") if isinstance(data, dict) else None
        if seller is None:
            raise SellerURLError(f"product {ref.value} names no seller; paste the shop URL")
        return str(seller)
    if ref.kind == "shop":
        return ref.url if platform != "web" or ref.base_url is None else ref.url.split("?", 1)[0]
    raise SellerURLError(f"cannot find the shop of a {platform} product URL yet; paste the shop URL")


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


def _scan_seller_of_run(session: Session, run_id: int) -> int | None:
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
        seller_pk = _scan_seller_of_run(session, run.id)
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


def claim_request(db_url: str, rules: RuleSet, *, request_id: int | None = None,
                  demo_origins: Sequence[str] = ()) -> tuple[int, int, SellerRef] | None:
    """Take a queued request and start its scan run in ONE transaction (so every running
    request has a run with an owner); a URL that fails validation is `refused` here (the web
    app stores what inspectors typed). Returns (request id, run id, ref) or None."""
    while True:
        with _locked_session(db_url, "claim") as session:
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


def process_request(db_url: str, rules: RuleSet, request_id: int, run_id: int, ref: SellerRef, *,
                    stop: threading.Event | None = None, fetch: Callable[[str], bytes] = _fetch) -> SellerReport:
    """Scan one claimed request's seller and close the request (done / failed)."""
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
            run.params = _asked([spec], run.params)
    report = execute_scan([spec], kind="seller", db_url=db_url, rules=rules, platform=ref.platform,
                          run_id=run_id, stop=stop, timeout=od.timeout_seconds)
    with sessions() as session, session.begin():
        seller_pk = _scan_seller_of_run(session, run_id)
        action = report.case_actions.get(seller_pk) if seller_pk is not None else None
        if action is not None:
            run = session.get(ScanRun, run_id)
            assert run is not None
            run.counts = {**(run.counts or {}), "seller_case": {"action": action[0], "case_id": action[1]}}
        failed = report.status == "failed"
        repo.finish_scan_request(session, request_id, "failed" if failed else "done", scan_run_id=run_id,
                                 error=report.reason if failed else None)
    return seller_report(db_url, request_id)


class RequestWorker:
    """Takes queued seller-scan requests at once, at most ``on_demand.max_parallel`` at a time."""

    def __init__(self, ctx: DaemonContext) -> None:
        self.ctx = ctx
        self.active: set[Future[SellerReport]] = set()

    def run(self) -> None:
        od = self.ctx.rules.watchlist.on_demand
        # SQLite has one writer at a time: parallel crawl children writing one file stalled
        # under load (seen in CI-like runs), so on SQLite requests run one after another.
        limit = 1 if self.ctx.db_url.startswith("sqlite") else od.max_parallel
        with ThreadPoolExecutor(max_workers=limit, thread_name_prefix="listingwatch-seller") as pool:
            while not self.ctx.stop.is_set():
                self.active = {f for f in self.active if not f.done()}
                took = False
                while len(self.active) < limit and not self.ctx.stop.is_set():
                    try:
                        claimed = claim_request(self.ctx.db_url, self.ctx.rules, demo_origins=self.ctx.demo_origins)
                    except Exception:
                        log.exception("could not claim a scan request")
                        break
                    if claimed is None:
                        break
                    took = True
                    request_id, run_id, ref = claimed
                    log.info("scan request %s: scanning %s (run %s)", request_id, ref.describe(), run_id)
                    self.active.add(pool.submit(process_request, self.ctx.db_url, self.ctx.rules, request_id,
                                                run_id, ref, stop=self.ctx.stop))
                if not took:
                    self.ctx.stop.wait(od.poll_seconds)
            # Leaving the `with` waits for the scans; Daemon.stop() has stopped their crawls.


@dataclass
class Progress:
    status: str  # queued | running | done | failed | refused
    run_id: int | None
    pages: int
    listings: int
    flagged: int


def request_progress(db_url: str, request_id: int) -> Progress:
    """Where a request stands: its status and, once its run started, pages / listings / flagged."""
    with session_factory(db_url)() as session:
        request = session.get(ScanRequest, request_id, populate_existing=True)
        if request is None:
            raise LookupError(f"scan request {request_id} does not exist")
        pages = listings = flagged = 0
        if request.scan_run_id is not None:
            run = session.get(ScanRun, request.scan_run_id, populate_existing=True)
            progress = ((run.counts or {}) if run is not None else {}).get("progress") or {}
            pages = int(progress.get("pages", 0))
            rows = session.execute(
                select(func.count(), func.count().filter(Listing.flagged.is_(True)))
                .where(Listing.last_scan_run_id == request.scan_run_id)
            ).one()
            listings, flagged = max(int(rows[0]), int(progress.get("listings", 0))), int(rows[1])
        return Progress(request.status, request.scan_run_id, pages, listings, flagged)


def wait_or_run(db_url: str, rules: RuleSet, request_id: int, *, demo_origins: Sequence[str] = (),
                on_progress: Callable[[Progress], None] | None = None, poll: float = 0.5) -> SellerReport:
    """`scan-seller --wait`: give a running daemon ``on_demand.handoff_seconds`` to take the
    request; if none does, scan it in this process. Either way report progress until done."""
    od = rules.watchlist.on_demand
    deadline = time.monotonic() + od.handoff_seconds
    worker: threading.Thread | None = None
    while True:
        progress = request_progress(db_url, request_id)
        if on_progress is not None:
            on_progress(progress)
        if progress.status in ("done", "failed", "refused"):
            break
        if worker is None and progress.status == "queued" and time.monotonic() >= deadline:
            claimed = claim_request(db_url, rules, request_id=request_id, demo_origins=demo_origins)
            if claimed is not None:
                recover_stale(db_url)
                _, run_id, ref = claimed
                worker = threading.Thread(target=process_request, args=(db_url, rules, request_id, run_id, ref),
                                          name="listingwatch-seller", daemon=True)
                worker.start()
        time.sleep(poll)
    if worker is not None:
        worker.join()
    return seller_report(db_url, request_id)


def cancel_queued(db_url: str, request_id: int, reason: str) -> None:
    """Drop a request nobody took yet (e.g. the inspector pressed Ctrl-C while waiting)."""
    with session_factory(db_url)() as session, session.begin():
        session.execute(update(ScanRequest).where(ScanRequest.id == request_id, ScanRequest.status == "queued")
                        .values(status="failed", error=reason, finished_at=datetime.now(UTC)))


def demo_root_for(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
