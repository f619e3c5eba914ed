"""demo-web: stand-alone shops (Haravan/Sapo/WooCommerce-like) under ``/shops/<shop>/``, with a
sitemap named in robots.txt, a paged collection, schema.org ``Product`` and ``Organization`` JSON-LD
and an identity footer."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from demo.catalog import DemoListing, DemoSeller
from demo.pages import (
    JSONValue,
    Response,
    e,
    html_page,
    html_response,
    int_param,
    iso_day,
    json_for_script,
    not_found_html,
    vnd,
)
from demo.sites.base import Marketplace, PlatformSite

WEB_PAGE_SIZE = 6
_COLLECTION = re.compile(r"^/shops/([a-z0-9-]+)/collections/all/?$")


class WebSite(PlatformSite):
    platform = "demo-web"
    segment = "shops"
    label = "Stand-alone shops (JSON-LD)"
    example = "/robots.txt"

    def __init__(self, market: Marketplace) -> None:
        self._shops: dict[str, DemoSeller] = {}  # seller id (the shop's slug) -> seller
        super().__init__(market)

    def _org_ld(self, seller: DemoSeller) -> JSONValue:
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

    def _page(self, seller: DemoSeller, title: str, main: str, head: str = "") -> bytes:
        org = f'<script type="application/ld+json">{json_for_script(self._org_ld(seller))}</script>'
        nav = (
            f'<header class="site-header"><a class="logo" href="{e(seller.shop_url_path)}">{e(seller.name)}</a>'
            f'<nav><a href="{e(seller.shop_url_path)}/collections/all">Tất cả sản phẩm</a></nav></header>'
        )
        return html_page(f"{title} – {seller.name}", nav + main + self.identity_footer(seller), head + org)

    def _product_ld(self, seller: DemoSeller, listing: DemoListing) -> JSONValue:
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

    def _product_page(self, seller: DemoSeller, listing: DemoListing) -> Response:
        ld = f'<script type="application/ld+json">{json_for_script(self._product_ld(seller, listing))}</script>'
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
        return html_response(self._page(seller, listing.title, main, ld))

    def _collection_page(self, seller: DemoSeller, page: int) -> Response | None:
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
        return html_response(self._page(seller, f"Tất cả sản phẩm - Trang {page}", main, head))

    def _sitemap(self, seller: DemoSeller) -> Response:
        urls = "".join(
            f"<url><loc>{e(self.url(x.path))}</loc><lastmod>{iso_day(min(x.days_since_created, 30))}</lastmod></url>"
            for x in self.catalog.listings_of(seller)
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
        )
        return Response(200, "application/xml; charset=utf-8", body.encode())

    def build(self) -> None:
        for seller in self.catalog.sellers_on(self.platform):
            self._shops[seller.seller_id] = seller
            home_main = (
                f'<main class="home"><h1>{e(seller.name)}</h1><p>{e(seller.description)}</p>'
                f'<p><a href="{e(seller.shop_url_path)}/collections/all">Xem tất cả sản phẩm</a></p></main>'
            )
            home = html_response(self._page(seller, "Trang chủ", home_main))
            self.static[seller.shop_url_path] = home
            self.static[seller.shop_url_path + "/"] = home
            self.static[seller.shop_url_path + "/sitemap.xml"] = self._sitemap(seller)
            for listing in self.catalog.listings_of(seller):
                self.static[listing.path] = self._product_page(seller, listing)

    def _collection(self, shop: str, query: Mapping[str, list[str]]) -> Response:
        seller = self._shops.get(shop)
        page = int_param(query, "page", 1)
        if seller is None or page is None:
            return not_found_html()
        return self.cached(("web", shop, page), lambda: self._collection_page(seller, page) or not_found_html())

    def route(self, path: str, query: Mapping[str, list[str]], headers: Mapping[str, str]) -> Response | None:
        static = self.static.get(path)
        if static is not None:
            return static
        match = _COLLECTION.match(path)
        if match is not None:
            return self._collection(match.group(1), query)
        return None

    def sitemaps(self) -> list[str]:
        return [self.url(s.shop_url_path + "/sitemap.xml") for s in self.catalog.sellers_on(self.platform)]
