"""The takedown removal-check job (issue 16 part 2): declared in the watchlist, scheduled by
`sync_jobs` under its own id, and running `takedown verify --due` through the CLI's function."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import review.takedown
import scheduler
from cli.schedule import stored_jobs
from rules.loader import RulesError, RuleSet, load_rules, load_watchlist
from storage import repo
from storage.db import session_factory
from storage.models import CaseEvent, Listing, ReviewCase, Seller
from tests.scheduler.scheduler_helpers import write_watchlist


def _rules(tmp_path: Path, **top: object) -> RuleSet:
    path = write_watchlist(tmp_path / "w.yaml", {}, **top)
    return load_rules().model_copy(update={"watchlist": load_watchlist(path)})


def test_the_shipped_watchlist_checks_removals_every_two_hours() -> None:
    job = load_rules().watchlist.takedown_verify
    assert job is not None and job.enabled and job.cron == "0 */2 * * *"


def test_a_bad_cron_names_the_field(tmp_path: Path) -> None:
    path = write_watchlist(tmp_path / "w.yaml", {}, takedown_verify={"cron": "every two hours"})
    with pytest.raises(RulesError, match="takedown_verify"):
        load_watchlist(path)


def test_sync_jobs_adds_and_drops_the_job(db_url: str, tmp_path: Path) -> None:
    rules = _rules(tmp_path, takedown_verify={"cron": "0 */2 * * *"})
    sched = scheduler.make_scheduler(db_url, rules)
    sched.start(paused=True)
    try:
        assert scheduler.sync_jobs(sched, rules) == [scheduler.TAKEDOWN_JOB_ID]
        job = sched.get_job(scheduler.TAKEDOWN_JOB_ID)
        assert job.func_ref == "scheduler:takedown_verify_job"
        assert "hour='*/2'" in str(job.trigger) and "minute='0'" in str(job.trigger)
        # Idempotent (replace_existing), then gone once the watchlist drops or disables it.
        assert scheduler.sync_jobs(sched, rules) == [scheduler.TAKEDOWN_JOB_ID]
        off = _rules(tmp_path, takedown_verify={"cron": "0 */2 * * *", "enabled": False})
        assert scheduler.sync_jobs(sched, off) == []
        assert sched.get_job(scheduler.TAKEDOWN_JOB_ID) is None
    finally:
        sched.shutdown(wait=False)
    planned, stored = stored_jobs(db_url, rules)
    assert not stored and [j.id for j in planned] == [scheduler.TAKEDOWN_JOB_ID]


def test_the_job_calls_the_cli_verify_function(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert scheduler.run_verify is review.takedown.run_verify  # the function `takedown verify` calls
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(scheduler, "run_verify", lambda db_url, **kw: calls.append({"db": db_url, **kw}) or [])
    rules = _rules(tmp_path, takedown_verify={"cron": "0 */2 * * *", "capture": False})
    ctx = scheduler.DaemonContext(db_url="sqlite:///x.db", rules=rules, demo_origins=("http://127.0.0.1:9",))
    monkeypatch.setattr(scheduler, "_CONTEXT", ctx)
    scheduler.takedown_verify_job()
    assert calls == [{"db": "sqlite:///x.db", "actor": "scheduler", "due_only": True,
                      "demo_urls": ("http://127.0.0.1:9",), "capture": False}]


def _due_request(db_url: str) -> tuple[int, int]:
    """A request sent two days ago on a demo listing (its marketplace is not running)."""
    t0 = datetime.now(UTC) - timedelta(days=2)
    with session_factory(db_url)() as session, session.begin():
        seller = Seller(platform="demo-tiki", seller_key="s1", name="Shop")
        session.add(seller)
        session.flush()
        listing = Listing(platform="demo-tiki", listing_key="p1", seller_id=seller.id, title="Sữa giả",
                          url="http://127.0.0.1:9/tiki/p1.html")
        case = ReviewCase(seller_id=seller.id, status="confirmed", risk=0.9, first_flagged_at=t0, last_scanned_at=t0)
        session.add_all([listing, case])
        session.flush()
        request = repo.create_takedown(session, case_id=case.id, platform="demo-tiki", actor="lan",
                                       listings=[repo.ListingRef(listing.id, "p1", str(listing.url))],
                                       authority={"authority": "Chi cục QLTT"}, at=t0)
        repo.mark_sent(session, request.id, actor="lan", via="email", deadline_hours=24, at=t0)
        return case.id, request.id


def test_a_daemon_runs_the_due_check(db_url: str, tmp_path: Path) -> None:
    """Fired by APScheduler: the due request is checked, by `scheduler`; the demo marketplace it
    names was not given, so the listing is unreachable and the request stays sent (never removed)."""
    case_id, request_id = _due_request(db_url)
    rules = _rules(tmp_path, takedown_verify={"cron": "0 3 * * *", "capture": False})
    daemon = scheduler.Daemon(scheduler.DaemonContext(db_url=db_url, rules=rules),
                              first_run_at=datetime.now(UTC) + timedelta(seconds=1), worker=False)
    daemon.start()
    try:
        deadline = time.monotonic() + 30
        checks: list[CaseEvent] = []
        while time.monotonic() < deadline and not checks:
            time.sleep(0.3)
            with session_factory(db_url)() as session:
                checks = [e for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id))
                          if e.data.get("action") == "checked"]
    finally:
        daemon.stop()
    assert len(checks) == 1 and checks[0].actor == "scheduler"
    with session_factory(db_url)() as session:
        request = repo.get_takedown(session, request_id)
        assert request.status == "sent"
        assert [row.status for row in request.listings] == ["unreachable"]
