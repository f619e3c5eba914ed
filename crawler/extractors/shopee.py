"""Shopee (shopee.vn): the page's own ``api/v4`` JSON, captured by the browser.

Shapes read, told apart by content:

* search ``api/v4/search/search_items`` and shop search ``api/v4/shop/search_items``:
  ``{"items": [...], "nomore": bool, ...}`` where each entry is either a flat item object
  (the late-2020 shape) or wraps it as ``{"item_basic": {...}}`` (current); ``items`` may
  also sit under ``data``;
* item detail ``api/v4/item/get`` -> ``{"data": {...item...}}`` (``api/v4/pdp/get_pc``
  nests it one deeper, ``{"data": {"item": {...}}}``);
* shop profile ``api/v4/shop/get_shop_detail`` -> ``{"data": {...shop...}}`` via
  `extract_seller`.

Units: prices are VND x 100000 (``price``, ``price_before_discount``); a zero
``price_before_discount`` means "no discount", i.e. no list price. ``historical_sold`` is
the lifetime count (``sold`` is the last 30 days, so it is not used). ``item_rating.
rating_star`` with ``rating_count[0] == 0`` is "not rated". ``brand`` "No Brand" is
Shopee's placeholder for an empty brand field. The same itemid can appear twice in one
search (as an ad and organically); the first occurrence is kept.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from crawler.extractors._common import (
    CATEGORY_SEPARATOR,
    ExtractionError,
    as_float,
    as_int,
    as_str,
    decode_body,
    html_to_text,
    load_json,
    looks_like_json,
    require_dict,
)
from crawler.extractors._items import Extracted, read_each
from rules.record import Listing, Seller

PLATFORM = "shopee"
PUBLIC_ORIGIN = "https://shopee.vn"
IMAGE_CDN = "https://down-vn.img.susercontent.com/file/"
PRICE_SCALE = 100_000
NO_BRAND = frozenset({"no brand", "nobrand", "0"})
#: Shopee's anti-bot refusal ("error": 90309999) and friends: not data.
BLOCK_ERRORS = frozenset({90309999, 90309990})
EXPECTED = "a Shopee api/v4 response (search_items, item/get)"


def base_url(url: str) -> str:
    """The site root for a response URL: ``https://shopee.vn`` or ``{demo}/shopee``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return PUBLIC_ORIGIN
    path = parts.path.split("/api/", 1)[0] if "/api/" in parts.path else ""
    return urlunsplit((parts.scheme, parts.netloc, path.rstrip("/"), "", ""))


def _load(body: bytes | str, url: str, expected: str) -> dict[str, Any]:
    text = decode_body(body)
    if not looks_like_json(text):
        raise ExtractionError(url, expected, "body is not JSON")
    obj = require_dict(load_json(text, url, expected), url, expected, "the response")
    error = obj.get("error")
    if isinstance(error, int) and error != 0:
        message = as_str(obj.get("error_msg")) or as_str(obj.get("message")) or ""
        kind = "anti-bot refusal" if error in BLOCK_ERRORS else "API error"
        raise ExtractionError(url, expected, f"{kind}: error {error} {message}".strip())
    return obj


def extract(body: bytes | str, url: str) -> Extracted:
    obj = _load(body, url, EXPECTED)
    base = base_url(url)
    items = obj.get("items", (obj.get("data") or {}).get("items") if isinstance(obj.get("data"), dict) else None)
    if "items" in obj or isinstance(items, list):
        if items is None:
            return Extracted()  # Shopee sends "items": null for an empty page
        if not isinstance(items, list):
            raise ExtractionError(url, EXPECTED, "'items' is not a list")
        return read_each(
            items, lambda i, entry: _search_entry(entry, url, base),
            url=url, expected=EXPECTED, where="items", item_id=_entry_id,
        )
    data = obj.get("data", obj.get("item"))
    if isinstance(data, dict):
        item = data["item"] if isinstance(data.get("item"), dict) else data
        if "itemid" in item:
            return Extracted([_listing(item, url, base)])
        if "shopid" in item:
            raise ExtractionError(url, "Shopee listings", "this is a shop profile; read it with extract_seller")
    keys = ", ".join(sorted(obj)[:10])
    raise ExtractionError(url, EXPECTED, f"no 'items' list and no item object (keys: {keys})")


def _price(value: object, url: str, field: str) -> int | None:
    raw = as_int(value, url, EXPECTED, field)
    if raw is None:
        return None
    if raw < 0:
        raise ExtractionError(url, EXPECTED, f"{field} {raw} is negative")
    return round(raw / PRICE_SCALE)


