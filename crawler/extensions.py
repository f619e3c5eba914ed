"""Scrapy extensions of our crawls (they run in the crawl child process)."""

from __future__ import annotations

import logging
import os
from typing import Any

from storage.runs import progress_key, record_progress

log = logging.getLogger("listingwatch.scan")

WATCH_EXTENSION = "crawler.extensions.CrawlWatch"


def watch_settings(settings: dict[str, Any], index: int = 0) -> dict[str, Any]:
    """``settings`` with `CrawlWatch` switched on for one crawl of a scan: it reports progress
    under ``index`` (the crawl's place in its run) and stops the crawl when this process (its
    parent) dies. The project's own extensions stay on."""
    from crawler import settings as defaults

    extensions = {**dict(getattr(defaults, "EXTENSIONS", {}) or {}), **dict(settings.get("EXTENSIONS", {}) or {})}
    extensions[WATCH_EXTENSION] = 900
    return {
        **settings,
        "EXTENSIONS": extensions,
        "LISTINGWATCH_PARENT_PID": os.getpid(),
        "LISTINGWATCH_CRAWL_INDEX": index,
    }


class CrawlWatch:
    """Scrapy extension in the crawl child: every ``LISTINGWATCH_PROGRESS_INTERVAL`` seconds it
    writes its crawl's progress (pages, listings) into the scan run's ``counts.progress``
    (`record_progress`), and closes the spider when the parent process has died (SIGKILL of
    the worker): without it an orphaned crawl would keep writing into a run that a restart
    has already marked failed."""

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.parent_pid = settings.getint("LISTINGWATCH_PARENT_PID", 0) or None
        self.run_id = settings.getint("LISTINGWATCH_SCAN_RUN_ID", 0) or None
        self.db_url = settings.get("LISTINGWATCH_DB_URL")
        self.interval = settings.getfloat("LISTINGWATCH_PROGRESS_INTERVAL", 1.0)
        # Which crawl of the run this is, and in which process: a shared crawl
        # (crawler.distributed) runs spec i in the coordinator and in every worker.
        role = settings.get("LISTINGWATCH_REDIS_ROLE") or "coordinator"
        index = settings.getint("LISTINGWATCH_CRAWL_INDEX", 0)
        self.part_key = progress_key(role, index, getattr(crawler.spidercls, "name", "") or "")
        self.loop: Any = None
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlWatch:
        from scrapy import signals

        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider: Any) -> None:
        from twisted.internet import task

        self.loop = task.LoopingCall(self.tick, spider)
        self.loop.start(self.interval, now=False)

    def closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.write_progress(final=True)

    def tick(self, spider: Any) -> None:
        if self.parent_pid is not None and os.getppid() != self.parent_pid and not self.closing:
            self.closing = True
            spider.logger.error("the scan worker (pid %s) is gone: stopping this crawl", self.parent_pid)
            self.crawler.engine.close_spider(spider, "parent_gone")
            return
        self.write_progress(final=False)

    def write_progress(self, *, final: bool) -> None:
        if self.run_id is None or self.db_url is None or self.crawler.stats is None:
            return
        stats = self.crawler.stats.get_stats()
        part = {
            "pages": int(stats.get("downloader/response_count", 0)),
            "requests": int(stats.get("downloader/request_count", 0)),
            "listings": int(stats.get("crawler/listings", 0)),
            "final": final,
        }
        try:
            record_progress(self.db_url, self.run_id, self.part_key, part)
        except Exception:  # progress is a nicety; the crawl must go on
            log.debug("progress write failed", exc_info=True)

