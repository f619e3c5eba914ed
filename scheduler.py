"""The scheduler daemon (DESIGN §4.7): APScheduler jobs and the on-demand worker that run scans.

What one scan does is `scans.execute.execute_scan`; the on-demand request's life (submit,
claim, scan, `scan-seller --wait`) is `scans.on_demand`. This module re-exports those names, so
``from scheduler import execute_scan`` and the CLI's imports keep working.

The daemon (`listingwatch schedule`, `Daemon`) runs two things side by side:

- nightly jobs, one per watchlist platform, on APScheduler 3 (cron in the watchlist's time
  zone, SQLAlchemy job store in the same database, explicit ids, ``replace_existing``,
  ``coalesce`` + ``misfire_grace_time``: a run missed while asleep runs once on wake-up);
- the takedown removal-check job (``takedown:verify``, `takedown verify --due` on the watchlist's
  ``takedown_verify`` cron; issue 16);
- the alert jobs (``alerts:digest``, ``alerts:retry``) when alert channels are configured, and an
  alert check after every scan run (`review.alerts.hooks`; issue 17);
- a worker that takes on-demand seller scan requests (`repo.request_scan`, stored by
  `listingwatch scan-seller` and the web app) at once, at most ``on_demand.max_parallel``.

Jobs are stored by reference (``scheduler:nightly_job``, ``scheduler:takedown_verify_job``,
``scheduler:alerts_job``), so those functions stay in this module: moving them would orphan the
jobs already in a database's job store.

No scan overlaps itself: ``max_instances=1`` within one daemon, and `storage.runs.start_run`
guards each job with a database lock, so a second daemon on the same database skips it;
a restart marks runs whose owner is gone as ``failed`` (`storage.runs.recover_stale`).
SIGTERM stops the crawls (their pipelines commit what they have, in transactions) and marks
their runs ``failed`` with reason ``stopped``.

Elsewhere: run ownership, locks and progress in `storage.runs`; the in-crawl extension in
`crawler.extensions`; what a watchlist scan crawls in `crawler.watchlist`; stopping crawl
children in `crawler.run`; seller-URL validation and resolution in `crawler.seller_urls`; the
queue sync in `review.queue.sync_scan`; what a scan did, added up, in `review.scan_report`;
the inspector's report in `review.seller_report`.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from crawler import platforms as registry
from crawler.run import stop_crawls
from crawler.seller_urls import validate_seller_url
from crawler.watchlist import watchlist_specs
from review.alerts import hooks as alerts
from review.seller_report import SellerReport
from review.takedown.verify import VerifyBusy, run_verify
from rules.loader import RuleSet, WatchEntry
from scans.execute import EVIDENCE_INDEX_PATH, PIPELINE_PATH, execute_scan
from scans.on_demand import claim_request, process_request, submit_seller_scan, wait_or_run
from storage import heartbeats
from storage.db import session_factory
from storage.runs import (
    STALE_MARGIN_S,
    ScanAlreadyRunning,
    ScanInterrupted,
    StopRequest,
    recover_stale,
    start_run,
)

# Names other code imports from here (the CLI, tests, bench, docs/INTERFACES.md).
__all__ = [
    "EVIDENCE_INDEX_PATH", "JOBS_TABLE", "JOB_PREFIX", "PIPELINE_PATH", "TAKEDOWN_ACTOR", "TAKEDOWN_JOB_ID",
    "Daemon", "DaemonContext", "RequestWorker", "ScanAlreadyRunning", "ScanInterrupted", "StopRequest",
    "alerts_job", "claim_request", "execute_scan", "make_scheduler", "nightly_job", "planned_jobs",
    "process_request", "recover_stale", "run_verify", "schedulable", "start_run", "submit_seller_scan",
    "sync_jobs", "takedown_verify_job", "validate_seller_url", "wait_or_run", "watchlist_specs",
]  # fmt: skip

log = logging.getLogger("listingwatch.scan")

JOB_PREFIX = "nightly:"
#: The removal-check job (`takedown verify --due` on the watchlist's ``takedown_verify`` cron).
TAKEDOWN_JOB_ID = "takedown:verify"
TAKEDOWN_ACTOR = "scheduler"  # who the checks' case events name
JOBS_TABLE = "apscheduler_jobs"


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


def takedown_verify_job() -> None:
    """The job stored as ``scheduler:takedown_verify_job``: `takedown verify --due`, through the
    CLI's own function, with the daemon's demo marketplace allowed."""
    ctx = _context()
    job = ctx.fresh_rules().watchlist.takedown_verify
    if job is None or not job.enabled or ctx.stop.is_set():
        log.warning("job %s: no longer enabled in the watchlist (or stopping); skipped", TAKEDOWN_JOB_ID)
        return
    try:
        reports = run_verify(ctx.db_url, actor=TAKEDOWN_ACTOR, due_only=True, demo_urls=ctx.demo_origins,
                             capture=job.capture)
    except VerifyBusy as exc:
        log.warning("job %s: skipped: %s", TAKEDOWN_JOB_ID, exc)
        return
    alerts.after_verify(ctx.db_url, reports, ctx.rules_dir)
    log.info("job %s: %d request(s) checked: %s", TAKEDOWN_JOB_ID, len(reports),
             ", ".join(f"#{r.request_id} {r.before}->{r.after}" for r in reports) or "none due")


def alerts_job(name: str) -> None:
    """The alert jobs (``alerts:digest``, ``alerts:retry``; review.alerts.hooks.planned_jobs)."""
    alerts.run_job(name, _context().db_url, _context().rules_dir)


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
    """Put one job per schedulable watchlist platform, and the takedown removal-check job, in the
    store (explicit ids, ``replace_existing``); drop jobs the watchlist no longer asks for. ``first_run_at``: run
    every job once at that time first (`schedule --run-now`), then on its cron."""
    for platform, why in schedulable(rules)[1].items():
        log.info("watchlist %s: not scheduled (%s)", platform, why)
    ids: list[str] = []
    kwargs: dict[str, Any] = {} if first_run_at is None else {"next_run_time": first_run_at}
    for job_id, name, func, args, trigger in planned_jobs(rules):
        scheduler.add_job(func, trigger, args=args, id=job_id, name=name, replace_existing=True, **kwargs)
        ids.append(job_id)
    for job in scheduler.get_jobs():
        if (job.id.startswith((JOB_PREFIX, alerts.JOB_PREFIX)) or job.id == TAKEDOWN_JOB_ID) and job.id not in ids:
            log.info("removing job %s (no longer in the watchlist)", job.id)
            scheduler.remove_job(job.id)
    return ids


def planned_jobs(rules: RuleSet) -> list[tuple[str, str, str, list[str], Any]]:
    """(id, name, function reference, args, cron trigger) of every job the watchlist asks for."""
    from apscheduler.triggers.cron import CronTrigger

    zone = rules.watchlist.timezone
    planned: list[tuple[str, str, str, list[str], Any]] = [
        (JOB_PREFIX + platform, f"nightly scan of {platform}", "scheduler:nightly_job", [platform],
         CronTrigger.from_crontab(entry.cron, timezone=zone))
        for platform, entry in schedulable(rules)[0].items()
    ]
    verify = rules.watchlist.takedown_verify
    if verify is not None and verify.enabled:
        planned.append((TAKEDOWN_JOB_ID, "takedown removal checks (takedown verify --due)",
                        "scheduler:takedown_verify_job", [], CronTrigger.from_crontab(verify.cron, timezone=zone)))
    return planned + alerts.planned_jobs(rules)


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
        threading.Thread(target=self._beat_until_stopped, name="listingwatch-heartbeat", daemon=True).start()

    def _beat_until_stopped(self) -> None:
        """Tell `/readyz` and the on-demand form that a daemon is taking work; a database
        hiccup costs one beat, not the daemon."""
        while True:
            try:
                with session_factory(self.ctx.db_url)() as session, session.begin():
                    heartbeats.beat(session, heartbeats.SCHEDULER)
            except SQLAlchemyError as exc:
                log.warning("heartbeat not recorded: %s", str(exc).splitlines()[0])
            if self.ctx.stop.wait(heartbeats.BEAT_EVERY_S):
                return

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


# =========================================================================== the on-demand worker


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
