"""demo-shopee: pages whose listings only appear after their own JavaScript calls ``api/v4``; like
real Shopee the API answers 403 without the ``x-api-source: pc`` header. The page scripts
(``demo/static/shopee_*.js``) build the DOM with textContent only: shop titles are hostile in real
life. Product images (``/shopee/file/...``) are served by `demo.server` with every other image."""

from __future__ import annotations

import re
from collections.abc import Mapping

from demo.catalog import REFERENCE_EPOCH, DemoListing, DemoSeller
from demo.pages import (
    JSONValue,
    Response,
    discount_rate,
    e,
    html_page,
    html_response,
    int_param,
    json_response,
    str_param,
)
from demo.sites.base import Marketplace, PlatformSite, script

SHOPEE_SEARCH_LIMIT = 60
SHOPEE_SHOP_LIMIT = 30
SHOPEE_MAX_LIMIT = 100
SHOPEE_PRICE_FACTOR = 100_000  # real Shopee prices are VND x 100000
SHOPEE_ANTIBOT_ERROR = 90309999
_SHOP_PAGE = re.compile(r"^/shopee/shop/(\d+)/?$")
_PRODUCT_PAGE = re.compile(r"^/shopee/product/(\d+)/(\d+)/?$")


class ShopeeSite(PlatformSite):
    platform = "demo-shopee"
    segment = "shopee"
    label = "Shopee (JavaScript pages)"
    example = "/shopee/search?keyword=giay"

    def __init__(self, market: Marketplace) -> None:
        self._items: dict[tuple[str, str], JSONValue] = {}  # (shop id, item id) -> api/v4/item/get body
        super().__init__(market)

    def _rating_counts(self, listing: DemoListing) -> list[int]:
        n = listing.review_count
        if n == 0 or listing.rating is None:
            return [0, 0, 0, 0, 0, 0]
        five = min(n, max(0, round(n * (listing.rating - 4.0))))
        four = n - five
        return [n, 0, 0, 0, four, five]

    def _item_basic(self, listing: DemoListing) -> JSONValue:
        seller = self.catalog.seller(listing.platform, listing.seller_id)
        price = listing.price * SHOPEE_PRICE_FACTOR
        before = listing.list_price * SHOPEE_PRICE_FACTOR
        discount = discount_rate(listing)
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
                "rating_count": self._rating_counts(listing),
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

    def _item_detail(self, listing: DemoListing) -> JSONValue:
        data = dict(self._item_basic(listing))
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

    def _shop_detail(self, seller: DemoSeller) -> JSONValue:
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

    def _items_page(self, listings: list[DemoListing], offset: int, limit: int) -> Response:
        chunk = listings[offset : offset + limit]
        items = [
            {"item_basic": self._item_basic(x), "itemid": int(x.listing_id), "shopid": int(x.seller_id),
             "adsid": None, "campaignid": None}
            for x in chunk
        ]
        return json_response(
            {
                "error": None,
                "total_count": len(listings),
                "nomore": offset + limit >= len(listings),
                "items": items,
            }
        )

    def _page(self, title: str, body: str, page_script: str) -> Response:
        style = (
            "<style>.shopee-item{display:inline-block;width:190px;margin:4px;vertical-align:top}"
            ".item-description{white-space:pre-line}</style>"
        )
        return html_response(html_page(title, f'{body}<script>{script("shopee_common.js")}{page_script}</script>', style))

    def build(self) -> None:
        for listing in self.catalog.listings_on(self.platform):
            self._items[(listing.seller_id, listing.listing_id)] = self._item_detail(listing)
        self.static["/shopee/"] = self.static["/shopee"] = self._page(
            "Shopee Việt Nam | Mua và Bán Trên Ứng Dụng Di Động Hoặc Website",
            '<form action="/shopee/search"><input name="keyword"><button>Tìm</button></form>',
            "",
        )

    def _search_page(self) -> Response:
        body = (
            '<div class="shopee-search-page"><h1 class="search-title">Kết quả tìm kiếm</h1>'
            '<div class="shopee-search-item-result__items" id="results"></div>'
            '<div id="status" class="loading">Đang tải...</div></div>'
        )
        return self._page("Shopee Việt Nam", body, script("shopee_search.js"))

    def _shop_page(self, shopid: str) -> Response:
        body = (
            f'<div class="shop-page" data-shopid="{e(shopid)}"><div id="shop-header">'
            '<h1 class="shop-name"></h1><div class="shop-location"></div>'
            '<div class="shop-badge"></div><div class="shop-description item-description"></div></div>'
            '<div class="shop-search-result-view" id="results"></div>'
            '<div id="status" class="loading">Đang tải...</div></div>'
        )
        return self._page("Shop | Shopee Việt Nam", body, script("shopee_shop.js"))

    def _product_page(self) -> Response:
        body = (
            '<div class="product-page" id="product"><h1 class="product-name"></h1>'
            '<div class="product-price"></div><div class="product-brand"></div>'
            '<ul class="product-attributes"></ul><a class="shop-link" href="#"></a>'
            '<div class="product-description item-description"></div>'
            '<div id="status" class="loading">Đang tải...</div></div>'
        )
        return self._page("Sản phẩm | Shopee Việt Nam", body, script("shopee_product.js"))

    def _api(self, path: str, query: Mapping[str, list[str]]) -> Response:
        if path == "/shopee/api/v4/search/search_items":
            keyword = str_param(query, "keyword")
            offset = int_param(query, "newest", 0)
            limit = int_param(query, "limit", SHOPEE_SEARCH_LIMIT)
            if keyword is None or offset is None or limit is None or offset < 0 or not 1 <= limit <= SHOPEE_MAX_LIMIT:
                return json_response({"error": 2, "error_msg": "invalid params", "items": None}, 400)
            kw, start, size = keyword, offset, limit
            return self.cached(
                ("shopee-search", kw, start, size),
                lambda: self._items_page(self.search(kw, None), start, size),
            )
        if path == "/shopee/api/v4/shop/search_items":
            shopid = str_param(query, "shopid")
            offset = int_param(query, "offset", 0)
            limit = int_param(query, "limit", SHOPEE_SHOP_LIMIT)
            if shopid is None or offset is None or limit is None or offset < 0 or not 1 <= limit <= SHOPEE_MAX_LIMIT:
                return json_response({"error": 2, "error_msg": "invalid params", "items": None}, 400)
            if (self.platform, shopid) not in {(s.platform, s.seller_id) for s in self.catalog.sellers_on(self.platform)}:
                return json_response({"error": 4, "error_msg": "shop not found", "items": None})
            shop, first, count = shopid, offset, limit
            return self.cached(
                ("shopee-shop", shop, first, count),
                lambda: self._items_page(self.search(None, shop), first, count),
            )
        if path == "/shopee/api/v4/shop/get_shop_detail":
            shopid = str_param(query, "shopid") or ""
            try:
                seller = self.catalog.seller(self.platform, shopid)
            except KeyError:
                return json_response({"error": 4, "error_msg": "shop not found", "data": None})
            return self.cached(("shopee-shop-detail", shopid), lambda: json_response(self._shop_detail(seller)))
        if path == "/shopee/api/v4/item/get":
            key = (str_param(query, "shopid") or "", str_param(query, "itemid") or "")
            item = self._items.get(key)
            if item is None:
                return json_response({"error": 4, "error_msg": "item not found", "data": None})
            return self.cached(("shopee-item", *key), lambda: json_response(item))
        return json_response({"error": 404, "error_msg": "not found"}, 404)

    def route(self, path: str, query: Mapping[str, list[str]], headers: Mapping[str, str]) -> Response | None:
        if path.startswith("/shopee/api/"):
            if headers.get("x-api-source", "").lower() != "pc":
                return json_response(
                    {
                        "is_customized": False,
                        "is_login": False,
                        "action_type": 2,
                        "error": SHOPEE_ANTIBOT_ERROR,
                        "tracking_id": "demo-antibot-00000000",
                    },
                    403,
                )
            return self._api(path, query)
        static = self.static.get(path)
        if static is not None:
            return static
        if path == "/shopee/search":
            return self.cached(("shopee-search-page",), self._search_page)
        match = _SHOP_PAGE.match(path)
        if match is not None:
            shopid = match.group(1)
            return self.cached(("shopee-shop-page", shopid), lambda: self._shop_page(shopid))
        match = _PRODUCT_PAGE.match(path)
        if match is not None and match.group(2) in self.market.removed:
            # Shopee keeps the URL alive and says the product is gone (HTTP 200).
            return self.html("Sản phẩm không tồn tại | Shopee Việt Nam",
                             '<main class="product-not-exist"><h1>Sản phẩm này không tồn tại</h1></main>')
        if match is not None:
            return self.cached(("shopee-product-page",), self._product_page)
        return None
