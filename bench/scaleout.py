"""Benchmark: two crawler processes against one, on the demo marketplace.

One scan of the demo marketplace runs twice into PostgreSQL (a throwaway schema; SQLite when PostgreSQL is absent): alone, then with
Redis and one `listingwatch crawl-worker` joining it. The figure is pages/s over the crawl
phase's wall time (spawn, crawl, the idle grace at the end, waiting for the worker) — what
an operator waits for. Two cases: the Tiki search (as `bench/crawl.py`) with the demo
answering after `NETWORK_LATENCY_S`, as a distant marketplace does (what a second process
on another machine adds); and, in the full run, every demo platform with no added latency,
browser spiders included, on this one machine (each process runs its own Chromium, so
both processes compete for the same CPUs). Skipped with a note when Redis does not answer.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.common import Result
from bench.crawl import demo_scan

REDIS_URL = os.environ.get("LISTINGWATCH_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


@contextmanager
def _database(tmp: Path, name: str) -> Iterator[str]:
    from storage.testing import pg_schema, pg_unreachable_reason

    if pg_unreachable_reason() is None:
        with pg_schema(prefix="lw_bench_") as url:
            yield url
    else:
        yield f"sqlite:///{tmp / (name + '.db')}"


#: The delay before each demo response in the network-bound case: a marketplace's pages and
#: APIs take a few hundred ms to answer from Vietnam; on 127.0.0.1 they take about none.
NETWORK_LATENCY_S = 0.3
POLITENESS_DELAY_S = 0.1


def run(quick: bool) -> list[Result]:
    import redis

    from crawler.platforms import demo_paths

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        print(f"scaleout: skipped, Redis not reachable at {REDIS_URL}: {exc}")
        return []
    # Network-bound, as against a real marketplace: every response takes NETWORK_LATENCY_S and
    # each process keeps a politeness delay between requests to the site, a tenth of the
    # production DOWNLOAD_DELAY so the run takes seconds, not minutes. (The delay is what
    # paces a Scrapy 2.19 crawl: with no delay, CONCURRENT_REQUESTS_PER_DOMAIN is not
    # enforced under the asyncio reactor; see docs/benchmarks.md.)
    polite = {"DOWNLOAD_DELAY": POLITENESS_DELAY_S}
    results = [_one_vs_two(["demo-tiki"], latency_s=NETWORK_LATENCY_S, settings=polite)]
    if not quick:
        results.append(_one_vs_two(sorted(demo_paths()), latency_s=0.0))
    return results


def _one_vs_two(platforms: list[str], *, latency_s: float, settings: dict[str, Any] | None = None) -> Result:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with _database(tmp, "one") as url:
            one = demo_scan(url, platforms=platforms, latency_s=latency_s, extra_settings=settings)
        namespace = "lwbench" + secrets.token_hex(4)
        saved = {k: os.environ.get(k) for k in ("LISTINGWATCH_REDIS_URL", "LISTINGWATCH_REDIS_NAMESPACE")}
        os.environ.update(LISTINGWATCH_REDIS_URL=REDIS_URL, LISTINGWATCH_REDIS_NAMESPACE=namespace)
        try:
            with _database(tmp, "two") as url:
                from storage.db import upgrade

                upgrade(url)
                env = {**os.environ, "LISTINGWATCH_DB_URL": url}
                log = tmp / "worker.log"
                # A file, not a pipe: a worker blocked on a full pipe never leaves the run.
                with log.open("w") as sink:
                    worker = subprocess.Popen(
                        [sys.executable, "-m", "listingwatch", "crawl-worker", "--once", "--wait", "300"],
                        env=env, stdout=sink, stderr=subprocess.STDOUT, text=True, cwd=tmp,
                    )
                    try:
                        two = demo_scan(url, platforms=platforms, latency_s=latency_s, extra_settings=settings)
                        worker.wait(timeout=300)
                    finally:
                        if worker.poll() is None:
                            worker.kill()
                output = log.read_text()
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    if two["listings"] != one["listings"]:
        raise RuntimeError(f"two processes stored {two['listings']} listings, one stored {one['listings']}")
    share = next((line for line in output.splitlines() if "worker crawled" in line), output[-300:])
    where = (f"{latency_s * 1000:.0f} ms per response, {settings or {}} per process (network-bound)" if latency_s
             else "no added latency (bound by this machine's CPUs)")
    return Result(
        name=f"scale-out: pages/s, two crawler processes (Redis) vs one, {', '.join(platforms)}, {where}",
        value=two["responses"] / two["wall_s"], baseline=one["responses"] / one["wall_s"], unit="pages/s",
        note=(f"{one['listings']} listings both ways; wall {two['wall_s']:.1f}s vs {one['wall_s']:.1f}s; "
              f"{os.cpu_count()} CPUs; {share.strip()}"),
    )
