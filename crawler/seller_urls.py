"""Recognise a seller from a URL an inspector pastes (on-demand scans, DESIGN §4.7).

Pure: no network, no database. ``recognize`` turns a shop URL, a product URL of that shop
or a bare seller id into a `SellerRef` the seller-mode spider understands, or raises
`SellerURLError` with a message an inspector can act on. ``check_addresses`` is the SSRF
guard: given the addresses a host resolves to (the caller resolves; tests inject), it
refuses private, loopback, link-local and other non-public addresses.

Only configured hosts are accepted (``on_demand.hosts`` in ``rules/watchlist.yaml``), plus
the demo marketplace's exact origins (scheme, 127.0.0.1, port) when the caller names them.
Demo platforms live under a path prefix of the demo root (`scheduler.DEMO_PATHS`); a demo
URL is recognised with the real platform's patterns after the prefix is stripped, so a
new demo platform needs no code here.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

RefKind = Literal["seller_id", "shop", "product"]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class SellerURLError(ValueError):
    """The URL is refused; ``str()`` says why, for the inspector."""


@dataclass(frozen=True)
class SellerRef:
    """One recognised seller.

    ``kind``: ``seller_id`` (``value`` is the platform's seller/shop id), ``shop`` (``value``
    is the shop's URL or slug, which the spider navigates itself or the worker resolves) or
    ``product`` (``value`` is a product id whose seller the worker looks up).
    """

    platform: str  # tiki, shopee, ... or demo-tiki, demo-shopee, ...
    kind: RefKind
    value: str
    url: str  # the URL as given (normalised: stripped)
    base_url: str | None = None  # the site root to crawl; None = the platform's public site

    @property
    def real_platform(self) -> str:
        return self.platform.removeprefix("demo-")

    def describe(self) -> str:
        what = {"seller_id": "seller id", "shop": "shop", "product": "product"}[self.kind]
        return f"{self.platform} {what} {self.value}"


# --------------------------------------------------------------------------- patterns
#
# Each rule: (regex on the path, kind, group). The first match wins. Paths are matched
# after percent-decoding and with a trailing slash removed.

_Rule = tuple[re.Pattern[str], RefKind]

_SLUG = r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}"

PATH_RULES: dict[str, list[_Rule]] = {
    "tiki": [
        (re.compile(rf"^/cua-hang/(?P<v>{_SLUG})$"), "shop"),
        (re.compile(r"^/(?:[^/]*-)?p(?P<v>\d{1,15})\.html$"), "product"),
    ],
    "shopee": [
        (re.compile(r"^/shop/(?P<v>\d{1,15})$"), "seller_id"),
        (re.compile(r"^/product/(?P<v>\d{1,15})/\d{1,20}$"), "seller_id"),
        (re.compile(r"^/[^/]*-i\.(?P<v>\d{1,15})\.\d{1,20}$"), "seller_id"),
        (re.compile(rf"^/(?P<v>{_SLUG})$"), "shop"),
    ],
    "lazada": [
        (re.compile(rf"^/shop/(?P<v>{_SLUG})(?:/.*)?$"), "shop"),
        (re.compile(r"^/products/[^/]*-i(?P<v>\d{1,15})(?:-s\d+)?\.html$"), "product"),
    ],
    "sendo": [
        (re.compile(rf"^/shop/(?P<v>{_SLUG})(?:/.*)?$"), "shop"),
        (re.compile(r"^/[^/]*-(?P<v>\d{1,15})\.html$"), "product"),
    ],
    "tiktok": [
        (re.compile(r"^/@(?P<v>[A-Za-z0-9._]{2,24})(?:/.*)?$"), "shop"),
        (re.compile(r"^/(?:vn/)?(?:view/)?product/(?P<v>\d{1,25})$"), "product"),
    ],
    "facebook": [
        (re.compile(r"^/people/[^/]+/(?P<v>\d{5,20})$"), "seller_id"),
        (re.compile(r"^/(?P<v>[A-Za-z0-9.]{5,80})(?:/(?:posts|photos|videos|about|shop)(?:/.*)?)?$"), "shop"),
    ],
    # Stand-alone shops: the demo's layout; real shops are one host each (the whole host is the shop).
    "web": [
        (re.compile(rf"^/shops/(?P<v>{_SLUG})(?:/.*)?$"), "shop"),
    ],
}

#: Facebook paths that are not a page (the first path segment).
FACEBOOK_RESERVED = frozenset({
    "groups", "events", "watch", "marketplace", "login", "login.php", "share", "sharer",
    "sharer.php", "dialog", "plugins", "help", "settings", "policies", "privacy", "pages",
    "photo.php", "story.php", "permalink.php", "home.php", "search", "hashtag", "reel",
})
#: Shopee paths that look like a shop name but are site pages.
SHOPEE_RESERVED = frozenset({
    "search", "cart", "checkout", "user", "buyer", "mall", "flash_sale", "daily_discover",
    "m", "verify", "login", "signup", "seller", "help", "events3",
})

DEFAULT_PORTS = {"http": 80, "https": 443}


def _query_seller(platform: str, query: Mapping[str, list[str]]) -> str | None:
    """Seller ids carried in the query string (Tiki ``?seller=``, Facebook ``profile.php?id=``)."""
    keys = {"tiki": ("seller", "seller_id"), "facebook": ("id",)}.get(platform, ())
    for key in keys:
        values = query.get(key)
        if values and values[0].isdigit() and len(values[0]) <= 20:
            return values[0]
    return None


def match_path(platform: str, path: str, query: Mapping[str, list[str]]) -> tuple[RefKind, str] | None:
    """The seller reference in one platform path (the host is already known to be that platform's)."""
    path = unquote(path).rstrip("/") or "/"
    seller = _query_seller(platform, query)
    if seller is not None and (platform != "facebook" or path in ("/profile.php", "/")):
        return "seller_id", seller
    for pattern, kind in PATH_RULES.get(platform, []):
        found = pattern.match(path)
        if found is None:
            continue
        value = found.group("v")
        first = path.strip("/").split("/", 1)[0].lower()
        if platform == "facebook" and first in FACEBOOK_RESERVED:
            return None
        if platform == "shopee" and kind == "shop" and value.lower() in SHOPEE_RESERVED:
            return None
        return kind, value
    return None


def host_platform(host: str, hosts: Mapping[str, Sequence[str]]) -> str | None:
    """Which configured platform a host belongs to (``www.tiki.vn`` belongs to ``tiki.vn``)."""
    for platform, names in hosts.items():
        for name in names:
            name = name.lower().strip(".")
            if host == name or host.endswith("." + name):
                return platform
    return None


def ip_literal(host: str) -> IPAddress | None:
    """The address when ``host`` is an IP literal, including the legacy forms browsers
    accept (``2130706433``, ``0x7f.1``, ``017700000001``): those are how SSRF filters are dodged."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if re.fullmatch(r"[0-9a-fA-Fx.]+", host) is None:
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def address_problem(address: IPAddress) -> str | None:
    """Why a crawl must never go to this address, or None when it is public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address_problem(address.ipv4_mapped)
    checks = (
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address (cloud metadata lives there)"),
        ("is_private", "a private network address"),
        ("is_multicast", "a multicast address"),
        ("is_unspecified", "an unspecified address"),
        ("is_reserved", "a reserved address"),
    )
    for attribute, label in checks:
        if getattr(address, attribute):
            return f"{address} is {label}"
    if not address.is_global:
        return f"{address} is not a public address"
    return None


def check_addresses(host: str, addresses: Iterable[str]) -> None:
    """Refuse a host when ANY address it resolves to is not public (DNS rebinding picks one)."""
    found = list(addresses)
    if not found:
        raise SellerURLError(f"{host} does not resolve to any address")
    for raw in found:
        problem = address_problem(ipaddress.ip_address(raw.split("%", 1)[0]))
        if problem is not None:
            raise SellerURLError(f"refused: {host} resolves to a non-public address ({problem}); "
                                 "only public marketplace sites are scanned")


Resolver = Callable[[str], list[str]]


def system_resolver(host: str) -> list[str]:
    """The addresses ``host`` resolves to (DNS; no connection is made)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise SellerURLError(f"cannot resolve {host}: {exc}") from exc
    return sorted({str(info[4][0]) for info in infos})


@dataclass(frozen=True)
class Origin:
    scheme: str
    host: str
    port: int

    @classmethod
    def parse(cls, url: str) -> Origin:
        parts = urlsplit(url.strip())
        if parts.scheme not in DEFAULT_PORTS or parts.hostname is None:
            raise ValueError(f"not an http(s) origin: {url!r}")
        return cls(parts.scheme, parts.hostname.lower(), parts.port or DEFAULT_PORTS[parts.scheme])

    @property
    def root(self) -> str:
        default = DEFAULT_PORTS[self.scheme] == self.port
        return f"{self.scheme}://{self.host}" + ("" if default else f":{self.port}")


def recognize(
    url: str,
    *,
    hosts: Mapping[str, Sequence[str]],
    demo_origins: Sequence[str] = (),
    demo_paths: Mapping[str, str] | None = None,
    resolver: Resolver | None = system_resolver,
) -> SellerRef:
    """A `SellerRef` for ``url``, or `SellerURLError` saying why not. Sends no request.

    ``hosts``: platform -> host names allowed for on-demand scans. ``demo_origins``: roots of
    running demo marketplaces (the only loopback addresses allowed); ``demo_paths``: demo
    platform -> path prefix under the demo root. ``resolver``: host -> addresses, to refuse
    hosts that resolve to private addresses; None skips DNS (tests of recognition only).
    """
    text = url.strip()
    if text == "":
        raise SellerURLError("empty URL: paste the seller's shop URL or a product URL of that shop")
    if len(text) > 2000:
        raise SellerURLError("URL too long (over 2000 characters)")
    if any(ch.isspace() or ord(ch) < 32 for ch in text):
        raise SellerURLError("URL contains spaces or control characters")
    if "://" not in text:
        raise SellerURLError(
            f"{text!r} is not a URL: paste the whole shop URL (https://...), e.g. https://tiki.vn/cua-hang/ten-shop"
        )
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise SellerURLError(f"refused: only http and https URLs are scanned, not {parts.scheme}:")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise SellerURLError("refused: URLs with a user name or password (user@host) are not scanned")
    host = (parts.hostname or "").lower().rstrip(".")
    if host == "":
        raise SellerURLError("the URL has no host name")
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError as exc:
        raise SellerURLError(f"bad port in URL: {exc}") from exc
    query = parse_qs(parts.query, keep_blank_values=True)

    origin = Origin(scheme, host, port)
    demos = {Origin.parse(o) for o in demo_origins}
    if origin in demos:
        return _recognize_demo(text, origin, parts.path, query, demo_paths or {})

    literal = ip_literal(host)
    if literal is not None:
        problem = address_problem(literal)
        if problem is not None:
            raise SellerURLError(f"refused: {problem}; only public marketplace sites are scanned")
        raise SellerURLError(f"refused: {host} is a bare IP address, not a marketplace site")
    platform = host_platform(host, hosts)
    if platform is None:
        known = ", ".join(sorted({h for names in hosts.values() for h in names})) or "none configured"
        raise SellerURLError(f"refused: {host} is not a marketplace listingwatch scans (allowed sites: {known})")
    if port != DEFAULT_PORTS[scheme]:
        raise SellerURLError(f"refused: {platform} is scanned on its standard port only, not {port}")
    # A stand-alone shop is its whole host: any page of it names the shop.
    found: tuple[RefKind, str] | None = (
        ("shop", origin.root) if platform == "web" else match_path(platform, parts.path, query)
    )
    if found is None:
        raise SellerURLError(_hint(platform, text))
    if resolver is not None:
        check_addresses(host, resolver(host))
    kind, value = found
    return SellerRef(platform=platform, kind=kind, value=value, url=text, base_url=None)


def _recognize_demo(
    url: str, origin: Origin, path: str, query: Mapping[str, list[str]], demo_paths: Mapping[str, str]
) -> SellerRef:
    # Longest prefix first: "" (demo-web) must not shadow "/tiki".
    for platform, prefix in sorted(demo_paths.items(), key=lambda kv: -len(kv[1])):
        prefix = prefix.rstrip("/")
        if prefix != "" and not (path == prefix or path.startswith(prefix + "/")):
            continue
        rest = path[len(prefix):] or "/"
        found = match_path(platform.removeprefix("demo-"), rest, query)
        if found is None:
            continue
        kind, value = found
        return SellerRef(platform=platform, kind=kind, value=value, url=url, base_url=origin.root + prefix)
    raise SellerURLError(
        f"the demo marketplace at {origin.root} has no seller at {path!r}: paste a shop link from its front page"
    )


def _hint(platform: str, url: str) -> str:
    examples = {
        "tiki": "https://tiki.vn/cua-hang/ten-shop, a product URL ending in -p123456.html, or ?seller=ID",
        "shopee": "https://shopee.vn/ten-shop, https://shopee.vn/shop/123456 or a product URL ending in -i.SHOPID.ITEMID",
        "lazada": "https://www.lazada.vn/shop/ten-shop",
        "sendo": "https://www.sendo.vn/shop/ten-shop",
        "tiktok": "https://www.tiktok.com/@ten-shop",
        "facebook": "https://www.facebook.com/ten-trang or https://www.facebook.com/profile.php?id=123",
        "web": "the shop's home page",
    }
    example = examples.get(platform, "the seller's shop URL")
    return f"{url} is a {platform} page but not a seller or product page: paste e.g. {example}"
