"""Stand-alone shops (Haravan, Sapo, WooCommerce, ...): schema.org Product via extruct.

Reads JSON-LD (including ``@graph``) and microdata. Per Product:

* ``listing_id``: ``{shop id}#{sku}`` (a sku is unique only within its shop), else
  ``{shop id}#`` + a stable hash of the canonical URL
  (``<link rel=canonical>``, else the Product's ``url``, else the page URL), computed over
  host (no ``www.``, no port), path and query, so the same page keeps its id when the
  demo marketplace comes up on another port;
* ``price``: the Offer's ``price`` (several offers or an AggregateOffer: the lowest,
  DESIGN §3.1's lower bound); ``list_price``: a ``priceSpecification`` of type
  StrikethroughPrice/ListPrice; a currency other than VND is an error, not a conversion;
* ``gtin``: ``gtin13``/``gtin``/``gtin14``/``gtin12``/``gtin8`` only. ``sku`` is the shop's
  own code and is not read as a barcode;
* ``origin``: ``countryOfOrigin``, else an ``additionalProperty`` named "Xuất xứ"/"Made in"
  (not "Xuất xứ thương hiệu", which is the brand's home country).

Seller: ``id`` is the shop's host, plus the ``/shops/{shop}`` prefix on the demo
marketplace. Name and URL come from ``offers.seller``; identity (tax number, phone,
address, province) from Organization/Store JSON-LD and from the footer ("MST: ...",
"Mã số thuế", "Điện thoại/Hotline: ...", "Địa chỉ: ..."). The site's identity is only
attached when the offer names no seller or names the site itself: a marketplace page
that sells for a third party does not lend that party its operator's tax number.
"""

from __future__ import annotations

import hashlib
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import extruct
from parsel import Selector

from crawler.extractors._common import (
    CATEGORY_SEPARATOR,
    ExtractionError,
    as_decimal,
    as_float,
    as_str,
    decode_body,
    looks_like_json,
)
from crawler.extractors._items import Extracted, dict_id, read_each
from detectors.textnorm import fold
from rules.record import Listing, Seller

PLATFORM = "web"
EXPECTED = "a product page with schema.org Product (JSON-LD or microdata)"
ORG_TYPES = frozenset(
    {"Organization", "Store", "OnlineStore", "OnlineBusiness", "LocalBusiness", "Corporation", "ClothingStore",
     "HealthAndBeautyBusiness", "ElectronicsStore", "GroceryStore", "Pharmacy"}
)
GTIN_KEYS = ("gtin13", "gtin", "gtin14", "gtin12", "gtin8")
LIST_PRICE_TYPES = ("StrikethroughPrice", "ListPrice", "MSRP")
_SHOP_PREFIX_RE = re.compile(r"^(/shops/[^/]+)")
_TAX_RE = re.compile(
    r"(?:\bMST\b|Mã\s*số\s*thuế|Mã\s*số\s*doanh\s*nghiệp|GPĐKKD|Số\s*ĐKKD|ĐKKD)\s*(?:số)?\s*[:：]?\s*"
    r"(\d{10}(?:-\d{3})?)",
    re.IGNORECASE,
)
_PHONE_RE = re.compile(
    r"(?:Điện\s*thoại|Hotline|SĐT|\bĐT\b|\bTel\b|Phone)(?:\s*/\s*(?:Hotline|Zalo|Điện\s*thoại))?\s*[:：]\s*"
    r"(\+?\d[\d .\-]{6,}\d)",
    re.IGNORECASE,
)
_ADDRESS_RE = re.compile(r"Địa\s*chỉ(?:\s*trụ\s*sở)?\s*[:：]\s*([^\n|]+)", re.IGNORECASE)


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1] for v in values if isinstance(v, str)}


