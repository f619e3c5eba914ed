"""Tiki (tiki.vn): the product API, the product page's ``__NEXT_DATA__``, the rendered DOM.

Shapes read, told apart by content:

* search / listing API ``GET api/v2/products?q=..`` -> ``{"data": [...], "paging": {...}}``;
* product detail ``GET api/v2/products/{id}`` -> the product object (``{id, sku, name,
  price, list_price, brand{}, current_seller{}, specifications[], breadcrumbs[], ...}``);
* product HTML with ``<script id="__NEXT_DATA__">``: the same object sits at
  ``props.initialState.productv2.productData.response.data``;
* the rendered product DOM (no ``__NEXT_DATA__``), read with CSS selectors.

Prices: the API ``price`` is the offer price every buyer sees; ``list_price`` (or
``original_price``) is the crossed-out price. The rendered DOM shows a *coupon* price
under "Giá sau áp dụng mã khuyến mãi" (111.720 ₫ on the saved page, where the API says
147.000 ₫): it depends on the viewer's coupons, so when that label is present the DOM
price is not taken (``price`` is null) and only the crossed-out ``list_price`` is read.

Seller: Tiki Trading (seller id 1) is Tiki's own first-party retail, so it is official;
the ``is_authentic`` / ``official_store`` badges ("Chính hãng") also mark an official
listing. Without either, ``is_official`` stays unknown (null), not false.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from parsel import Selector

from crawler.extractors._common import (
    CATEGORY_SEPARATOR,
    ExtractionError,
    as_float,
    as_int,
    as_str,
    decode_body,
    display_price,
    gtin_from_code,
    html_to_text,
    load_json,
    looks_like_json,
    merge_seller,
    parse_display_count,
    require_dict,
)
from crawler.extractors._items import Extracted, dict_id, read_each
from rules.record import Listing, Seller

__all__ = ["extract", "extract_seller", "merge_seller", "base_url"]

PLATFORM = "tiki"
PUBLIC_ORIGIN = "https://tiki.vn"
#: Tiki Trading, Tiki's own retail arm (first-party, always official).
TIKI_TRADING_ID = "1"
TIKI_TRADING_SLUG = "tiki-trading"
OFFICIAL_BADGES = frozenset({"is_authentic", "official_store", "tiki_trading"})
#: The DOM label that announces a coupon-dependent price.
COUPON_PRICE_LABEL = "Giá sau áp dụng mã khuyến mãi"

_PRODUCT_ID_RE = re.compile(r"-p(\d+)\.html")


def base_url(url: str) -> str:
    """Where the product pages of the site at ``url`` live (``https://tiki.vn``, ``{demo}/tiki``)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return PUBLIC_ORIGIN
    path = parts.path.split("/api/", 1)[0] if "/api/" in parts.path else parts.path.rsplit("/", 1)[0]
    return urlunsplit((parts.scheme, parts.netloc, path.rstrip("/"), "", ""))


def extract(body: bytes | str, url: str) -> Extracted:
    """Listings in a Tiki API response or product page."""
    text = decode_body(body)
    if looks_like_json(text):
        return _extract_json(load_json(text, url, "a Tiki API response"), url)
    if "<" not in text:
        raise ExtractionError(url, "a Tiki API response or product page", "body is neither JSON nor HTML")
    return Extracted([_extract_html(text, url)])


def _extract_json(obj: Any, url: str) -> Extracted:
    expected = "a Tiki API response"
    obj = require_dict(obj, url, expected, "the response")
    data = obj.get("data")
    if isinstance(data, list):
        if "paging" not in obj:
            raise ExtractionError(url, "a Tiki listing response {data, paging}", "no 'paging' object")
        return read_each(
            data, lambda i, item: _listing_from_search_item(require_dict(item, url, expected, "the item"), url),
            url=url, expected=expected, where="data", item_id=dict_id("id"),
        )
    if isinstance(data, dict):
        if "seller" in data:
            raise ExtractionError(url, "Tiki listings", "this is a seller widget; read it with extract_seller")
        return Extracted([_listing_from_product(data, url)])
    if "id" in obj and "name" in obj:
        return Extracted([_listing_from_product(obj, url)])
    keys = ", ".join(sorted(obj)[:10])
    raise ExtractionError(url, "a Tiki listing or product response", f"unknown object with keys: {keys}")


def _is_official(seller_id: str | None, badge_codes: set[str]) -> bool | None:
    if seller_id == TIKI_TRADING_ID or badge_codes & OFFICIAL_BADGES:
        return True
    return None


def _badge_codes(product: dict[str, Any]) -> set[str]:
    codes: set[str] = set()
    for key in ("badges", "badges_new", "badges_v3"):
        badges = product.get(key)
        if isinstance(badges, list):
            codes.update(b["code"] for b in badges if isinstance(b, dict) and isinstance(b.get("code"), str))
    amplitude = (product.get("tracking_info") or {}).get("amplitude") or {}
    if not amplitude:
        amplitude = (product.get("visible_impression_info") or {}).get("amplitude") or {}
    if isinstance(amplitude, dict) and amplitude.get("is_authentic") is True:
        codes.add("is_authentic")
    return codes


def _crossed_out(obj: dict[str, Any], url: str, expected: str) -> int | None:
    """The crossed-out price: ``list_price``, else ``original_price``. The API writes 0 in both
    where nothing is crossed out, and a missing price is null, never 0 (DESIGN §3.1)."""
    return as_int(obj.get("list_price") or obj.get("original_price") or None, url, expected, "list_price")


def _product_url(product: dict[str, Any], url: str) -> str | None:
    base = base_url(url)
    url_key = as_str(product.get("url_key"))
    if url_key is not None:
        return f"{base}/{url_key}.html"
    url_path = as_str(product.get("url_path"))
    if url_path is not None:
        return f"{base}/{url_path.lstrip('/')}"
    return None


def _rating(product: dict[str, Any], url: str, expected: str) -> float | None:
    rating = as_float(product.get("rating_average"), url, expected, "rating_average")
    reviews = as_int(product.get("review_count"), url, expected, "review_count")
    if reviews == 0 or rating is None:
        return None  # 0 stars with no reviews means "not rated", not a bad rating
    return rating


def _quantity_sold(product: dict[str, Any], url: str, expected: str) -> int | None:
    sold = as_int(product.get("all_time_quantity_sold"), url, expected, "all_time_quantity_sold")
    if sold is None and isinstance(product.get("quantity_sold"), dict):
        sold = as_int(product["quantity_sold"].get("value"), url, expected, "quantity_sold.value")
    return sold


def _category(product: dict[str, Any]) -> str | None:
    crumbs = product.get("breadcrumbs")
    if not isinstance(crumbs, list):
        return None
    names = [
        str(c["name"]).strip()
        for c in crumbs
        if isinstance(c, dict) and c.get("name") and c.get("category_id") not in (0, None)
    ]
    return CATEGORY_SEPARATOR.join(names) if names else None


def _spec(product: dict[str, Any], code: str) -> str | None:
    groups = product.get("specifications")
    if not isinstance(groups, list):
        return None
    values = {
        as_str(attr.get("value"))
        for group in groups if isinstance(group, dict)
        for attr in (group.get("attributes") or []) if isinstance(attr, dict) and attr.get("code") == code
    }
    values.discard(None)
    if len(values) > 1:
        return None  # contradictory specification rows: no guess
    return values.pop() if values else None


def _listing_from_search_item(item: dict[str, Any], url: str) -> Listing:
    expected = "a Tiki listing item"
    listing_id = as_str(item.get("id"))
    title = as_str(item.get("name"))
    if listing_id is None or title is None:
        raise ExtractionError(url, expected, f"item without id or name: {str(item)[:200]}")
    seller_id = as_str(item.get("seller_id"))
    thumbnail = as_str(item.get("thumbnail_url"))
    return Listing(
        platform=PLATFORM,
        listing_id=listing_id,
        url=_product_url(item, url),
        title=title,
        description=as_str(item.get("short_description")),
        brand=as_str(item.get("brand_name")),
        category=_category(item),
        price=as_int(item.get("price"), url, expected, "price"),
        list_price=_crossed_out(item, url, expected),
        gtin=gtin_from_code(as_str(item.get("sku"))),
        origin=as_str(item.get("origin")),
        images=[thumbnail] if thumbnail is not None else [],
        sold=_quantity_sold(item, url, expected),
        rating=_rating(item, url, expected),
        seller=Seller(
            id=seller_id,
            name=as_str(item.get("seller_name")),
            is_official=_is_official(seller_id, _badge_codes(item)),
        ),
    )


def _listing_from_product(product: dict[str, Any], url: str) -> Listing:
    expected = "a Tiki product object (api/v2/products/{id})"
    listing_id = as_str(product.get("id"))
    title = as_str(product.get("name"))
    if listing_id is None or title is None:
        raise ExtractionError(url, expected, "product without id or name")
    brand_obj = product.get("brand")
    brand = as_str(brand_obj.get("name")) if isinstance(brand_obj, dict) else as_str(product.get("brand_name"))
    seller_obj = product.get("current_seller")
    seller = Seller()
    if isinstance(seller_obj, dict):
        seller_id = as_str(seller_obj.get("id"))
        seller = Seller(
            id=seller_id,
            name=as_str(seller_obj.get("name")),
            url=as_str(seller_obj.get("link")),
            is_official=_is_official(seller_id, _badge_codes(product)),
        )
    elif seller_obj is not None:
        raise ExtractionError(url, expected, "current_seller is not an object")
    images: list[str] = []
    for image in product.get("images") or []:
        if isinstance(image, dict) and as_str(image.get("base_url")) is not None:
            images.append(str(image["base_url"]))
    if not images and as_str(product.get("thumbnail_url")) is not None:
        images.append(str(product["thumbnail_url"]))
    description = html_to_text(as_str(product.get("description"))) or as_str(product.get("short_description"))
    return Listing(
        platform=PLATFORM,
        listing_id=listing_id,
        url=_product_url(product, url),
        title=title,
        description=description,
        brand=brand,
        category=_category(product),
        price=as_int(product.get("price"), url, expected, "price"),
        list_price=_crossed_out(product, url, expected),
        gtin=gtin_from_code(as_str(product.get("sku"))),
        origin=_spec(product, "origin"),
        images=images,
        sold=_quantity_sold(product, url, expected),
        rating=_rating(product, url, expected),
        seller=seller,
    )


# -- HTML ----------------------------------------------------------------------------


def _extract_html(text: str, url: str) -> Listing:
    sel = Selector(text=text)
    next_data = sel.css("script#__NEXT_DATA__::text").get()
    if next_data is not None:
        expected = "a Tiki product page (__NEXT_DATA__ with productv2.productData)"
        obj = load_json(next_data, url, expected)
        product: Any = obj
        for key in ("props", "initialState", "productv2", "productData", "response", "data"):
            if not isinstance(product, dict) or key not in product:
                raise ExtractionError(url, expected, f"__NEXT_DATA__ has no '{key}' on the product path")
            product = product[key]
        if not isinstance(product, dict):
            raise ExtractionError(url, expected, "productData.response.data is not an object")
        return _listing_from_product(product, url)
    return _extract_dom(sel, url)


def _extract_dom(sel: Selector, url: str) -> Listing:
    """The rendered product DOM: the fallback when neither API nor ``__NEXT_DATA__`` is at hand."""
    expected = "a rendered Tiki product page"
    title = as_str(" ".join(sel.css("h1 ::text").getall()))
    crumbs = sel.css('[data-view-id="breadcrumb_container"] a.breadcrumb-item')
    if title is None or not crumbs:
        raise ExtractionError(url, expected, "no __NEXT_DATA__, no <h1> title or no breadcrumbs")
    product_href = crumbs[-1].attrib.get("href", "")
    page_id = _PRODUCT_ID_RE.search(product_href)
    url_id = _PRODUCT_ID_RE.search(url)
    if page_id is None and url_id is None:
        raise ExtractionError(url, expected, "no product id (-pNNN.html) in the page or its URL")
    if page_id is not None and url_id is not None and page_id.group(1) != url_id.group(1):
        raise ExtractionError(url, expected, f"page is product {page_id.group(1)} but URL says {url_id.group(1)}")
    listing_id = (page_id or url_id).group(1)  # type: ignore[union-attr]
    product_url = product_href.split("?", 1)[0].split("#", 1)[0] if page_id is not None else url.split("?", 1)[0]

    category_names = [as_str(" ".join(c.css("::text").getall())) for c in crumbs[1:-1]]
    category = CATEGORY_SEPARATOR.join(n for n in category_names if n is not None) or None

    coupon_shown = COUPON_PRICE_LABEL in " ".join(sel.css(".title::text").getall())
    current = sel.css(".product-price__current-price::text").get()
    price = None if coupon_shown or current is None else display_price(current, url, expected, "current price")
    original = sel.css(".product-price__original-price del::text").get()
    list_price = None if original is None else display_price(original, url, expected, "original price")

    rating_text = sel.xpath('//a[@data-view-id="pdp_main_view_review"]/parent::div/div[1]/text()').get()
    rating = None
    if rating_text is not None and re.fullmatch(r"\s*\d(?:[.,]\d)?\s*", rating_text):
        rating = float(rating_text.strip().replace(",", "."))
    sold_text = sel.css('[data-view-id="pdp_quantity_sold"]::text').get()
    sold = None if sold_text is None else parse_display_count(sold_text)

    brand = as_str(sel.css('[data-view-id="pdp_details_view_brand"]::text').get())
    seller_link = sel.css(".seller-name a")
    seller_name = as_str(" ".join(seller_link.css("::text").getall()))
    seller_href = seller_link.attrib.get("href") if seller_link else None
    seller_url = seller_href.split("?", 1)[0] if seller_href else None
    seller_id = None
    if seller_url is not None and seller_url.rstrip("/").endswith("/" + TIKI_TRADING_SLUG):
        seller_id = TIKI_TRADING_ID
    badges = {a for a in sel.css("img::attr(alt)").getall() if a in OFFICIAL_BADGES}
    images = [
        src for src in sel.css('[data-view-id="pdp_main_view_gallery"] img::attr(src)').getall()
        if src.startswith("http")
    ]
    return Listing(
        platform=PLATFORM,
        listing_id=listing_id,
        url=product_url,
        title=title,
        brand=brand,
        category=category,
        price=price,
        list_price=list_price,
        images=images,
        sold=sold,
        rating=rating,
        seller=Seller(
            id=seller_id,
            name=seller_name,
            url=seller_url,
            is_official=_is_official(seller_id, badges),
        ),
    )


# -- seller widget -------------------------------------------------------------------


def extract_seller(body: bytes | str, url: str, observed_at: datetime | None = None) -> Seller:
    """The seller widget ``{"data": {"seller": {id, name, is_official, days_since_joined,
    info: {business_name, tax_number, address, phone}}}}`` as a `Seller`.

    ``created_at`` is ``observed_at`` (default: now) minus ``days_since_joined``, at midnight UTC.
    """
    expected = "a Tiki seller widget {data: {seller: {...}}}"
    obj = require_dict(load_json(decode_body(body), url, expected), url, expected, "the response")
    data = require_dict(obj.get("data"), url, expected, "data")
    seller = data.get("seller", data)
    seller = require_dict(seller, url, expected, "data.seller")
    seller_id = as_str(seller.get("id"))
    if seller_id is None:
        raise ExtractionError(url, expected, "seller without id")
    info = seller.get("info") or {}
    info = require_dict(info, url, expected, "seller.info")
    official = seller.get("is_official")
    if official is not None and not isinstance(official, bool):
        raise ExtractionError(url, expected, f"is_official {official!r} is not a boolean")
    if seller_id == TIKI_TRADING_ID:
        official = True
    days = as_int(seller.get("days_since_joined"), url, expected, "days_since_joined")
    created_at = None
    if days is not None:
        now = observed_at or datetime.now(UTC)
        created_at = datetime.combine((now - timedelta(days=days)).date(), time(0), tzinfo=UTC)
    store_url = as_str(seller.get("url")) or as_str(seller.get("link"))
    return Seller(
        id=seller_id,
        name=as_str(seller.get("name")),
        url=store_url,
        is_official=official,
        location=as_str(info.get("location")) or as_str(seller.get("location")),
        business_id=as_str(info.get("tax_number")),
        phone=as_str(info.get("phone")),
        address=as_str(info.get("address")),
        created_at=created_at,
    )
