"""A crawl shared by several processes through Redis (scrapy-redis), DESIGN §4.8.

With ``LISTINGWATCH_REDIS_URL`` set, every crawl of a scan run (the *coordinator*, the
process the scheduler or ``listingwatch scan`` started) keeps its request queue and
dupefilter in Redis, under keys namespaced per scan run and per crawl spec, so that
``listingwatch crawl-worker`` processes on any machine can join the run and take requests
from the same queue. Every listing is fetched by exactly one process (shared dupefilter)
and stored by the process that fetched it, in the shared PostgreSQL database.

The protocol, all under ``<namespace>:run:<scan run id>:`` (namespace
``$LISTINGWATCH_REDIS_NAMESPACE``, default ``listingwatch``; open runs in ``<namespace>:runs``):

* ``specs``: the run's distributable crawl specs (JSON); present while workers may join.
  The coordinator deletes it when its own crawl is done ("closes the door").
* ``worker:<token>``: a worker's heartbeat (expires); the coordinator waits for these to
  vanish before the run is scored, so no worker is still writing when scoring starts.
* ``<i>:requests`` / ``<i>:dupefilter``: spec *i*'s shared queue and seen-set.
* ``<i>:listings``: the listing ids spec *i* has emitted, in any process (`SeenListings`).
* ``<i>:stats``: the workers' numeric Scrapy stats, summed, merged into the coordinator's
  outcome so the scan run's counts cover every process.

A worker that registered before the door closed is waited for; one that registers after
sees no ``specs`` and leaves (it registers, *then* reads ``specs``; the coordinator deletes
``specs``, *then* looks for workers). Seeding is idempotent: every process runs the
spider's ``start()``, and the shared dupefilter drops the seeds someone already queued.

Requests that carry per-process state stay in the process that made them: ``dont_filter``
requests (the Tiki spider fetches each seller's profile once *per process* and merges it
into listings it holds in memory) and any request with ``meta["listingwatch_local"]``.
A worker closes when its own engine is idle and the shared queue has stayed empty for
``LISTINGWATCH_REDIS_IDLE_SECONDS``; whatever another process still has in flight, that
process finishes itself, so nothing is lost when a worker leaves early.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any, cast

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.scheduler import Scheduler

from crawler import platforms

if TYPE_CHECKING:
    import redis
    from scrapy import Request
    from scrapy.crawler import Crawler

    from crawler.run import CrawlSpec

log = logging.getLogger(__name__)

ENV_REDIS_URL = "LISTINGWATCH_REDIS_URL"
ENV_REDIS_NAMESPACE = "LISTINGWATCH_REDIS_NAMESPACE"
"""Key prefix; deployments (or test databases) sharing one Redis each need their own."""
DEFAULT_NAMESPACE = "listingwatch"
# Spiders whose requests can travel between processes are `Platform.distributable`
# (crawler.platforms). Sendo, Lazada and the browser
# spiders emit a listing once per crawl however many result pages show it
# (`SeenListings`), so two processes store what one stores. A browser request travels as
# a plain request (scrapy-redis: `Request.to_dict` + pickle): its callbacks are spider
# methods, its meta holds only flags, dicts and the page event handler bound to its
# `Capture`, which pickles together with the same `Capture` in cb_kwargs; the Playwright
# page itself is opened by whichever process downloads the request. A logged-in
# context's ``storage_state`` is a file path: every worker machine needs that file there.
LOCAL_META = "listingwatch_local"
"""Request meta flag: keep this request in the process that made it."""
#: How long the shared queue must stay empty before a process closes its crawl (seconds).
DEFAULT_IDLE_SECONDS = 5.0
#: Engine heartbeat while waiting on the shared queue: Scrapy's default (5 s) would add
#: seconds to every crawl's end; a Redis ZCARD a second costs nothing.
ENGINE_HEARTBEAT_S = 0.5
HEARTBEAT_EVERY_S = 2.0
HEARTBEAT_TTL_S = 20
#: Safety net: every key of a run expires even if its coordinator died before cleaning up.
KEY_TTL_S = 2 * 24 * 3600
#: Numeric stats a worker adds to the coordinator's outcome (everything the scan report
#: and `crawler.run._outcome` read; other stats are per-process trivia).
MERGED_STAT_PREFIXES = (
    "downloader/request_count", "downloader/response_count", "crawler/", "listingwatch/",
    "blocks/", "spider_exceptions/count", "item_scraped_count", "item_dropped_count",
)


UNFINISHED_STAT = "listingwatch/workers_unfinished"
"""Workers whose crawl of a spec ended other than "finished" (crash, budget, parent gone)."""


def is_distributable(platform: str) -> bool:
    """Whether crawls of `platform` may share one queue between processes (its descriptor says)."""
    found = platforms.get(platform)
    return found is not None and found.distributable


class DistributedError(RuntimeError):
    """Redis is configured but cannot be used (unreachable, or a run cannot be joined)."""


def redis_url() -> str | None:
    """`$LISTINGWATCH_REDIS_URL`, or None when the crawl runs in one process."""
    url = os.environ.get(ENV_REDIS_URL, "").strip()
    return url if url != "" else None


def connect(url: str) -> redis.Redis:
    """A client for `url`; raises `DistributedError` naming the (password-free) URL if it is down."""
    import redis as redis_lib

    client: redis.Redis = redis_lib.Redis.from_url(url, decode_responses=True, socket_connect_timeout=5)
    try:
        client.ping()
    except redis_lib.RedisError as exc:
        raise DistributedError(f"{ENV_REDIS_URL}={_safe(url)}: cannot reach Redis ({exc})") from exc
    return client


def _safe(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def namespace() -> str:
    value = os.environ.get(ENV_REDIS_NAMESPACE, "").strip()
    return value if value != "" else DEFAULT_NAMESPACE


def runs_key() -> str:
    """Sorted set of the scan runs workers may join (member: run id, score: start time)."""
    return f"{namespace()}:runs"


def run_prefix(run_id: int) -> str:
    return f"{namespace()}:run:{run_id}"


def spec_settings(url: str, run_id: int, index: int, *, role: str) -> dict[str, Any]:
    """The Scrapy settings that put spec `index` of run `run_id` on the shared queue."""
    key = f"{run_prefix(run_id)}:{index}"
    return {
        "SCHEDULER": "crawler.distributed.SharedScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        # Never flush on close: other processes are still using the queue and the seen-set;
        # the coordinator deletes the run's keys once every process is done.
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": f"{key}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{key}:dupefilter",
        "REDIS_URL": url,
        "LISTINGWATCH_REDIS_KEY": key,
        "LISTINGWATCH_REDIS_ROLE": role,
    }


# -- the scheduler inside each crawl process ----------------------------------------------


class SharedScheduler(Scheduler):
    """scrapy-redis' scheduler, plus process-local requests and an idle grace period."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.local: deque[Request] = deque()
        self.idle_seconds = DEFAULT_IDLE_SECONDS
        self._empty_since: float | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedScheduler:
        instance: SharedScheduler = super().from_crawler(crawler)
        instance.idle_seconds = crawler.settings.getfloat("LISTINGWATCH_REDIS_IDLE_SECONDS", DEFAULT_IDLE_SECONDS)
        crawler.signals.connect(instance._on_idle, signal=signals.spider_idle)
        engine = crawler.engine
        # Private knob, guarded: without it the idle check runs every 5 s only.
        if engine is not None and isinstance(getattr(engine, "_SLOT_HEARTBEAT_INTERVAL", None), float):
            engine._SLOT_HEARTBEAT_INTERVAL = min(engine._SLOT_HEARTBEAT_INTERVAL, ENGINE_HEARTBEAT_S)
        return instance

    def __len__(self) -> int:
        return len(self.local) + len(self.queue)

    def enqueue_request(self, request: Request) -> bool:
        if request.dont_filter or request.meta.get(LOCAL_META):
            self._keep_local(request)
            return True
        # scrapy-redis' own enqueue/next pass `spider=` to the stats (deprecated in Scrapy 2.19).
        if self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        try:
            self.queue.push(request)
        except Exception as exc:  # serialising can fail in many ways (lambda callback, unpicklable meta)
            # The fingerprint is already in the shared seen-set, so this process owns it.
            log.warning("request kept in this process, it cannot be shared (%s): %s", exc, request.url)
            self._keep_local(request)
            return True
        if self.stats is not None:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def _keep_local(self, request: Request) -> None:
        self.local.append(request)
        if self.stats is not None:
            self.stats.inc_value("scheduler/enqueued/local")

    def next_request(self) -> Request | None:
        # Local requests first: they finish work this process holds in memory.
        if self.local:
            return self.local.popleft()
        request: Request | None = self.queue.pop()
        if request is not None:
            self._empty_since = None
            if self.stats is not None:
                self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        return bool(self.local) or len(self.queue) > 0

    def _on_idle(self) -> None:
        """Stay open until the shared queue has been empty for `idle_seconds`."""
        if self.has_pending_requests():
            self._empty_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self._empty_since is None:
            self._empty_since = now
        if now - self._empty_since < self.idle_seconds:
            raise DontCloseSpider


