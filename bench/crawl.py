"""Benchmark: end-to-end crawl throughput (crawl + extract + store + score) against `scrapy bench`.

Ours: the Tiki spider on the embedded demo marketplace (the watchlist's demo-tiki search)
with the listing pipeline storing into SQLite, then the scan scored as one batch, exactly
what `listingwatch scan` does minus evidence capture. Baseline: `scrapy bench` (Scrapy's own
local server and a link-following spider that does nothing with the pages), run on this
machine moments before. Both rates are responses / crawl seconds from Scrapy's own stats
(`elapsed_time_seconds`, spider open to close), so interpreter start-up counts for neither;
our scoring time is added to ours.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.common import Result, stopwatch

SCRAPY = str(Path(sys.executable).with_name("scrapy"))
PIPELINE = "pipeline.pipelines.ListingPipeline"


def scrapy_bench(seconds: int) -> tuple[float, int]:
    """`scrapy bench` for `seconds`: (pages/s, pages), from its final stats dump."""
    with tempfile.TemporaryDirectory() as cwd:  # outside our project: Scrapy's defaults only
        proc = subprocess.run(
            [SCRAPY, "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}", "-s", "LOGSTATS_INTERVAL=1"],
            capture_output=True, text=True, timeout=seconds + 120, cwd=cwd,
        )
    log = proc.stdout + proc.stderr
    pages = re.search(r"'downloader/response_count': (\d+)", log)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", log)
    if pages is None or elapsed is None:
        raise RuntimeError(f"could not read scrapy bench's stats (exit {proc.returncode}):\n{log[-2000:]}")
    return int(pages.group(1)) / float(elapsed.group(1)), int(pages.group(1))


def demo_scan(db_url: str, *, platforms: list[str], extra_settings: dict[str, Any] | None = None,
              latency_s: float = 0.0) -> dict[str, Any]:
    """One scan of the demo marketplace: crawl (child process) + store, then score the run.
    `latency_s`: the demo server's delay before each response (a distant marketplace)."""
    from crawler.run import run_crawls
    from demo.server import DemoServer
    from pipeline.batch import score_scan
    from rules.loader import load_rules
    from scheduler import watchlist_specs
    from storage import repo
    from storage.db import session_factory, upgrade

    upgrade(db_url)
    rules = load_rules()
    sessions = session_factory(db_url)
    with sessions() as session, session.begin():
        run_id = repo.start_scan_run(session, kind="manual", platform="bench").id
    with DemoServer(latency_s=latency_s) as server:
        specs = watchlist_specs(rules, platforms=platforms, demo_base_url=server.base_url)
        for spec in specs:
            spec.scan_run_id = run_id
            spec.settings = {**spec.settings, "ITEM_PIPELINES": {PIPELINE: 300}, **(extra_settings or {})}
        with stopwatch() as wall:
            outcomes = run_crawls(specs, db_url, timeout=1800)
    with stopwatch() as scoring, sessions() as session, session.begin():
        batch = score_scan(session, rules, run_id)
    bad = [o for o in outcomes if o.status == "failed"]
    if bad:
        raise RuntimeError(f"demo crawl failed: {bad[0].reason}")
    return {
        "responses": sum(o.responses for o in outcomes),
        "crawl_s": sum(float(o.stats.get("elapsed_time_seconds", 0.0)) for o in outcomes),
        "wall_s": wall(),
        "score_s": scoring(),
        "listings": batch.listings_seen,
        "run_id": run_id,
    }


def run(quick: bool) -> list[Result]:
    baseline, bench_pages = scrapy_bench(5 if quick else 15)
    with tempfile.TemporaryDirectory() as tmp:
        ours = demo_scan(f"sqlite:///{Path(tmp) / 'bench.db'}", platforms=["demo-tiki"])
    rate = ours["responses"] / (ours["crawl_s"] + ours["score_s"])
    return [
        Result(
            name="crawl: end-to-end pages/s (crawl+extract+store+score, demo-tiki) vs scrapy bench",
            value=rate, baseline=baseline, unit="pages/s", target=0.5,
            note=(f"{ours['responses']} pages, {ours['listings']} listings, crawl {ours['crawl_s']:.1f}s "
                  f"+ score {ours['score_s']:.1f}s; scrapy bench {bench_pages} pages"),
        )
    ]
