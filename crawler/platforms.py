"""The platform registry: every marketplace is declared once, here (DESIGN §2).

A `Platform` says what the rest of the code needs to know about a marketplace: its spider
and extractors (dotted paths, imported when first used), its public site and hosts, the
URL shapes that name a seller, the signatures of its block pages and of its removed-product
page, whether its crawls can
be shared between processes, and where the demo marketplace imitates it. `crawler.run`,
`crawler.blocks`, `crawler.seller_urls`, `crawler.distributed`, `crawler.extractors` and
the scheduler read this registry instead of keeping their own tables.

Adding a marketplace: its spider (found by Scrapy's SpiderLoader under
``crawler.spiders``), its extractor, one `register(Platform(...))` below, a fixture, a
test and its YAML entries. `register` also takes platforms defined elsewhere (tests).

This module imports nothing of the crawler, so every crawler module may read it. `register`
also tells the record schema (`rules.record`) that records may carry the platform's name.
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from rules.record import accept_platform, forget_platform

RefKind = Literal["seller_id", "shop", "product"]
"""What a seller URL names: the seller's id, its shop (URL or slug), or one of its products."""

#: (listings on this page, total the API claims) of a decoded JSON answer, or (None, None)
#: when the answer is not a listing response of this platform.
ItemCounter = Callable[[dict[str, Any]], tuple[int | None, int | None]]


@dataclass(frozen=True)
class SellerPath:
    """A URL path that names a seller: ``pattern`` (with a group ``v``) on the decoded path."""

    pattern: re.Pattern[str]
    kind: RefKind


@dataclass(frozen=True)
class BlockSignature:
    """How this platform says "no" (see `crawler.blocks.detect_block`).

    ``json_error_codes`` (the JSON ``error`` field: a ban) and ``json_flag_keys`` (a key whose
    presence means an anti-bot challenge) are unambiguous and recognised on any response;
    the other fields apply to this platform's responses only."""

    json_error_codes: frozenset[int] = frozenset()
    json_flag_keys: tuple[str, ...] = ()
    json_code_captcha: frozenset[int] = frozenset()  # the JSON ``code`` field
    json_code_login: frozenset[int] = frozenset()
    html_captcha_marks: tuple[str, ...] = ()  # substrings of an anti-bot page's HTML
    count_items: ItemCounter | None = None  # an empty-but-200 listing answer is a block


#: Folded phrases that marketplaces put on the page of a product that is gone.
REMOVED_PHRASES: tuple[str, ...] = (
    "san pham khong ton tai",
    "san pham nay khong ton tai",
    "san pham khong con ton tai",
    "san pham nay khong con ton tai",
    "san pham da bi xoa",
    "san pham da ngung kinh doanh",
)


@dataclass(frozen=True)
class RemovedSignature:
    """How this platform says "this product is gone" (see `crawler.blocks.detect_removed`).

    A removal check (``listingwatch takedown verify``) counts a listing as removed only on
    these, never on a block or an error: a wrongly "removed" listing closes a takedown."""

    statuses: frozenset[int] = frozenset({404, 410})
    #: Folded phrases of the removed page's <title> or opening text (an HTTP 200 page).
    html_phrases: tuple[str, ...] = REMOVED_PHRASES


