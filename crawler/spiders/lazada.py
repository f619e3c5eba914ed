"""Lazada over plain HTTP: the catalog's own ``?ajax=true`` JSON, product pages' JSON-LD.

* search: ``GET {base}/catalog/?ajax=true&q=K&page=N`` while pages are full;
* seller: ``GET {shop URL}/?ajax=true&page=N`` (``seller`` is the shop URL or its slug);
* refresh: product page URLs (schema.org Product JSON-LD + the seller box).

Lazada's anti-bot answers ``{"rgv587_flag": "sm", "url": ".../_____tmd_____/punish..."}``
or redirects to the x5sec slider page: `crawler.blocks` counts it as a captcha.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from crawler.extractors import ExtractionError
from crawler.extractors import lazada as lazada_extractor
from crawler.extractors._items import item_errors
from crawler.spiders.base import ListingSpider

PAGE_SIZE = 40


class LazadaSpider(ListingSpider):
    name = "lazada"
    platform = "lazada"
    default_base_url = "https://www.lazada.vn"

    def shop_root(self, ref: str) -> str:
        if ref.startswith(("http://", "https://")):
            return ref.split("?", 1)[0].rstrip("/")
        return f"{self.base_url}/shop/{ref.strip('/')}"

    def catalog_url(self, page: int, keyword: str) -> str:
        return f"{self.base_url}/catalog/?{urlencode({'ajax': 'true', 'q': keyword, 'page': page})}"

    async def start(self) -> AsyncIterator[Any]:
        if self.mode == "search":
            for keyword in self.keywords:
                yield scrapy.Request(self.catalog_url(1, keyword), callback=self.parse_catalog, errback=self.on_error,
                                     cb_kwargs={"page": 1, "keyword": keyword, "shop": None})
        elif self.mode == "seller":
            assert self.seller is not None
            shop = self.shop_root(self.seller)
            yield scrapy.Request(f"{shop}/?ajax=true&page=1", callback=self.parse_catalog, errback=self.on_error,
                                 cb_kwargs={"page": 1, "keyword": None, "shop": shop})
        else:
            for url in self.urls:
                yield scrapy.Request(url, callback=self.parse_product, errback=self.on_error)

    def parse_catalog(self, response: Response, page: int, keyword: str | None, shop: str | None) -> Iterator[Any]:
        if self.blocked(response, expect_items=page > 1) or self.not_found(response):
            return
        try:
            listings = lazada_extractor.extract(response.body, response.url)
        except ExtractionError as exc:
            yield self.error_item(exc)
            return
        yield from self.unreadable_items(listings)
        # A listing on the pages of two keywords is emitted once (`fresh`); paging looks at the page.
        yield from self.emit(self.fresh(listings))
        # A full page, unreadable items included, means there may be another one.
        if len(listings) + len(item_errors(listings)) >= PAGE_SIZE and page < self.max_pages:
            url = self.catalog_url(page + 1, keyword) if keyword is not None else f"{shop}/?ajax=true&page={page + 1}"
            yield scrapy.Request(url, callback=self.parse_catalog, errback=self.on_error,
                                 cb_kwargs={"page": page + 1, "keyword": keyword, "shop": shop})

    def parse_product(self, response: Response) -> Iterator[Any]:
        if self.blocked(response) or self.not_found(response):
            return
        try:
            yield from self.emit(self.fresh(lazada_extractor.extract(response.body, response.url)))
        except ExtractionError as exc:
            yield self.error_item(exc)
