"""What every demo platform site shares: the marketplace it lives in and one base class.

`Marketplace` holds one catalog served at one base URL (search, URLs, a response cache shared
by all sites). A `PlatformSite` imitates one platform under its own first path segment
(``/tiki/...``, ``/shops/...``): it renders its fixed bodies once in `build` and answers the
rest in `route`, returning ``None`` for a path that is not one of its pages.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import ClassVar

from demo.catalog import Catalog, DemoListing, DemoSeller, fold_words
from demo.pages import JSONValue, Response, html_page, html_response, identity_html, json_response

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


@cache
def script(name: str) -> str:
    """A page script from ``demo/static/`` (read once; the sites embed it inline)."""
    return (STATIC_DIR / name).read_text(encoding="utf-8")


@dataclass
class Marketplace:
    """One catalog at one base URL: what the platform sites share."""

    catalog: Catalog
    base_url: str
    #: Platform listing ids taken down (already left out of `catalog`): a site that shows a
    #: removed product with its own page rather than a 404 looks here.
    removed: frozenset[str] = frozenset()
    _tokens: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    _cache: dict[tuple[object, ...], Response] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        for listing in self.catalog.listings:
            self._tokens[(listing.platform, listing.listing_id)] = frozenset(fold_words(listing.title))

    def url(self, path: str) -> str:
        return self.base_url + path

    def image_url(self, key: str, size: str = "w1200") -> str:
        return self.url(f"/img/{size}/{key[:2]}/{key[2:4]}/{key}.png")

    def ranked(self, listings: tuple[DemoListing, ...]) -> list[DemoListing]:
        """Search order: best sellers first, then by id (deterministic)."""
        return sorted(listings, key=lambda x: (-x.sold, x.listing_id))

    def search(self, platform: str, keyword: str | None, seller_id: str | None) -> list[DemoListing]:
        pool = self.catalog.listings_on(platform)
        if seller_id is not None:
            pool = tuple(x for x in pool if x.seller_id == seller_id)
        if keyword is not None:
            wanted = fold_words(keyword)
            if not wanted:  # only punctuation: nothing matches, rather than everything
                return []
            pool = tuple(x for x in pool if all(w in self._tokens[(platform, x.listing_id)] for w in wanted))
        return self.ranked(pool)

    def cached(self, key: tuple[object, ...], make: Callable[[], Response]) -> Response:
        """Search pages rendered once per key, so ~16 concurrent clients are served without waiting."""
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None:
            return hit
        value = make()
        with self._lock:
            if len(self._cache) > 4096:
                self._cache.clear()
            self._cache[key] = value
        return value


class PlatformSite:
    """One imitated platform. Subclasses set the class attributes and implement `route`."""

    platform: ClassVar[str]  # the records' platform, "demo-<name>" (crawler.platforms.demo_paths)
    segment: ClassVar[str]  # the first path segment it answers under: "tiki" for /tiki/...
    label: ClassVar[str]  # how the demo's index page names it
    example: ClassVar[str]  # the index page's example entry point

    def __init__(self, market: Marketplace) -> None:
        self.market = market
        self.catalog = market.catalog
        self.static: dict[str, Response] = {}
        self.build()

    def build(self) -> None:
        """Render the bodies that never change into `static` (path -> response)."""

    def route(self, path: str, query: Mapping[str, list[str]], headers: Mapping[str, str]) -> Response | None:
        """The response for ``path``, or ``None`` when it is not one of this site's pages."""
        return self.static.get(path)

    def sitemaps(self) -> list[str]:
        """Sitemap URLs for the marketplace's robots.txt."""
        return []

    # ------------------------------------------------------------------ helpers for subclasses
    def url(self, path: str) -> str:
        return self.market.url(path)

    def image_url(self, key: str, size: str = "w1200") -> str:
        return self.market.image_url(key, size)

    def cached(self, key: tuple[object, ...], make: Callable[[], Response]) -> Response:
        return self.market.cached(key, make)

    def search(self, keyword: str | None, seller_id: str | None) -> list[DemoListing]:
        return self.market.search(self.platform, keyword, seller_id)

    def seller_of(self, listing: DemoListing) -> DemoSeller:
        return self.catalog.seller(listing.platform, listing.seller_id)

    def seller_by_path(self, path: str) -> DemoSeller | None:
        for seller in self.catalog.sellers_on(self.platform):
            if seller.shop_url_path == path.rstrip("/"):
                return seller
        return None

    def identity_footer(self, seller: DemoSeller) -> str:
        return f'<footer class="shop-identity">{identity_html(seller)}</footer>'

    def json(self, data: JSONValue, status: int = 200) -> Response:
        return json_response(data, status)

    def html(self, title: str, body: str, head: str = "", status: int = 200) -> Response:
        return html_response(html_page(title, body, head), status)