@dataclass(frozen=True)
class Platform:
    """One marketplace, declared once."""

    name: str  # the spider's name and the records' ``platform`` (``demo-<name>`` in the demo)
    spider: str  # dotted path of the Scrapy spider class (its ``name`` is ``name``)
    extractor: str  # dotted path of the module with ``extract(body, url) -> list[Listing]``
    seller_extractor: str | None = None  # dotted path of ``extract_seller(body, url) -> Seller``
    public_root: str | None = None  # the real site, for look-ups outside a crawl
    hosts: tuple[str, ...] = ()  # host names the platform serves (subdomains included)
    seller_paths: tuple[SellerPath, ...] = ()  # first match wins
    seller_query_keys: tuple[str, ...] = ()  # query parameters carrying a numeric seller id
    seller_query_paths: tuple[str, ...] | None = None  # where those parameters count (None: any path)
    reserved_segments: frozenset[str] = frozenset()  # first path segments that are site pages
    reserved_shop_names: frozenset[str] = frozenset()  # "shop" matches that are site pages
    whole_host_is_shop: bool = False  # a stand-alone shop: any page of the host names the shop
    seller_url_example: str = "the seller's shop URL"
    blocks: BlockSignature = field(default_factory=BlockSignature)
    removed: RemovedSignature = field(default_factory=RemovedSignature)
    distributable: bool = False  # its requests may travel between processes (crawler.distributed)
    demo_path: str | None = None  # path prefix under the demo marketplace's root; None: not in the demo

    @property
    def spider_module(self) -> str:
        return self.spider.rsplit(".", 1)[0]

    def load_extractor(self) -> Callable[[bytes | str, str], Any]:
        extract: Callable[[bytes | str, str], Any] = importlib.import_module(self.extractor).extract
        return extract

    def load_seller_extractor(self) -> Callable[[bytes | str, str], Any] | None:
        if self.seller_extractor is None:
            return None
        module, _, attr = self.seller_extractor.rpartition(".")
        reader: Callable[[bytes | str, str], Any] = getattr(importlib.import_module(module), attr)
        return reader


_registry: dict[str, Platform] = {}
_lock = threading.Lock()


def register(platform: Platform, *, replace: bool = False) -> Platform:
    """Add a platform to the registry (refuses a second one of the same name unless ``replace``)."""
    if platform.name.startswith("demo-") or platform.name.strip() == "":
        raise ValueError(f"bad platform name {platform.name!r}: demo-* is the demo's label of a platform")
    with _lock:
        if platform.name in _registry and not replace and _registry[platform.name] != platform:
            raise ValueError(f"platform {platform.name!r} is already registered")
        _registry[platform.name] = platform
    accept_platform(platform.name)
    return platform


def unregister(name: str) -> None:
    """Remove a platform (tests that registered a throw-away one clean up with this)."""
    with _lock:
        _registry.pop(name, None)
    forget_platform(name)


def get(name: str) -> Platform | None:
    """The platform ``name`` (``demo-tiki`` is ``tiki``), or None."""
    return _registry.get(name.removeprefix("demo-"))


def require(name: str) -> Platform:
    """The platform ``name`` or a `KeyError` listing the known ones."""
    found = get(name)
    if found is None:
        raise KeyError(f"unknown platform {name!r}; known: {', '.join(names())}")
    return found


def all_platforms() -> Iterator[Platform]:
    return iter(list(_registry.values()))


def names() -> list[str]:
    return sorted(_registry)


def demo_paths() -> dict[str, str]:
    """``demo-<name>`` -> path prefix under the demo marketplace's root."""
    return {f"demo-{p.name}": p.demo_path for p in _registry.values() if p.demo_path is not None}


def public_roots() -> Mapping[str, str]:
    return {p.name: p.public_root for p in _registry.values() if p.public_root is not None}


# =========================================================================== the marketplaces
#
# Item counters of the listing APIs: an empty page where the API claims results (or where
# the crawl expected more) is a block, not an empty search.


def _tiki_items(obj: dict[str, Any]) -> tuple[int | None, int | None]:
    if "data" not in obj or "paging" not in obj:
        return None, None
    data, paging = obj.get("data"), obj["paging"]
    total = paging.get("total") if isinstance(paging, dict) else None
    return (len(data) if isinstance(data, list) else 0), (total if isinstance(total, int) else None)


def _shopee_items(obj: dict[str, Any]) -> tuple[int | None, int | None]:
    if not ("items" in obj or isinstance(obj.get("data"), dict) and "items" in obj["data"]):
        return None, None
    items = obj["items"] if "items" in obj else obj["data"]["items"]
    total = obj.get("total_count")
    return (len(items) if isinstance(items, list) else 0), (total if isinstance(total, int) else None)


def _sendo_items(obj: dict[str, Any]) -> tuple[int | None, int | None]:
    if "products" not in obj and "data" not in obj:
        return None, None
    items = obj.get("products", obj.get("data"))
    total = obj.get("total_products")
    meta = obj.get("meta")
    if total is None and isinstance(meta, dict):
        total = meta.get("total")
    if isinstance(items, list):
        return len(items), (total if isinstance(total, int) else None)
    return None, None


