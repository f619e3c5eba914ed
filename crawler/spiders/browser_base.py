"""Spiders that drive headless Chromium (scrapy-playwright): TikTok Shop, Facebook.

A page is opened, the JSON responses whose URL contains one of ``api_markers`` are kept
(response interception), and the page is given ``page_wait`` seconds to finish (it marks
``body[data-loaded]`` or the network stays quiet). Subclasses read the captured JSON and/or
the rendered DOM in `read_page`.

Login cookies, where an operator has them, come from configuration, never from the
repository: ``LISTINGWATCH_<PLATFORM>_STORAGE_STATE`` (or the ``storage_state`` spider
argument) names a Playwright storage-state JSON file whose cookies the browser context uses.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from playwright.async_api import Response as PlaywrightResponse
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler import browser
from crawler.blocks import detect_block
from crawler.settings import LOCAL_HOSTS
from crawler.spiders.base import ListingSpider

PLAYWRIGHT_HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
DONE_SCRIPT = """() => { const b = document.body ? document.body.dataset : {};
  return b.loaded === "done" || b.loaded === "error"; }"""


@dataclass
class Captured:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Capture:
    markers: tuple[str, ...]
    responses: list[Captured] = field(default_factory=list)
    in_flight: int = 0  # answers seen whose body is still being read

    async def on_response(self, response: PlaywrightResponse) -> None:
        if not any(marker in response.url for marker in self.markers):
            return
        self.in_flight += 1
        try:
            body = await response.body()
            headers = await response.all_headers()
            self.responses.append(Captured(response.url, response.status, headers, body))
        except PlaywrightError:
            return  # the page navigated away before the body arrived
        finally:
            self.in_flight -= 1

    async def settled(self, timeout: float = 5.0) -> None:
        """Until every answer seen so far is read (at most `timeout` seconds). The page's own
        script may have used an answer, and said it is done, before its copy here is complete:
        a page closed then lost it, or read it after the shops' profiles were fetched."""
        deadline = time.monotonic() + timeout
        await asyncio.sleep(0)  # let response handlers already dispatched start
        while self.in_flight > 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.02)


def storage_state_path(platform: str, explicit: str | None) -> str | None:
    """The operator's cookie file for ``platform`` (argument, else environment), checked to exist."""
    path = explicit or os.environ.get(f"LISTINGWATCH_{platform.upper()}_STORAGE_STATE")
    if path is None or path.strip() == "":
        return None
    if not Path(path).is_file():
        raise ValueError(f"{platform} storage state (cookie file) {path!r} does not exist")
    return path


class BrowserSpider(ListingSpider):
    """Open pages in Chromium, capture their API JSON, hand both to `read_page`."""

    custom_settings: ClassVar[dict[str, Any]] = {  # type: ignore[misc]
        "DOWNLOAD_HANDLERS": {"http": PLAYWRIGHT_HANDLER, "https": PLAYWRIGHT_HANDLER},
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    }
    api_markers: ClassVar[tuple[str, ...]] = ()

    def __init__(self, page_wait: float | str = 15.0, storage_state: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.page_wait = float(page_wait)
        self.storage_state = storage_state_path(self.platform, storage_state)
        host = urlsplit(self.base_url).hostname
        browser.restrict_to_hosts(LOCAL_HOSTS if host in LOCAL_HOSTS else None)

    def page_request(self, url: str, **cb_kwargs: Any) -> scrapy.Request:
        capture = Capture(self.api_markers)
        meta: dict[str, Any] = {
            "playwright": True,
            "playwright_include_page": True,
            "playwright_page_event_handlers": {"response": capture.on_response},
            "playwright_page_goto_kwargs": {"wait_until": "load"},
        }
        if self.storage_state is not None:
            meta["playwright_context"] = f"{self.platform}-logged-in"
            meta["playwright_context_kwargs"] = {"storage_state": self.storage_state}
        # Filtered like any request, so that a shared crawl (crawler.distributed) can hand it to
        # another process: the callbacks are spider methods, and the capture (in cb_kwargs and
        # bound in the page event handler) survives scrapy-redis' pickling as one object.
        return scrapy.Request(url, callback=self.parse_page, errback=self.on_page_error,
                              cb_kwargs={"capture": capture, **cb_kwargs}, meta=meta)

    def first_urls(self) -> list[str]:
        raise NotImplementedError

    async def start(self) -> AsyncIterator[Any]:
        for url in self.first_urls():
            yield self.page_request(url)

    async def wait_until_done(self, page: Page, capture: Capture) -> None:
        deadline = time.monotonic() + self.page_wait
        last, quiet = -1, 0
        while time.monotonic() < deadline:
            if await page.evaluate(DONE_SCRIPT):
                return
            with contextlib.suppress(PlaywrightError):
                await page.wait_for_load_state("networkidle", timeout=2000)
            if len(capture.responses) == last:
                quiet += 1
                if quiet >= 2:
                    return
            else:
                quiet, last = 0, len(capture.responses)
            await asyncio.sleep(0.1)
        self.logger.warning("page did not signal completion within %.0fs url=%s", self.page_wait, page.url)

    async def parse_page(self, response: Response, capture: Capture) -> AsyncIterator[Any]:
        page: Page = response.meta["playwright_page"]
        try:
            if self.blocked(response) or self.not_found(response):
                return
            await self.wait_until_done(page, capture)
            await capture.settled()
            final_url = page.url
            html = await page.content()
        finally:
            await page.close()
        kind = detect_block(self.platform, 200, {}, html, url=final_url)
        if kind is not None:
            self.record_block(kind, final_url, 200)
            return
        if self.not_found(response, html):  # a removed-product page the page's script rendered
            return
        for item in self.read_page(final_url, html, capture):
            yield item

    def read_page(self, url: str, html: str, capture: Capture) -> Iterator[Any]:
        raise NotImplementedError

    async def on_page_error(self, failure: Failure) -> None:
        self.on_error(failure)
        page = failure.request.meta.get("playwright_page")  # type: ignore[attr-defined]
        if isinstance(page, Page) and not page.is_closed():
            await page.close()
