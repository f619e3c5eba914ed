"""The demo marketplace HTTP server (127.0.0.1 only).

It serves one `Catalog` in the shapes spiders meet in real life:

- ``/tiki/...``: Tiki's JSON API (``api/v2/products``, product detail, seller widget), shop
  pages and product pages carrying the detail object in ``__NEXT_DATA__``;
- ``/shops/<shop>/...``: stand-alone shops (Haravan/Sapo/WooCommerce-like) with sitemap,
  paged collection, schema.org ``Product`` and ``Organization`` JSON-LD and an identity footer;
- ``/shopee/...``: pages whose listings only appear after their own JavaScript calls
  ``api/v4``; like real Shopee the API answers 403 without the ``x-api-source: pc`` header;
- ``/blocked/captcha``, ``/blocked/login`` and ``?ban=1`` on ``/tiki/api`` for block detection.

Bodies are rendered once at start (the base URL is known only after the socket is bound) and
search pages are cached, so ~16 concurrent clients are served without waiting.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import logging
import math
import re
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

from demo.catalog import (
    DEFAULT_SEED,
    REFERENCE_EPOCH,
    Catalog,
    DemoListing,
    DemoSeller,
    build_catalog,
    fold_words,
    slugify,
)
from demo.pages import (
    JSONValue,
    Response,
    _discount_rate,
    _html_response,
    _int_param,
    _iso_day,
    _json_response,
    _not_found_html,
    _page,
    _str_param,
    e,
    identity_html,
    json_for_script,
    sold_text,
    vnd,
)
from demo.platforms import ExtraPlatforms

log = logging.getLogger("demo.server")

LOOPBACK_HOSTS = ("127.0.0.1", "localhost")
TIKI_PAGE_LIMIT = 40
TIKI_MAX_LIMIT = 100
SHOPEE_SEARCH_LIMIT = 60
SHOPEE_SHOP_LIMIT = 30
SHOPEE_MAX_LIMIT = 100
WEB_PAGE_SIZE = 6
SHOPEE_PRICE_FACTOR = 100_000  # real Shopee prices are VND x 100000
SHOPEE_ANTIBOT_ERROR = 90309999

# A 1x1 grey PNG served for every product image.
_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mN8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)

# --------------------------------------------------------------------------- the site


@dataclass
class _Site:
    """Every body of the demo marketplace for one catalog and one base URL."""

    catalog: Catalog
    base_url: str
    static: dict[str, Response] = field(default_factory=dict)
    tiki_detail: dict[str, JSONValue] = field(default_factory=dict)
    tiki_pages: dict[str, Response] = field(default_factory=dict)
    shopee_items: dict[tuple[str, str], JSONValue] = field(default_factory=dict)
    web_shops: dict[str, DemoSeller] = field(default_factory=dict)
    _tokens: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    _cache: dict[tuple[object, ...], Response] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    extra: Any = None  # demo.platforms.ExtraPlatforms: Sendo, Lazada, TikTok, Facebook shapes

    def __post_init__(self) -> None:
        for listing in self.catalog.listings:
            self._tokens[(listing.platform, listing.listing_id)] = frozenset(fold_words(listing.title))
        self._build_common()
        self._build_tiki()
        self._build_web()
        self._build_shopee()
        self.extra = ExtraPlatforms(self)

    # ------------------------------------------------------------------ shared
    def url(self, path: str) -> str:
        return self.base_url + path

    def image_url(self, key: str, size: str = "w1200") -> str:
        return self.url(f"/img/{size}/{key[:2]}/{key[2:4]}/{key}.png")

    def _ranked(self, listings: tuple[DemoListing, ...]) -> list[DemoListing]:
        """Search order: best sellers first, then by id (deterministic)."""
        return sorted(listings, key=lambda x: (-x.sold, x.listing_id))

    def _search(self, platform: str, keyword: str | None, seller_id: str | None) -> list[DemoListing]:
        pool = self.catalog.listings_on(platform)
        if seller_id is not None:
            pool = tuple(x for x in pool if x.seller_id == seller_id)
        if keyword is not None:
            wanted = fold_words(keyword)
            if not wanted:  # only punctuation: nothing matches, rather than everything
                return []
            pool = tuple(x for x in pool if all(w in self._tokens[(platform, x.listing_id)] for w in wanted))
        return self._ranked(pool)

    def cached(self, key: tuple[object, ...], make: Callable[[], Response]) -> Response:
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

    def _build_common(self) -> None:
        web_shops = [s for s in self.catalog.sellers if s.platform == "demo-web"]
        robots = ["User-agent: *", "Allow: /", ""]
        robots += [f"Sitemap: {self.url(s.shop_url_path + '/sitemap.xml')}" for s in web_shops]
        self.static["/robots.txt"] = Response(200, "text/plain; charset=utf-8", ("\n".join(robots) + "\n").encode())
        self.static["/"] = _html_response(self._index_page())
        self.static["/blocked/captcha"] = _html_response(
            _page(
                "Xác minh bảo mật",
                '<div class="captcha-container"><h1>Xác minh bảo mật</h1>'
                "<p>Vui lòng xác minh bạn không phải là robot</p>"
                '<form id="captcha-form" method="post" action="/blocked/captcha">'
                '<div class="g-recaptcha" data-sitekey="demo-site-key"></div>'
                '<input type="hidden" name="captcha_token" value="">'
                '<button type="submit">Xác minh</button></form></div>',
            )
        )
        self.static["/blocked/login"] = _html_response(
            _page(
                "Đăng nhập",
                '<div class="login-wall"><h1>Đăng nhập</h1>'
                "<p>Vui lòng đăng nhập để tiếp tục xem sản phẩm.</p>"
                '<form id="login-form" method="post" action="/blocked/login">'
                '<input type="text" name="loginKey" placeholder="Email/Số điện thoại/Tên đăng nhập">'
                '<input type="password" name="password" placeholder="Mật khẩu">'
                '<button type="submit">Đăng nhập</button></form></div>',
            )
        )

    def _index_page(self) -> bytes:
        parts = [
            "<h1>listingwatch demo marketplace</h1>",
            f"<p>Catalog seed {self.catalog.seed}: {len(self.catalog.sellers)} sellers, "
            f"{len(self.catalog.listings)} listings. Only for tests and demonstrations.</p>",
        ]
        entry = {
            "demo-tiki": ("Tiki (JSON API)", "/tiki/api/v2/products?q=sua&page=1&limit=40"),
            "demo-shopee": ("Shopee (JavaScript pages)", "/shopee/search?keyword=giay"),
            "demo-web": ("Stand-alone shops (JSON-LD)", "/robots.txt"),
            "demo-sendo": ("Sendo (search API)", "/sendo/api/web/products?q=kem&page=1&size=60"),
            "demo-lazada": ("Lazada (catalog ajax + JSON-LD)", "/lazada/catalog/?ajax=true&q=giay&page=1"),
            "demo-tiktok": ("TikTok Shop (XHR pages)", "/tiktok/search?q=sua"),
            "demo-facebook": ("Facebook (posts rendered by JavaScript)", "/facebook/search/posts?q=giay"),
        }
        for platform, (label, example) in entry.items():
            parts.append(f'<section class="platform" data-platform="{e(platform)}"><h2>{e(label)}</h2>')
            parts.append(f'<p><a class="platform-entry" href="{e(example)}">{e(example)}</a></p><ul>')
            for seller in self.catalog.sellers_on(platform):
                parts.append(
                    f'<li><a class="shop-link" data-platform="{e(platform)}" data-seller-id="{e(seller.seller_id)}" '
                    f'href="{e(seller.shop_url_path)}">{e(seller.name)}</a></li>'
                )
            parts.append("</ul></section>")
        parts.append('<p><a href="/blocked/captcha">captcha page</a> · <a href="/blocked/login">login wall</a></p>')
        return _page("listingwatch demo marketplace", "\n".join(parts))

    # ------------------------------------------------------------------ demo-tiki
    def _tiki_url_key(self, listing: DemoListing) -> str:
        return f"{listing.slug}-p{listing.listing_id}"

    def _tiki_spid(self, listing: DemoListing) -> int:
        return int(listing.listing_id) + 2

    def _tiki_url_path(self, listing: DemoListing) -> str:
        return f"{self._tiki_url_key(listing)}.html?spid={self._tiki_spid(listing)}"

    def _tiki_badges(self, seller: DemoSeller) -> list[JSONValue]:
        badges: list[JSONValue] = []
        if seller.is_official:
            badges.append(
                {
                    "placement": "left_brand",
                    "code": "is_authentic",
                    "type": "is_authentic",
                    "index": 4,
                    "icon": self.url("/img/badge/is_authentic.png"),
                    "icon_width": 89,
                    "icon_height": 20,
                    "text_color": None,
                    "background_color": None,
                    "href": None,
                    "text": None,
                }
            )
        badges.append(
            {
                "placement": "right_authentic",
                "code": "return_policy",
                "type": "return_policy",
                "index": 3,
                "icon": self.url("/img/badge/return_policy.png"),
                "icon_width": 114,
                "icon_height": 20,
                "text_color": None,
                "background_color": None,
                "href": None,
                "text": None,
            }
        )
        return badges

    def _tiki_quantity_sold(self, listing: DemoListing) -> JSONValue:
        if listing.sold == 0:
            return None
        return {"text": sold_text(listing.sold), "value": listing.sold}

    def _tiki_brand(self, listing: DemoListing) -> JSONValue:
        if listing.brand is None:
            return None
        return {"id": listing.brand_id, "name": listing.brand, "slug": slugify(listing.brand)}

    def _tiki_list_item(self, listing: DemoListing) -> JSONValue:
        seller = self.catalog.seller(listing.platform, listing.seller_id)
        return {
            "id": int(listing.listing_id),
            "sku": listing.sku,
            "name": listing.title,
            "url_key": self._tiki_url_key(listing),
            "url_path": self._tiki_url_path(listing),
            "type": "simple",
            "brand_name": listing.brand,
            "short_description": "",
            "price": listing.price,
            "list_price": listing.list_price,
            "original_price": listing.list_price,
            "discount": listing.list_price - listing.price,
            "discount_rate": _discount_rate(listing),
            "rating_average": listing.rating if listing.rating is not None else 0,
            "review_count": listing.review_count,
            "quantity_sold": self._tiki_quantity_sold(listing),
            "seller_id": int(seller.seller_id),
            "seller_name": seller.name,
            "seller_product_id": self._tiki_spid(listing),
            "thumbnail_url": self.image_url(listing.images[0], "280x280"),
            "inventory_status": "available",
            "primary_category_path": "1/2/" + "/".join(str(i) for i in listing.category_ids),
            "badges_new": self._tiki_badges(seller),
        }

    def _tiki_detail(self, listing: DemoListing) -> JSONValue:
        seller = self.catalog.seller(listing.platform, listing.seller_id)
        product_url = self.url(f"/tiki/{self._tiki_url_key(listing)}.html")
        content_attrs: list[JSONValue] = []
        if listing.brand is not None:
            content_attrs.append({"code": "brand", "name": "Thương hiệu", "value": listing.brand})
        if listing.brand_country is not None:
            content_attrs.append({"code": "brand_country", "name": "Xuất xứ thương hiệu", "value": listing.brand_country})
        if listing.origin is not None:
            content_attrs.append({"code": "origin", "name": "Xuất xứ (Made in)", "value": listing.origin})
        content_attrs.append({"code": "sku", "name": "SKU", "value": listing.sku})
        paragraphs = listing.description.split("\n")
        description_html = "\n".join(f"<p>{e(p)}</p>" for p in paragraphs)
        short = " ".join(paragraphs)
        if len(short) > 200:
            short = short[:200].rstrip() + " ..."
        breadcrumbs: list[JSONValue] = [
            {"url": f"/{slugify(name)}/c{cid}", "name": name, "category_id": cid}
            for name, cid in zip(listing.category, listing.category_ids, strict=True)
        ]
        breadcrumbs.append({"url": product_url, "name": listing.title, "category_id": 0})
        return {
            "id": int(listing.listing_id),
            "master_id": int(listing.listing_id),
            "sku": listing.sku,
            "name": listing.title,
            "url_key": self._tiki_url_key(listing),
            "url_path": self._tiki_url_path(listing),
            "short_url": self.url(f"/tiki/product-p{listing.listing_id}.html?spid={self._tiki_spid(listing)}"),
            "type": "simple",
            "short_description": short,
            "price": listing.price,
            "list_price": listing.list_price,
            "original_price": listing.list_price,
            "badges_new": self._tiki_badges(seller),
            "tracking_info": {"amplitude": {"is_authentic": seller.is_official}},
            "discount": listing.list_price - listing.price,
            "discount_rate": _discount_rate(listing),
            "rating_average": listing.rating if listing.rating is not None else 0,
            "review_count": listing.review_count,
            "review_text": f"({listing.review_count})",
            "favourite_count": 0,
            "thumbnail_url": self.image_url(listing.images[0], "280x280"),
            "inventory_status": "available",
            "inventory_type": "instock",
            "day_ago_created": listing.days_since_created,
            "all_time_quantity_sold": listing.sold,
            "description": description_html,
            "images": [
                {
                    "base_url": self.image_url(key, "base"),
                    "is_gallery": True,
                    "label": None,
                    "large_url": self.image_url(key, "w1200"),
                    "medium_url": self.image_url(key, "w300"),
                    "position": None,
                    "small_url": self.image_url(key, "200x280"),
                    "thumbnail_url": self.image_url(key, "200x280"),
                }
                for key in listing.images
            ],
            "brand": self._tiki_brand(listing),
            "current_seller": {
                "id": int(seller.seller_id),
                "sku": listing.sku,
                "name": seller.name,
                "link": self.url(seller.shop_url_path),
                "logo": self.url(f"/img/seller/{seller.slug}.png"),
                "price": listing.price,
                "product_id": str(self._tiki_spid(listing)),
                "store_id": int(seller.seller_id) + 40000,
                "is_best_store": seller.is_official,
                "is_offline_installment_supported": None,
            },
            "other_sellers": [],
            "specifications": [
                {"name": "Content", "attributes": content_attrs},
                {
                    "name": "Operation",
                    "attributes": [
                        {"code": "is_warranty_applied", "name": "Sản phẩm có được bảo hành không?",
                         "value": "Có" if seller.role != "counterfeit" else "Không"},
                    ],
                },
            ],
            "stock_item": {"max_sale_qty": 1000, "min_sale_qty": 1, "preorder_date": None, "qty": listing.stock},
            "quantity_sold": self._tiki_quantity_sold(listing),
            "categories": {"id": listing.category_ids[-1], "name": listing.category[-1], "is_leaf": True},
            "breadcrumbs": breadcrumbs,
            "is_baby_milk": listing.category[1] == "Sữa công thức",
            "is_acoholic_drink": False,
        }

    def _tiki_product_page(self, listing: DemoListing, detail: JSONValue) -> Response:
        seller = self.catalog.seller(listing.platform, listing.seller_id)
        next_data = {
            "props": {
                "isServer": True,
                "initialState": {
                    "productv2": {
                        "productData": {
                            "request": {"productId": listing.listing_id, "spid": str(self._tiki_spid(listing))},
                            "response": {
                                "data": detail,
                                "productGiftData": None,
                                "productType": "simple",
                                "lastProductId": int(listing.listing_id),
                            },
                            "error": None,
                            "loading": False,
                            "firstLoaded": True,
                        }
                    }
                },
                "initialProps": {},
            },
            "page": "/ProductPage",
            "query": {"spid": str(self._tiki_spid(listing)), "name": listing.slug, "id": listing.listing_id},
            "buildId": "demo-build",
            "isFallback": False,
            "gip": True,
            "appGip": True,
            "scriptLoader": [],
        }
        ld: dict[str, JSONValue] = {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": listing.title,
            "image": self.image_url(listing.images[0]),
            "sku": listing.sku,
            "offers": {
                "@type": "Offer",
                "price": listing.price,
                "priceCurrency": "VND",
                "availability": "https://schema.org/InStock",
                "url": self.url(f"/tiki/{self._tiki_url_key(listing)}.html"),
                "seller": {"@type": "Organization", "name": seller.name},
            },
        }
        if listing.brand is not None:
            ld["brand"] = {"@type": "Brand", "name": listing.brand}
        official = '<span class="badge-official">Chính hãng</span>' if seller.is_official else ""
        body = (
            '<div id="__next"><main class="product-page">'
            f'<nav class="breadcrumb">{" › ".join(e(c) for c in listing.category)}</nav>'
            f'<h1 class="title">{e(listing.title)}</h1>{official}'
            f'<div class="brand">Thương hiệu: {e(listing.brand or "OEM")}</div>'
            f'<div class="product-price__current-price">{e(vnd(listing.price))}</div>'
            f'<div class="product-price__list-price">{e(vnd(listing.list_price))}</div>'
            f'<div class="seller"><a class="seller-link" href="{e(seller.shop_url_path)}">{e(seller.name)}</a></div>'
            f'<div class="description">{"".join(f"<p>{e(p)}</p>" for p in listing.description.splitlines())}</div>'
            "</main></div>"
            f'<script id="__NEXT_DATA__" type="application/json">{json_for_script(next_data)}</script>'
        )
        head = f'<script type="application/ld+json">{json_for_script(ld)}</script>'
        return _html_response(_page(f"{listing.title} | Tiki", body, head))

    def _tiki_seller(self, seller: DemoSeller) -> JSONValue:
        return {
            "data": {
                "seller": {
                    "id": int(seller.seller_id),
                    "name": seller.name,
                    "store_id": int(seller.seller_id) + 40000,
                    "url": self.url(seller.shop_url_path),
                    "icon": self.url(f"/img/seller/{seller.slug}.png"),
                    "is_official": seller.is_official,
                    "store_level": "OFFICIAL_STORE" if seller.is_official else "NONE",
                    "avg_rating_point": seller.rating,
                    "review_count": seller.review_count,
                    "total_follower": seller.follower_count,
                    "days_since_joined": seller.days_since_joined,
                    "info": {
                        "business_name": seller.business_name,
                        "tax_number": seller.business_id,
                        "address": seller.address,
                        "phone": seller.phone,
                    },
                }
            }
        }

    def _identity_footer(self, seller: DemoSeller) -> str:
        return f'<footer class="shop-identity">{identity_html(seller)}</footer>'

    def _tiki_shop_page(self, seller: DemoSeller) -> Response:
        items = self.catalog.listings_of(seller)
        cards = "\n".join(
            f'<div class="product-item" data-id="{e(x.listing_id)}">'
            f'<a class="product-link" href="/tiki/{e(self._tiki_url_path(x))}">{e(x.title)}</a>'
            f'<span class="price">{e(vnd(x.price))}</span></div>'
            for x in items
        )
        official = '<span class="badge-official">Official Store</span>' if seller.is_official else ""
        body = (
            f'<div id="seller-page" data-seller-id="{e(seller.seller_id)}">'
            f'<h1 class="seller-name">{e(seller.name)}</h1>{official}'
            f'<p class="seller-location">{e(seller.location)}</p>'
            f'<p class="seller-about">{e(seller.description)}</p>'
            f'<p class="seller-api"><a href="/tiki/api/v2/sellers/{e(seller.seller_id)}">seller info</a> · '
            f'<a href="/tiki/api/v2/products?seller={e(seller.seller_id)}&amp;page=1&amp;limit=40">products API</a></p>'
            f'<div class="product-list">{cards}</div>{self._identity_footer(seller)}</div>'
        )
        return _html_response(_page(f"{seller.name} | Tiki", body))

    def _build_tiki(self) -> None:
        for seller in self.catalog.sellers_on("demo-tiki"):
            self.static[seller.shop_url_path] = self._tiki_shop_page(seller)
            self.static[f"/tiki/api/v2/sellers/{seller.seller_id}"] = _json_response(self._tiki_seller(seller))
        for listing in self.catalog.listings_on("demo-tiki"):
            detail = self._tiki_detail(listing)
            self.tiki_detail[listing.listing_id] = detail
            self.static[f"/tiki/api/v2/products/{listing.listing_id}"] = _json_response(detail)
            self.tiki_pages[listing.listing_id] = self._tiki_product_page(listing, detail)

    def tiki_search(self, query: Mapping[str, list[str]]) -> Response:
        keyword = _str_param(query, "q")
        seller_id = _str_param(query, "seller")
        page = _int_param(query, "page", 1)
        limit = _int_param(query, "limit", TIKI_PAGE_LIMIT)
        if page is None or limit is None or page < 1 or not 1 <= limit <= TIKI_MAX_LIMIT:
            return _json_response({"error": {"code": 400, "message": "invalid page or limit"}}, 400)
        if (keyword is None or keyword.strip() == "") and seller_id is None:
            return _json_response({"error": {"code": 400, "message": "q or seller is required"}}, 400)

        def make() -> Response:
            found = self._search("demo-tiki", keyword, seller_id)
            total = len(found)
            start = (page - 1) * limit
            chunk = found[start : start + limit]
            paging = {
                "total": total,
                "per_page": limit,
                "current_page": page,
                "last_page": max(1, math.ceil(total / limit)),
                "from": start + 1 if chunk else None,
                "to": start + len(chunk) if chunk else None,
            }
            return _json_response({"data": [self._tiki_list_item(x) for x in chunk], "paging": paging})

        return self.cached(("tiki", keyword, seller_id, page, limit), make)

    # ------------------------------------------------------------------ demo-web
    def _web_org_ld(self, seller: DemoSeller) -> JSONValue:
        org: dict[str, JSONValue] = {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": seller.name,
            "url": self.url(seller.shop_url_path),
            "logo": self.url(f"/img/seller/{seller.slug}.png"),
        }
        if seller.business_name is not None:
            org["legalName"] = seller.business_name
        if seller.business_id is not None:
            org["taxID"] = seller.business_id
        if seller.phone is not None:
            org["telephone"] = seller.phone
        if seller.address is not None:
            org["address"] = {
                "@type": "PostalAddress",
                "streetAddress": seller.address,
                "addressRegion": seller.location,
                "addressCountry": "VN",
            }
        return org

    def _web_page(self, seller: DemoSeller, title: str, main: str, head: str = "") -> bytes:
        org = f'<script type="application/ld+json">{json_for_script(self._web_org_ld(seller))}</script>'
        nav = (
            f'<header class="site-header"><a class="logo" href="{e(seller.shop_url_path)}">{e(seller.name)}</a>'
            f'<nav><a href="{e(seller.shop_url_path)}/collections/all">Tất cả sản phẩm</a></nav></header>'
        )
        return _page(f"{title} – {seller.name}", nav + main + self._identity_footer(seller), head + org)

    def _web_product_ld(self, seller: DemoSeller, listing: DemoListing) -> JSONValue:
        ld: dict[str, JSONValue] = {
            "@context": "https://schema.org",
            "@type": "Product",
            "productID": listing.listing_id,
            "name": listing.title,
            "description": listing.description,
            "sku": listing.sku,
            "image": [self.image_url(k) for k in listing.images],
            "category": listing.category_text,
            "url": self.url(listing.path),
            "offers": {
                "@type": "Offer",
                "price": str(listing.price),
                "priceCurrency": "VND",
                "availability": "https://schema.org/InStock",
                "url": self.url(listing.path),
                "itemCondition": "https://schema.org/NewCondition",
                "seller": {"@type": "Organization", "name": seller.name},
            },
        }
        if listing.brand is not None:
            ld["brand"] = {"@type": "Brand", "name": listing.brand}
        if listing.gtin is not None:
            ld["gtin13"] = listing.gtin
        if listing.origin is not None:
            ld["countryOfOrigin"] = listing.origin
        if listing.rating is not None:
            ld["aggregateRating"] = {
                "@type": "AggregateRating",
                "ratingValue": listing.rating,
                "reviewCount": listing.review_count,
            }
        return ld

    def _web_product_page(self, seller: DemoSeller, listing: DemoListing) -> Response:
        ld = f'<script type="application/ld+json">{json_for_script(self._web_product_ld(seller, listing))}</script>'
        compare = ""
        if listing.list_price > listing.price:
            compare = f'<del class="compare-price">{e(vnd(listing.list_price))}</del>'
        barcode = f'<li>Mã vạch: {e(listing.gtin)}</li>' if listing.gtin is not None else ""
        main = (
            f'<main class="product" data-product-id="{e(listing.listing_id)}">'
            f'<h1 class="product-title">{e(listing.title)}</h1>'
            f'<div class="product-price"><span class="price">{e(vnd(listing.price))}</span>{compare}</div>'
            f'<ul class="product-meta"><li>Thương hiệu: {e(listing.brand or "Đang cập nhật")}</li>'
            f'<li>SKU: {e(listing.sku)}</li>{barcode}<li>Xuất xứ: {e(listing.origin or "Đang cập nhật")}</li></ul>'
            f'<img src="{e(self.image_url(listing.images[0]))}" alt="{e(listing.title)}">'
            f'<div class="product-description">{"".join(f"<p>{e(p)}</p>" for p in listing.description.splitlines())}</div>'
            "</main>"
        )
        return _html_response(self._web_page(seller, listing.title, main, ld))

    def _web_collection_page(self, seller: DemoSeller, page: int) -> Response | None:
        items = self.catalog.listings_of(seller)
        last = max(1, math.ceil(len(items) / WEB_PAGE_SIZE))
        if not 1 <= page <= last:
            return None
        chunk = items[(page - 1) * WEB_PAGE_SIZE : page * WEB_PAGE_SIZE]
        base = f"{seller.shop_url_path}/collections/all"
        head = ""
        if page > 1:
            head += f'<link rel="prev" href="{e(self.url(f"{base}?page={page - 1}"))}">'
        if page < last:
            head += f'<link rel="next" href="{e(self.url(f"{base}?page={page + 1}"))}">'
        cards = "\n".join(
            f'<div class="product-item"><a class="product-link" href="{e(x.path)}">{e(x.title)}</a>'
            f'<span class="price">{e(vnd(x.price))}</span></div>'
            for x in chunk
        )
        pager = f'<div class="pagination">Trang {page}/{last}</div>'
        main = f'<main class="collection"><h1>Tất cả sản phẩm</h1><div class="product-list">{cards}</div>{pager}</main>'
        return _html_response(self._web_page(seller, f"Tất cả sản phẩm - Trang {page}", main, head))

    def _web_sitemap(self, seller: DemoSeller) -> Response:
        urls = "".join(
            f"<url><loc>{e(self.url(x.path))}</loc><lastmod>{_iso_day(min(x.days_since_created, 30))}</lastmod></url>"
            for x in self.catalog.listings_of(seller)
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
        )
        return Response(200, "application/xml; charset=utf-8", body.encode())

    def _build_web(self) -> None:
        for seller in self.catalog.sellers_on("demo-web"):
            self.web_shops[seller.seller_id] = seller
            home_main = (
                f'<main class="home"><h1>{e(seller.name)}</h1><p>{e(seller.description)}</p>'
                f'<p><a href="{e(seller.shop_url_path)}/collections/all">Xem tất cả sản phẩm</a></p></main>'
            )
            home = _html_response(self._web_page(seller, "Trang chủ", home_main))
            self.static[seller.shop_url_path] = home
            self.static[seller.shop_url_path + "/"] = home
            self.static[seller.shop_url_path + "/sitemap.xml"] = self._web_sitemap(seller)
            for listing in self.catalog.listings_of(seller):
                self.static[listing.path] = self._web_product_page(seller, listing)

    def web_collection(self, shop: str, query: Mapping[str, list[str]]) -> Response:
        seller = self.web_shops.get(shop)
        page = _int_param(query, "page", 1)
        if seller is None or page is None:
            return _not_found_html()
        return self.cached(("web", shop, page), lambda: self._web_collection_page(seller, page) or _not_found_html())

    # ------------------------------------------------------------------ demo-shopee
    def _shopee_rating_counts(self, listing: DemoListing) -> list[int]:
        n = listing.review_count
        if n == 0 or listing.rating is None:
            return [0, 0, 0, 0, 0, 0]
        five = min(n, max(0, round(n * (listing.rating - 4.0))))
        four = n - five
        return [n, 0, 0, 0, four, five]

    def _shopee_item_basic(self, listing: DemoListing) -> JSONValue:
        seller = self.catalog.seller(listing.platform, listing.seller_id)
        price = listing.price * SHOPEE_PRICE_FACTOR
        before = listing.list_price * SHOPEE_PRICE_FACTOR
        discount = _discount_rate(listing)
        return {
            "itemid": int(listing.listing_id),
            "shopid": int(seller.seller_id),
            "name": listing.title,
            "label_ids": [],
            "image": listing.images[0],
            "images": list(listing.images),
            "currency": "VND",
            "stock": listing.stock,
            "status": 1,
            "ctime": REFERENCE_EPOCH - listing.days_since_created * 86400,
            "sold": min(listing.sold, listing.sold // 12 + 1) if listing.sold else 0,
            "historical_sold": listing.sold,
            "liked": False,
            "liked_count": listing.review_count * 3,
            "cmt_count": listing.review_count,
            "catid": listing.category_ids[-1],
            "brand": listing.brand,
            "price": price,
            "price_min": price,
            "price_max": price,
            "price_min_before_discount": before if discount else -1,
            "price_max_before_discount": before if discount else -1,
            "price_before_discount": before if discount else 0,
            "raw_discount": discount,
            "discount": f"{discount}%" if discount else None,
            "has_lowest_price_guarantee": False,
            "show_discount": discount,
            "item_rating": {
                "rating_star": listing.rating if listing.rating is not None else 0,
                "rating_count": self._shopee_rating_counts(listing),
                "rcount_with_context": listing.review_count // 3,
                "rcount_with_image": listing.review_count // 5,
            },
            "item_status": "normal",
            "item_type": 0,
            "is_adult": False,
            "shop_location": seller.location,
            "is_official_shop": seller.is_official,
            "show_official_shop_label": seller.is_official,
            "show_official_shop_label_in_title": seller.is_official,
            "shopee_verified": seller.role != "counterfeit",
            "show_shopee_verified_label": seller.role != "counterfeit",
            "show_free_shipping": True,
            "tier_variations": [],
        }

    def _shopee_item_detail(self, listing: DemoListing) -> JSONValue:
        data = dict(self._shopee_item_basic(listing))
        attributes: list[JSONValue] = []
        if listing.brand is not None:
            attributes.append({"name": "Thương hiệu", "value": listing.brand, "id": 100001, "is_timestamp": False})
        if listing.origin is not None:
            attributes.append({"name": "Xuất xứ", "value": listing.origin, "id": 100002, "is_timestamp": False})
        if listing.gtin is not None:
            attributes.append({"name": "Mã vạch", "value": listing.gtin, "id": 100003, "is_timestamp": False})
        data.update(
            {
                "description": listing.description,
                "brand_id": listing.brand_id,
                "condition": 1,
                "attributes": attributes,
                "categories": [
                    {"catid": cid, "display_name": name, "no_sub": False, "is_default_subcat": False}
                    for name, cid in zip(listing.category, listing.category_ids, strict=True)
                ],
                "models": [],
            }
        )
        return {"error": 0, "error_msg": None, "data": data}

    def _shopee_shop_detail(self, seller: DemoSeller) -> JSONValue:
        about = [seller.description]
        if seller.business_name is not None:
            about.append(seller.business_name)
        if seller.business_id is not None:
            about.append(f"MST: {seller.business_id}")
        if seller.phone is not None:
            about.append(f"Hotline: {seller.phone}")
        if seller.address is not None:
            about.append(f"Địa chỉ: {seller.address}")
        items = self.catalog.listings_of(seller)
        return {
            "error": 0,
            "error_msg": None,
            "data": {
                "shopid": int(seller.seller_id),
                "userid": int(seller.seller_id) + 7_000_000,
                "name": seller.name,
                "account": {"username": seller.slug.replace("-", "")[:24], "is_seller": True},
                "is_official_shop": seller.is_official,
                "shopee_verified": seller.role != "counterfeit",
                "is_shopee_verified": seller.role != "counterfeit",
                "shop_location": seller.location,
                "place": seller.location,
                "ctime": REFERENCE_EPOCH - seller.days_since_joined * 86400,
                "item_count": len(items),
                "rating_star": seller.rating,
                "rating_good": seller.review_count,
                "rating_normal": seller.review_count // 40,
                "rating_bad": seller.review_count // 80,
                "follower_count": seller.follower_count,
                "response_rate": 98 if seller.role != "counterfeit" else 71,
                "vacation": False,
                "description": "\n".join(about),
            },
        }

    def _shopee_items_page(self, listings: list[DemoListing], offset: int, limit: int) -> Response:
        chunk = listings[offset : offset + limit]
        items = [
            {"item_basic": self._shopee_item_basic(x), "itemid": int(x.listing_id), "shopid": int(x.seller_id),
             "adsid": None, "campaignid": None}
            for x in chunk
        ]
        return _json_response(
            {
                "error": None,
                "total_count": len(listings),
                "nomore": offset + limit >= len(listings),
                "items": items,
            }
        )

    def _shopee_page(self, title: str, body: str, script: str) -> Response:
        style = (
            "<style>.shopee-item{display:inline-block;width:190px;margin:4px;vertical-align:top}"
            ".item-description{white-space:pre-line}</style>"
        )
        return _html_response(_page(title, f'{body}<script>{_SHOPEE_COMMON_JS}{script}</script>', style))

    def _build_shopee(self) -> None:
        for listing in self.catalog.listings_on("demo-shopee"):
            self.shopee_items[(listing.seller_id, listing.listing_id)] = self._shopee_item_detail(listing)
        self.static["/shopee/"] = self.static["/shopee"] = self._shopee_page(
            "Shopee Việt Nam | Mua và Bán Trên Ứng Dụng Di Động Hoặc Website",
            '<form action="/shopee/search"><input name="keyword"><button>Tìm</button></form>',
            "",
        )

    def shopee_search_page(self) -> Response:
        body = (
            '<div class="shopee-search-page"><h1 class="search-title">Kết quả tìm kiếm</h1>'
            '<div class="shopee-search-item-result__items" id="results"></div>'
            '<div id="status" class="loading">Đang tải...</div></div>'
        )
        return self._shopee_page("Shopee Việt Nam", body, _SHOPEE_SEARCH_JS)

    def shopee_shop_page(self, shopid: str) -> Response:
        body = (
            f'<div class="shop-page" data-shopid="{e(shopid)}"><div id="shop-header">'
            '<h1 class="shop-name"></h1><div class="shop-location"></div>'
            '<div class="shop-badge"></div><div class="shop-description item-description"></div></div>'
            '<div class="shop-search-result-view" id="results"></div>'
            '<div id="status" class="loading">Đang tải...</div></div>'
        )
        return self._shopee_page("Shop | Shopee Việt Nam", body, _SHOPEE_SHOP_JS)

    def shopee_product_page(self) -> Response:
        body = (
            '<div class="product-page" id="product"><h1 class="product-name"></h1>'
            '<div class="product-price"></div><div class="product-brand"></div>'
            '<ul class="product-attributes"></ul><a class="shop-link" href="#"></a>'
            '<div class="product-description item-description"></div>'
            '<div id="status" class="loading">Đang tải...</div></div>'
        )
        return self._shopee_page("Sản phẩm | Shopee Việt Nam", body, _SHOPEE_PRODUCT_JS)

    def shopee_api(self, path: str, query: Mapping[str, list[str]]) -> Response:
        if path == "/shopee/api/v4/search/search_items":
            keyword = _str_param(query, "keyword")
            offset = _int_param(query, "newest", 0)
            limit = _int_param(query, "limit", SHOPEE_SEARCH_LIMIT)
            if keyword is None or offset is None or limit is None or offset < 0 or not 1 <= limit <= SHOPEE_MAX_LIMIT:
                return _json_response({"error": 2, "error_msg": "invalid params", "items": None}, 400)
            kw, start, size = keyword, offset, limit
            return self.cached(
                ("shopee-search", kw, start, size),
                lambda: self._shopee_items_page(self._search("demo-shopee", kw, None), start, size),
            )
        if path == "/shopee/api/v4/shop/search_items":
            shopid = _str_param(query, "shopid")
            offset = _int_param(query, "offset", 0)
            limit = _int_param(query, "limit", SHOPEE_SHOP_LIMIT)
            if shopid is None or offset is None or limit is None or offset < 0 or not 1 <= limit <= SHOPEE_MAX_LIMIT:
                return _json_response({"error": 2, "error_msg": "invalid params", "items": None}, 400)
            if ("demo-shopee", shopid) not in {(s.platform, s.seller_id) for s in self.catalog.sellers_on("demo-shopee")}:
                return _json_response({"error": 4, "error_msg": "shop not found", "items": None})
            shop, first, count = shopid, offset, limit
            return self.cached(
                ("shopee-shop", shop, first, count),
                lambda: self._shopee_items_page(self._search("demo-shopee", None, shop), first, count),
            )
        if path == "/shopee/api/v4/shop/get_shop_detail":
            shopid = _str_param(query, "shopid") or ""
            try:
                seller = self.catalog.seller("demo-shopee", shopid)
            except KeyError:
                return _json_response({"error": 4, "error_msg": "shop not found", "data": None})
            return self.cached(("shopee-shop-detail", shopid), lambda: _json_response(self._shopee_shop_detail(seller)))
        if path == "/shopee/api/v4/item/get":
            key = (_str_param(query, "shopid") or "", _str_param(query, "itemid") or "")
            item = self.shopee_items.get(key)
            if item is None:
                return _json_response({"error": 4, "error_msg": "item not found", "data": None})
            return self.cached(("shopee-item", *key), lambda: _json_response(item))
        return _json_response({"error": 404, "error_msg": "not found"}, 404)


# The page scripts build the DOM with textContent only: shop titles are hostile in real life.
_SHOPEE_COMMON_JS = r"""
const API_HEADERS = {"x-api-source": "pc", "x-shopee-language": "vi", "x-requested-with": "XMLHttpRequest"};
async function api(url) {
  const r = await fetch(url, {headers: API_HEADERS, credentials: "same-origin"});
  if (!r.ok) { throw new Error("HTTP " + r.status); }
  return r.json();
}
function el(tag, cls, text) {
  const n = document.createElement(tag);
  if (cls) n.className = cls;
  if (text !== undefined && text !== null) n.textContent = String(text);
  return n;
}
function vnd(raw) {
  return "₫" + Math.round(raw / 100000).toLocaleString("vi-VN");
}
function card(it) {
  const d = el("div", "shopee-item");
  d.dataset.itemid = String(it.itemid);
  d.dataset.shopid = String(it.shopid);
  const a = el("a", "shopee-item__link");
  a.href = "/shopee/product/" + it.shopid + "/" + it.itemid;
  const img = el("img", "shopee-item__image");
  img.src = "/shopee/file/" + encodeURIComponent(it.image);
  img.alt = it.name;
  a.appendChild(img);
  a.appendChild(el("div", "shopee-item__name", it.name));
  a.appendChild(el("div", "shopee-item__price", vnd(it.price)));
  a.appendChild(el("div", "shopee-item__sold", "Đã bán " + it.historical_sold));
  a.appendChild(el("div", "shopee-item__location", it.shop_location));
  if (it.is_official_shop) a.appendChild(el("span", "shopee-item__mall", "Mall"));
  d.appendChild(a);
  return d;
}
function done(status, text) {
  const s = document.getElementById("status");
  s.className = status;
  s.textContent = text;
  document.body.dataset.loaded = status;
}
"""

_SHOPEE_SEARCH_JS = r"""
(async function () {
  const kw = new URLSearchParams(location.search).get("keyword") || "";
  document.querySelector(".search-title").textContent = "Kết quả tìm kiếm cho '" + kw + "'";
  const box = document.getElementById("results");
  const limit = 60;
  let newest = 0, count = 0;
  try {
    while (true) {
      const url = "/shopee/api/v4/search/search_items?by=relevancy&keyword=" + encodeURIComponent(kw) +
        "&limit=" + limit + "&newest=" + newest + "&order=desc&page_type=search";
      const data = await api(url);
      for (const w of (data.items || [])) { box.appendChild(card(w.item_basic)); count++; }
      if (data.nomore || !data.items || data.items.length === 0) break;
      newest += limit;
    }
    done("done", count + " sản phẩm");
  } catch (err) { done("error", String(err)); }
})();
"""

_SHOPEE_SHOP_JS = r"""
(async function () {
  const shopid = document.querySelector(".shop-page").dataset.shopid;
  const box = document.getElementById("results");
  try {
    const shop = await api("/shopee/api/v4/shop/get_shop_detail?shopid=" + encodeURIComponent(shopid));
    if (shop.error !== 0 || !shop.data) { done("error", "shop not found"); return; }
    document.querySelector(".shop-name").textContent = shop.data.name;
    document.querySelector(".shop-location").textContent = shop.data.shop_location;
    document.querySelector(".shop-description").textContent = shop.data.description;
    if (shop.data.is_official_shop) document.querySelector(".shop-badge").textContent = "Shopee Mall";
    let offset = 0, count = 0;
    const limit = 30;
    while (true) {
      const data = await api("/shopee/api/v4/shop/search_items?shopid=" + encodeURIComponent(shopid) +
        "&offset=" + offset + "&limit=" + limit + "&filter_sold_out=1&order=desc&sort_by=pop&use_case=1");
      for (const w of (data.items || [])) { box.appendChild(card(w.item_basic)); count++; }
      if (data.nomore || !data.items || data.items.length === 0) break;
      offset += limit;
    }
    done("done", count + " sản phẩm");
  } catch (err) { done("error", String(err)); }
})();
"""

_SHOPEE_PRODUCT_JS = r"""
(async function () {
  const m = location.pathname.match(/\/shopee\/product\/(\d+)\/(\d+)/);
  if (!m) { done("error", "bad url"); return; }
  try {
    const res = await api("/shopee/api/v4/item/get?itemid=" + m[2] + "&shopid=" + m[1]);
    if (res.error !== 0 || !res.data) { done("error", "item not found"); return; }
    const it = res.data;
    const root = document.getElementById("product");
    root.dataset.itemid = String(it.itemid);
    root.dataset.shopid = String(it.shopid);
    root.querySelector(".product-name").textContent = it.name;
    root.querySelector(".product-price").textContent = vnd(it.price);
    root.querySelector(".product-brand").textContent = "Thương hiệu: " + (it.brand || "No Brand");
    const ul = root.querySelector(".product-attributes");
    for (const a of it.attributes) ul.appendChild(el("li", "attr", a.name + ": " + a.value));
    const shop = root.querySelector(".shop-link");
    shop.href = "/shopee/shop/" + it.shopid;
    shop.textContent = "Xem shop";
    root.querySelector(".product-description").textContent = it.description;
    done("done", "ok");
  } catch (err) { done("error", String(err)); }
})();
"""

_TIKI_PRODUCT_PAGE = re.compile(r"^/tiki/(?:[a-z0-9-]*-)?p(\d+)\.html$")
_SHOPEE_SHOP_PAGE = re.compile(r"^/shopee/shop/(\d+)/?$")
_SHOPEE_PRODUCT_PAGE = re.compile(r"^/shopee/product/(\d+)/(\d+)/?$")
_WEB_COLLECTION = re.compile(r"^/shops/([a-z0-9-]+)/collections/all/?$")


def route(site: _Site, path: str, query: Mapping[str, list[str]], headers: Mapping[str, str]) -> Response:
    """Answer one GET request (pure: no sockets, easy to test)."""
    if path.startswith("/tiki/api/") and "ban" in query:
        if _str_param(query, "ban") == "403":
            return _html_response(
                _page("Access Denied", "<h1>Access Denied</h1><p>You don't have permission to access this resource.</p>"),
                403,
            )
        return _json_response(
            {"error": {"code": 429, "message": "Too many requests, please try again later."}},
            429,
            (("Retry-After", "3600"),),
        )
    if path.startswith("/img/") or path.startswith("/shopee/file/"):
        return Response(200, "image/png", _PNG, (("Cache-Control", "public, max-age=86400"),))
    if path.startswith("/shopee/api/"):
        if headers.get("x-api-source", "").lower() != "pc":
            return _json_response(
                {
                    "is_customized": False,
                    "is_login": False,
                    "action_type": 2,
                    "error": SHOPEE_ANTIBOT_ERROR,
                    "tracking_id": "demo-antibot-00000000",
                },
                403,
            )
        return site.shopee_api(path, query)
    if path.startswith(("/sendo/", "/lazada/", "/tiktok/", "/facebook/")):
        extra = site.extra.route(path, query, headers)
        return extra if extra is not None else _not_found_html()
    if path == "/tiki/api/v2/products":
        return site.tiki_search(query)
    static = site.static.get(path)
    if static is not None:
        return static
    if path.startswith("/tiki/api/"):
        return _json_response({"error": {"code": 404, "message": "Không tìm thấy"}}, 404)
    match = _TIKI_PRODUCT_PAGE.match(path)
    if match is not None:
        page = site.tiki_pages.get(match.group(1))
        return page if page is not None else _not_found_html()
    if path == "/shopee/search":
        return site.cached(("shopee-search-page",), site.shopee_search_page)
    match = _SHOPEE_SHOP_PAGE.match(path)
    if match is not None:
        shopid = match.group(1)
        return site.cached(("shopee-shop-page", shopid), lambda: site.shopee_shop_page(shopid))
    if _SHOPEE_PRODUCT_PAGE.match(path) is not None:
        return site.cached(("shopee-product-page",), site.shopee_product_page)
    match = _WEB_COLLECTION.match(path)
    if match is not None:
        return site.web_collection(match.group(1), query)
    return _not_found_html()


# --------------------------------------------------------------------------- HTTP plumbing


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)
        self.site: _Site | None = None
        self.latency_s = 0.0
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall
    server_version = "listingwatch-demo/1.0"
    sys_version = ""
    timeout = 30

    def setup(self) -> None:
        super().setup()
        server = cast(_HTTPServer, self.server)
        with server.connections_lock:
            server.connections.add(self.connection)

    def finish(self) -> None:
        server = cast(_HTTPServer, self.server)
        with server.connections_lock:
            server.connections.discard(self.connection)
        super().finish()

    def _respond(self, head_only: bool) -> None:
        server = cast(_HTTPServer, self.server)
        site = server.site
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        headers = {k.lower(): v for k, v in self.headers.items()}
        if server.latency_s:
            time.sleep(server.latency_s)  # one thread per connection: others are served meanwhile
        if site is None:
            response = Response(503, "text/plain; charset=utf-8", b"starting\n")
        else:
            try:
                response = route(site, parts.path, query, headers)
            except Exception:  # a bug in the demo must not kill the connection thread silently
                log.exception("demo server error on %s", self.path)
                response = Response(500, "text/plain; charset=utf-8", b"internal error\n")
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if not head_only:
            self.wfile.write(response.body)

    def do_GET(self) -> None:
        self._respond(head_only=False)

    def do_HEAD(self) -> None:
        self._respond(head_only=True)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)


class DemoServer:
    """The demo marketplace on 127.0.0.1, in a background thread.

    >>> with DemoServer() as server:          # port 0: the OS picks a free port
    ...     url = server.base_url + "/tiki/api/v2/products?q=sua"
    """

    def __init__(
        self, catalog: Catalog | None = None, host: str = "127.0.0.1", port: int = 0, *, latency_s: float = 0.0
    ) -> None:
        """`latency_s`: wait this long before each response, as a distant marketplace would
        (benchmarks of crawls whose speed is bound by the network, not by this machine)."""
        if host not in LOOPBACK_HOSTS:
            raise ValueError(f"the demo server only listens on 127.0.0.1, not {host!r}")
        self.catalog = catalog if catalog is not None else build_catalog()
        self.host = "127.0.0.1"
        self.port = port
        if latency_s < 0:
            raise ValueError(f"latency_s must be >= 0, not {latency_s}")
        self.latency_s = latency_s
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("DemoServer is not started")
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def bind(self) -> None:
        """Bind the socket and render every body (no requests are served yet)."""
        if self._httpd is not None:
            return
        httpd = _HTTPServer((self.host, self.port))
        self.port = int(httpd.server_address[1])
        self._httpd = httpd
        httpd.latency_s = self.latency_s
        httpd.site = _Site(self.catalog, self.base_url)

    def start(self) -> DemoServer:
        if self._thread is not None:
            return self
        self.bind()
        assert self._httpd is not None
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1}, name="demo-server", daemon=True
        )
        self._thread.start()
        log.info("demo marketplace listening on %s", self.base_url)
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        if thread is not None:
            httpd.shutdown()
            thread.join(timeout=5)
        with httpd.connections_lock:
            open_connections = list(httpd.connections)
        for conn in open_connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        httpd.server_close()
        self._httpd = None
        self._thread = None

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted."""
        self.bind()
        assert self._httpd is not None
        try:
            self._httpd.serve_forever(poll_interval=0.2)
        finally:
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve_forever(port: int, seed: int = DEFAULT_SEED) -> None:
    """Run the demo marketplace on 127.0.0.1:`port` until Ctrl-C (`listingwatch demo-server`)."""
    server = DemoServer(build_catalog(seed), port=port)
    server.bind()
    catalog = server.catalog
    print(
        f"demo marketplace on {server.base_url}/ ({len(catalog.sellers)} sellers, "
        f"{len(catalog.listings)} listings, seed {seed}); Ctrl-C to stop",
        flush=True,
    )
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo.server", description="Run the demo marketplace.")
    parser.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="catalog seed")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    serve_forever(args.port, seed=args.seed)
    return 0


__all__ = ["DemoServer", "Response", "json_for_script", "main", "route", "serve_forever"]

if __name__ == "__main__":
    raise SystemExit(main())
