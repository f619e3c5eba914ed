"""A crawl worker: joins a scan run's shared crawl (`listingwatch crawl-worker`, DESIGN §4.8).

The protocol is `crawler.distributed`'s; this module is the worker's side of it, apart from
the coordinator's, because it runs crawls (`crawler.run`) while `crawler.run` prepares the
shared queue through `crawler.distributed`.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crawler.distributed import (
    HEARTBEAT_EVERY_S,
    HEARTBEAT_TTL_S,
    KEY_TTL_S,
    UNFINISHED_STAT,
    connect,
    mergeable_stats,
    open_runs,
    run_prefix,
    spec_settings,
)
from crawler.run import CrawlOutcome, CrawlSpec, run_crawls

if TYPE_CHECKING:
    import redis

log = logging.getLogger("crawler.distributed")


@dataclass
class WorkerReport:
    run_id: int
    outcomes: list[CrawlOutcome]


def _heartbeat(client: redis.Redis, key: str, stop: threading.Event) -> None:
    while not stop.wait(HEARTBEAT_EVERY_S):
        client.set(key, "1", ex=HEARTBEAT_TTL_S)


def join(
    db_url: str,
    *,
    url: str,
    run_id: int | None = None,
    wait: float = 0.0,
    skip: Sequence[int] = (),
    timeout: float = 1800.0,
) -> WorkerReport | None:
    """Join run `run_id` (or the oldest open run not in `skip`, waiting up to `wait` s) and crawl.

    Returns None when no run could be joined (none open, or it closed meanwhile).
    """
    client = connect(url)
    deadline = time.monotonic() + wait
    while True:
        candidates = [r for r in open_runs(client) if r not in skip]
        if run_id is not None:
            candidates = [run_id] if run_id in candidates else []
        if candidates or time.monotonic() >= deadline:
            break
        time.sleep(0.2)
    if not candidates:
        return None
    chosen = candidates[0]
    prefix = run_prefix(chosen)
    token = secrets.token_hex(6)
    heartbeat = f"{prefix}:worker:{token}"
    # Register first, then read the specs: see the module docstring for why this order.
    client.set(heartbeat, "1", ex=HEARTBEAT_TTL_S)
    stop = threading.Event()
    try:
        raw = client.get(f"{prefix}:specs")
        if raw is None:
            return None
        published = json.loads(str(raw))
        thread = threading.Thread(target=_heartbeat, args=(client, heartbeat, stop), daemon=True)
        thread.start()
        specs: list[CrawlSpec] = []
        indices: list[int] = []
        for entry in published["specs"]:
            spec = CrawlSpec(**entry["spec"])
            index = int(entry["index"])
            spec.settings = {
                **spec.settings,
                # The role names this process's part of the run's progress (crawler.extensions.CrawlWatch).
                **spec_settings(url, chosen, index, role=f"worker-{token}"),
                # The scan's crawl watch stops a crawl whose parent died; this process is
                # the parent of the worker's crawl, not the coordinator's.
                "LISTINGWATCH_PARENT_PID": os.getpid(),
            }
            specs.append(spec)
            indices.append(index)
        log.info("joined run %s: %d crawl(s)", chosen, len(specs))
        outcomes = run_crawls(specs, db_url, concurrent=bool(published.get("concurrent")), timeout=timeout)
        for index, outcome in zip(indices, outcomes, strict=True):
            _push_stats(client, f"{prefix}:{index}:stats", outcome)
        return WorkerReport(run_id=chosen, outcomes=outcomes)
    finally:
        stop.set()
        client.delete(heartbeat)


def _push_stats(client: redis.Redis, key: str, outcome: CrawlOutcome) -> None:
    pipe = client.pipeline()
    for name, value in mergeable_stats(outcome.stats):
        pipe.hincrby(key, name, value)
    pipe.hincrby(key, "listingwatch/workers", 1)
    if outcome.finish_reason != "finished":
        # Requests this worker had popped but not done are gone (scrapy-redis pops without
        # acknowledgement): the coordinator reports the run partial.
        pipe.hincrby(key, UNFINISHED_STAT, 1)
    pipe.expire(key, KEY_TTL_S)
    pipe.execute()