def _lazada_items(obj: dict[str, Any]) -> tuple[int | None, int | None]:
    if not isinstance(obj.get("mods"), dict):
        return None, None
    items = obj["mods"].get("listItems") or []
    main = obj.get("mainInfo")
    total_text = main.get("totalResults") if isinstance(main, dict) else None
    total = int(total_text) if isinstance(total_text, str) and total_text.isdigit() else None
    return (len(items) if isinstance(items, list) else 0), total


def _tiktok_items(obj: dict[str, Any]) -> tuple[int | None, int | None]:
    if not (isinstance(obj.get("data"), dict) and "products" in obj["data"]):
        return None, None
    items = obj["data"]["products"]
    total = obj["data"].get("total")
    return (len(items) if isinstance(items, list) else 0), (total if isinstance(total, int) else None)


_SLUG = r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}"


def _path(pattern: str, kind: RefKind) -> SellerPath:
    return SellerPath(re.compile(pattern), kind)


TIKI = register(Platform(
    name="tiki",
    spider="crawler.spiders.tiki.TikiSpider",
    extractor="crawler.extractors.tiki",
    seller_extractor="crawler.extractors.tiki.extract_seller",
    public_root="https://tiki.vn",
    hosts=("tiki.vn",),
    seller_paths=(
        _path(rf"^/cua-hang/(?P<v>{_SLUG})$", "shop"),
        _path(r"^/(?:[^/]*-)?p(?P<v>\d{1,15})\.html$", "product"),
    ),
    seller_query_keys=("seller", "seller_id"),
    seller_url_example="https://tiki.vn/cua-hang/ten-shop, a product URL ending in -p123456.html, or ?seller=ID",
    blocks=BlockSignature(count_items=_tiki_items),
    removed=RemovedSignature(html_phrases=(*REMOVED_PHRASES, "san pham nay da ngung ban")),
    distributable=True,
    demo_path="/tiki",
))

SHOPEE = register(Platform(
    name="shopee",
    spider="crawler.spiders.shopee.ShopeeSpider",
    extractor="crawler.extractors.shopee",
    seller_extractor="crawler.extractors.shopee.extract_seller",
    public_root="https://shopee.vn",
    hosts=("shopee.vn",),
    seller_paths=(
        _path(r"^/shop/(?P<v>\d{1,15})$", "seller_id"),
        _path(r"^/product/(?P<v>\d{1,15})/\d{1,20}$", "seller_id"),
        _path(r"^/[^/]*-i\.(?P<v>\d{1,15})\.\d{1,20}$", "seller_id"),
        _path(rf"^/(?P<v>{_SLUG})$", "shop"),
    ),
    reserved_shop_names=frozenset({
        "search", "cart", "checkout", "user", "buyer", "mall", "flash_sale", "daily_discover",
        "m", "verify", "login", "signup", "seller", "help", "events3",
    }),
    seller_url_example="https://shopee.vn/ten-shop, https://shopee.vn/shop/123456 or a product URL ending in "
                       "-i.SHOPID.ITEMID",
    # Shopee's anti-bot refusal codes (plain HTTP to api/v4 without the page's own headers).
    blocks=BlockSignature(json_error_codes=frozenset({90309999, 90309990}), count_items=_shopee_items),
    removed=RemovedSignature(html_phrases=(*REMOVED_PHRASES, "the product doesn't exist")),
    distributable=True,
    demo_path="/shopee",
))

