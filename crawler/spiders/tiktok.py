"""TikTok Shop through Chromium: the page's own product-list XHR, intercepted.

* search: ``{base}/search?q=K`` (the real site: ``shop.tiktok.com/...search?q=K``);
* seller: ``{base}/shop/{seller_id}`` (or the pasted shop URL): products + the shop profile
  (Decree 85 identity), merged;
* refresh: product page URLs ``{base}/view/product/{id}``.

A login wall (redirect to ``/login``), a verify page or an API ``code`` other than 0 is a
block (`crawler.blocks`), counted and logged; the scan is then partial.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import urlencode

from crawler.blocks import detect_block
from crawler.extractors import ExtractionError
from crawler.extractors import tiktok as tiktok_extractor
from crawler.extractors._common import merge_seller
from crawler.spiders.browser_base import BrowserSpider, Capture
from rules.record import Listing, Seller


class TiktokSpider(BrowserSpider):
    name = "tiktok"
    platform = "tiktok"
    default_base_url = "https://www.tiktok.com"
    api_markers: ClassVar[tuple[str, ...]] = ("/api/shop/",)

    def first_urls(self) -> list[str]:
        if self.mode == "search":
            return [f"{self.base_url}/search?{urlencode({'q': k})}" for k in self.keywords]
        if self.mode == "seller":
            assert self.seller is not None
            ref = self.seller
            return [ref if ref.startswith(("http://", "https://")) else f"{self.base_url}/shop/{ref}"]
        return list(self.urls)

    def read_page(self, url: str, html: str, capture: Capture) -> Iterator[Any]:
        listings: list[Listing] = []
        profiles: dict[str, Seller] = {}
        for captured in capture.responses:
            kind = detect_block(self.platform, captured.status, captured.headers, captured.body, url=captured.url)
            if kind is not None:
                self.record_block(kind, captured.url, captured.status)
                continue
            try:
                if "/shop/info" in captured.url:
                    profile = tiktok_extractor.extract_seller(captured.body, captured.url)
                    profiles[str(profile.id)] = profile
                else:
                    page_listings = tiktok_extractor.extract(captured.body, captured.url)
                    yield from self.unreadable_items(page_listings)
                    listings.extend(page_listings)
            except ExtractionError as exc:
                yield self.error_item(exc)
        if not capture.responses:
            self.inc("crawler/pages_without_api")
            self.logger.warning("the page made no product API call url=%s", url)
        fresh = []
        for listing in self.fresh(listings):
            found = profiles.get(str(listing.seller.id))
            fresh.append(listing if found is None else merge_seller(listing, found))
        yield from self.emit(fresh)