def _image(ref: object, base: str) -> str | None:
    """An image hash as a URL: Shopee's CDN for shopee.vn, ``{base}/file/{hash}`` elsewhere."""
    ref = as_str(ref)
    if ref is None:
        return None
    if ref.startswith(("http://", "https://")):
        return ref
    return (IMAGE_CDN if base == PUBLIC_ORIGIN else f"{base}/file/") + ref


def _origin(item: dict[str, Any]) -> str | None:
    for attr in item.get("attributes") or []:
        if isinstance(attr, dict) and as_str(attr.get("name")) in ("Xuất xứ", "Country of Origin"):
            return as_str(attr.get("value"))
    return None


def _category(item: dict[str, Any]) -> str | None:
    cats = item.get("categories") or item.get("fe_categories")
    if not isinstance(cats, list):
        return None
    names = [as_str(c.get("display_name")) for c in cats if isinstance(c, dict)]
    clean = [n for n in names if n is not None]
    return CATEGORY_SEPARATOR.join(clean) if clean else None


def _search_entry(entry: object, url: str, base: str) -> Listing:
    """One entry of a search ``items`` list: the item itself or ``{"item_basic": item}``."""
    entry = require_dict(entry, url, EXPECTED, "the entry")
    item = entry.get("item_basic", entry) if "itemid" not in entry or "name" not in entry else entry
    return _listing(require_dict(item, url, EXPECTED, "item_basic"), url, base)


def _entry_id(entry: object) -> object:
    if not isinstance(entry, dict):
        return None
    basic = entry.get("item_basic")
    return basic.get("itemid") if isinstance(basic, dict) else entry.get("itemid")


def _listing(item: dict[str, Any], url: str, base: str) -> Listing:
    itemid = as_str(item.get("itemid"))
    shopid = as_str(item.get("shopid"))
    title = as_str(item.get("name"))
    if itemid is None or shopid is None or title is None:
        raise ExtractionError(url, EXPECTED, f"item without itemid, shopid or name: {str(item)[:200]}")
    price = _price(item.get("price", item.get("price_min")), url, "price")
    list_price = _price(item.get("price_before_discount"), url, "price_before_discount")
    if list_price == 0:
        list_price = None
    rating = None
    rating_obj = item.get("item_rating")
    if isinstance(rating_obj, dict):
        counts = rating_obj.get("rating_count")
        total = counts[0] if isinstance(counts, list) and counts else None
        if isinstance(total, int) and total > 0:
            rating = as_float(rating_obj.get("rating_star"), url, EXPECTED, "item_rating.rating_star")
    brand = as_str(item.get("brand"))
    if brand is not None and brand.lower() in NO_BRAND:
        brand = None
    images = [img for img in (_image(ref, base) for ref in item.get("images") or []) if img is not None]
    cover = _image(item.get("image"), base)
    if not images and cover is not None:
        images = [cover]
    official = item.get("is_official_shop")
    description = as_str(item.get("description"))
    if description is not None and "<" in description:
        description = html_to_text(description)
    return Listing(
        platform=PLATFORM,
        listing_id=itemid,
        url=f"{base}/product/{shopid}/{itemid}",
        title=title,
        description=description,
        brand=brand,
        category=_category(item),
        price=price,
        list_price=list_price,
        origin=_origin(item),
        images=images,
        sold=as_int(item.get("historical_sold"), url, EXPECTED, "historical_sold"),
        rating=rating,
        seller=Seller(
            id=shopid,
            name=as_str(item.get("shop_name")),
            url=f"{base}/shop/{shopid}",
            is_official=official if isinstance(official, bool) else None,
            location=as_str(item.get("shop_location")),
        ),
    )


def extract_seller(body: bytes | str, url: str) -> Seller:
    """``api/v4/shop/get_shop_detail`` -> `Seller` (``ctime`` is the join time, epoch seconds)."""
    expected = "a Shopee shop profile (shop/get_shop_detail {data: {...}})"
    obj = _load(body, url, expected)
    data = require_dict(obj.get("data"), url, expected, "data")
    shopid = as_str(data.get("shopid"))
    if shopid is None:
        raise ExtractionError(url, expected, "shop profile without shopid")
    official = data.get("is_official_shop")
    ctime = as_int(data.get("ctime"), url, expected, "ctime")
    account_obj = data.get("account")
    account: dict[str, Any] = account_obj if isinstance(account_obj, dict) else {}
    return Seller(
        id=shopid,
        name=as_str(data.get("name")) or as_str(account.get("username")),
        url=f"{base_url(url)}/shop/{shopid}",
        is_official=official if isinstance(official, bool) else None,
        location=as_str(data.get("shop_location")) or as_str(data.get("place")),
        business_id=as_str(data.get("tax_number")) or as_str(data.get("business_id")),
        phone=as_str(data.get("phone")),
        address=as_str(data.get("address")),
        created_at=None if ctime is None else datetime.fromtimestamp(ctime, tz=UTC),
    )
