"""TikTok Shop (shop.tiktok.com / vt.tiktok.com): the page's own product-list JSON, intercepted.

TikTok Shop pages are rendered by JavaScript behind anti-bot tokens, so the spider reads
the JSON the page fetches (``api/shop/.../product_list``-like responses):
``{"code": 0, "message": "success", "data": {"products": [...], "has_more": bool}}``.
Per product: ``product_id``, ``title``, ``product_price_info.sale_price_decimal`` and
``origin_price_decimal`` (VND, decimal strings), ``brand_name``, ``image.url_list``,
``rate_info.score`` / ``review_count``, ``sold_info.sold_count``, ``seller_info`` (``seller_id``,
``shop_name``, ``is_official``, ``region``). The shop profile
(``data.shop_info`` with ``business_license_number``, ``phone``, ``address``: the Decree 85
identity TikTok displays) is read by `extract_seller`.

A non-zero ``code`` is the API refusing us (login required, rate limit, verify): an error
naming the code, never an empty result.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from crawler.extractors._common import (
    ExtractionError,
    as_float,
    as_int,
    as_str,
    decode_body,
    load_json,
    looks_like_json,
    require_dict,
    whole_vnd,
)
from crawler.extractors._items import Extracted, dict_id, read_each
from rules.record import Listing, Seller

PLATFORM = "tiktok"
PUBLIC_ORIGIN = "https://www.tiktok.com"
EXPECTED = "a TikTok Shop product list ({code: 0, data: {products: [...]}})"
EXPECTED_SHOP = "a TikTok Shop shop profile ({code: 0, data: {shop_info: {...}}})"
NO_BRAND = frozenset({"no brand", "nobrand", "oem"})


def base_url(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or host.endswith("tiktok.com"):
        return PUBLIC_ORIGIN
    path = parts.path.split("/api/", 1)[0] if "/api/" in parts.path else ""
    return urlunsplit((parts.scheme, parts.netloc, path.rstrip("/"), "", ""))


def _load(body: bytes | str, url: str, expected: str) -> dict[str, Any]:
    text = decode_body(body)
    if not looks_like_json(text):
        raise ExtractionError(url, expected, "body is not JSON")
    obj = require_dict(load_json(text, url, expected), url, expected, "the response")
    code = obj.get("code")
    if code is None or code == 0 or code == "0":
        return obj
    message = as_str(obj.get("message")) or as_str(obj.get("msg")) or ""
    raise ExtractionError(url, expected, f"API error: code {code} {message}".strip())


def extract(body: bytes | str, url: str) -> Extracted:
    obj = _load(body, url, EXPECTED)
    data = require_dict(obj.get("data"), url, EXPECTED, "data")
    products = data.get("products", data.get("product_list"))
    if products is None and isinstance(data.get("product"), dict):
        products = [data["product"]]
    if not isinstance(products, list):
        keys = ", ".join(sorted(data)[:10])
        raise ExtractionError(url, EXPECTED, f"no 'data.products' list (keys: {keys})")
    base = base_url(url)
    return read_each(
        products, lambda i, product: _listing(require_dict(product, url, EXPECTED, "the product"), url, base),
        url=url, expected=EXPECTED, where="products", item_id=dict_id("product_id"),
    )


def _price(value: object, url: str, field: str) -> int | None:
    return whole_vnd(value, url, EXPECTED, field)


def _listing(product: dict[str, Any], url: str, base: str) -> Listing:
    listing_id = as_str(product.get("product_id"))
    title = as_str(product.get("title"))
    if listing_id is None or title is None:
        raise ExtractionError(url, EXPECTED, f"product without product_id or title: {str(product)[:200]}")
    price_info = product.get("product_price_info") or {}
    price_info = require_dict(price_info, url, EXPECTED, f"product {listing_id} product_price_info")
    price = _price(price_info.get("sale_price_decimal"), url, "sale_price_decimal")
    origin_price = _price(price_info.get("origin_price_decimal"), url, "origin_price_decimal")
    seller_info = require_dict(product.get("seller_info") or {}, url, EXPECTED, f"product {listing_id} seller_info")
    rate = require_dict(product.get("rate_info") or {}, url, EXPECTED, f"product {listing_id} rate_info")
    reviews = as_int(rate.get("review_count"), url, EXPECTED, "rate_info.review_count")
    sold_info = require_dict(product.get("sold_info") or {}, url, EXPECTED, f"product {listing_id} sold_info")
    image = product.get("image")
    images = [u for u in (image.get("url_list") or []) if isinstance(u, str)] if isinstance(image, dict) else []
    brand = as_str(product.get("brand_name"))
    if brand is not None and brand.lower() in NO_BRAND:
        brand = None
    seller_id = as_str(seller_info.get("seller_id"))
    official = seller_info.get("is_official")
    return Listing(
        platform=PLATFORM,
        listing_id=listing_id,
        url=f"{base}/view/product/{listing_id}",
        title=title,
        description=as_str(product.get("description")),
        brand=brand,
        category=as_str(product.get("category_name")),
        price=price,
        list_price=origin_price if origin_price is not None and price is not None and origin_price > price else None,
        images=images[:5],
        sold=as_int(sold_info.get("sold_count"), url, EXPECTED, "sold_info.sold_count"),
        rating=as_float(rate.get("score"), url, EXPECTED, "rate_info.score") if reviews else None,
        seller=Seller(
            id=seller_id,
            name=as_str(seller_info.get("shop_name")),
            url=f"{base}/shop/{seller_id}" if seller_id is not None else None,
            is_official=official if isinstance(official, bool) else None,
            location=as_str(seller_info.get("region")),
        ),
    )


def extract_seller(body: bytes | str, url: str) -> Seller:
    """The shop profile: name, official badge and the Decree 85 identity it displays."""
    obj = _load(body, url, EXPECTED_SHOP)
    data = require_dict(obj.get("data"), url, EXPECTED_SHOP, "data")
    shop = require_dict(data.get("shop_info"), url, EXPECTED_SHOP, "data.shop_info")
    seller_id = as_str(shop.get("seller_id"))
    if seller_id is None:
        raise ExtractionError(url, EXPECTED_SHOP, "shop_info without seller_id")
    official = shop.get("is_official")
    return Seller(
        id=seller_id,
        name=as_str(shop.get("shop_name")),
        url=f"{base_url(url)}/shop/{seller_id}",
        is_official=official if isinstance(official, bool) else None,
        location=as_str(shop.get("region")),
        business_id=as_str(shop.get("business_license_number")),
        phone=as_str(shop.get("phone")),
        address=as_str(shop.get("address")),
    )