class SeenListings:
    """The listings a crawl has emitted so far, in this process and, when the crawl is shared,
    in every process of it (a Redis set next to the spec's queue).

    A search listing can appear on several result pages (two keywords find it). One process
    emits it once; in a shared crawl the pages may go to different processes, and each
    emission is an observation in storage, so the processes agree through ``<i>:listings``.
    """

    def __init__(self, client: redis.Redis | None = None, key: str | None = None) -> None:
        self.local: set[str] = set()
        self.client = client
        self.key = key

    @classmethod
    def for_settings(cls, settings: Any) -> SeenListings:
        key = settings.get("LISTINGWATCH_REDIS_KEY")
        url = settings.get("REDIS_URL")
        if not key or not url:
            return cls()
        import redis as redis_lib

        client: redis.Redis = redis_lib.Redis.from_url(url, decode_responses=True, socket_connect_timeout=5)
        return cls(client, f"{key}:listings")

    def first_seen(self, listing_ids: Sequence[str]) -> list[bool]:
        """For each id, whether this crawl meets it for the first time (an id given twice: once)."""
        fresh: list[bool] = []
        for listing_id in listing_ids:
            fresh.append(listing_id not in self.local)
            self.local.add(listing_id)
        candidates = [i for i, new in enumerate(fresh) if new]
        if self.client is None or self.key is None or not candidates:
            return fresh
        pipe = self.client.pipeline()
        for i in candidates:
            pipe.sadd(self.key, listing_ids[i])
        pipe.expire(self.key, KEY_TTL_S)
        added = pipe.execute()[:-1]
        for i, was_added in zip(candidates, added, strict=True):
            fresh[i] = bool(was_added)
        return fresh


