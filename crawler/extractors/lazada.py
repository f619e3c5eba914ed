"""Lazada (lazada.vn): catalog ``?ajax=true`` JSON, product pages' JSON-LD, saved `.lino` captures.

Shapes read, told apart by content:

* catalog / search / shop listing ``{base}/catalog/?ajax=true&q=K&page=N`` ->
  ``{"mods": {"listItems": [...]}, "mainInfo": {"totalResults": "N", ...}}``. Per item:
  ``itemId`` (or ``nid``), ``name``, ``price`` / ``originalPrice`` (VND, as strings),
  ``sellerId``, ``sellerName``, ``brandName`` ("No Brand" is Lazada's empty brand),
  ``location`` (province the seller ships from), ``ratingScore`` + ``review`` (not rated when
  ``review`` is 0), ``itemSoldCntShow`` ("1.2K sold", "Đã bán 2,3K": a displayed lower bound),
  ``itemUrl`` (``//www.lazada.vn/products/...-i{itemId}-s{skuId}.html``), ``image`` and the
  official marks: ``isLazMall`` or an ``icons[]`` entry whose alias/domClass names LazMall;
* a product page (HTML): schema.org ``Product`` JSON-LD (name, sku, brand, category path,
  offers price / lowPrice, aggregateRating); the seller from ``window.__moduleData__``
  (``"sellerId"``, ``"sellerName"``) or from the offer's seller; Decree 85 identity
  ("MST", "Điện thoại", "Địa chỉ") where the seller box shows it;
* a Links-Notation (``.lino``) capture of a product page, as konard/lazada-search stores
  them: ``snapshot (url, title, priceText, seller, sku, specs, jsonLd (...))``.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from parsel import Selector

from crawler.extractors._common import (
    ExtractionError,
    as_float,
    as_int,
    as_str,
    decode_body,
    display_price,
    identity_from_text,
    load_json,
    looks_like_json,
    parse_display_count,
    require_dict,
    whole_vnd,
)
from crawler.extractors._items import Extracted, dict_id, read_each
from crawler.extractors.lino import LinoError, parse_lino
from rules.record import Listing, Seller

PLATFORM = "lazada"
PUBLIC_ORIGIN = "https://www.lazada.vn"
EXPECTED = "a Lazada catalog ?ajax=true response ({mods: {listItems: [...]}})"
EXPECTED_PAGE = "a Lazada product page with schema.org Product JSON-LD"
EXPECTED_LINO = "a Links-Notation capture of a Lazada product page (snapshot (... jsonLd (...)))"
NO_BRAND = frozenset({"no brand", "nobrand", "oem"})
#: Marks of a LazMall (official) shop in a catalog item's ``icons`` list.
LAZMALL_MARKS = ("lazmall", "laz-mall", "official")
_ITEM_ID_RE = re.compile(r"-i(\d+)(?:-s\d+)?\.html")
_SELLER_ID_RE = re.compile(r'"sellerId"\s*:\s*"?(\d+)"?')
_SELLER_NAME_RE = re.compile(r'"sellerName"\s*:\s*"((?:[^"\\]|\\.)*)"')
_SHOP_URL_RE = re.compile(r'"shopUrl"\s*:\s*"((?:[^"\\]|\\.)*)"')
#: Spec-table labels (Vietnamese and English) of the fields we read from a product page.
SPEC_BRAND = ("thương hiệu", "brand")
SPEC_ORIGIN = ("xuất xứ", "country of origin")


def base_url(url: str) -> str:
    """The site root for a response URL: ``https://www.lazada.vn`` or ``{demo}/lazada``."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or host.endswith("lazada.vn"):
        return PUBLIC_ORIGIN
    path = parts.path
    for marker in ("/catalog", "/products/", "/shop/", "/tag/"):
        if marker in path:
            path = path.split(marker, 1)[0]
            break
    return urlunsplit((parts.scheme, parts.netloc, path.rstrip("/"), "", ""))


def extract(body: bytes | str, url: str) -> Extracted:
    text = decode_body(body)
    stripped = text.lstrip()
    if looks_like_json(text):
        return _extract_catalog(text, url)
    if stripped.startswith("(") or url.endswith(".lino"):
        return Extracted([_extract_lino(text, url)])
    if "<" in text:
        return Extracted([_extract_page(text, url)])
    raise ExtractionError(url, EXPECTED, "body is neither JSON, HTML nor Links Notation")


# -- catalog ajax JSON ---------------------------------------------------------------


