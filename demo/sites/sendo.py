"""demo-sendo: ``/sendo/api/web/products?q=K&page=N&size=S`` (or ``shop_id=``) in Sendo's
searchlist-api shape ``{"data": [...], "meta": {...}}`` (``block=empty``: its throttled answer);
``/sendo/api/full/{slug}`` one product ``{"data": {...}}``; ``/sendo/shop/{slug}`` a shop page with
the identity footer."""

from __future__ import annotations

import math
from collections.abc import Mapping

from demo.catalog import DemoListing
from demo.pages import (
    JSONValue,
    Response,
    discount_rate,
    e,
    int_param,
    str_param,
    vnd,
)
from demo.sites.base import PlatformSite

SENDO_PAGE_SIZE = 60


class SendoSite(PlatformSite):
    platform = "demo-sendo"
    segment = "sendo"
    label = "Sendo (search API)"
    example = "/sendo/api/web/products?q=kem&page=1&size=60"

    def _item(self, listing: DemoListing) -> JSONValue:
        seller = self.seller_of(listing)
        discount = discount_rate(listing)
        return {
            "id": int(listing.listing_id),
            "name": listing.title,
            "category_path": f"{listing.slug}-{listing.listing_id}.html",
            "image": self.image_url(listing.images[0], "w500"),
            "default_price_min": listing.list_price,
            "default_price_max": listing.list_price,
            "sale_price_min": listing.price,
            "sale_price_max": listing.price,
            "sale_percent": discount,
            "sold": listing.sold,
            "seller_admin_id": int(seller.seller_id) + 1000,
            "sku_user": listing.sku,
            "shop": {
                "id": int(seller.seller_id),
                "name": seller.name,
                "ware_house_region_name": seller.location,
                "badge_urls": [],
            },
            "rated": {"total": listing.review_count, "star": listing.rating or 0},
            "package_discount": None,
        }

    def route(self, path: str, query: Mapping[str, list[str]], headers: Mapping[str, str]) -> Response | None:
        if path == "/sendo/api/web/products":
            keyword = str_param(query, "q")
            shop_id = str_param(query, "shop_id")
            page = int_param(query, "page", 1)
            size = int_param(query, "size", SENDO_PAGE_SIZE)
            if page is None or size is None or page < 1 or not 1 <= size <= 100:
                return self.json({"status": {"code": 400, "message": "invalid page or size"}}, 400)
            if (keyword is None or keyword.strip() == "") and shop_id is None:
                return self.json({"status": {"code": 400, "message": "q or shop_id is required"}}, 400)
            if str_param(query, "block") == "empty":
                # Sendo's throttled answer: 200 with nothing in it, while it claims results.
                return self.json({"data": [], "meta": {"total": 120, "page": page, "size": size, "last_page": 2}})

            def make() -> Response:
                found = self.search(keyword, shop_id)
                chunk = found[(page - 1) * size : page * size]
                meta = {"total": len(found), "page": page, "size": size,
                        "last_page": max(1, math.ceil(len(found) / size))}
                return self.json({"data": [self._item(x) for x in chunk], "meta": meta})

            return self.cached(("sendo", keyword, shop_id, page, size), make)
        if path.startswith("/sendo/api/full/"):
            slug = path.removeprefix("/sendo/api/full/").removesuffix(".html")
            for listing in self.catalog.listings_on(self.platform):
                if f"{listing.slug}-{listing.listing_id}" == slug:
                    return self.json({"data": self._item(listing)})
            return self.json({"status": {"code": 404, "message": "Không tìm thấy sản phẩm"}}, 404)
        seller = self.seller_by_path(path)
        if seller is not None:
            cards = "".join(
                f'<div class="product-item" data-id="{e(x.listing_id)}"><a href="{e(x.path)}">'
                f"{e(x.title)}</a></div>" for x in self.catalog.listings_of(seller))
            body = (f'<div id="shop-page" data-shop-id="{e(seller.seller_id)}"><h1>{e(seller.name)}</h1>'
                    f"{cards}{self.identity_footer(seller)}</div>")
            return self.html(f"{seller.name} | Sendo", body)
        for listing in self.catalog.listings_on(self.platform):
            if listing.path == path:
                body = (f'<h1 class="product-name">{e(listing.title)}</h1>'
                        f'<p class="price">{e(vnd(listing.price))}</p>')
                return self.html(listing.title, body)
        return None
