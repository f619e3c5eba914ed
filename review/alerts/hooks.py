"""Where alerts are raised: after each scan run, after removal checks, the daily digest, and
the scheduler jobs that send the digest and retry failed deliveries (issue 17 item 1).

Called by `scans.execute` and `scheduler.py` in one line each. Nothing here may fail a scan or a job: every hook
logs its own failure and returns. With `$LISTINGWATCH_ALERT_URLS` unset, alerting is off:
no event is evaluated, stored or sent, and no alert job is scheduled.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import func, select

from detectors.vntime import VIETNAM_TZ, format_local
from review.alerts.channels import configured
from review.alerts.dispatch import DispatchResult, dispatch, retry_due
from review.alerts.events import (
    AlertMessage,
    DigestFacts,
    RunInfo,
    SellerInfo,
    TakedownInfo,
    digest_alert,
    flagged_seller_alert,
    scan_run_alert,
    takedown_alert,
)
from rules.alerts import AlertsFile
from rules.loader import RuleSet, load_alerts, load_monitors
from storage.db import session_factory
from storage.models import (
    OPEN_CASE_STATUSES,
    AlertDelivery,
    ReviewCase,
    ScanRun,
    Seller,
    TakedownRequest,
)

if TYPE_CHECKING:
    from review.scan_report import ScanReport
    from review.takedown.verify import VerifyReport

log = logging.getLogger("listingwatch.alerts")

JOB_PREFIX: Final = "alerts:"
DIGEST_JOB_ID: Final = "alerts:digest"
RETRY_JOB_ID: Final = "alerts:retry"


def enabled() -> bool:
    return bool(configured())


def scan_messages(db_url: str, report: ScanReport, rules: RuleSet, alerts: AlertsFile) -> list[AlertMessage]:
    """The alerts one finished scan run raises: the run itself, then each newly queued seller."""
    monitors = load_monitors(rules.directory)
    health = frozenset(k for k, c in rules.categories.categories.items() if c.health)
    messages: list[AlertMessage] = []
    with session_factory(db_url)() as session:
        run = session.get(ScanRun, report.run_id)
        if run is not None:
            info = RunInfo(run.id, run.kind, run.status, run.reason, run.platform, run.params, run.counts)
            message = scan_run_alert(info, monitors, alerts)
            if message is not None:
                messages.append(message)
        for seller_pk, (risk, priority, category, flagged) in sorted(report.newly_queued.items()):
            seller = session.get(Seller, seller_pk)
            if seller is None:
                continue
            case_id = report.case_actions.get(seller_pk, ("", None))[1]
            found = flagged_seller_alert(SellerInfo(
                seller.id, case_id, seller.platform, seller.seller_key, seller.name, seller.url, risk, priority,
                category, flagged, report.run_id), health, alerts)
            if found is not None:
                messages.append(found)
    return messages


def after_scan(db_url: str, report: ScanReport, rules: RuleSet) -> list[DispatchResult]:
    """`scans.execute.execute_scan`, once the run record is final. Never raises."""
    if not enabled():
        return []
    try:
        alerts = load_alerts(rules.directory)
        return [dispatch(db_url, m, alerts) for m in scan_messages(db_url, report, rules, alerts)]
    except Exception:
        log.exception("alerts for scan run %s could not be raised; the scan is unaffected", report.run_id)
        return []


def after_verify(db_url: str, reports: Iterable[VerifyReport], rules_dir: Any = None) -> list[DispatchResult]:
    """The takedown job, after its removal checks: a request newly escalated (deadline passed,
    listings still online) alerts. Never raises."""
    if not enabled():
        return []
    try:
        alerts = load_alerts(rules_dir)
        results = []
        for report in reports:
            if report.after != "escalated" or report.before == "escalated":
                continue
            with session_factory(db_url)() as session:
                request = session.get(TakedownRequest, report.request_id)
                if request is None:
                    continue
                info = TakedownInfo(request.id, request.case_id, request.platform, report.after, request.deadline,
                                    [c.url for c in report.listings if c.status == "still_online"])
            message = takedown_alert(info, alerts)
            if message is not None:
                results.append(dispatch(db_url, message, alerts))
        return results
    except Exception:
        log.exception("takedown alerts could not be raised; the removal checks are unaffected")
        return []


def digest_facts(db_url: str, now: datetime | None = None) -> DigestFacts:
    now = now or datetime.now(UTC)
    since = now - timedelta(hours=24)
    with session_factory(db_url)() as session:
        runs = session.execute(select(ScanRun.status, func.count()).where(ScanRun.started_at >= since)
                               .group_by(ScanRun.status)).all()
        bad = session.scalars(select(ScanRun).where(ScanRun.started_at >= since,
                                                    ScanRun.status.in_(("partial", "failed")))
                              .order_by(ScanRun.id)).all()
        opened = session.scalar(select(func.count()).select_from(ReviewCase).where(ReviewCase.opened_at >= since))
        open_now = session.scalar(select(func.count()).select_from(ReviewCase)
                                  .where(ReviewCase.status.in_(OPEN_CASE_STATUSES)))
        escalated = session.scalar(select(func.count()).select_from(TakedownRequest).where(
            TakedownRequest.status == "escalated", TakedownRequest.last_checked_at >= since))
        deliveries = session.execute(select(AlertDelivery.status, func.count())
                                     .where(AlertDelivery.last_attempt_at >= since)
                                     .group_by(AlertDelivery.status)).all()
    return DigestFacts(
        day=now.astimezone(VIETNAM_TZ).date().isoformat(),
        runs={status: n for status, n in runs},
        partial_runs=[f"#{r.id} {r.kind} {r.platform or ''} {r.status}: {r.reason or ''}" for r in bad],
        cases_opened=opened or 0, open_cases=open_now or 0, takedowns_escalated=escalated or 0,
        alerts={status: n for status, n in deliveries},
    )


def test_message() -> AlertMessage:
    """`listingwatch alerts test`: never suppressed (a fresh key each time)."""
    now = datetime.now(UTC)
    return AlertMessage("test", f"test:{uuid.uuid4().hex}", "listingwatch: test alert",
                        f"Test alert sent {format_local(now)}. If you read this, this channel works.")


def run_job(name: str, db_url: str, rules_dir: Any = None) -> None:
    """The scheduler's alert jobs: `digest` (one summary a day) and `retry` (failed deliveries)."""
    if not enabled():
        return
    from storage.runs import job_lock

    try:
        # Two daemons on one database fire the same cron at the same moment: the first sends,
        # the second skips (a later one finds the first's alert and suppresses it anyway).
        with job_lock(db_url, f"alerts-{name}") as taken:
            if not taken:
                log.info("alert job %s: running in another process; skipped", name)
                return
            alerts = load_alerts(rules_dir)
            if name == "digest":
                message = digest_alert(digest_facts(db_url), alerts)
                if message is not None:
                    dispatch(db_url, message, alerts)
            elif name == "retry":
                retry_due(db_url, alerts)
            else:
                log.warning("no alert job %r", name)
    except Exception:
        log.exception("alert job %s failed", name)


def planned_jobs(rules: RuleSet) -> list[tuple[str, str, str, list[str], Any]]:
    """(id, name, function reference, args, trigger) of the alert jobs, for `scheduler.planned_jobs`:
    none when no channel is configured or alerts.yaml does not load."""
    if not enabled():
        return []
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    try:
        alerts = load_alerts(rules.directory)
    except Exception as exc:
        log.error("alerts.yaml does not load (%s): no digest or retry job", exc)
        return []
    zone = rules.watchlist.timezone
    jobs: list[tuple[str, str, str, list[str], Any]] = [
        (RETRY_JOB_ID, "retry failed alert deliveries", "scheduler:alerts_job", ["retry"],
         IntervalTrigger(seconds=alerts.retry.check_every_seconds, timezone=zone))]
    if alerts.digest.enabled:
        jobs.append((DIGEST_JOB_ID, "daily alert digest", "scheduler:alerts_job", ["digest"],
                     CronTrigger.from_crontab(alerts.digest.cron, timezone=zone)))
    return jobs


__all__: Sequence[str] = ["after_scan", "after_verify", "digest_facts", "enabled", "planned_jobs", "run_job",
                          "scan_messages", "test_message"]
