"""Run crawls in a child process and report how they went (DESIGN §4.1, §4.7).

The Twisted reactor cannot be restarted inside one process, so every crawl the CLI,
scheduler or web app starts runs in a fresh ``spawn``-ed child. The parent waits with a
timeout; a crash or a hang is a ``failed`` outcome with the exit code, never a hang of
the caller.

Status: ``ok``; ``partial`` when the crawl ran but was blocked (ban, captcha, login,
empty API), reached its request budget, or met errors; ``failed`` when the child died,
timed out, could not start the spider, or got no response at all.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
import traceback
from dataclasses import asdict, dataclass, field
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from crawler import platforms

log = logging.getLogger(__name__)

Status = Literal["ok", "partial", "failed"]
#: Finish reasons that mean the spider ran to its natural end.
CLEAN_FINISH = frozenset({"finished"})
BUDGET_FINISH = frozenset({"closespider_pagecount", "closespider_itemcount", "closespider_timeout"})
CRAWL_PROCESS_NAME = "listingwatch-crawl"  # how `stop_crawls` tells our crawl children from others' processes


@dataclass
class CrawlSpec:
    """One crawl: which spider, what to look for, where, and how much."""

    platform: str  # spider name: tiki | web | shopee (the demo's demo-* labels are accepted)
    mode: str = "search"  # search | seller | refresh
    keywords: list[str] = field(default_factory=list)
    seller: str | None = None  # seller id or shop URL (seller mode)
    urls: list[str] = field(default_factory=list)  # listing URLs (refresh mode)
    base_url: str | None = None  # site root; None = the platform's public site
    max_requests: int | None = None  # request budget -> CLOSESPIDER_PAGECOUNT
    max_pages: int | None = None  # pages per listing branch
    scan_run_id: int | None = None  # -> LISTINGWATCH_SCAN_RUN_ID for the pipeline
    feed: str | None = None  # write items to this JSONL file (Scrapy FEEDS)
    settings: dict[str, Any] = field(default_factory=dict)  # overrides, e.g. ITEM_PIPELINES, LISTINGWATCH_DB_URL
    spider_args: dict[str, Any] = field(default_factory=dict)  # extra spider arguments (page_wait, ...)

    @property
    def spider(self) -> str:
        return self.platform.removeprefix("demo-")


@dataclass
class CrawlOutcome:
    """What a crawl did, from its Scrapy stats."""

    spec: CrawlSpec
    status: Status
    reason: str | None  # why partial/failed, e.g. "blocked: ban=2; budget reached"
    requests: int = 0
    responses: int = 0
    items: int = 0  # listings emitted
    extraction_errors: int = 0
    request_errors: int = 0
    refused_requests: int = 0  # requests the address policy refused (crawler.address_guard)
    blocks: dict[str, int] = field(default_factory=dict)  # kind -> count
    finish_reason: str | None = None
    exit_code: int | None = None
    elapsed: float = 0.0  # seconds, wall clock in the parent
    stats: dict[str, Any] = field(default_factory=dict)  # the full Scrapy stats (JSON-safe)
    warnings: list[str] = field(default_factory=list)  # e.g. "no listings found"

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def allowed_origins(spec: CrawlSpec) -> list[str]:
    """The non-public origins a crawl (and the evidence capture after it) may reach: the demo /
    test site it was pointed at (scheme, host, port), not any loopback port, and not what a
    crawled page links to; plus any the caller names in ``LISTINGWATCH_ALLOWED_ORIGINS``."""
    from crawler import settings as defaults
    from crawler.address_policy import ALLOWED_ORIGINS_SETTING

    allowed = [str(o) for o in spec.settings.get(ALLOWED_ORIGINS_SETTING) or []]
    if spec.base_url is not None and urlsplit(spec.base_url).hostname in defaults.LOCAL_HOSTS:
        allowed.append(spec.base_url)
    return allowed


def build_settings(spec: CrawlSpec, db_url: str | None = None) -> dict[str, Any]:
    """The settings overrides for one spec (on top of `crawler.settings`)."""
    from crawler import settings as defaults
    from crawler.address_policy import ALLOWED_ORIGINS_SETTING, MIDDLEWARE_PATH, RESOLVER_PATH

    out: dict[str, Any] = {}
    host = urlsplit(spec.base_url or "").hostname
    if host in defaults.LOCAL_HOSTS or any(urlsplit(u).hostname in defaults.LOCAL_HOSTS for u in spec.urls):
        out.update(defaults.DEMO_PROFILE)
    if spec.max_requests is not None:
        out["CLOSESPIDER_PAGECOUNT"] = spec.max_requests
    if spec.scan_run_id is not None:
        out["LISTINGWATCH_SCAN_RUN_ID"] = spec.scan_run_id
    if db_url is not None:
        out["LISTINGWATCH_DB_URL"] = db_url
    if spec.feed is not None:
        out["FEEDS"] = {str(Path(spec.feed)): {"format": "jsonlines", "encoding": "utf8", "overwrite": True}}
    out.update(spec.settings)
    # Whatever the caller's overrides, the address guard stays in (issue 14, item 5).
    out["DOWNLOADER_MIDDLEWARES"] = {**defaults.DOWNLOADER_MIDDLEWARES,
                                     **dict(spec.settings.get("DOWNLOADER_MIDDLEWARES") or {}), MIDDLEWARE_PATH: 990}
    out["DNS_RESOLVER"] = RESOLVER_PATH
    out[ALLOWED_ORIGINS_SETTING] = allowed_origins(spec)
    return out


def spider_kwargs(spec: CrawlSpec) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"mode": spec.mode, **spec.spider_args}
    if spec.keywords:
        kwargs["keywords"] = list(spec.keywords)
    if spec.seller is not None:
        kwargs["seller"] = spec.seller
    if spec.urls:
        kwargs["urls"] = list(spec.urls)
    if spec.base_url is not None:
        kwargs["base_url"] = spec.base_url
    if spec.max_pages is not None:
        kwargs["max_pages"] = spec.max_pages
    if spec.platform.startswith("demo-"):
        kwargs["platform_label"] = spec.platform
    return kwargs


def spider_loader(settings: Any) -> Any:
    """Scrapy's SpiderLoader over ``SPIDER_MODULES`` (``crawler.spiders``) plus the modules of
    the registered platforms' spiders, so a platform declared elsewhere is found the same way."""
    from scrapy.spiderloader import SpiderLoader

    modules = list(settings.getlist("SPIDER_MODULES"))
    for platform in platforms.all_platforms():
        if not any(platform.spider_module == m or platform.spider_module.startswith(m + ".") for m in modules):
            modules.append(platform.spider_module)
    scoped = settings.copy()
    scoped.set("SPIDER_MODULES", modules, priority="cmdline")
    return SpiderLoader.from_settings(scoped)