def _walk(node: object) -> list[dict[str, Any]]:
    """Every schema.org object in a parsed JSON-LD/microdata tree, depth first."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if "@type" in node:
            found.append(node)
        for key, value in node.items():
            if key != "@type":
                found.extend(_walk(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_walk(value))
    return found


def _name(value: object) -> str | None:
    if isinstance(value, dict):
        return as_str(value.get("name"))
    if isinstance(value, list):
        names = [_name(v) for v in value]
        clean = [n for n in names if n is not None]
        return clean[0] if len(set(clean)) == 1 else None
    return as_str(value)


def _url_key(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return urlunsplit(("", host, parts.path or "/", parts.query, ""))


def stable_id(url: str) -> str:
    """A listing id for a product without sku: 16 hex digits of SHA-256 of the canonical URL."""
    return hashlib.sha256(_url_key(url).encode("utf-8")).hexdigest()[:16]


def seller_identity(url: str) -> tuple[str, str]:
    """(seller id, shop root URL) for a page: the host, plus ``/shops/{shop}`` on the demo."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    match = _SHOP_PREFIX_RE.match(parts.path)
    prefix = match.group(1) if match else ""
    return host + prefix, urlunsplit((parts.scheme, parts.netloc, prefix + "/", "", ""))


def extract(body: bytes | str, url: str) -> Extracted:
    text = decode_body(body)
    if looks_like_json(text) or "<" not in text:
        raise ExtractionError(url, EXPECTED, "body is not HTML")
    try:
        data = extruct.extract(text, base_url=url, syntaxes=["json-ld", "microdata"], uniform=True, errors="log")
    except Exception as exc:  # extruct raises lxml and json errors of many kinds
        raise ExtractionError(url, EXPECTED, f"structured data unreadable: {exc}") from exc
    nodes = _walk(data.get("json-ld", [])) + _walk(data.get("microdata", []))
    products = [n for n in nodes if "Product" in _types(n) or "ProductGroup" in _types(n)]
    if not products:
        raise ExtractionError(url, EXPECTED, "no schema.org Product on the page")
    sel = Selector(text=text)
    canonical = sel.css('link[rel="canonical"]::attr(href)').get()
    crumbs = [n for n in nodes if "BreadcrumbList" in _types(n)]
    site = _site_identity(nodes, sel, url)
    if len(products) == 1:
        # A product page: its one product is the body, so an unreadable one fails the page.
        return Extracted([_listing(products[0], url, canonical, crumbs, site, single=True)])
    return read_each(
        products, lambda i, product: _listing(product, url, canonical, crumbs, site, single=False),
        url=url, expected=EXPECTED, where="Product", item_id=dict_id("sku", "productID", "@id", "name"),
    )


def _offers(product: dict[str, Any]) -> list[dict[str, Any]]:
    offers = product.get("offers")
    items = offers if isinstance(offers, list) else [offers]
    out: list[dict[str, Any]] = []
    for offer in items:
        if isinstance(offer, dict):
            out.append(offer)
            nested = offer.get("offers")
            if isinstance(nested, list):
                out.extend(o for o in nested if isinstance(o, dict))
    return out


def _vnd(value: Decimal | None) -> int | None:
    if value is None:
        return None
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _prices(offers: list[dict[str, Any]], url: str) -> tuple[int | None, int | None]:
    prices: list[Decimal] = []
    list_prices: list[Decimal] = []
    for offer in offers:
        currency = as_str(offer.get("priceCurrency"))
        if currency is not None and currency.upper() != "VND":
            raise ExtractionError(url, EXPECTED, f"offer in {currency}, not VND")
        for key in ("price", "lowPrice"):
            number = as_decimal(offer.get(key), url, EXPECTED, f"offers.{key}")
            if number is not None:
                prices.append(number)
                break
        specs = offer.get("priceSpecification")
        for spec in specs if isinstance(specs, list) else [specs]:
            if not isinstance(spec, dict):
                continue
            kind = str(spec.get("priceType", "")).rsplit("/", 1)[-1]
            spec_currency = as_str(spec.get("priceCurrency"))
            if spec_currency is not None and spec_currency.upper() != "VND":
                raise ExtractionError(url, EXPECTED, f"price specification in {spec_currency}, not VND")
            number = as_decimal(spec.get("price"), url, EXPECTED, "priceSpecification.price")
            if number is None:
                continue
            if kind in LIST_PRICE_TYPES:
                list_prices.append(number)
            elif not prices and kind in ("", "SalePrice"):
                prices.append(number)
    price = _vnd(min(prices)) if prices else None
    list_price = _vnd(max(list_prices)) if list_prices else None
    return price, list_price


