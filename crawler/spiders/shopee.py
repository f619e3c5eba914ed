"""Shopee through headless Chromium: the page fetches its own ``api/v4`` JSON, we read it.

Plain HTTP to ``api/v4`` is refused (403, ``"error": 90309999``) unless the request
carries what only the page's own scripts send (``x-api-source: pc`` and anti-bot
tokens), so the spider opens the real page and intercepts the responses of
``api/v4/search/search_items``, ``api/v4/shop/search_items``,
``api/v4/shop/get_shop_detail`` and ``api/v4/item/get`` (response interception).

* search: ``{base}/search?keyword=K`` (next pages ``&page=N``, 0-based, while the API
  says ``nomore: false``);
* seller: ``{base}/shop/{shopid}``; the shop profile is merged into the shop's listings;
* refresh: the given product page URLs.

After navigation the page is scrolled until it is done: a search response says
``nomore: true``, the page marks itself done (``[data-nomore]`` / ``data-done``), or the
network has been quiet for two rounds, within ``page_wait`` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import scrapy
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler import browser
from crawler.blocks import detect_block
from crawler.extractors import ExtractionError
from crawler.extractors import shopee as shopee_extractor
from crawler.extractors._common import merge_seller
from crawler.settings import LOCAL_HOSTS
from crawler.spiders.base import ListingSpider
from crawler.spiders.browser_base import Capture as BrowserCapture
from crawler.spiders.browser_base import Captured
from rules.record import Listing, Seller

API_MARKERS = (
    "/api/v4/search/search_items",
    "/api/v4/shop/search_items",
    "/api/v4/shop/get_shop_detail",
    "/api/v4/item/get",
    "/api/v4/pdp/get_pc",
)
PLAYWRIGHT_HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
#: Fetch one shop profile from inside the page: the page's own origin, cookies and headers
#: pass Shopee's anti-bot where plain HTTP would not.
FETCH_SCRIPT = """async (url) => {
  const r = await fetch(url, {headers: {"x-api-source": "pc", "x-shopee-language": "vi"}, credentials: "same-origin"});
  return [r.status, await r.text()];
}"""
#: At most this many shop profiles are fetched per search page (each is one API call).
MAX_PROFILES_PER_PAGE = 60
DONE_SCRIPT = """() => {
  const d = document.documentElement.dataset, b = document.body ? document.body.dataset : {};
  return d.done === "1" || d.done === "true" || b.done === "1" || b.done === "true"
      || b.loaded === "done" || b.loaded === "error"
      || !!document.querySelector('[data-nomore="true"], [data-nomore="1"], .nomore, #nomore');
}"""


@dataclass
class Capture(BrowserCapture):
    """The api/v4 responses one page received, in arrival order."""

    markers: tuple[str, ...] = API_MARKERS

    def says_nomore(self) -> bool:
        for captured in reversed(self.responses):
            if "search_items" in captured.url:
                return b'"nomore":true' in captured.body.replace(b" ", b"")
        return False


class ShopeeSpider(ListingSpider):
    name = "shopee"
    platform = "shopee"
    default_base_url = "https://shopee.vn"
    custom_settings = {
        "DOWNLOAD_HANDLERS": {"http": PLAYWRIGHT_HANDLER, "https": PLAYWRIGHT_HANDLER},
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    }

    def __init__(self, page_wait: float | str = 20.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.page_wait = float(page_wait)
        self._new_on_page = 0
        #: Shop profiles (get_shop_detail) read so far: search results carry no shop name.
        self._profiles: dict[str, Seller] = {}
        host = urlsplit(self.base_url).hostname
        browser.restrict_to_hosts(LOCAL_HOSTS if host in LOCAL_HOSTS else None)

    def page_request(self, url: str, **cb_kwargs: Any) -> scrapy.Request:
        capture = Capture()
        return scrapy.Request(
            url,
            callback=self.parse_page,
            errback=self.on_page_error,
            cb_kwargs={"capture": capture, **cb_kwargs},
            meta={
                "playwright": True,
                "playwright_include_page": True,
                "playwright_page_event_handlers": {"response": capture.on_response},
                "playwright_page_goto_kwargs": {"wait_until": "load"},
            },
            # Filtered like any request, so a shared crawl can hand it to another process
            # (see crawler.spiders.browser_base.BrowserSpider.page_request).
        )

    def search_url(self, keyword: str, page: int) -> str:
        params: dict[str, str | int] = {"keyword": keyword}
        if page > 0:
            params["page"] = page
        return f"{self.base_url}/search?{urlencode(params)}"

    async def start(self) -> AsyncIterator[Any]:
        if self.mode == "search":
            for keyword in self.keywords:
                yield self.page_request(self.search_url(keyword, 0), keyword=keyword, page=0)
        elif self.mode == "seller":
            assert self.seller is not None
            ref = self.seller
            url = ref if ref.startswith(("http://", "https://")) else f"{self.base_url}/shop/{ref}"
            yield self.page_request(url, keyword=None, page=0)
        else:
            for url in self.urls:
                yield self.page_request(url, keyword=None, page=0)

    async def wait_until_done(self, page: Page, capture: Capture) -> None:
        deadline = time.monotonic() + self.page_wait
        last_count, quiet_rounds = -1, 0
        while time.monotonic() < deadline:
            if capture.says_nomore() or await page.evaluate(DONE_SCRIPT):
                return
            await page.evaluate("() => window.scrollTo(0, document.body ? document.body.scrollHeight : 0)")
            with contextlib.suppress(PlaywrightError):
                await page.wait_for_load_state("networkidle", timeout=2000)
            if len(capture.responses) == last_count:
                quiet_rounds += 1
                if quiet_rounds >= 2:
                    return
            else:
                quiet_rounds, last_count = 0, len(capture.responses)
            await asyncio.sleep(0.2)
        self.logger.warning("page did not signal completion within %.0fs url=%s", self.page_wait, page.url)

    async def parse_page(
        self, response: Response, capture: Capture, keyword: str | None, page: int
    ) -> AsyncIterator[Any]:
        browser_page: Page = response.meta["playwright_page"]
        try:
            if self.blocked(response) or self.not_found(response):
                return
            await self.wait_until_done(browser_page, capture)
            final_url = browser_page.url
            html = await browser_page.content()
            kind = detect_block(self.platform, 200, {}, html, url=final_url)
            if kind is not None:
                self.record_block(kind, final_url, 200)
                return
            if self.not_found(response, html):  # the "Sản phẩm này không tồn tại" page
                return
            await capture.settled()
            await self.fetch_shop_profiles(browser_page, capture)
            # A search answer whose body was still being read when the profiles were fetched:
            # its shops are looked up too (a no-op when nothing new came).
            await capture.settled()
            await self.fetch_shop_profiles(browser_page, capture)
        finally:
            await browser_page.close()
        for item in self.read_captures(capture):
            yield item
        more = self.mode == "search" and keyword is not None and not capture.says_nomore()
        if more and keyword is not None and self._new_on_page and page + 1 < self.max_pages:
            yield self.page_request(self.search_url(keyword, page + 1), keyword=keyword, page=page + 1)

    async def fetch_shop_profiles(self, page: Page, capture: Capture) -> None:
        """Fetch ``get_shop_detail`` for each new shop of a search page, from inside the page.

        A search answer the page was still loading may land while profiles are fetched (each
        fetch yields to the event loop): the captures are read again until no new shop turns
        up, so its listings are not left without their shop's name."""
        known = {str(p) for p in self._profiles}
        budget = MAX_PROFILES_PER_PAGE
        scanned = 0
        while budget > 0 and scanned < len(capture.responses):
            fresh, scanned = capture.responses[scanned:], len(capture.responses)
            wanted = self._new_shops(fresh, known)
            for shopid in wanted[:budget]:
                url = f"{self.base_url}/api/v4/shop/get_shop_detail?shopid={shopid}"
                try:
                    status, text = await page.evaluate(FETCH_SCRIPT, url)
                except PlaywrightError as exc:
                    self.logger.warning("shop profile fetch failed shopid=%s: %s", shopid, exc)
                    continue
                self.inc("shopee/shop_profiles_fetched")
                capture.responses.append(Captured(url, int(status), {}, str(text).encode("utf-8")))
            budget -= min(len(wanted), budget)

    def _new_shops(self, responses: list[Captured], known: set[str]) -> list[str]:
        """Shops of the search answers among `responses` whose names are not known yet (their
        ids are added to `known`); a profile answer among them makes its shop known."""
        for captured in responses:
            if "get_shop_detail" in captured.url:
                known.add(captured.url.rsplit("shopid=", 1)[-1].split("&", 1)[0])
        wanted: list[str] = []
        for captured in responses:
            if "search_items" not in captured.url or detect_block(
                    self.platform, captured.status, captured.headers, captured.body, url=captured.url) is not None:
                continue
            try:
                found = shopee_extractor.extract(captured.body, captured.url)
            except ExtractionError:
                continue  # read_captures reports it
            for listing in found:
                shopid = listing.seller.id
                if shopid is not None and listing.seller.name is None and shopid not in known:
                    known.add(shopid)
                    wanted.append(shopid)
        return wanted

    def read_captures(self, capture: Capture) -> Iterator[Any]:
        listings: list[Listing] = []
        profiles: dict[str, Seller] = {}
        self._new_on_page = 0
        searched = False
        for captured in capture.responses:
            is_listing = "search_items" in captured.url
            searched = searched or is_listing
            kind = detect_block(self.platform, captured.status, captured.headers, captured.body, url=captured.url)
            if kind is not None:
                self.record_block(kind, captured.url, captured.status)
                continue
            try:
                if "get_shop_detail" in captured.url:
                    profile = shopee_extractor.extract_seller(captured.body, captured.url)
                    profiles[str(profile.id)] = profile
                    self._profiles[str(profile.id)] = profile
                else:
                    page_listings = shopee_extractor.extract(captured.body, captured.url)
                    yield from self.unreadable_items(page_listings)
                    listings.extend(page_listings)
            except ExtractionError as exc:
                yield self.error_item(exc)
        if not capture.responses:
            self.inc("crawler/pages_without_api")
            self.logger.warning("the page made no api/v4 call we know")
        fresh: list[Listing] = []
        for listing in self.fresh(listings):
            found = profiles.get(str(listing.seller.id)) or self._profiles.get(str(listing.seller.id))
            fresh.append(listing if found is None else merge_seller(listing, found))
        self._new_on_page = len(fresh)
        yield from self.emit(fresh)

    async def on_page_error(self, failure: Failure) -> None:
        self.on_error(failure)
        page = failure.request.meta.get("playwright_page")  # type: ignore[attr-defined]
        if isinstance(page, Page) and not page.is_closed():
            await page.close()