def _extract_catalog(text: str, url: str) -> Extracted:
    obj = require_dict(load_json(text, url, EXPECTED), url, EXPECTED, "the response")
    mods = obj.get("mods")
    if not isinstance(mods, dict):
        keys = ", ".join(sorted(obj)[:10])
        raise ExtractionError(url, EXPECTED, f"no 'mods' object (keys: {keys})")
    items = mods.get("listItems")
    if items is None:
        return Extracted()  # a search with no results has no listItems at all
    if not isinstance(items, list):
        raise ExtractionError(url, EXPECTED, "'mods.listItems' is not a list")
    base = base_url(url)
    return read_each(
        items, lambda i, item: _catalog_listing(require_dict(item, url, EXPECTED, "the item"), url, base),
        url=url, expected=EXPECTED, where="listItems", item_id=dict_id("itemId", "nid"),
    )


def _price(value: object, url: str, field: str) -> int | None:
    return whole_vnd(value, url, EXPECTED, field)


def _is_lazmall(item: dict[str, Any]) -> bool | None:
    flag = item.get("isLazMall", item.get("isOfficial"))
    if isinstance(flag, bool):
        return flag
    icons = item.get("icons")
    if isinstance(icons, list):
        for icon in icons:
            if not isinstance(icon, dict):
                continue
            marks = " ".join(str(icon.get(k, "")) for k in ("alias", "domClass", "type", "text")).lower()
            if any(mark in marks for mark in LAZMALL_MARKS):
                return True
        return False
    return None


def _absolute(href: str | None, base: str) -> str | None:
    if href is None:
        return None
    if href.startswith("//"):  # protocol-relative: the scheme of the page it came from
        return (urlsplit(base).scheme or "https") + ":" + href
    if href.startswith(("http://", "https://")):
        return href
    return urljoin(base + "/", href)  # an absolute path joins to the origin, a relative one to the root


def _catalog_listing(item: dict[str, Any], url: str, base: str) -> Listing:
    listing_id = as_str(item.get("itemId")) or as_str(item.get("nid"))
    title = as_str(item.get("name"))
    if listing_id is None or title is None:
        raise ExtractionError(url, EXPECTED, f"item without itemId or name: {str(item)[:200]}")
    brand = as_str(item.get("brandName"))
    if brand is not None and brand.lower() in NO_BRAND:
        brand = None
    review = as_int(item.get("review") or None, url, EXPECTED, "review")
    rating = as_float(item.get("ratingScore") or None, url, EXPECTED, "ratingScore") if review else None
    sold_text = as_str(item.get("itemSoldCntShow"))
    item_url = _absolute(as_str(item.get("itemUrl")) or as_str(item.get("productUrl")), base)
    if item_url is not None:
        item_url = item_url.split("?", 1)[0]
    image = _absolute(as_str(item.get("image")), base)
    seller_id = as_str(item.get("sellerId"))
    price = _price(item.get("price"), url, "price")
    list_price = _price(item.get("originalPrice") or None, url, "originalPrice")
    return Listing(
        platform=PLATFORM,
        listing_id=listing_id,
        url=item_url or f"{base}/products/i{listing_id}.html",
        title=title,
        brand=brand,
        price=price,
        list_price=list_price if list_price is not None and price is not None and list_price > price else None,
        images=[image] if image is not None else [],
        sold=parse_display_count(sold_text) if sold_text is not None else None,
        rating=rating,
        seller=Seller(
            id=seller_id,
            name=as_str(item.get("sellerName")),
            is_official=_is_lazmall(item),
            location=as_str(item.get("location")),
        ),
    )


# -- product pages (JSON-LD) and their .lino captures ----------------------------------


def _ld_nodes(sel: Selector) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    for raw in sel.xpath('//script[@type="application/ld+json"]/text()').getall():
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            continue  # a broken block among several; the Product block is what counts
        for node in data if isinstance(data, list) else [data]:
            if isinstance(node, dict):
                nodes.extend(g for g in node.get("@graph", [node]) if isinstance(g, dict))
    return nodes


def _product_node(nodes: list[dict[str, Any]], url: str, expected: str) -> dict[str, Any]:
    for node in nodes:
        kind = node.get("@type")
        if kind == "Product" or (isinstance(kind, list) and "Product" in kind):
            return node
    raise ExtractionError(url, expected, "no schema.org Product in the page's JSON-LD")


def _spec(specs: dict[str, str], labels: tuple[str, ...]) -> str | None:
    for key, value in specs.items():
        if key.lower() in labels:
            return value
    return None


