"""Two crawler processes, one Redis, one PostgreSQL: together they store what one stores alone.

The coordinator is `listingwatch scan` (what the nightly job runs); the second process is
`listingwatch crawl-worker --once`, started first and waiting for the run to open, as an
operator would start workers on other machines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.db import upgrade
from tests.scaleout.scaleout_helpers import (
    cli,
    cli_env,
    fresh_namespace,
    need_redis,
    read_back,
    scan_with_worker,
)

PLATFORMS = ["-p", "demo-tiki"]


@pytest.fixture
def redis_url() -> str:
    return need_redis()


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.postgres
def test_two_crawlers_store_exactly_what_one_stores(
    redis_url: str, pg_url: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # One process alone, no Redis: the reference.
    alone_url = f"sqlite:///{tmp_path / 'alone.db'}"
    alone = cli(["scan", *PLATFORMS], cli_env(alone_url), tmp_path)
    assert alone.returncode == 0, alone.stderr[-3000:]
    reference = read_back(alone_url)
    assert len(reference.listing_keys) > 100  # a crawl big enough to share

    # Two processes sharing the run through Redis, storing into PostgreSQL.
    upgrade(pg_url)
    env = cli_env(pg_url, LISTINGWATCH_REDIS_URL=redis_url, LISTINGWATCH_REDIS_NAMESPACE=fresh_namespace())
    _, worker_out = scan_with_worker(["scan", *PLATFORMS], env, tmp_path)
    assert "scan run 1: worker crawled" in worker_out

    shared = read_back(pg_url)
    # None lost, none twice: the same listings, each stored once and observed once per crawl.
    assert shared.distinct == reference.distinct
    assert len(shared.listing_keys) == len(shared.distinct)
    assert shared.observations_per_listing == reference.observations_per_listing

    # The worker really took part, and the run's counts add up over both processes.
    worker_listings = int(worker_out.split("worker crawled ")[1].split(" ")[0])
    assert 0 < worker_listings < len(reference.listing_keys)
    [run] = shared.runs
    [ref_run] = reference.runs
    assert run["status"] == "ok" == ref_run["status"]
    counts = run["counts"]
    assert counts["listings_new"] == len(shared.distinct) == ref_run["counts"]["listings_new"]
    assert counts["listings_seen"] == ref_run["counts"]["listings_seen"]
    assert counts["listings_by_platform"] == ref_run["counts"]["listings_by_platform"]
    # Each process fetches a seller's profile once, so the pair may make a few more requests.
    assert counts["requests"] >= ref_run["counts"]["requests"]


@pytest.mark.redis
def test_worker_without_an_open_run_says_so(redis_url: str, tmp_path: Path) -> None:
    env = cli_env(f"sqlite:///{tmp_path / 'w.db'}", LISTINGWATCH_REDIS_URL=redis_url,
                  LISTINGWATCH_REDIS_NAMESPACE=fresh_namespace())
    result = cli(["crawl-worker", "--once", "--wait", "0"], env, tmp_path, timeout=60)
    assert result.returncode == 1
    assert "did not open for workers within 0s" in result.stderr


def test_worker_needs_redis(tmp_path: Path) -> None:
    result = cli(["crawl-worker", "--once"], cli_env(f"sqlite:///{tmp_path / 'w.db'}"), tmp_path, timeout=60)
    assert result.returncode == 2
    assert "LISTINGWATCH_REDIS_URL" in result.stderr


def test_unreachable_redis_fails_the_scan_loudly(tmp_path: Path) -> None:
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    url = f"sqlite:///{tmp_path / 'lw.db'}"
    result = cli(["scan", "-p", "demo-web"], cli_env(url, LISTINGWATCH_REDIS_URL="redis://127.0.0.1:9/0"), tmp_path)
    assert result.returncode == 1
    assert "cannot reach Redis" in result.stdout + result.stderr
    [run] = read_back(url).runs
    assert run["status"] == "failed"
