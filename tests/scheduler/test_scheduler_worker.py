"""On-demand seller scans: CLI refusals (nothing sent), a demo counterfeiter scanned and queued,
two requests at once, SIGKILL of the worker mid-scan and the restart."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

import listingwatch
import scheduler
from demo.catalog import Catalog
from demo.server import DemoServer
from review.seller_report import seller_report
from rules.loader import load_rules, load_watchlist
from scans import execute
from storage import repo
from storage.db import session_factory
from storage.models import Listing, ReviewCase, ScanRequest, ScanRun, Seller
from storage.runs import request_progress
from tests.scheduler.scheduler_helpers import counterfeiters, write_watchlist

LW = [str(Path(sys.executable).parent / "listingwatch")]


def _rules(tmp_path: Path):  # the packaged rules with a test watchlist (handoff 0, fast polling)
    rules = load_rules()
    return rules.model_copy(update={"watchlist": load_watchlist(write_watchlist(tmp_path / "w.yaml", {}))})


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://10.0.0.1/", "private network address"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("https://unknown-shop.example/cua-hang/x", "not a marketplace"),
    ],
)
def test_cli_refuses_internal_and_unknown_urls_without_sending_anything(
    url: str, says: str, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    connects: list[object] = []
    real_connect = socket.socket.connect

    def spy(self: socket.socket, address: object) -> object:
        connects.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", spy)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: pytest.fail(f"resolved {a}"))
    # execute_scan (scans.execute) looks run_crawls up in its own module: patch it there.
    monkeypatch.setattr(execute, "run_crawls", lambda *a, **k: pytest.fail("crawled"))
    result = CliRunner().invoke(listingwatch.app, ["scan-seller", url, "--wait", "--db", sqlite_url])
    assert result.exit_code == 2, result.output
    assert says in " ".join(result.output.split())
    assert connects == []
    assert not Path(sqlite_url.removeprefix("sqlite:///")).exists()  # not even the database was touched


def test_cli_refuses_loopback_other_than_the_demo(sqlite_url: str) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0.5)
        port = listener.getsockname()[1]
        result = CliRunner().invoke(
            listingwatch.app,
            ["scan-seller", f"http://127.0.0.1:{port}/tiki/cua-hang/x", "--db", sqlite_url,
             "--demo-url", "http://127.0.0.1:1"],
        )
        assert result.exit_code == 2
        assert "loopback" in result.output
        with pytest.raises(TimeoutError):
            listener.accept()  # nobody knocked


@pytest.mark.slow
def test_scan_seller_wait_scans_a_demo_counterfeiter_and_opens_a_case(
    db_url: str, demo: DemoServer, catalog: Catalog, tmp_path: Path
) -> None:
    seller = counterfeiters(catalog, "demo-tiki")[0]
    rules_dir = tmp_path / "rules"
    result = subprocess.run(
        [*LW, "scan-seller", demo.base_url + seller.shop_url_path, "--wait", "--db", db_url],
        capture_output=True, text=True, timeout=240,
        env={**os.environ, "LISTINGWATCH_DEMO_URL": demo.base_url},
    )
    del rules_dir
    assert result.returncode == 0, result.stderr[-2000:]
    assert "case opened" in result.stdout
    assert "FLAGGED" in result.stdout
    assert "pages" in result.stderr and "listings" in result.stderr  # progress lines (not a TTY)
    with session_factory(db_url)() as session:
        row = session.scalar(select(Seller).where(Seller.platform == "demo-tiki", Seller.seller_key == seller.seller_id))
        assert row is not None and row.flagged
        case = session.scalar(select(ReviewCase).where(ReviewCase.seller_id == row.id))
        assert case is not None and case.status == "open"
        stored = session.scalar(select(func.count()).select_from(Listing).where(Listing.seller_id == row.id))
        assert stored == len(catalog.listings_of(seller))
        request = session.scalars(select(ScanRequest)).one()
        assert request.status == "done" and request.scan_run_id is not None
        run = session.get(ScanRun, request.scan_run_id)
        assert run is not None and run.kind == "seller" and run.status == "ok"
        assert run.counts["listings_seen"] == len(catalog.listings_of(seller))
        assert run.counts["sellers_queued"] == 1
        assert run.params["asked"][0]["seller"] == seller.seller_id


@pytest.mark.slow
def test_the_worker_takes_two_requests_at_once_and_both_complete(
    db_url: str, demo: DemoServer, catalog: Catalog, tmp_path: Path
) -> None:
    rules = _rules(tmp_path)
    tiki, other = counterfeiters(catalog, "demo-tiki")[:2]
    ids = []
    for seller in (tiki, other):
        request_id, _ = scheduler.submit_seller_scan(db_url, rules, demo.base_url + seller.shop_url_path, "inspector",
                                                     demo_origins=[demo.base_url])
        ids.append(request_id)
    ctx = scheduler.DaemonContext(db_url=db_url, rules=rules, demo_origins=(demo.base_url,))
    daemon = scheduler.Daemon(ctx)
    daemon.start()
    try:
        seen_running: set[int] = set()
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            states = {i: request_progress(db_url, i).status for i in ids}
            if list(states.values()).count("running") == 2:
                seen_running = set(ids)
            if all(s in ("done", "failed") for s in states.values()):
                break
            time.sleep(0.3)
    finally:
        daemon.stop()
    reports = [seller_report(db_url, i) for i in ids]
    assert [r.status for r in reports] == ["done", "done"], reports
    if not db_url.startswith("sqlite"):  # SQLite runs requests one at a time (one writer)
        assert seen_running == set(ids), "the two scans should run in parallel"
    assert {r.case_action for r in reports} == {"opened"}
    assert reports[0].listings == len(catalog.listings_of(tiki))


def _wait_for(predicate, timeout: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.mark.slow
def test_sigkill_mid_scan_then_restart_leaves_no_duplicates_and_a_failed_run(
    db_url: str, demo: DemoServer, catalog: Catalog, tmp_path: Path
) -> None:
    seller = max(counterfeiters(catalog, "demo-tiki"), key=lambda s: len(catalog.listings_of(s)))
    url = demo.base_url + seller.shop_url_path
    env = {**os.environ, "LISTINGWATCH_DEMO_URL": demo.base_url}
    proc = subprocess.Popen([*LW, "scan-seller", url, "--wait", "--db", db_url], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        def running_run() -> int | None:
            with session_factory(db_url)() as session:
                run = session.scalar(select(ScanRun).where(ScanRun.status == "running"))
                return None if run is None else run.id
        run_id = _wait_for(running_run, 120, "the scan to start")
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert scheduler.recover_stale(db_url) == [run_id]
    with session_factory(db_url)() as session:
        run = session.get(ScanRun, run_id)
        assert run is not None and run.status == "failed" and "gone" in (run.reason or "")
        request = session.scalars(select(ScanRequest)).one()
        assert request.status == "failed"
    # The orphaned crawl notices its parent is gone and stops; then scan again.
    again = subprocess.run([*LW, "scan-seller", url, "--wait", "--db", db_url], env=env,
                           capture_output=True, text=True, timeout=240)
    assert again.returncode == 0, again.stderr[-2000:]
    with session_factory(db_url)() as session:
        row = session.scalar(select(Seller).where(Seller.platform == "demo-tiki", Seller.seller_key == seller.seller_id))
        assert row is not None
        keys = session.scalars(select(Listing.listing_key).where(Listing.seller_id == row.id)).all()
        assert sorted(keys) == sorted(x.listing_id for x in catalog.listings_of(seller))  # none twice, none lost
        assert session.scalar(select(func.count()).select_from(ReviewCase).where(ReviewCase.seller_id == row.id)) == 1


def test_a_request_stored_by_the_web_app_with_a_bad_url_is_refused_by_the_worker(db_url: str, tmp_path: Path) -> None:
    rules = _rules(tmp_path)
    with session_factory(db_url)() as session, session.begin():
        bad = repo.request_scan(session, "http://169.254.169.254/latest/", "inspector").id
    assert scheduler.claim_request(db_url, rules) is None
    report = seller_report(db_url, bad)
    assert report.status == "refused" and "link-local" in (report.error or "")
