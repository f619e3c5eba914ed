"""Stand-alone shops: sitemap or category pages -> product pages with schema.org Product.

* search: start at ``base_url``; if that page links shops (``/shops/{shop}/``, the demo's
  index), visit each shop, else treat ``base_url`` as the shop. Every product is read and
  only those whose title contains a keyword (case- and diacritic-insensitive) are kept;
* seller: one shop (``seller`` is its URL, or its ``{shop}`` name on the demo);
* refresh: the given product URLs.

A shop is walked from ``{shop}/sitemap.xml`` (sitemap indexes are followed); without a
sitemap, from ``{shop}/collections/all?page=N`` (``a.product-link``, ``<link rel=next>``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response
from scrapy.utils.sitemap import Sitemap

from crawler.extractors import ExtractionError
from crawler.extractors import web as web_extractor
from crawler.spiders.base import ListingSpider
from detectors.textnorm import fold
from rules.record import Listing


class WebSpider(ListingSpider):
    name = "web"
    platform = "web"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._folded_keywords = [fold(k) for k in self.keywords]

    def shop_root(self, ref: str) -> str:
        if ref.startswith(("http://", "https://")):
            return ref.rstrip("/")
        return f"{self.base_url}/shops/{ref.strip('/')}"

    async def start(self) -> AsyncIterator[Any]:
        if self.mode == "search":
            yield scrapy.Request(self.base_url + "/", callback=self.parse_index, errback=self.on_error)
        elif self.mode == "seller":
            assert self.seller is not None
            for request in self.shop_requests(self.shop_root(self.seller)):
                yield request
        else:
            for url in self.urls:
                yield self.product_request(url, expect_product=True)

    def shop_requests(self, root: str) -> Iterator[scrapy.Request]:
        yield scrapy.Request(f"{root}/sitemap.xml", callback=self.parse_sitemap, errback=self.on_error,
                             cb_kwargs={"root": root})

    def product_request(self, url: str, *, expect_product: bool) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_product, errback=self.on_error,
                              cb_kwargs={"expect_product": expect_product})

    def parse_index(self, response: Response) -> Iterator[Any]:
        if self.blocked(response) or self.not_found(response):
            return
        shops: list[str] = []
        for href in response.css("a::attr(href)").getall():
            path = urlsplit(urljoin(response.url, href)).path
            parts = path.strip("/").split("/")
            if "shops" in parts and parts.index("shops") + 1 < len(parts):
                root = urljoin(response.url, "/" + "/".join(parts[: parts.index("shops") + 2]))
                if root not in shops:
                    shops.append(root)
        if not shops:
            shops = [self.base_url]
        self.logger.info("shops to search: %d", len(shops))
        for root in shops:
            yield from self.shop_requests(root)

    def parse_sitemap(self, response: Response, root: str) -> Iterator[Any]:
        if self.blocked(response):
            return
        if response.status == 404:
            yield scrapy.Request(f"{root}/collections/all?page=1", callback=self.parse_collection,
                                 errback=self.on_error, cb_kwargs={"page": 1})
            return
        try:
            sitemap = Sitemap(response.body)
        except Exception:  # lxml raises several kinds on junk
            yield self.error_item(ExtractionError(response.url, "an XML sitemap", "not parseable"))
            return
        for entry in sitemap:
            loc = entry.get("loc")
            if not loc:
                continue
            if sitemap.type == "sitemapindex":
                yield scrapy.Request(loc, callback=self.parse_sitemap, errback=self.on_error,
                                     cb_kwargs={"root": root})
            else:
                path = urlsplit(loc).path
                yield self.product_request(loc, expect_product="/products/" in path or "/product/" in path)

    def parse_collection(self, response: Response, page: int) -> Iterator[Any]:
        if self.blocked(response) or self.not_found(response):
            return
        links = response.css("a.product-link::attr(href)").getall()
        for href in links:
            yield self.product_request(response.urljoin(href), expect_product=True)
        next_href = response.css('link[rel="next"]::attr(href)').get()
        if links and next_href and page < self.max_pages:
            yield scrapy.Request(response.urljoin(next_href), callback=self.parse_collection,
                                 errback=self.on_error, cb_kwargs={"page": page + 1})

    def parse_product(self, response: Response, expect_product: bool) -> Iterator[Any]:
        if self.blocked(response) or self.not_found(response):
            return
        try:
            listings = web_extractor.extract(response.body, response.url)
        except ExtractionError as exc:
            if expect_product:
                yield self.error_item(exc)
            else:
                self.inc("crawler/pages_without_product")
            return
        yield from self.unreadable_items(listings)
        wanted: list[Listing] = listings
        if self.mode == "search":
            wanted = [item for item in listings if any(k in fold(item.title) for k in self._folded_keywords)]
        yield from self.emit(wanted)
