"""Sendo over plain HTTP JSON (the search API; the demo's ``{demo}/sendo`` speaks the same).

* search: ``GET {api}/web/products?q=K&page=N&size=60`` while ``meta.last_page`` says more;
* seller: ``GET {api}/web/products?shop_id=ID&page=N&size=60``;
* refresh: product page URLs ``.../{slug}-{id}.html`` -> ``GET {api}/full/{slug}-{id}``.

``{api}`` is ``https://searchlist-api.sendo.vn`` on the real site and ``{base}/api`` on the demo.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

import scrapy
from scrapy.http import Response

from crawler.extractors import ExtractionError
from crawler.extractors import sendo as sendo_extractor
from crawler.spiders.base import ListingSpider, is_local

PAGE_SIZE = 60
REAL_API = "https://searchlist-api.sendo.vn"


def shop_id_from(ref: str) -> str:
    if ref.isdigit():
        return ref
    match = re.search(r"[?&]shop_id=(\d+)", ref)
    if match:
        return match.group(1)
    raise ValueError(f"cannot find a Sendo shop id in {ref!r} (give the numeric shop id)")


class SendoSpider(ListingSpider):
    name = "sendo"
    platform = "sendo"
    default_base_url = "https://www.sendo.vn"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.api = f"{self.base_url}/api" if is_local(self.base_url) else REAL_API
        self.shop_id = shop_id_from(self.seller) if self.seller is not None else None

    def search_url(self, page: int, *, keyword: str | None = None, shop_id: str | None = None) -> str:
        params: dict[str, str | int] = {"page": page, "size": PAGE_SIZE}
        if keyword is not None:
            params = {"q": keyword, **params}
        if shop_id is not None:
            params = {"shop_id": shop_id, **params}
        return f"{self.api}/web/products?{urlencode(params)}"

    async def start(self) -> AsyncIterator[Any]:
        if self.mode == "search":
            for keyword in self.keywords:
                yield scrapy.Request(self.search_url(1, keyword=keyword), callback=self.parse_search,
                                     errback=self.on_error, cb_kwargs={"page": 1, "keyword": keyword, "shop_id": None})
        elif self.mode == "seller":
            yield scrapy.Request(self.search_url(1, shop_id=self.shop_id), callback=self.parse_search,
                                 errback=self.on_error, cb_kwargs={"page": 1, "keyword": None, "shop_id": self.shop_id})
        else:
            for url in self.urls:
                slug = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
                yield scrapy.Request(f"{self.api}/full/{slug}", callback=self.parse_search, errback=self.on_error,
                                     cb_kwargs={"page": 1, "keyword": None, "shop_id": None})

    def parse_search(self, response: Response, page: int, keyword: str | None, shop_id: str | None) -> Iterator[Any]:
        if self.blocked(response, expect_items=page > 1) or self.not_found(response):
            return
        try:
            listings = sendo_extractor.extract(response.body, response.url)
        except ExtractionError as exc:
            yield self.error_item(exc)
            return
        yield from self.unreadable_items(listings)
        # A listing on the pages of two keywords is emitted once (`fresh`); paging looks at the page.
        yield from self.emit(self.fresh(listings))
        try:
            meta = json.loads(response.text).get("meta") or {}
        except (json.JSONDecodeError, AttributeError):
            meta = {}
        last_page = meta.get("last_page") if isinstance(meta, dict) else None
        if self.mode != "refresh" and listings and isinstance(last_page, int) and page < min(last_page, self.max_pages):
            yield scrapy.Request(self.search_url(page + 1, keyword=keyword, shop_id=shop_id),
                                 callback=self.parse_search, errback=self.on_error,
                                 cb_kwargs={"page": page + 1, "keyword": keyword, "shop_id": shop_id})
