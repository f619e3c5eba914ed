"""Issue 14, item 4: runs that never end.

A ``kill -9``ed `listingwatch scan` left its run `running` forever and its crawl child kept
crawling; SIGTERM during evidence capture still ended `ok`. Now the crawl child dies with its
parent (``PR_SET_PDEATHSIG``), the next command that looks at runs marks the orphaned run
`failed` with the reason, and a stop or SIGTERM during the capture ends the run `failed`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from crawler.run import CrawlSpec
from demo.server import DemoServer
from rules.loader import load_rules
from scheduler import ScanInterrupted, execute_scan
from storage.db import session_factory, upgrade
from storage.models import ScanRun

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found.extend(int(p) for p in text.split())
    return found


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for a reaper (reparented children of a container's pid 1)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2] != "Z"


def _crawl_child(pid: int) -> int | None:
    for child in _children(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in cmdline:
            return child
    return None


def _small_watchlist(tmp_path: Path) -> Path:
    data = yaml.safe_load((ROOT / "rules" / "watchlist.yaml").read_text(encoding="utf-8"))
    entry = data["platforms"]["demo-tiki"]
    entry.update({"keywords": ["sữa"], "request_budget": 40, "brands": [], "categories": []})
    path = tmp_path / "watchlist.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _scan_command(db_url: str, watchlist: Path) -> list[str]:
    return [sys.executable, "-m", "listingwatch", "scan", "--platform", "demo-tiki", "--watchlist", str(watchlist),
            "--db", db_url]


def _runs(db_url: str) -> list[ScanRun]:
    with session_factory(db_url)() as session:
        return list(session.scalars(select(ScanRun).order_by(ScanRun.id)))


def test_kill_9_stops_the_crawl_child_and_the_next_scan_marks_the_run_failed(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'lw.db'}"
    watchlist = _small_watchlist(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LISTINGWATCH_LOG_LEVEL": "WARNING"}
    scan = subprocess.Popen(_scan_command(db_url, watchlist), cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        child = None
        while child is None and time.monotonic() < deadline and scan.poll() is None:
            child = _crawl_child(scan.pid)
            time.sleep(0.05)
        assert child is not None, "the scan started no crawl child"
        time.sleep(1.0)  # let it crawl
        assert _alive(child)
        scan.send_signal(signal.SIGKILL)
        scan.wait(10)
        gone_by = time.monotonic() + 5
        while _alive(child) and time.monotonic() < gone_by:
            time.sleep(0.05)
        assert not _alive(child), "the crawl child outlived its killed parent by more than 5 s"
    finally:
        if scan.poll() is None:
            scan.kill()
    [orphan] = _runs(db_url)
    assert orphan.status == "running"
    done = subprocess.run(_scan_command(db_url, watchlist), cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert f"scan run {orphan.id} was left running" in done.stderr
    first, second = _runs(db_url)
    assert first.status == "failed" and first.reason is not None
    assert f"pid {scan.pid}" in first.reason and "is gone" in first.reason
    assert second.status in ("ok", "partial"), (second.status, second.reason, done.stderr[-2000:])


@pytest.fixture
def quick_scan(tmp_path: Path) -> Any:
    db_url = f"sqlite:///{tmp_path / 'lw.db'}"
    upgrade(db_url)
    with DemoServer() as server:
        spec = CrawlSpec(platform="demo-tiki", keywords=["sữa"], max_requests=30, base_url=server.base_url + "/tiki")
        yield db_url, spec


def test_a_stop_during_evidence_capture_ends_the_run_failed(quick_scan: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    db_url, spec = quick_scan
    stop = threading.Event()

    def capture(*args: Any, **kwargs: Any) -> dict[str, Any]:
        stop.set()  # the daemon's SIGTERM arrives while the capture runs
        return {"listings": 0}

    monkeypatch.setattr("review.evidence.capture_for_scan", capture)
    report = execute_scan([spec], kind="manual", db_url=db_url, rules=load_rules(), stop=stop)
    assert (report.status, report.reason) == ("failed", "stopped")
    [run] = _runs(db_url)
    assert (run.status, run.reason) == ("failed", "stopped")


def test_sigterm_during_evidence_capture_ends_the_run_failed(quick_scan: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    db_url, spec = quick_scan

    def capture(*args: Any, **kwargs: Any) -> dict[str, Any]:
        raise ScanInterrupted  # what the CLI's SIGTERM handler raises wherever the scan is

    monkeypatch.setattr("review.evidence.capture_for_scan", capture)
    with pytest.raises(ScanInterrupted):
        execute_scan([spec], kind="manual", db_url=db_url, rules=load_rules())
    [run] = _runs(db_url)
    assert run.status == "failed" and run.reason is not None and run.reason.startswith("interrupted")