def _gtin(product: dict[str, Any], offers: list[dict[str, Any]]) -> str | None:
    for source in [product, *offers]:
        for key in GTIN_KEYS:
            value = as_str(source.get(key))
            if value is None:
                continue
            digits = re.sub(r"[\s\-]", "", value)
            if digits.isdigit():
                return digits
    return None


def _images(product: dict[str, Any], url: str) -> list[str]:
    images = product.get("image")
    out: list[str] = []
    for image in images if isinstance(images, list) else [images]:
        ref = as_str(image.get("url") or image.get("contentUrl")) if isinstance(image, dict) else as_str(image)
        if ref is not None:
            absolute = urljoin(url, ref)
            if absolute not in out:
                out.append(absolute)
    return out


def _origin(product: dict[str, Any]) -> str | None:
    origin = _name(product.get("countryOfOrigin"))
    if origin is not None:
        return origin
    props = product.get("additionalProperty")
    for prop in props if isinstance(props, list) else [props]:
        if not isinstance(prop, dict):
            continue
        name = fold(as_str(prop.get("name")) or "")
        if (name.startswith("xuat xu") and "thuong hieu" not in name) or name in ("made in", "noi san xuat"):
            return as_str(prop.get("value"))
    return None


def _rating(product: dict[str, Any], url: str) -> float | None:
    agg = product.get("aggregateRating")
    if not isinstance(agg, dict):
        return None
    value = as_float(agg.get("ratingValue"), url, EXPECTED, "aggregateRating.ratingValue")
    best = as_float(agg.get("bestRating"), url, EXPECTED, "aggregateRating.bestRating") or 5.0
    count = as_float(agg.get("reviewCount") or agg.get("ratingCount"), url, EXPECTED, "aggregateRating.reviewCount")
    if value is None or count == 0:
        return None
    if best <= 0 or value > best:
        raise ExtractionError(url, EXPECTED, f"rating {value} out of {best}")
    return round(value * 5.0 / best, 2)


def _category(product: dict[str, Any], crumbs: list[dict[str, Any]], title: str) -> str | None:
    category = product.get("category")
    if isinstance(category, str) and category.strip() != "":
        return CATEGORY_SEPARATOR.join(part.strip() for part in category.split(">") if part.strip())
    if len(crumbs) != 1:
        return None  # none, or several breadcrumb trails: no guess
    elements = crumbs[0].get("itemListElement")
    if not isinstance(elements, list):
        return None
    ordered = sorted(
        (e for e in elements if isinstance(e, dict)),
        key=lambda e: int(e["position"]) if str(e.get("position", "")).isdigit() else 0,
    )
    names: list[str] = []
    for element in ordered:
        item = element.get("item")
        name = as_str(element.get("name")) or (_name(item) if isinstance(item, dict) else None)
        item_url = item if isinstance(item, str) else (item.get("@id") if isinstance(item, dict) else None)
        if name is None:
            continue
        is_home = fold(name) in ("home", "trang chu") or (
            isinstance(item_url, str) and urlsplit(item_url).path in ("", "/")
        )
        if not is_home:
            names.append(name)
    if names and names[-1] == title:
        names.pop()
    return CATEGORY_SEPARATOR.join(names) if names else None