LAZADA = register(Platform(
    name="lazada",
    spider="crawler.spiders.lazada.LazadaSpider",
    extractor="crawler.extractors.lazada",
    public_root="https://www.lazada.vn",
    hosts=("lazada.vn",),
    seller_paths=(
        _path(rf"^/shop/(?P<v>{_SLUG})(?:/.*)?$", "shop"),
        _path(r"^/products/[^/]*-i(?P<v>\d{1,15})(?:-s\d+)?\.html$", "product"),
    ),
    seller_url_example="https://www.lazada.vn/shop/ten-shop",
    # Lazada's anti-bot: a JSON answer carrying ``rgv587_flag`` (the x5sec slider) or a page
    # whose script configures the slider (``x5secdata`` / ``nocaptcha``).
    blocks=BlockSignature(json_flag_keys=("rgv587_flag",),
                          html_captcha_marks=("x5secdata", "nc_1_wrapper", "nocaptcha"),
                          count_items=_lazada_items),
    distributable=True,
    demo_path="/lazada",
))

SENDO = register(Platform(
    name="sendo",
    spider="crawler.spiders.sendo.SendoSpider",
    extractor="crawler.extractors.sendo",
    public_root="https://www.sendo.vn",
    hosts=("sendo.vn",),
    seller_paths=(
        _path(rf"^/shop/(?P<v>{_SLUG})(?:/.*)?$", "shop"),
        _path(r"^/[^/]*-(?P<v>\d{1,15})\.html$", "product"),
    ),
    seller_url_example="https://www.sendo.vn/shop/ten-shop",
    blocks=BlockSignature(count_items=_sendo_items),
    removed=RemovedSignature(html_phrases=(*REMOVED_PHRASES, "khong tim thay san pham")),
    distributable=True,
    demo_path="/sendo",
))

TIKTOK = register(Platform(
    name="tiktok",
    spider="crawler.spiders.tiktok.TiktokSpider",
    extractor="crawler.extractors.tiktok",
    seller_extractor="crawler.extractors.tiktok.extract_seller",
    public_root="https://www.tiktok.com",
    hosts=("tiktok.com",),
    seller_paths=(
        _path(r"^/@(?P<v>[A-Za-z0-9._]{2,24})(?:/.*)?$", "shop"),
        _path(r"^/(?:vn/)?(?:view/)?product/(?P<v>\d{1,25})$", "product"),
    ),
    seller_url_example="https://www.tiktok.com/@ten-shop",
    # TikTok's API refusals: verify (anti-bot) and login required.
    blocks=BlockSignature(json_code_captcha=frozenset({10201, 10202}), json_code_login=frozenset({10000, 10101}),
                          count_items=_tiktok_items),
    removed=RemovedSignature(html_phrases=(*REMOVED_PHRASES, "product not available", "san pham khong kha dung")),
    distributable=True,
    demo_path="/tiktok",
))

FACEBOOK = register(Platform(
    name="facebook",
    spider="crawler.spiders.facebook.FacebookSpider",
    extractor="crawler.extractors.facebook",
    seller_extractor="crawler.extractors.facebook.extract_seller",
    public_root="https://www.facebook.com",
    hosts=("facebook.com",),
    seller_paths=(
        _path(r"^/people/[^/]+/(?P<v>\d{5,20})$", "seller_id"),
        _path(r"^/(?P<v>[A-Za-z0-9.]{5,80})(?:/(?:posts|photos|videos|about|shop)(?:/.*)?)?$", "shop"),
    ),
    seller_query_keys=("id",),
    seller_query_paths=("/profile.php", "/"),
    # Facebook paths that are not a page (the first path segment).
    reserved_segments=frozenset({
        "groups", "events", "watch", "marketplace", "login", "login.php", "share", "sharer",
        "sharer.php", "dialog", "plugins", "help", "settings", "policies", "privacy", "pages",
        "photo.php", "story.php", "permalink.php", "home.php", "search", "hashtag", "reel",
    }),
    seller_url_example="https://www.facebook.com/ten-trang or https://www.facebook.com/profile.php?id=123",
    distributable=True,
    demo_path="/facebook",
))

WEB = register(Platform(
    name="web",
    spider="crawler.spiders.web.WebSpider",
    extractor="crawler.extractors.web",
    # Stand-alone shops: the demo's layout; real shops are one host each (the whole host is the shop).
    seller_paths=(_path(rf"^/shops/(?P<v>{_SLUG})(?:/.*)?$", "shop"),),
    whole_host_is_shop=True,
    seller_url_example="the shop's home page",
    distributable=True,
    demo_path="",
))
