"""Issue 14, item 4 (what was left): `demo` and `scan-seller --wait` run their scan in a worker
thread, so SIGTERM killed the process mid-scan and left the run `running` (for the next command
to find). Now SIGTERM stops them like Ctrl-C: the crawl child is ended, the run is marked
`failed` "interrupted ... SIGTERM", the command exits 143.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from demo.catalog import Catalog
from demo.server import DemoServer
from storage.db import session_factory
from storage.models import ScanRequest, ScanRun

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2] != "Z"  # a zombie no longer runs


def _crawl_child(pid: int, timeout: float = 120) -> int:
    """The command's crawl child (a multiprocessing spawn) once it runs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in children:
                try:
                    if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                        return int(child)
                except OSError:
                    continue
        time.sleep(0.05)
    pytest.fail("the command started no crawl child")


def _sigterm_mid_crawl(command: list[str], tmp_path: Path, env: dict[str, str],
                       settle: float = 1.0) -> tuple[int, str, int]:
    """Run ``command``, SIGTERM it ``settle`` s after its crawl child started; its exit code,
    stderr and crawl child."""
    log = tmp_path / "stderr.txt"
    with log.open("w") as stderr:
        proc = subprocess.Popen([sys.executable, "-m", "listingwatch", *command], cwd=tmp_path,
                                env={**os.environ, "PYTHONPATH": str(ROOT), "LISTINGWATCH_LOG_LEVEL": "WARNING",
                                     "LISTINGWATCH_EVIDENCE_CAPTURE": "0", **env},
                                stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            child = _crawl_child(proc.pid)
            time.sleep(settle)  # let it crawl (or not: 0 s hits the child while it starts up)
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(120)
        finally:
            if proc.poll() is None:
                proc.kill()
    gone_by = time.monotonic() + 10
    while _alive(child) and time.monotonic() < gone_by:
        time.sleep(0.05)
    return code, log.read_text(), child


def _runs(db_url: str) -> list[ScanRun]:
    with session_factory(db_url)() as session:
        return list(session.scalars(select(ScanRun).order_by(ScanRun.id)))


# 0 s: the child still imports Scrapy or starts its reactor, before Scrapy's own signal
# handlers exist; Twisted's then stopped the reactor twice and printed ReactorNotRunning.
@pytest.mark.parametrize("settle", [0.0, 1.0])
def test_sigterm_stops_demo_and_marks_its_run_failed(tmp_path: Path, settle: float) -> None:
    db_url = f"sqlite:///{tmp_path / 'lw.db'}"
    code, stderr, child = _sigterm_mid_crawl(["demo", "--port", "0", "--out", str(tmp_path / "out"), "--db", db_url],
                                             tmp_path, {}, settle)
    assert code == 143, stderr[-2000:]
    assert "interrupted (SIGTERM)" in stderr and "Traceback" not in stderr
    assert not _alive(child), "the crawl child outlived the stopped demo"
    [run] = _runs(db_url)
    assert run.status == "failed" and "SIGTERM" in (run.reason or ""), (run.status, run.reason)
    assert not (tmp_path / "out" / "flagged_sellers.csv").exists()  # an interrupted scan exports nothing


def test_sigterm_stops_scan_seller_wait_and_marks_run_and_request_failed(
    tmp_path: Path, demo: DemoServer, catalog: Catalog
) -> None:
    db_url = f"sqlite:///{tmp_path / 'lw.db'}"
    planted = [s for s in catalog.sellers_on("demo-tiki") if s.role == "counterfeit"]
    seller = max(planted, key=lambda s: len(catalog.listings_of(s)))  # the longest crawl to interrupt
    code, stderr, child = _sigterm_mid_crawl(
        ["scan-seller", demo.base_url + seller.shop_url_path, "--wait", "--db", db_url], tmp_path,
        {"LISTINGWATCH_DEMO_URL": demo.base_url})
    assert code == 143, stderr[-2000:]
    assert "interrupted (SIGTERM)" in stderr and "Traceback" not in stderr
    assert not _alive(child)
    [run] = _runs(db_url)
    assert run.status == "failed" and "SIGTERM" in (run.reason or ""), (run.status, run.reason)
    with session_factory(db_url)() as session:
        request = session.scalars(select(ScanRequest)).one()
    assert request.status == "failed" and "SIGTERM" in (request.error or "")