def _site_identity(nodes: list[dict[str, Any]], sel: Selector, url: str) -> dict[str, str | None]:
    """Tax number, phone, address, province and name the site shows for itself."""
    ident: dict[str, str | None] = {"name": None, "business_id": None, "phone": None, "address": None,
                                    "location": None}
    for org in (n for n in nodes if _types(n) & ORG_TYPES):
        ident["name"] = ident["name"] or as_str(org.get("name"))
        ident["business_id"] = ident["business_id"] or as_str(org.get("taxID")) or as_str(org.get("vatID"))
        ident["phone"] = ident["phone"] or as_str(org.get("telephone"))
        address = org.get("address")
        if isinstance(address, dict):
            street = ", ".join(
                part for part in (as_str(address.get(k)) for k in ("streetAddress", "addressLocality", "addressRegion"))
                if part is not None
            )
            ident["address"] = ident["address"] or (street or None)
            ident["location"] = ident["location"] or as_str(address.get("addressRegion")) or as_str(
                address.get("addressLocality"))
        elif isinstance(address, str):
            ident["address"] = ident["address"] or as_str(address)
    ident["name"] = ident["name"] or as_str(sel.css('meta[property="og:site_name"]::attr(content)').get())
    footer_text = "\n".join(
        t.strip()
        for t in sel.xpath(
            "//footer//text()[not(ancestor::script)]"
            " | //*[contains(@class,'footer') or contains(@id,'footer')]//text()[not(ancestor::script)]"
        ).getall()
        if t.strip()
    )
    if footer_text:
        if ident["business_id"] is None and (m := _TAX_RE.search(footer_text)):
            ident["business_id"] = m.group(1)
        if ident["phone"] is None and (m := _PHONE_RE.search(footer_text)):
            ident["phone"] = re.sub(r"[ .\-]", "", m.group(1))
        if ident["address"] is None and (m := _ADDRESS_RE.search(footer_text)):
            ident["address"] = m.group(1).strip()
    return ident


def _listing(
    product: dict[str, Any],
    url: str,
    canonical: str | None,
    crumbs: list[dict[str, Any]],
    site: dict[str, str | None],
    single: bool,
) -> Listing:
    title = as_str(product.get("name"))
    if title is None:
        raise ExtractionError(url, EXPECTED, "Product without a name")
    offers = _offers(product)
    price, list_price = _prices(offers, url)
    product_url = as_str(product.get("url"))
    page_url = urljoin(url, canonical) if canonical is not None and single else (
        urljoin(url, product_url) if product_url is not None else url
    )
    sku = as_str(product.get("sku"))
    seller_id, shop_url = seller_identity(url)
    # A shop's sku is unique only within that shop: two shops both sell "SP001".
    listing_id = f"{seller_id}#{sku if sku is not None else stable_id(page_url)}"
    offer_seller = next((o.get("seller") for o in offers if isinstance(o.get("seller"), dict)), None)
    seller_name = _name(offer_seller) if offer_seller is not None else None
    seller_link = as_str(offer_seller.get("url")) if isinstance(offer_seller, dict) else None
    same_party = seller_name is None or (site["name"] is not None and fold(site["name"]) == fold(seller_name))
    seller = Seller(
        id=seller_id,
        name=seller_name or site["name"],
        url=urljoin(url, seller_link) if seller_link is not None else shop_url,
        business_id=site["business_id"] if same_party else None,
        phone=site["phone"] if same_party else None,
        address=site["address"] if same_party else None,
        location=site["location"] if same_party else None,
    )
    return Listing(
        platform=PLATFORM,
        listing_id=listing_id,
        url=page_url,
        title=title,
        description=as_str(product.get("description")),
        brand=_name(product.get("brand")),
        category=_category(product, crumbs, title),
        price=price,
        list_price=list_price,
        gtin=_gtin(product, offers),
        origin=_origin(product),
        images=_images(product, url),
        rating=_rating(product, url),
        seller=seller,
    )
