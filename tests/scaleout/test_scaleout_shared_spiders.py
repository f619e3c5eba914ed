"""Sendo, Lazada and the browser spiders (TikTok Shop, Facebook, Shopee) join a shared crawl:
a coordinator and a worker, one Redis, one PostgreSQL, store exactly the listings and
observations one process stores alone.

The demo marketplace runs in this test process, behind an `OverlapGate`: the coordinator's
first responses are held back (at most a second each) until the worker's crawl process is
downloading too, so the worker's part is certain rather than a race against a crawl of a
few hundred milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import demo.server
from crawler.platforms import demo_paths
from crawler.settings import DEMO_PROFILE, PLAYWRIGHT_MAX_PAGES_PER_CONTEXT
from demo.server import DemoServer
from storage.db import upgrade
from tests.scaleout.scaleout_helpers import (
    OverlapGate,
    big_watchlist,
    cli,
    cli_env,
    fresh_namespace,
    need_redis,
    read_back,
    scan_with_worker,
)

#: The search page each browser spider opens, under the platform's demo path.
BROWSER_PAGES = {"demo-tiktok": "/search", "demo-facebook": "/search/posts", "demo-shopee": "/search"}


@pytest.fixture
def redis_url() -> str:
    return need_redis()


@pytest.fixture
def gated_demo(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[DemoServer, OverlapGate]]:
    gate = OverlapGate(per_process=int(DEMO_PROFILE["CONCURRENT_REQUESTS_PER_DOMAIN"]), delay=1.0)
    monkeypatch.setattr(demo.server, "route", gate.wrap(demo.server.route))
    with DemoServer() as server:
        yield server, gate


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.parametrize("platform", ["demo-sendo", "demo-lazada", "demo-tiktok", "demo-facebook", "demo-shopee"])
def test_coordinator_and_worker_store_what_one_process_stores(
    platform: str, redis_url: str, pg_url: str, tmp_path: Path, gated_demo: tuple[DemoServer, OverlapGate]
) -> None:
    server, gate = gated_demo
    if platform in BROWSER_PAGES:
        # A browser crawl has at most PLAYWRIGHT_MAX_PAGES_PER_CONTEXT pages open per process;
        # hold its search pages (navigation waits, well within its timeout), not their XHRs.
        gate.per_process = int(PLAYWRIGHT_MAX_PAGES_PER_CONTEXT)
        gate.delay = 2.0
        gate.only_path = demo_paths()[platform] + BROWSER_PAGES[platform]
    spider = platform.removeprefix("demo-")
    watchlist = big_watchlist(tmp_path / "watchlist.yaml", [platform])
    scan = ["scan", "-p", platform, "--watchlist", str(watchlist), "--base-url", server.base_url + demo_paths()[platform]]

    # One process alone, no Redis: the reference.
    alone_url = f"sqlite:///{tmp_path / 'alone.db'}"
    alone = cli(scan, cli_env(alone_url), tmp_path)
    assert alone.returncode == 0, alone.stderr[-3000:]
    reference = read_back(alone_url)
    assert len(reference.listing_keys) >= 15
    [ref_run] = reference.runs
    # Keywords overlap (a listing on two result pages), yet one process observes each listing once.
    assert set(reference.observations_per_listing.values()) == {1}

    # A coordinator and a worker sharing the run through Redis, storing into PostgreSQL.
    upgrade(pg_url)
    env = cli_env(pg_url, LISTINGWATCH_REDIS_URL=redis_url, LISTINGWATCH_REDIS_NAMESPACE=fresh_namespace())
    gate.armed = True
    _, worker_out = scan_with_worker(scan, env, tmp_path)
    assert gate.opened.is_set(), "the two processes never downloaded at the same time"

    shared = read_back(pg_url)
    # None lost, none twice: the same listings, each stored once, observed as often as alone.
    assert shared.distinct == reference.distinct
    assert len(shared.listing_keys) == len(shared.distinct)
    assert shared.observations_per_listing == reference.observations_per_listing

    # The worker really took part: it fetched pages of this crawl, and its requests are the run's.
    worker_requests = int(worker_out.split("listings (")[1].split("), ")[1].split(" requests")[0])
    assert worker_requests > 0, worker_out[-2000:]
    [run] = shared.runs
    assert run["status"] == "ok" == ref_run["status"]
    counts = run["counts"]
    for key in ("listings_new", "listings_seen", "listings_by_platform"):
        assert counts[key] == ref_run["counts"][key], key
    # Each process keeps its own part of each crawl of the run (the search, and demo-tiktok's
    # watched shop); the totals are their sums.
    parts = counts["progress"]["parts"]
    specs = len(ref_run["counts"]["progress"]["parts"])
    worker_keys = {key for key in parts if key.startswith("worker-")}
    assert set(parts) - worker_keys == {f"coordinator:{i}:{spider}" for i in range(specs)}
    assert f"{next(iter(worker_keys)).split(':')[0]}:0:{spider}" in worker_keys
    assert all(key.endswith(f":{spider}") for key in worker_keys)
    assert sum(parts[key]["requests"] for key in worker_keys) == worker_requests
    assert any(parts[key]["pages"] > 0 for key in worker_keys) and parts[f"coordinator:0:{spider}"]["pages"] > 0
    # The same pages, fetched once each, plus robots.txt (ROBOTSTXT_OBEY): each process reads
    # it in each crawl where it takes a request. Both take pages of the search crawl (+1); of
    # demo-tiktok's small watched-shop crawl one or both may (+0 or +1: seen both ways).
    robots = sum(1 for key in worker_keys if parts[key]["requests"] > 0)
    assert 1 <= counts["requests"] - ref_run["counts"]["requests"] <= robots, (counts["requests"], robots)
    assert counts["progress"]["requests"] == counts["requests"]
    assert counts["progress"]["final"] is True
