"""The nightly daemon: a job due in seconds runs against the demo and leaves a correct scan-run
record; a second daemon on the same database does not start the same job concurrently;
missed runs coalesce; `schedule --list` shows next run times."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

import listingwatch
import scheduler
from demo.catalog import Catalog
from demo.server import DemoServer
from rules.loader import load_rules, load_watchlist
from storage.db import session_factory
from storage.models import ScanRun
from tests.scheduler.scheduler_helpers import counterfeiters, write_watchlist


@pytest.mark.slow
def test_a_job_due_in_seconds_runs_once_even_with_two_daemons(
    db_url: str, demo: DemoServer, catalog: Catalog, tmp_path: Path
) -> None:
    seller = counterfeiters(catalog, "demo-tiki")[0]
    path = write_watchlist(tmp_path / "w.yaml", {"demo-tiki": {
        "cron": "0 3 * * *", "request_budget": 300, "sellers": [seller.seller_id], "expected_min_listings": 1}})
    rules = load_rules().model_copy(update={"watchlist": load_watchlist(path)})
    due = datetime.now(UTC) + timedelta(seconds=3)
    daemons = [
        scheduler.Daemon(scheduler.DaemonContext(db_url=db_url, rules=rules, demo_base_url=demo.base_url),
                         first_run_at=due, worker=False)
        for _ in range(2)
    ]
    for daemon in daemons:
        daemon.start()
    try:
        def finished() -> list[ScanRun]:
            with session_factory(db_url)() as session:
                return list(session.scalars(select(ScanRun).where(ScanRun.kind == "nightly")))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            runs = finished()
            if runs and all(r.status != "running" for r in runs):
                break
            time.sleep(0.5)
        time.sleep(2)  # the other daemon's trigger has fired by now too
        runs = finished()
    finally:
        for daemon in daemons:
            daemon.stop()
    assert len(runs) == 1, [(r.id, r.status, r.reason) for r in runs]
    run = runs[0]
    assert run.status == "ok", run.reason
    assert run.params["job_id"] == "nightly:demo-tiki"
    assert run.params["asked"][0]["seller"] == seller.seller_id
    n = len(catalog.listings_of(seller))
    assert run.counts["listings_seen"] == n and run.counts["listings_new"] == n
    assert run.counts["sellers_queued"] == 1 and run.counts["requests"] > 0
    assert run.started_at < run.finished_at  # type: ignore[operator]


def test_the_db_guard_refuses_a_second_concurrent_run_of_a_job(db_url: str) -> None:
    first = scheduler.start_run(db_url, kind="nightly", platform="demo-tiki", params={}, job_id="nightly:demo-tiki")
    with pytest.raises(scheduler.ScanAlreadyRunning):
        scheduler.start_run(db_url, kind="nightly", platform="demo-tiki", params={}, job_id="nightly:demo-tiki")
    other = scheduler.start_run(db_url, kind="nightly", platform="demo-web", params={}, job_id="nightly:demo-web")
    assert other != first
    # A run whose owner process is gone does not block the job forever.
    with session_factory(db_url)() as session, session.begin():
        run = session.get(ScanRun, first)
        assert run is not None
        run.params = {**run.params, "owner": {"host": run.params["owner"]["host"], "pid": 2**22 + 7}}
    third = scheduler.start_run(db_url, kind="nightly", platform="demo-tiki", params={}, job_id="nightly:demo-tiki")
    with session_factory(db_url)() as session:
        stale = session.get(ScanRun, first)
        assert stale is not None and stale.status == "failed" and "gone" in (stale.reason or "")
    assert third not in (first, other)


CALLS: list[datetime] = []


def count_call() -> None:
    CALLS.append(datetime.now(UTC))


def test_missed_runs_coalesce_into_one_on_wake_up(db_url: str, tmp_path: Path) -> None:
    path = write_watchlist(tmp_path / "w.yaml", {}, misfire_grace_seconds=3600)
    rules = load_rules().model_copy(update={"watchlist": load_watchlist(path)})
    sched = scheduler.make_scheduler(db_url, rules)
    sched.start(paused=True)
    from apscheduler.triggers.cron import CronTrigger

    # Every minute, last due 10 minutes ago: ten missed runs while "asleep". The trigger ends
    # now: with an open end, a minute boundary during the wait added a run that was due,
    # not missed, and the test failed now and then.
    now = datetime.now(UTC)
    sched.add_job(f"{__name__}:count_call", CronTrigger(minute="*", end_date=now), id="t", replace_existing=True,
                  next_run_time=now - timedelta(minutes=10))
    CALLS.clear()
    sched.resume()
    deadline = time.monotonic() + 10.0
    while not CALLS and time.monotonic() < deadline:
        time.sleep(0.05)
    # Uncoalesced, the missed runs go to the executor together with the first: shutting down
    # with wait=True lets all of them finish before we count.
    sched.shutdown(wait=True)
    assert len(CALLS) == 1


def test_schedule_list_shows_jobs_and_next_run_times(db_url: str, tmp_path: Path) -> None:
    path = write_watchlist(tmp_path / "w.yaml", {
        "demo-tiki": {"cron": "0 2 * * *", "request_budget": 10, "keywords": ["sữa"]},
        "lazada": {"cron": "0 3 * * *", "request_budget": 10, "keywords": ["sữa"], "enabled": False},
    })
    result = CliRunner().invoke(listingwatch.app, ["schedule", "--list", "--db", db_url, "--watchlist", str(path)])
    assert result.exit_code == 0, result.output
    assert "nightly:demo-tiki" in result.output and "02:00" in result.output
    assert "not scheduled: lazada (disabled" in result.output


def test_a_running_daemon_leaves_a_heartbeat(db_url: str) -> None:
    from storage import heartbeats

    daemon = scheduler.Daemon(scheduler.DaemonContext(db_url=db_url, rules=load_rules()), worker=False)
    daemon.start()
    try:
        deadline = time.monotonic() + 30
        beat = None
        while beat is None and time.monotonic() < deadline:
            with session_factory(db_url)() as session:
                beat = heartbeats.last_beat(session, heartbeats.SCHEDULER)
            time.sleep(0.1)
    finally:
        daemon.stop()
    assert beat is not None, "the daemon never recorded a heartbeat"
    assert beat.pid == os.getpid() and beat.age_s() < 30
