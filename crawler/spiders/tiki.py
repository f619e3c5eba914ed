"""Tiki over plain HTTP JSON (the demo's ``{demo}/tiki`` speaks the same API).

* search: ``GET {base}/api/v2/products?q=K&page=N&limit=40`` -> per product ``GET
  {base}/api/v2/products/{id}`` (brand, seller, specifications, gtin);
* seller: ``GET {base}/api/v2/products?seller=ID&page=N&limit=40``, same detail step;
* refresh: the given URLs, product pages (``__NEXT_DATA__``) or ``api/v2/products/{id}``.

Each seller's identity (``GET {base}/api/v2/sellers/{id}``, the seller widget) is fetched
once per crawl and merged into its listings.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.extractors import ExtractionError
from crawler.extractors import tiki as tiki_extractor
from crawler.extractors._items import Extracted
from crawler.spiders.base import ListingSpider
from rules.record import Listing, Seller

PAGE_SIZE = 40
#: A shop page: ``/cua-hang/{slug}``; its seller id is read from the page itself.
_SHOP_PAGE_RE = re.compile(r"/cua-hang/([a-z0-9-]+)/?$")


def seller_id_from(ref: str) -> str:
    """A Tiki seller id from an id or a URL carrying ``seller_id=``/``seller=``."""
    if ref.isdigit():
        return ref
    query = parse_qs(urlsplit(ref).query)
    for key in ("seller_id", "seller"):
        if key in query and query[key][0].isdigit():
            return query[key][0]
    match = re.search(r"/sellers?/(\d+)", ref)
    if match:
        return match.group(1)
    raise ValueError(f"cannot find a Tiki seller id in {ref!r} (give the numeric id)")


class TikiSpider(ListingSpider):
    name = "tiki"
    platform = "tiki"
    default_base_url = "https://tiki.vn"

    def __init__(self, seller_path: str = "/api/v2/sellers/{seller_id}", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.seller_path = seller_path
        self.seller_id: str | None = None
        self.shop_page: str | None = None
        if self.seller is not None:
            try:
                self.seller_id = seller_id_from(self.seller)
            except ValueError:
                # A pasted shop URL (or its slug) names the shop, not its id: read the id off the page.
                path = urlsplit(self.seller).path if "://" in self.seller else f"/cua-hang/{self.seller.strip('/')}"
                match = _SHOP_PAGE_RE.search(path)
                if match is None:
                    raise
                self.shop_page = (self.seller if "://" in self.seller
                                  else f"{self.base_url}/cua-hang/{match.group(1)}")
        self._profiles: dict[str, Seller | None] = {}
        self._pending: dict[str, list[Listing]] = {}

    def listing_url(self, page: int, *, keyword: str | None = None, seller_id: str | None = None) -> str:
        params: dict[str, str | int] = {"page": page, "limit": PAGE_SIZE}
        if keyword is not None:
            params = {"q": keyword, **params}
        if seller_id is not None:
            params = {"seller": seller_id, **params}
        return f"{self.base_url}/api/v2/products?{urlencode(params)}"

    async def start(self) -> AsyncIterator[Any]:
        if self.mode == "search":
            for keyword in self.keywords:
                yield scrapy.Request(
                    self.listing_url(1, keyword=keyword), callback=self.parse_listing,
                    errback=self.on_error, cb_kwargs={"page": 1, "keyword": keyword, "seller_id": None},
                )
        elif self.mode == "seller" and self.shop_page is not None:
            yield scrapy.Request(self.shop_page, callback=self.parse_shop_page, errback=self.on_error)
        elif self.mode == "seller":
            yield scrapy.Request(
                self.listing_url(1, seller_id=self.seller_id), callback=self.parse_listing,
                errback=self.on_error, cb_kwargs={"page": 1, "keyword": None, "seller_id": self.seller_id},
            )
        else:
            for url in self.urls:
                yield scrapy.Request(url, callback=self.parse_product, errback=self.on_error,
                                     cb_kwargs={"fallback": None})

    def parse_shop_page(self, response: Response) -> Iterator[Any]:
        """A ``/cua-hang/{slug}`` page: find the seller id (``#seller-page[data-seller-id]`` or a
        ``?seller=ID`` link), then list the shop through the API like a numeric seller."""
        if self.blocked(response) or self.not_found(response):
            return
        seller_id = response.css("#seller-page::attr(data-seller-id), [data-seller-id]::attr(data-seller-id)").get()
        if seller_id is None or not seller_id.isdigit():
            for href in response.css("a::attr(href)").getall():
                ids = parse_qs(urlsplit(href).query).get("seller") or parse_qs(urlsplit(href).query).get("seller_id")
                if ids and ids[0].isdigit():
                    seller_id = ids[0]
                    break
        if seller_id is None or not seller_id.isdigit():
            yield self.error_item(ExtractionError(
                response.url, "a Tiki shop page naming its seller id (data-seller-id or a ?seller= link)",
                "no seller id on the page"))
            return
        self.seller_id = seller_id
        yield scrapy.Request(self.listing_url(1, seller_id=seller_id), callback=self.parse_listing,
                             errback=self.on_error, cb_kwargs={"page": 1, "keyword": None, "seller_id": seller_id})

    def parse_listing(
        self, response: Response, page: int, keyword: str | None, seller_id: str | None
    ) -> Iterator[Any]:
        if self.blocked(response, expect_items=page > 1) or self.not_found(response):
            return
        try:
            listings = tiki_extractor.extract(response.body, response.url)
        except ExtractionError as exc:
            yield self.error_item(exc)
            return
        yield from self.unreadable_items(listings)
        for listing in listings:
            detail = f"{self.base_url}/api/v2/products/{listing.listing_id}"
            yield scrapy.Request(detail, callback=self.parse_product, errback=self.on_detail_error,
                                 cb_kwargs={"fallback": listing})
        paging = json.loads(response.text).get("paging") or {}
        last_page = paging.get("last_page")
        if listings and isinstance(last_page, int) and page < last_page and page < self.max_pages:
            yield scrapy.Request(
                self.listing_url(page + 1, keyword=keyword, seller_id=seller_id),
                callback=self.parse_listing, errback=self.on_error,
                cb_kwargs={"page": page + 1, "keyword": keyword, "seller_id": seller_id},
            )

    def parse_product(self, response: Response, fallback: Listing | None) -> Iterator[Any]:
        """A product detail (API or page); the search record stands in if it cannot be read."""
        if self.blocked(response) or self.not_found(response):
            if fallback is not None:
                yield from self.with_seller(fallback)
            return
        try:
            listings = tiki_extractor.extract(response.body, response.url)
        except ExtractionError as exc:
            yield self.error_item(exc)
            listings = Extracted([fallback] if fallback is not None else [])
        for listing in listings:
            if fallback is not None and listing.seller.id is None:
                listing = listing.model_copy(update={"seller": fallback.seller})
            yield from self.with_seller(listing)

    def on_detail_error(self, failure: Failure) -> Iterator[Any]:
        yield from self.on_error(failure)
        fallback = failure.request.cb_kwargs.get("fallback")  # type: ignore[attr-defined]
        if isinstance(fallback, Listing):
            yield from self.with_seller(fallback)

    # -- seller identity, fetched once per seller -------------------------------------

    def with_seller(self, listing: Listing) -> Iterator[Any]:
        seller_id = listing.seller.id
        if seller_id is None:
            yield from self.emit([listing])
            return
        if seller_id in self._profiles:
            profile = self._profiles[seller_id]
            yield from self.emit([listing if profile is None else tiki_extractor.merge_seller(listing, profile)])
            return
        pending = self._pending.setdefault(seller_id, [])
        pending.append(listing)
        if len(pending) == 1:
            url = self.base_url + self.seller_path.format(seller_id=seller_id)
            yield scrapy.Request(url, callback=self.parse_seller, errback=self.on_seller_error,
                                 cb_kwargs={"seller_id": seller_id}, dont_filter=True)

    def parse_seller(self, response: Response, seller_id: str) -> Iterator[Any]:
        profile: Seller | None = None
        if not self.blocked(response) and not self.not_found(response):
            try:
                profile = tiki_extractor.extract_seller(response.body, response.url)
            except ExtractionError as exc:
                yield self.error_item(exc)
            if profile is not None and profile.id != seller_id:
                yield self.error_item(ExtractionError(
                    response.url, f"the profile of seller {seller_id}", f"got seller {profile.id}"))
                profile = None
        yield from self._flush(seller_id, profile)

    def on_seller_error(self, failure: Failure) -> Iterator[Any]:
        yield from self.on_error(failure)
        yield from self._flush(failure.request.cb_kwargs["seller_id"], None)  # type: ignore[attr-defined]

    def _flush(self, seller_id: str, profile: Seller | None) -> Iterator[Any]:
        self._profiles[seller_id] = profile
        waiting = self._pending.pop(seller_id, [])
        yield from self.emit(
            listing if profile is None else tiki_extractor.merge_seller(listing, profile) for listing in waiting
        )