# -- the coordinator: publish the run, then wait for its workers ------------------------------


def _spec_to_json(spec: CrawlSpec) -> dict[str, Any]:
    return json.loads(json.dumps(asdict(spec), default=str))


@dataclass
class SharedRun:
    """The coordinator's handle on a run that workers may join."""

    client: redis.Redis
    url: str
    run_id: int
    indices: list[int]
    """Which of the coordinator's specs are shared (the others run here alone)."""

    def finish(self, results: list[dict[str, Any]], *, timeout: float) -> list[dict[str, Any]]:
        """Close the door, wait for joined workers, add their stats to `results`, clean up."""
        prefix = run_prefix(self.run_id)
        try:
            self.client.zrem(runs_key(), str(self.run_id))
            self.client.delete(f"{prefix}:specs")
            deadline = time.monotonic() + timeout
            while self.workers() and time.monotonic() < deadline:
                time.sleep(0.2)
            left = self.workers()
            if left:
                log.warning("run %s: %d worker(s) still running after %gs; scoring without them",
                            self.run_id, len(left), timeout)
            merged = [dict(stats) for stats in results]
            for index in self.indices:
                # decode_responses=True: keys and values are str.
                extra = cast(dict[str, str], self.client.hgetall(f"{prefix}:{index}:stats"))
                if not extra:
                    continue
                stats = merged[index]
                for key, value in extra.items():
                    stats[key] = int(stats.get(key, 0) or 0) + int(value)
                stats["listingwatch/workers"] = int(extra.get("listingwatch/workers", 0))
            return merged
        finally:
            self.cleanup()

    def workers(self) -> list[str]:
        return list(self.client.scan_iter(match=f"{run_prefix(self.run_id)}:worker:*", count=100))

    def cleanup(self) -> None:
        keys = list(self.client.scan_iter(match=f"{run_prefix(self.run_id)}:*", count=500))
        if keys:
            self.client.delete(*keys)


def prepare(specs: Sequence[CrawlSpec], *, concurrent: bool) -> tuple[list[CrawlSpec], SharedRun | None]:
    """Put a scan run's crawls on the shared queue and open the run to workers.

    Specs without a scan run, specs a worker joined with (they already carry their keys) and
    spiders that cannot be shared run as before. Without `$LISTINGWATCH_REDIS_URL`: a no-op.
    """
    url = redis_url()
    run_ids = {spec.scan_run_id for spec in specs}
    if url is None or len(run_ids) != 1 or None in run_ids:
        return list(specs), None
    if any("LISTINGWATCH_REDIS_KEY" in spec.settings for spec in specs):
        return list(specs), None
    run_id = int(next(iter(run_ids)))  # type: ignore[arg-type]
    indices = [i for i, spec in enumerate(specs) if is_distributable(spec.spider)]
    if not indices:
        return list(specs), None
    client = connect(url)
    prepared = list(specs)
    shared: list[dict[str, Any]] = []
    for index in indices:
        spec = specs[index]
        prepared[index] = replace(
            spec, settings={**spec.settings, **spec_settings(url, run_id, index, role="coordinator")}
        )
        # Workers get the spec without Redis settings; they add their own (`join`).
        shared.append({"index": index, "spec": _spec_to_json(spec)})
    prefix = run_prefix(run_id)
    handle = SharedRun(client=client, url=url, run_id=run_id, indices=indices)
    handle.cleanup()  # a previous attempt at this run id must not leave seen-sets behind
    client.set(f"{prefix}:specs", json.dumps({"concurrent": concurrent, "specs": shared}), ex=KEY_TTL_S)
    client.zadd(runs_key(), {str(run_id): time.time()})
    log.info("run %s: %d crawl(s) on the shared queue at %s", run_id, len(indices), _safe(url))
    return prepared, handle


def open_runs(client: redis.Redis) -> list[int]:
    """The scan runs workers may join now, oldest first (`crawler.worker.join` takes one)."""
    members = cast(list[str], client.zrange(runs_key(), 0, -1))
    return [int(member) for member in members]


def mergeable_stats(stats: dict[str, Any]) -> Iterator[tuple[str, int]]:
    """The numeric stats a worker adds to the coordinator's outcome (`MERGED_STAT_PREFIXES`)."""
    for name, value in stats.items():
        if isinstance(value, bool) or not isinstance(value, int):
            continue
        if name.startswith(MERGED_STAT_PREFIXES):
            yield name, value
