"""The hooks the scheduler calls: after a scan (run + newly queued sellers), after removal
checks, the digest and retry jobs; and nothing at all without `$LISTINGWATCH_ALERT_URLS`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

import scheduler
from review.alerts import hooks
from review.scan_report import ScanReport
from review.takedown.verify import CheckedListing, VerifyReport
from rules.loader import load_rules
from storage import repo
from storage.db import session_factory
from storage.models import Alert, ReviewCase, Seller, TakedownRequest
from tests.alerts.conftest import Webhook


def _world(db_url: str) -> tuple[int, int, int]:
    """A partial run, a seller newly queued by it, and a takedown request past its deadline."""
    now = datetime.now(UTC)
    with session_factory(db_url)() as session, session.begin():
        run = repo.start_scan_run(session, kind="nightly", platform="demo-tiki",
                                  params={"job": "nightly:demo-tiki", "asked": [{"platform": "demo-tiki"}]})
        repo.finish_scan_run(session, run.id, status="partial", reason="demo-tiki: blocked: captcha=4",
                             counts={"listings_by_platform": {"demo-tiki": 2}, "listings_seen": 2,
                                     "blocks": {"captcha": 4}, "progress": {"pages": 6}})
        seller = Seller(platform="demo-tiki", seller_key="s9", name="Sữa <script>x</script> Shop")
        session.add(seller)
        session.flush()
        case = ReviewCase(seller_id=seller.id, risk=0.7, priority=1.0, first_flagged_at=now, last_scanned_at=now)
        session.add(case)
        session.flush()
        request = TakedownRequest(case_id=case.id, platform="demo-tiki", status="escalated", created_by="t",
                                  deadline=now - timedelta(days=1))
        session.add(request)
        session.flush()
        return run.id, seller.id, case.id


def test_without_channels_nothing_is_evaluated_stored_or_scheduled(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LISTINGWATCH_ALERT_URLS", raising=False)
    run_id, seller_id, case_id = _world(db_url)
    report = ScanReport(run_id=run_id, status="partial", reason="x", case_actions={seller_id: ("opened", case_id)},
                        newly_queued={seller_id: (0.95, 1.0, "milk", 3)})
    assert hooks.after_scan(db_url, report, load_rules()) == []
    assert hooks.planned_jobs(load_rules()) == []
    with session_factory(db_url)() as session:
        assert session.scalars(select(Alert)).all() == []


def test_after_scan_alerts_the_run_and_the_health_seller(db_url: str, webhook: Webhook,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LISTINGWATCH_ALERT_URLS", webhook.url)
    run_id, seller_id, case_id = _world(db_url)
    report = ScanReport(run_id=run_id, status="partial", reason="x", case_actions={seller_id: ("opened", case_id)},
                        newly_queued={seller_id: (0.7, 1.0, "milk", 3)})
    results = hooks.after_scan(db_url, report, load_rules())
    assert [r.status for r in results] == ["dispatched", "dispatched"]
    titles = [p["title"] for p in webhook.posts]
    assert "(partial)" in titles[0] and "HÀNG SỨC KHỎE, người bán mới bị gắn cờ" in titles[1]  # Vietnamese first
    assert "<script>x</script>" in webhook.posts[1]["message"]  # plain text, as crawled, in JSON
    with session_factory(db_url)() as session:
        seller_alert = session.scalars(select(Alert).where(Alert.kind == "flagged_seller")).one()
        assert seller_alert.case_id == case_id and seller_alert.scan_run_id == run_id


def test_a_broken_hook_never_fails_the_scan(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LISTINGWATCH_ALERT_URLS", "json://127.0.0.1:1/x")

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("alerts.yaml vanished")

    monkeypatch.setattr(hooks, "scan_messages", boom)
    assert hooks.after_scan(db_url, ScanReport(run_id=1, status="ok", reason=None), load_rules()) == []


def test_after_verify_alerts_a_newly_escalated_request_once(db_url: str, webhook: Webhook,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LISTINGWATCH_ALERT_URLS", webhook.url)
    _, _, case_id = _world(db_url)
    with session_factory(db_url)() as session:
        request_id = session.scalars(select(TakedownRequest.id)).one()
    online = CheckedListing(1, None, "http://127.0.0.1:9/tiki/p1.html", "still_online", "extracted")
    escalated = VerifyReport(request_id, case_id, "sent", "escalated", [online])
    hooks.after_verify(db_url, [escalated, VerifyReport(request_id, case_id, "escalated", "escalated", [online])])
    assert len(webhook.posts) == 1 and "quá hạn" in webhook.posts[0]["title"]
    assert "http://127.0.0.1:9/tiki/p1.html" in webhook.posts[0]["message"]


def test_digest_and_retry_jobs_are_scheduled_and_run(db_url: str, webhook: Webhook,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LISTINGWATCH_ALERT_URLS", webhook.url)
    _world(db_url)
    rules = load_rules()
    ids = [job[0] for job in scheduler.planned_jobs(rules)]
    assert hooks.RETRY_JOB_ID in ids and hooks.DIGEST_JOB_ID in ids
    monkeypatch.setattr(scheduler, "_CONTEXT", scheduler.DaemonContext(db_url=db_url, rules=rules))
    scheduler.alerts_job("digest")
    assert len(webhook.posts) == 1
    digest = webhook.posts[0]["message"]
    assert "1 Không đầy đủ (partial)" in digest and "Hồ sơ mới: 1" in digest and "Yêu cầu gỡ bỏ quá hạn" in digest
    scheduler.alerts_job("digest")  # one a day: the second is suppressed
    scheduler.alerts_job("retry")
    assert len(webhook.posts) == 1


def test_an_alert_job_another_daemon_runs_now_is_skipped(db_url: str, webhook: Webhook,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Two daemons on one database fire the digest at the same minute: one digest, not two
    (both would find no earlier digest to suppress theirs against)."""
    from storage.runs import job_lock

    monkeypatch.setenv("LISTINGWATCH_ALERT_URLS", webhook.url)
    _world(db_url)
    monkeypatch.setattr(scheduler, "_CONTEXT", scheduler.DaemonContext(db_url=db_url, rules=load_rules()))
    with job_lock(db_url, "alerts-digest"):  # the other daemon, mid-job
        scheduler.alerts_job("digest")
    assert webhook.posts == []
    scheduler.alerts_job("digest")
    assert len(webhook.posts) == 1
