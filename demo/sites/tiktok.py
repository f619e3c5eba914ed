"""demo-tiktok: ``/tiktok/search?q=K``, ``/tiktok/shop/{seller_id}``, ``/tiktok/view/product/{id}``:
pages whose products only arrive by XHR from ``/tiktok/api/shop/...`` (which answers code 10201
"verify" without the page's ``x-tt-web`` header); ``/tiktok/login`` is the login wall. The page
script (``demo/static/tiktok.js``) sets textContent only: crawled text is hostile in real life."""

from __future__ import annotations

from collections.abc import Mapping

from demo.catalog import REFERENCE_EPOCH, DemoListing
from demo.pages import (
    JSONValue,
    Response,
    e,
    int_param,
    str_param,
    vnd,
)
from demo.sites.base import PlatformSite, script

TIKTOK_PAGE_SIZE = 20
TIKTOK_ANTIBOT_CODE = 10201


class TikTokSite(PlatformSite):
    platform = "demo-tiktok"
    segment = "tiktok"
    label = "TikTok Shop (XHR pages)"
    example = "/tiktok/search?q=sua"

    def _product(self, listing: DemoListing) -> JSONValue:
        seller = self.seller_of(listing)
        return {
            "product_id": listing.listing_id,
            "title": listing.title,
            "brand_name": listing.brand,
            "category_name": listing.category_text,
            "image": {"url_list": [self.image_url(k, "w400") for k in listing.images]},
            "product_price_info": {
                "sale_price_decimal": str(listing.price),
                "origin_price_decimal": str(listing.list_price),
                "currency_name": "VND",
                "sale_price_format": vnd(listing.price),
            },
            "rate_info": {"score": listing.rating if listing.rating is not None else 0,
                          "review_count": str(listing.review_count)},
            "sold_info": {"sold_count": listing.sold},
            "seller_info": {"seller_id": seller.seller_id, "shop_name": seller.name,
                            "is_official": seller.is_official, "region": seller.location},
        }

    def _page(self, title: str, kind: str, value: str) -> Response:
        body = (f'<div id="app" data-kind="{e(kind)}" data-value="{e(value)}">'
                '<h1 class="shop-name"></h1><div class="shop-intro"></div>'
                '<div class="product-list" id="results"></div><div id="status">Đang tải...</div></div>')
        return self.html(title, body + f"<script>{script('tiktok.js')}</script>")

    def route(self, path: str, query: Mapping[str, list[str]], headers: Mapping[str, str]) -> Response | None:
        if path.startswith("/tiktok/api/"):
            if headers.get("x-tt-web") != "1":
                return self.json({"code": TIKTOK_ANTIBOT_CODE, "message": "verify", "data": None}, 403)
            offset = int_param(query, "offset", 0)
            if offset is None or offset < 0:
                return self.json({"code": 400, "message": "invalid offset"}, 400)
            if path == "/tiktok/api/shop/search":
                keyword = str_param(query, "keyword") or ""
                found = self.search(keyword, None) if keyword.strip() else []
            elif path == "/tiktok/api/shop/products":
                found = self.search(None, str_param(query, "seller_id") or "")
            elif path == "/tiktok/api/shop/product":
                try:
                    listing = self.catalog.listing(self.platform, str_param(query, "product_id") or "")
                except KeyError:
                    return self.json({"code": 404, "message": "product not found"}, 404)
                return self.json({"code": 0, "message": "success", "data": {"product": self._product(listing)}})
            elif path == "/tiktok/api/shop/info":
                try:
                    seller = self.catalog.seller(self.platform, str_param(query, "seller_id") or "")
                except KeyError:
                    return self.json({"code": 404, "message": "shop not found"}, 404)
                info = {"seller_id": seller.seller_id, "shop_name": seller.name, "is_official": seller.is_official,
                        "region": seller.location, "business_license_number": seller.business_id,
                        "phone": seller.phone, "address": seller.address, "description": seller.description,
                        "join_time": REFERENCE_EPOCH - seller.days_since_joined * 86400}
                return self.json({"code": 0, "message": "success", "data": {"shop_info": info}})
            else:
                return self.json({"code": 404, "message": "not found"}, 404)
            chunk = found[offset : offset + TIKTOK_PAGE_SIZE]
            return self.json({"code": 0, "message": "success", "data": {
                "products": [self._product(x) for x in chunk],
                "has_more": offset + TIKTOK_PAGE_SIZE < len(found), "next_offset": offset + len(chunk),
                "total": len(found)}})
        if path == "/tiktok/login":
            body = ('<div class="login-container"><h1>Đăng nhập vào TikTok</h1><form id="login-form">'
                    '<input type="text" name="username" placeholder="Email hoặc tên người dùng">'
                    '<input type="password" name="password" placeholder="Mật khẩu">'
                    "<button>Đăng nhập</button></form></div>")
            return self.html("Đăng nhập | TikTok", body)
        if path == "/tiktok/search":
            return self.cached(("tiktok-page", "search"), lambda: self._page("TikTok Shop", "search", ""))
        if path.startswith("/tiktok/shop/"):
            seller_id = path.removeprefix("/tiktok/shop/").strip("/")
            if (self.platform, seller_id) not in {(s.platform, s.seller_id) for s in self.catalog.sellers}:
                return None
            return self.cached(("tiktok-page", "shop", seller_id),
                                lambda: self._page("TikTok Shop", "shop", seller_id))
        if path.startswith("/tiktok/view/product/"):
            product_id = path.removeprefix("/tiktok/view/product/").strip("/")
            if product_id in self.market.removed:
                return self.html("TikTok Shop", "<h1>Sản phẩm không khả dụng</h1>", status=404)
            return self.cached(("tiktok-page", "product", product_id),
                                lambda: self._page("TikTok Shop", "product", product_id))
        return None
