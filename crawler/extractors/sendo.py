"""Sendo (sendo.vn): the search API ``searchlist-api.sendo.vn/web/products``.

Two wrappers around the same product objects: the raw API ``{"data": [...]}`` and the
saved-results shape ``{"total_products": N, "products": [...]}``. Per product:
``sale_price_min`` is the price, ``default_price_min`` the price before discount,
``shop.ware_house_region_name`` the province the shop ships from, ``rated{total, star}``
the rating (absent or ``total == 0`` means not rated). ``category_path`` is, despite its
name, the product page's slug (``...-118949353.html``), so it builds the URL, not the
category. Sendo's shop badges do not say "official" in a documented way, so
``is_official`` stays unknown.
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
)
from crawler.extractors._items import Extracted, dict_id, read_each
from rules.record import Listing, Seller

PLATFORM = "sendo"
PUBLIC_ORIGIN = "https://www.sendo.vn"
EXPECTED = ("a Sendo search response ({data: [...]} or {total_products, products: [...]}) "
            "or product detail ({data: {id, name, ...}})")


def _site(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or host == "sendo.vn" or host.endswith(".sendo.vn"):
        return PUBLIC_ORIGIN
    path = parts.path.split("/api/", 1)[0] if "/api/" in parts.path else ""
    return urlunsplit((parts.scheme, parts.netloc, path.rstrip("/"), "", ""))


def extract(body: bytes | str, url: str) -> Extracted:
    text = decode_body(body)
    if not looks_like_json(text):
        raise ExtractionError(url, EXPECTED, "body is not JSON")
    obj = require_dict(load_json(text, url, EXPECTED), url, EXPECTED, "the response")
    if isinstance(obj.get("products"), list):
        key, products = "products", obj["products"]
    elif isinstance(obj.get("data"), list):
        key, products = "data", obj["data"]
    elif isinstance(obj.get("data"), dict) and "id" in obj["data"]:
        # The product-detail answer (`full/{slug}-{id}`): what a refresh of one listing reads.
        key, products = "data", [obj["data"]]
    else:
        keys = ", ".join(sorted(obj)[:10])
        raise ExtractionError(url, EXPECTED, f"no 'products' or 'data' list (keys: {keys})")
    site = _site(url)
    return read_each(
        products,
        lambda i, product: _listing(require_dict(product, url, EXPECTED, "the product"), url, site),
        url=url, expected=EXPECTED, where=key, item_id=dict_id("id"),
    )


def _listing(product: dict[str, Any], url: str, site: str) -> Listing:
    listing_id = as_str(product.get("id"))
    title = as_str(product.get("name"))
    if listing_id is None or title is None:
        raise ExtractionError(url, EXPECTED, "no id or no name")
    # Every product of the search API carries its shop (12,600 of 12,600 in the saved
    # responses); without it there is no seller to queue, so the product is unreadable.
    if product.get("shop") is None:
        raise ExtractionError(url, EXPECTED, "no 'shop' object")
    shop = require_dict(product["shop"], url, EXPECTED, "shop")
    rated = product.get("rated") or {}
    rated = require_dict(rated, url, EXPECTED, "rated")
    rating = None
    total = as_int(rated.get("total"), url, EXPECTED, "rated.total")
    if total is not None and total > 0:
        rating = as_float(rated.get("star"), url, EXPECTED, "rated.star")
    slug = as_str(product.get("category_path"))
    image = as_str(product.get("image"))
    return Listing(
        platform=PLATFORM,
        listing_id=listing_id,
        url=f"{site}/{slug.lstrip('/')}" if slug is not None else None,
        title=title,
        price=as_int(product.get("sale_price_min"), url, EXPECTED, "sale_price_min"),
        list_price=as_int(product.get("default_price_min"), url, EXPECTED, "default_price_min"),
        images=[image] if image is not None else [],
        sold=as_int(product.get("sold"), url, EXPECTED, "sold"),
        rating=rating,
        seller=Seller(
            id=as_str(shop.get("id")) or as_str(product.get("seller_admin_id")),
            name=as_str(shop.get("name")),
            location=as_str(shop.get("ware_house_region_name")),
        ),
    )