def _ld_listing(
    product: dict[str, Any], url: str, expected: str, *, price_text: str | None = None,
    seller: Seller | None = None, specs: dict[str, str] | None = None,
) -> Listing:
    title = as_str(product.get("name"))
    page_url = as_str(product.get("url")) or url
    match = _ITEM_ID_RE.search(page_url) or _ITEM_ID_RE.search(url)
    listing_id = match.group(1) if match is not None else as_str(product.get("mpn"))
    if listing_id is None or title is None:
        raise ExtractionError(url, expected, "Product without name or item id (url '-i{id}.html' / mpn)")
    specs = specs or {}
    brand_obj = product.get("brand")
    brand = as_str(brand_obj.get("name")) if isinstance(brand_obj, dict) else as_str(brand_obj)
    brand = brand or _spec(specs, SPEC_BRAND)
    if brand is not None and brand.lower() in NO_BRAND:
        brand = None
    offers_obj = product.get("offers")
    offers: dict[str, Any] = offers_obj if isinstance(offers_obj, dict) else {}
    price = _price(offers.get("price", offers.get("lowPrice")), url, "offers.price")
    if price is None and price_text is not None:
        price = display_price(price_text, url, expected, "priceText")
    high = _price(offers.get("highPrice"), url, "offers.highPrice")
    rating_obj = product.get("aggregateRating")
    rating = None
    if isinstance(rating_obj, dict) and (as_int(rating_obj.get("ratingCount") or rating_obj.get("reviewCount"),
                                                url, expected, "ratingCount") or 0) > 0:
        rating = as_float(rating_obj.get("ratingValue"), url, expected, "aggregateRating.ratingValue")
    images_obj = product.get("image")
    images = [images_obj] if isinstance(images_obj, str) else images_obj if isinstance(images_obj, list) else []
    offer_seller = offers.get("seller")
    if seller is None:
        seller = Seller(name=as_str(offer_seller.get("name")) if isinstance(offer_seller, dict) else None)
    return Listing(
        platform=PLATFORM,
        listing_id=listing_id,
        url=page_url.split("?", 1)[0],
        title=title,
        description=as_str(product.get("description")),
        brand=brand,
        category=as_str(product.get("category")),
        price=price,
        list_price=high if high is not None and price is not None and high > price else None,
        origin=_spec(specs, SPEC_ORIGIN),
        images=[img if not img.startswith("//") else "https:" + img for img in images if isinstance(img, str)],
        rating=rating,
        seller=seller,
    )


def _extract_page(text: str, url: str) -> Listing:
    sel = Selector(text=text)
    product = _product_node(_ld_nodes(sel), url, EXPECTED_PAGE)
    base = base_url(url)
    seller_id = m.group(1) if (m := _SELLER_ID_RE.search(text)) is not None else None
    name = json.loads(f'"{m.group(1)}"') if (m := _SELLER_NAME_RE.search(text)) is not None else None
    shop_url = json.loads(f'"{m.group(1)}"') if (m := _SHOP_URL_RE.search(text)) is not None else None
    visible = "\n".join(t.strip() for t in sel.xpath(
        "//*[contains(@class,'seller')]//text()[not(ancestor::script)]").getall() if t.strip())
    business_id, phone, address = identity_from_text(visible)
    specs = {
        " ".join(k.split()): " ".join(v.split())
        for k, v in zip(sel.css(".specification-keys .key-title::text").getall(),
                        sel.css(".specification-keys .key-value::text").getall(), strict=False)
    }
    offers = product.get("offers")
    offer_seller = offers.get("seller") if isinstance(offers, dict) else None
    if name is None and isinstance(offer_seller, dict):
        name = as_str(offer_seller.get("name"))
    official = sel.css("[data-lazmall], .lazmall-badge").get() is not None
    seller = Seller(
        id=seller_id, name=as_str(name), url=_absolute(as_str(shop_url), base),
        is_official=True if official else None, business_id=business_id, phone=phone, address=address,
    )
    return _ld_listing(product, url, EXPECTED_PAGE, seller=seller, specs=specs)


def _extract_lino(text: str, url: str) -> Listing:
    try:
        root = parse_lino(text)
    except LinoError as exc:
        raise ExtractionError(url, EXPECTED_LINO, str(exc)) from exc
    if not isinstance(root, dict) or not isinstance(root.get("snapshot"), dict):
        raise ExtractionError(url, EXPECTED_LINO, "no 'snapshot' record")
    snap: dict[str, Any] = root["snapshot"]
    ld = snap.get("jsonLd")
    nodes = [n for n in ld if isinstance(n, dict)] if isinstance(ld, list) else [ld] if isinstance(ld, dict) else []
    product = _product_node(nodes, url, EXPECTED_LINO)
    specs: dict[str, str] = {}
    for line in snap.get("specs") or []:
        if isinstance(line, str) and "\n" in line:
            key, _, value = line.strip().partition("\n")
            specs[key.strip()] = value.strip()
    page_url = as_str(snap.get("url")) or url
    seller = Seller(name=as_str(snap.get("seller")))
    return _ld_listing(product, page_url if url.startswith("file:") else url, EXPECTED_LINO,
                       price_text=as_str(snap.get("priceText")), seller=seller, specs=specs)
