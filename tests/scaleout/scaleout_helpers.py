"""Shared by the scale-out tests: Redis availability, running the CLI, reading a database back."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from storage.db import make_engine
from storage.models import Listing, ListingObservation, ScanRun
from storage.testing import running_in_ci

REDIS_TEST_URL = os.environ.get("LISTINGWATCH_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parents[2]


def redis_unreachable_reason(url: str = REDIS_TEST_URL) -> str | None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        return f"Redis not reachable at {url} ({type(exc).__name__}: {exc})"
    return None


def need_redis() -> str:
    reason = redis_unreachable_reason()
    if reason is not None:
        if running_in_ci():
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    return REDIS_TEST_URL


def fresh_namespace() -> str:
    """Each test its own key space in the shared Redis (scan run ids repeat across test databases)."""
    return "lwtest" + secrets.token_hex(5)


def cli_env(db_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LISTINGWATCH_REDIS")}
    env["LISTINGWATCH_DB_URL"] = db_url
    # Screenshots of flagged listings (Chromium) are tested elsewhere and cost a minute here.
    env["LISTINGWATCH_EVIDENCE_CAPTURE"] = "0"
    env.update(extra)
    return env


def cli(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run `listingwatch ARGS` as an operator would, in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "listingwatch", *args],
        env=env, capture_output=True, text=True, timeout=timeout, cwd=cwd,
    )


def start_cli(args: list[str], env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen[str]:
    handle = log.open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "listingwatch", *args],
        env=env, stdout=handle, stderr=subprocess.STDOUT, text=True, cwd=cwd,
    )


def scan_with_worker(
    scan_args: list[str], env: dict[str, str], cwd: Path
) -> tuple[subprocess.CompletedProcess[str], str]:
    """`listingwatch SCAN_ARGS` with one `crawl-worker --once` joining it; both must exit 0.
    Returns the coordinator's result and the worker's output."""
    log = cwd / "worker.log"
    worker = start_cli(["crawl-worker", "--once", "--wait", "120"], env, cwd, log)
    try:
        coordinator = cli(scan_args, env, cwd)
        worker_rc = worker.wait(timeout=300)
    finally:
        if worker.poll() is None:
            worker.kill()
    worker_out = log.read_text()
    assert coordinator.returncode == 0, coordinator.stderr[-3000:]
    assert worker_rc == 0, worker_out[-3000:]
    return coordinator, worker_out


@dataclass
class Stored:
    listing_keys: list[tuple[str, str]]
    observations_per_listing: dict[tuple[str, str], int]
    runs: list[dict[str, Any]]

    @property
    def distinct(self) -> set[tuple[str, str]]:
        return set(self.listing_keys)


def read_back(db_url: str) -> Stored:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            keys = [(str(p), str(k)) for p, k in conn.execute(select(Listing.platform, Listing.listing_key))]
            per_listing = {
                (str(p), str(k)): int(n)
                for p, k, n in conn.execute(
                    select(Listing.platform, Listing.listing_key, func.count(ListingObservation.id))
                    .join(ListingObservation, ListingObservation.listing_id == Listing.id)
                    .group_by(Listing.platform, Listing.listing_key)
                )
            }
            runs = [
                {"id": r.id, "status": r.status, "counts": dict(r.counts or {})}
                for r in conn.execute(select(ScanRun.id, ScanRun.status, ScanRun.counts).order_by(ScanRun.id))
            ]
    finally:
        engine.dispose()
    return Stored(keys, per_listing, runs)


def big_watchlist(path: Path, platforms: list[str]) -> Path:
    """The shipped watchlist with ``platforms`` searching every demo-tiki keyword too: a crawl
    of many more requests than one process has in flight, so a worker has work to take."""
    import yaml

    data = yaml.safe_load((ROOT / "rules" / "watchlist.yaml").read_text(encoding="utf-8"))
    many = list(data["platforms"]["demo-tiki"]["keywords"])
    for platform in platforms:
        entry = data["platforms"][platform]
        entry["keywords"] = many + [k for k in entry["keywords"] if k not in many]
        entry["request_budget"] = 2000
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


class OverlapGate:
    """Wraps the demo server's `route`: while armed, each response waits up to `delay` seconds
    until more requests are in flight at once than one crawl process sends (its
    CONCURRENT_REQUESTS_PER_DOMAIN). Only then is a second process downloading too, and the
    gate opens for good. A small crawl on the local demo is otherwise over before a worker's
    crawl process has started, and whether the worker takes part would be luck."""

    def __init__(self, per_process: int, delay: float) -> None:
        import threading

        self.per_process = per_process
        self.delay = delay
        #: Gate only the requests to this path (a browser's page, not the XHRs it makes).
        self.only_path: str | None = None
        self.armed = False
        self.in_flight = 0
        self.lock = threading.Lock()
        self.opened = threading.Event()

    def wrap(self, route: Any) -> Any:
        def gated(*args: Any, **kwargs: Any) -> Any:
            path = args[1] if len(args) > 1 else kwargs.get("path")
            if not self.armed or self.opened.is_set() or self.only_path not in (None, path):
                return route(*args, **kwargs)
            with self.lock:
                self.in_flight += 1
                if self.in_flight > self.per_process:
                    self.opened.set()
            try:
                self.opened.wait(self.delay)
                return route(*args, **kwargs)
            finally:
                with self.lock:
                    self.in_flight -= 1

        return gated
