"""Retry with exponential backoff: a 429 or 5xx slows the whole site down, not just one URL."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response

log = logging.getLogger(__name__)


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, plus a per-site delay of ``base * 2**attempt`` (``Retry-After`` wins).

    The delay is put on the downloader slot, so every request to that site waits;
    AutoThrottle lowers it again once responses come back healthy.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.base = crawler.settings.getfloat("LISTINGWATCH_RETRY_BACKOFF_BASE", 2.0)
        self.cap = crawler.settings.getfloat("LISTINGWATCH_RETRY_BACKOFF_MAX", 120.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        if response.status in self.retry_http_codes and not request.meta.get("dont_retry", False):
            attempt = int(request.meta.get("retry_times", 0))
            delay = min(self.cap, self.base * (2**attempt))
            retry_after = response.headers.get(b"Retry-After")
            if retry_after is not None and retry_after.strip().isdigit():
                delay = min(self.cap, float(retry_after.strip()))
            self._slow_down(request, delay)
        return super().process_response(request, response)

    def _slow_down(self, request: Request, delay: float) -> None:
        engine = self.crawler.engine
        if engine is None:
            return
        downloader = engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is not None and slot.delay < delay:
            log.info("backing off %s: %.1fs between requests", key, delay)
            slot.delay = delay