def _json_safe(stats: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in stats.items():
        if isinstance(value, datetime):
            out[key] = value.isoformat()
        elif isinstance(value, int | float | str | bool) or value is None:
            out[key] = value
        else:
            out[key] = str(value)
    return out


# -- the child process ----------------------------------------------------------------


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent_pid: int) -> None:
    """Have the kernel SIGKILL this process the moment its parent dies (Linux ``prctl``).

    A crawl whose parent is gone (``kill -9`` of `listingwatch scan`, a crashed worker) has
    nobody to report to and a run that the next command marks failed: it must stop at once,
    not after its graceful close (up to a download timeout) or, in a sequence, after the next
    spider too. `crawler.extensions.CrawlWatch` stays as the slower fallback elsewhere."""
    import ctypes
    import signal
    import sys

    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            log.warning("prctl(PR_SET_PDEATHSIG) unavailable: the crawl stops with its parent only via CrawlWatch")
    if os.getppid() != parent_pid:  # the parent died before the prctl took effect
        os._exit(1)


def log_fields(specs: list[CrawlSpec]) -> dict[str, Any]:
    """What every log line of a crawl child carries: the scan run id, and the platform and
    spider when the child runs one kind only (else Scrapy's own ``spider`` extra names it)."""
    fields: dict[str, Any] = {}
    for key, values in (("scan_run_id", {s.scan_run_id for s in specs}), ("platform", {s.platform for s in specs}),
                        ("spider", {s.spider for s in specs})):
        if len(values) == 1 and None not in values:
            fields[key] = next(iter(values))
    return fields


