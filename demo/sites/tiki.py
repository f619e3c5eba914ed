"""demo-tiki: Tiki's JSON API (``api/v2/products``, product detail, seller widget), shop pages and
product pages carrying the detail object in ``__NEXT_DATA__``; ``?ban=1`` (429) and ``?ban=403`` on
``/tiki/api/`` answer as Tiki does when it throttles or blocks (block detection tests)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from demo.catalog import DemoListing, DemoSeller, slugify
from demo.pages import (
    JSONValue,
    Response,
    discount_rate,
    e,
    html_page,
    html_response,
    int_param,
    json_for_script,
    json_response,
    not_found_html,
    sold_text,
    str_param,
    vnd,
)
from demo.sites.base import Marketplace, PlatformSite

TIKI_PAGE_LIMIT = 40
TIKI_MAX_LIMIT = 100
_PRODUCT_PAGE = re.compile(r"^/tiki/(?:[a-z0-9-]*-)?p(\d+)\.html$")


class TikiSite(PlatformSite):
    platform = "demo-tiki"
    segment = "tiki"
    label = "Tiki (JSON API)"
    example = "/tiki/api/v2/products?q=sua&page=1&limit=40"

    def __init__(self, market: Marketplace) -> None:
        self._pages: dict[str, Response] = {}  # listing id -> product page
        super().__init__(market)

    def _url_key(self, listing: DemoListing) -> str:
        return f"{listing.slug}-p{listing.listing_id}"

    def _spid(self, listing: DemoListing) -> int:
        return int(listing.listing_id) + 2

    def _url_path(self, listing: DemoListing) -> str:
        return f"{self._url_key(listing)}.html?spid={self._spid(listing)}"

    def _badges(self, seller: DemoSeller) -> list[JSONValue]:
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

    def _quantity_sold(self, listing: DemoListing) -> JSONValue:
        if listing.sold == 0:
            return None
        return {"text": sold_text(listing.sold), "value": listing.sold}

    def _brand(self, listing: DemoListing) -> JSONValue:
        if listing.brand is None:
            return None
        return {"id": listing.brand_id, "name": listing.brand, "slug": slugify(listing.brand)}

    def _list_item(self, listing: DemoListing) -> JSONValue:
        seller = self.catalog.seller(listing.platform, listing.seller_id)
        return {
            "id": int(listing.listing_id),
            "sku": listing.sku,
            "name": listing.title,
            "url_key": self._url_key(listing),
            "url_path": self._url_path(listing),
            "type": "simple",
            "brand_name": listing.brand,
            "short_description": "",
            "price": listing.price,
            "list_price": listing.list_price,
            "original_price": listing.list_price,
            "discount": listing.list_price - listing.price,
            "discount_rate": discount_rate(listing),
            "rating_average": listing.rating if listing.rating is not None else 0,
            "review_count": listing.review_count,
            "quantity_sold": self._quantity_sold(listing),
            "seller_id": int(seller.seller_id),
            "seller_name": seller.name,
            "seller_product_id": self._spid(listing),
            "thumbnail_url": self.image_url(listing.images[0], "280x280"),
            "inventory_status": "available",
            "primary_category_path": "1/2/" + "/".join(str(i) for i in listing.category_ids),
            "badges_new": self._badges(seller),
        }

    def _detail(self, listing: DemoListing) -> JSONValue:
        seller = self.catalog.seller(listing.platform, listing.seller_id)
        product_url = self.url(f"/tiki/{self._url_key(listing)}.html")
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
            "url_key": self._url_key(listing),
            "url_path": self._url_path(listing),
            "short_url": self.url(f"/tiki/product-p{listing.listing_id}.html?spid={self._spid(listing)}"),
            "type": "simple",
            "short_description": short,
            "price": listing.price,
            "list_price": listing.list_price,
            "original_price": listing.list_price,
            "badges_new": self._badges(seller),
            "tracking_info": {"amplitude": {"is_authentic": seller.is_official}},
            "discount": listing.list_price - listing.price,
            "discount_rate": discount_rate(listing),
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
            "brand": self._brand(listing),
            "current_seller": {
                "id": int(seller.seller_id),
                "sku": listing.sku,
                "name": seller.name,
                "link": self.url(seller.shop_url_path),
                "logo": self.url(f"/img/seller/{seller.slug}.png"),
                "price": listing.price,
                "product_id": str(self._spid(listing)),
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
            "quantity_sold": self._quantity_sold(listing),
            "categories": {"id": listing.category_ids[-1], "name": listing.category[-1], "is_leaf": True},
            "breadcrumbs": breadcrumbs,
            "is_baby_milk": listing.category[1] == "Sữa công thức",
            "is_acoholic_drink": False,
        }

    def _product_page(self, listing: DemoListing, detail: JSONValue) -> Response:
        seller = self.catalog.seller(listing.platform, listing.seller_id)
        next_data = {
            "props": {
                "isServer": True,
                "initialState": {
                    "productv2": {
                        "productData": {
                            "request": {"productId": listing.listing_id, "spid": str(self._spid(listing))},
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
            "query": {"spid": str(self._spid(listing)), "name": listing.slug, "id": listing.listing_id},
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
                "url": self.url(f"/tiki/{self._url_key(listing)}.html"),
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
        return html_response(html_page(f"{listing.title} | Tiki", body, head))

    def _seller(self, seller: DemoSeller) -> JSONValue:
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

    def _shop_page(self, seller: DemoSeller) -> Response:
        items = self.catalog.listings_of(seller)
        cards = "\n".join(
            f'<div class="product-item" data-id="{e(x.listing_id)}">'
            f'<a class="product-link" href="/tiki/{e(self._url_path(x))}">{e(x.title)}</a>'
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
            f'<div class="product-list">{cards}</div>{self.identity_footer(seller)}</div>'
        )
        return html_response(html_page(f"{seller.name} | Tiki", body))

    def build(self) -> None:
        for seller in self.catalog.sellers_on(self.platform):
            self.static[seller.shop_url_path] = self._shop_page(seller)
            self.static[f"/tiki/api/v2/sellers/{seller.seller_id}"] = json_response(self._seller(seller))
        for listing in self.catalog.listings_on(self.platform):
            detail = self._detail(listing)
            self.static[f"/tiki/api/v2/products/{listing.listing_id}"] = json_response(detail)
            self._pages[listing.listing_id] = self._product_page(listing, detail)

    def _search_api(self, query: Mapping[str, list[str]]) -> Response:
        keyword = str_param(query, "q")
        seller_id = str_param(query, "seller")
        page = int_param(query, "page", 1)
        limit = int_param(query, "limit", TIKI_PAGE_LIMIT)
        if page is None or limit is None or page < 1 or not 1 <= limit <= TIKI_MAX_LIMIT:
            return json_response({"error": {"code": 400, "message": "invalid page or limit"}}, 400)
        if (keyword is None or keyword.strip() == "") and seller_id is None:
            return json_response({"error": {"code": 400, "message": "q or seller is required"}}, 400)

        def make() -> Response:
            found = self.search(keyword, seller_id)
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
            return json_response({"data": [self._list_item(x) for x in chunk], "paging": paging})

        return self.cached(("tiki", keyword, seller_id, page, limit), make)

    def route(self, path: str, query: Mapping[str, list[str]], headers: Mapping[str, str]) -> Response | None:
        if path.startswith("/tiki/api/") and "ban" in query:
            return _banned(query)
        if path == "/tiki/api/v2/products":
            return self._search_api(query)
        static = self.static.get(path)
        if static is not None:
            return static
        if path.startswith("/tiki/api/"):
            return json_response({"error": {"code": 404, "message": "Không tìm thấy"}}, 404)
        match = _PRODUCT_PAGE.match(path)
        if match is not None:
            page = self._pages.get(match.group(1))
            if page is None and match.group(1) in self.market.removed:
                # Tiki answers a taken-down product with a 200 page of its own, not a 404.
                return self.html("Sản phẩm không tồn tại | Tiki",
                                 '<main class="removed"><h1>Sản phẩm này không còn tồn tại</h1>'
                                 "<p>Sản phẩm đã ngừng kinh doanh hoặc đã bị gỡ.</p></main>")
            return page if page is not None else not_found_html()
        return None


def _banned(query: Mapping[str, list[str]]) -> Response:
    """Tiki's answers to a client it blocks (``ban=403``) or throttles (anything else)."""
    if str_param(query, "ban") == "403":
        return html_response(
            html_page("Access Denied", "<h1>Access Denied</h1><p>You don't have permission to access this resource.</p>"),
            403,
        )
    return json_response(
        {"error": {"code": 429, "message": "Too many requests, please try again later."}},
        429,
        (("Retry-After", "3600"),),
    )
