"""Facebook public pages and groups through Chromium: posts read from the rendered DOM.

* search: ``{base}/search/posts?q=K`` (needs a logged-in session on the real site: without
  the operator's cookie file Facebook shows a login wall, which is counted as a block);
* seller: one page or group (``seller`` is its URL or username): its posts and its intro
  (Decree 85 identity: MST, phone, address), merged;
* refresh: post permalinks.

A post with a price becomes a listing (`crawler.extractors.facebook`); posts without one
are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import urlencode

from crawler.extractors import ExtractionError
from crawler.extractors import facebook as facebook_extractor
from crawler.extractors._common import merge_seller
from crawler.extractors._items import Extracted
from crawler.spiders.browser_base import BrowserSpider, Capture


class FacebookSpider(BrowserSpider):
    name = "facebook"
    platform = "facebook"
    default_base_url = "https://www.facebook.com"
    api_markers: ClassVar[tuple[str, ...]] = ()

    def first_urls(self) -> list[str]:
        if self.mode == "search":
            return [f"{self.base_url}/search/posts?{urlencode({'q': k})}" for k in self.keywords]
        if self.mode == "seller":
            assert self.seller is not None
            ref = self.seller
            return [ref if ref.startswith(("http://", "https://")) else f"{self.base_url}/{ref.strip('/')}"]
        return list(self.urls)

    def read_page(self, url: str, html: str, capture: Capture) -> Iterator[Any]:
        try:
            listings = facebook_extractor.extract(html, url)
        except ExtractionError as exc:
            yield self.error_item(exc)
            return
        yield from self.unreadable_items(listings)
        if self.mode == "seller" and 'id="page-intro"' in html:
            try:
                profile = facebook_extractor.extract_seller(html, url)
            except ExtractionError as exc:
                yield self.error_item(exc)
            else:
                listings = Extracted(merge_seller(x, profile) if x.seller.id == profile.id else x for x in listings)
        yield from self.emit(self.fresh(listings))