def _configure_child_logging(specs: list[CrawlSpec], log_format: str, base: Any) -> None:
    """One root handler in the parent's format, stamping `log_fields` on every record
    (Scrapy's, Twisted's, ours); Scrapy is told not to install its own. Its level: ``LOG_LEVEL``
    ($LISTINGWATCH_LOG_LEVEL), or the most verbose a spec's settings ask for."""
    from crawler.logs import configure

    base.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")

    def level(value: Any) -> int:
        number = value if isinstance(value, int) else logging.getLevelName(str(value).upper())
        return number if isinstance(number, int) else logging.WARNING

    default = level(base.get("LOG_LEVEL"))
    wanted = min([level(spec.settings["LOG_LEVEL"]) if "LOG_LEVEL" in spec.settings else default
                  for spec in specs] or [default])
    configure(log_format, wanted, static=log_fields(specs), force=True)


def _child(specs: list[CrawlSpec], db_url: str | None, concurrent: bool, conn: Connection,
           descriptors: list[platforms.Platform] | None = None, parent_pid: int | None = None,
           log_format: str = "text") -> None:
    """Entry point of the spawned child: run the crawls on one reactor, send back the stats.

    ``descriptors``: the platforms of the specs as the parent's registry has them (a platform
    registered at run time, e.g. by a test, is not in the fresh child's registry).
    ``parent_pid``: the process that waits for us; we die with it (`die_with_parent`).
    ``log_format``: the parent's (`crawler.logs`); every line carries the scan run id."""
    if parent_pid is not None:
        die_with_parent(parent_pid)
    from crawler.stop_signal import StopOnSignal

    stopper = StopOnSignal()
    stopper.install()  # before Twisted: a signal while we still import must stop us cleanly too
    results: list[dict[str, Any]] = [{} for _ in specs]
    try:
        from scrapy.crawler import Crawler, CrawlerProcess
        from scrapy.settings import Settings
        from scrapy.utils.reactor import install_reactor

        base = Settings()
        base.setmodule("crawler.settings", priority="project")
        _configure_child_logging(specs, log_format, base)
        for descriptor in descriptors or []:
            platforms.register(descriptor, replace=True)
        loader = spider_loader(base)
        # One reactor for every crawl of this child, installed before anything imports it.
        install_reactor(base["TWISTED_REACTOR"])
        from twisted.internet import defer

        # Scrapy installs one DNS resolver per process, from the process's settings: it lets the
        # allowed origins' hosts of every crawl of this child through (ports: the middleware).
        from crawler.address_policy import ALLOWED_ORIGINS_SETTING

        every_allowed = sorted({o for spec in specs for o in build_settings(spec, db_url)[ALLOWED_ORIGINS_SETTING]})
        base.set(ALLOWED_ORIGINS_SETTING, every_allowed, priority="cmdline")
        process = CrawlerProcess(base)
        crawlers: list[Crawler] = []
        for spec in specs:
            settings = base.copy()
            settings.update(build_settings(spec, db_url), priority="cmdline")
            spidercls = loader.load(spec.spider)
            proxy = _browser_guard(spidercls, settings)
            crawlers.append(Crawler(spidercls, settings))
            if proxy is not None:
                proxy.set_on_refused(_count_refused(crawlers[-1]))

        def crawl(index: int) -> defer.Deferred[Any]:
            def remember(result: Any) -> Any:
                stats = crawlers[index].stats
                results[index] = _json_safe(stats.get_stats() if stats is not None else {})
                return None

            def failed(failure: Any) -> None:
                results[index] = {"listingwatch/startup_error": failure.getErrorMessage()}
                log.error("crawl %d failed to run: %s", index, failure.getTraceback())

            d = process.crawl(crawlers[index], **spider_kwargs(specs[index]))
            d.addCallbacks(remember, failed)
            return d

        from twisted.internet import reactor

        stopper.attach(reactor)
        if concurrent:
            for i in range(len(specs)):
                crawl(i)
            process.start(install_signal_handlers=False)
        else:

            @defer.inlineCallbacks
            def sequence() -> Any:
                for i in range(len(specs)):
                    if stopper.requested:
                        break  # stopped: the crawls not yet begun are not started
                    yield crawl(i)
                stopper.stop_reactor()

            reactor.callWhenRunning(sequence)
            process.start(stop_after_crawl=False, install_signal_handlers=False)
        conn.send({"results": results})
    except BaseException as exc:  # report anything, then die with a non-zero code
        conn.send({"results": results, "error": f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"})
        raise
    finally:
        conn.close()


def _browser_guard(spidercls: Any, settings: Any) -> Any:
    """For a spider that drives Chromium: start the address-guard proxy (`crawler.guard_proxy`)
    and point the browser's launch options at it, so every request Chromium makes (redirect
    hops and sub-resources included) is checked. It lives as long as this child process."""
    handlers = dict((getattr(spidercls, "custom_settings", None) or {}).get("DOWNLOAD_HANDLERS") or {})
    if not any("scrapy_playwright" in str(handler) for handler in handlers.values()):
        return None
    from crawler.address_policy import policy_from_settings
    from crawler.guard_proxy import GuardProxy

    proxy = GuardProxy(policy_from_settings(settings))
    options = dict(settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS"))
    settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", {**options, "proxy": proxy.playwright_option()}, priority="cmdline")
    return proxy


def _count_refused(crawler: Any) -> Any:
    """A proxy callback (called on the proxy's thread) that counts in the crawl's stats."""
    from twisted.internet import reactor

    from crawler.address_policy import REFUSED_BROWSER_STAT

    def count(target: str, reason: str) -> None:
        if crawler.stats is not None:
            reactor.callFromThread(crawler.stats.inc_value, REFUSED_BROWSER_STAT)

    return count


def _outcome(spec: CrawlSpec, stats: dict[str, Any], elapsed: float, exit_code: int | None,
             error: str | None) -> CrawlOutcome:
    from crawler.address_policy import REFUSED_BROWSER_STAT, REFUSED_STAT

    blocks = {key.split("/", 1)[1]: int(value) for key, value in stats.items()
              if key.startswith("blocks/") and isinstance(value, int)}
    outcome = CrawlOutcome(
        spec=spec,
        status="ok",
        reason=None,
        requests=int(stats.get("downloader/request_count", 0)),
        responses=int(stats.get("downloader/response_count", 0)),
        items=int(stats.get("crawler/listings", 0)),
        extraction_errors=int(stats.get("crawler/extraction_errors", 0)),
        request_errors=int(stats.get("crawler/request_errors", 0)),
        refused_requests=int(stats.get(REFUSED_STAT, 0)) + int(stats.get(REFUSED_BROWSER_STAT, 0)),
        blocks=blocks,
        finish_reason=stats.get("finish_reason"),
        exit_code=exit_code,
        elapsed=round(elapsed, 3),
        stats=stats,
    )
    startup = stats.get("listingwatch/startup_error")
    if error is not None or startup is not None or outcome.finish_reason is None:
        outcome.status = "failed"
        outcome.reason = str(startup or error or "the crawl did not finish")
        return outcome
    if outcome.responses == 0:
        if outcome.requests == 0 and str(spec.settings.get("LISTINGWATCH_REDIS_ROLE", "")).startswith("worker"):
            # A worker that joined a shared crawl after the other processes had drained its
            # queue had nothing to do; that is not a failed crawl.
            outcome.reason = "nothing left to fetch: the shared queue was already empty"
            return outcome
        outcome.status = "failed"
        outcome.reason = "no response received"
        return outcome
    reasons: list[str] = []
    refused = int(stats.get(REFUSED_STAT, 0))
    if refused:
        reasons.append(f"refused: {refused} request(s) to addresses outside the crawl's policy")
    if int(stats.get(REFUSED_BROWSER_STAT, 0)):
        # The browser's own background requests can land here too: reported, not a partial run.
        outcome.warnings.append(f"refused {stats[REFUSED_BROWSER_STAT]} browser request(s) to non-public addresses")
    if blocks:
        reasons.append("blocked: " + ", ".join(f"{k}={v}" for k, v in sorted(blocks.items())))
    if outcome.finish_reason in BUDGET_FINISH:
        reasons.append(f"budget reached ({outcome.finish_reason})")
    elif outcome.finish_reason not in CLEAN_FINISH:
        reasons.append(f"stopped: {outcome.finish_reason}")
    unfinished = int(stats.get("listingwatch/workers_unfinished", 0) or 0)  # crawler.distributed
    if unfinished:
        reasons.append(f"{unfinished} crawl worker(s) stopped before the end")
    errors = outcome.extraction_errors + outcome.request_errors + int(stats.get("spider_exceptions/count", 0) or 0)
    if errors:
        reasons.append(f"errors: {errors}")
    if reasons:
        outcome.status = "partial"
        outcome.reason = "; ".join(reasons)
    if outcome.items == 0:
        outcome.warnings.append("no listings found")
    return outcome


def run_crawls(
    specs: list[CrawlSpec],
    db_url: str | None = None,
    *,
    concurrent: bool = False,
    timeout: float = 1800.0,
) -> list[CrawlOutcome]:
    """Run several crawls in ONE child process (one reactor), in order or all at once."""
    if not specs:
        return []
    for spec in specs:
        if platforms.get(spec.spider) is None:
            raise ValueError(f"no spider for platform {spec.platform!r}; known: {', '.join(platforms.names())}")
    descriptors = list({spec.spider: platforms.require(spec.spider) for spec in specs}.values())
    # With $LISTINGWATCH_REDIS_URL a scan run's crawls go on a shared queue workers can join.
    from crawler import distributed

    specs, shared = distributed.prepare(specs, concurrent=concurrent)
    ctx = multiprocessing.get_context("spawn")
    parent_conn, child_conn = ctx.Pipe(duplex=False)
    from crawler.logs import current_format

    process = ctx.Process(target=_child, args=(specs, db_url, concurrent, child_conn, descriptors, os.getpid(),
                                               current_format()), name=CRAWL_PROCESS_NAME)
    started = time.monotonic()
    process.start()
    child_conn.close()
    message: dict[str, Any] | None = None
    error: str | None = None
    timed_out = False
    try:
        try:
            if parent_conn.poll(timeout):
                message = parent_conn.recv()
            else:
                timed_out = True
        except EOFError:
            message = None  # the child died without reporting
        process.join(0.0 if timed_out else 30.0)
    finally:
        # Also when we are interrupted (SIGTERM of the CLI): the crawl must not outlive its run.
        _end_child(process)
    if timed_out:
        error = f"timed out after {timeout:g}s"
    elapsed = time.monotonic() - started
    exit_code = process.exitcode
    if message is None and error is None:
        error = f"crawl process died with exit code {exit_code}"
    if message is not None and message.get("error"):
        error = str(message["error"]).splitlines()[0]
    results: list[dict[str, Any]] = (message or {}).get("results") or [{} for _ in specs]
    if shared is not None:  # wait for the workers that joined; their counts belong to this run
        results = shared.finish(results, timeout=timeout)
    outcomes = [_outcome(spec, stats, elapsed, exit_code, error if not stats else None)
                for spec, stats in zip(specs, results, strict=True)]
    if exit_code not in (0, None):
        for outcome in outcomes:
            if outcome.status != "failed":
                outcome.status = "failed"
                outcome.reason = f"crawl process exited with code {exit_code}"
    for outcome in outcomes:
        log.info("crawl %s/%s: %s%s", outcome.spec.platform, outcome.spec.mode, outcome.status,
                 f" ({outcome.reason})" if outcome.reason else "")
    return outcomes


def _end_child(process: Any) -> None:
    if process.is_alive():
        process.terminate()
        process.join(10.0)
        if process.is_alive():
            process.kill()
            process.join(5.0)


def stop_crawls() -> int:
    """Terminate this process's crawl children (SIGTERM: Scrapy closes the spider and the
    pipeline commits its last batch). Returns how many were signalled."""
    count = 0
    for child in multiprocessing.active_children():
        if child.name == CRAWL_PROCESS_NAME and child.is_alive():
            child.terminate()
            count += 1
    return count


def run_crawl(spec: CrawlSpec, db_url: str | None = None, *, timeout: float = 900.0) -> CrawlOutcome:
    """Run one crawl in a child process; ``db_url`` feeds the pipeline's LISTINGWATCH_DB_URL."""
    return run_crawls([spec], db_url, timeout=timeout)[0]
