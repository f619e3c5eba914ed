"""Recognise a seller from a URL an inspector pastes (on-demand scans, DESIGN §4.7).

``recognize`` is pure (no network, no database): it turns a shop URL, a product URL of that shop
or a bare seller id into a `SellerRef` the seller-mode spider understands, or raises
`SellerURLError` with a message an inspector can act on. ``check_addresses`` is the SSRF
guard: given the addresses a host resolves to (the caller resolves; tests inject), it
refuses private, loopback, link-local and other non-public addresses. `validate_seller_url`
applies both with the watchlist's ``on_demand`` hosts; `resolve_seller` makes the one look-up
a seller-mode spider may need first (Tiki: the seller id behind a shop page or a product).

Only configured hosts are accepted (``on_demand.hosts`` in ``rules/watchlist.yaml``), plus
the demo marketplace's exact origins (scheme, 127.0.0.1, port) when the caller names them.
Demo platforms live under a path prefix of the demo root (`crawler.platforms.demo_paths`); a
demo URL is recognised with the real platform's patterns after the prefix is stripped. The
URL shapes of each platform are declared in its `crawler.platforms.Platform`, so a new
platform needs no code here.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import socket
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from crawler import platforms
from crawler.platforms import Platform, RefKind

if TYPE_CHECKING:
    from rules.loader import RuleSet

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


DEFAULT_PORTS = {"http": 80, "https": 443}


def _query_seller(platform: Platform, query: Mapping[str, list[str]]) -> str | None:
    """Seller ids carried in the query string (Tiki ``?seller=``, Facebook ``profile.php?id=``)."""
    for key in platform.seller_query_keys:
        values = query.get(key)
        if values and values[0].isdigit() and len(values[0]) <= 20:
            return values[0]
    return None


def match_path(platform: str, path: str, query: Mapping[str, list[str]]) -> tuple[RefKind, str] | None:
    """The seller reference in one platform path (the host is already known to be that platform's);
    the URL shapes are the platform's `crawler.platforms.Platform.seller_paths`."""
    found_platform = platforms.get(platform)
    if found_platform is None:
        return None
    path = unquote(path).rstrip("/") or "/"
    seller = _query_seller(found_platform, query)
    if seller is not None and (found_platform.seller_query_paths is None or path in found_platform.seller_query_paths):
        return "seller_id", seller
    for rule in found_platform.seller_paths:
        found = rule.pattern.match(path)
        if found is None:
            continue
        value = found.group("v")
        first = path.strip("/").split("/", 1)[0].lower()
        if first in found_platform.reserved_segments:
            return None
        if rule.kind == "shop" and value.lower() in found_platform.reserved_shop_names:
            return None
        return rule.kind, value
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


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv6 one that routes to it (6to4, Teredo client, NAT64,
    IPv4-compatible): such an address must be judged as the address it embeds."""
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    packed = int(address)
    if address in ipaddress.IPv6Network("64:ff9b::/96") or (packed >> 32 == 0 and packed > 1):
        return ipaddress.IPv4Address(packed & 0xFFFFFFFF)
    return None


def address_problem(address: IPAddress) -> str | None:
    """Why a crawl must never go to this address, or None when it is public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address_problem(address.ipv4_mapped)
    if isinstance(address, ipaddress.IPv6Address):
        embedded = embedded_ipv4(address)
        problem = None if embedded is None else address_problem(embedded)
        if problem is not None:
            return f"{address} embeds {problem}"
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
    descriptor = platforms.get(platform)
    found: tuple[RefKind, str] | None = (
        ("shop", origin.root) if descriptor is not None and descriptor.whole_host_is_shop
        else match_path(platform, parts.path, query)
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
    found = platforms.get(platform)
    example = found.seller_url_example if found is not None else "the seller's shop URL"
    return f"{url} is a {platform} page but not a seller or product page: paste e.g. {example}"


# =========================================================================== on-demand scans


def demo_origins_from_env() -> tuple[str, ...]:
    """``LISTINGWATCH_DEMO_URL``: roots of demo marketplaces allowed as scan targets (comma-separated)."""
    raw = os.environ.get("LISTINGWATCH_DEMO_URL", "")
    return tuple(part.strip() for part in raw.split(",") if part.strip() != "")


def validate_seller_url(
    url: str, rules: RuleSet, *, demo_origins: Sequence[str] = (), resolver: Callable[[str], list[str]] | None = None,
) -> SellerRef:
    """Recognise the seller in ``url`` or raise `SellerURLError`; sends no request. Also
    refuses platforms we have no spider for (recognised, but nothing could scan them)."""
    ref = recognize(
        url, hosts=rules.watchlist.on_demand.hosts, demo_origins=demo_origins, demo_paths=platforms.demo_paths(),
        resolver=system_resolver if resolver is None else resolver,
    )
    if platforms.get(ref.real_platform) is None:
        raise SellerURLError(
            f"recognised {ref.describe()}, but listingwatch has no {ref.real_platform} spider yet "
            f"(scannable: {', '.join(platforms.names())})"
        )
    return ref


_SELLER_ID_IN_PAGE = (
    re.compile(r'data-seller-id="(\d{1,15})"'),
    re.compile(r'"seller_id"\s*:\s*"?(\d{1,15})'),
    re.compile(r'"sellerId"\s*:\s*"?(\d{1,15})'),
)


RESOLVE_MAX_BYTES = 2_000_000


def fetch_url(url: str, timeout: float = 20.0) -> bytes:
    """One GET to an already validated URL; redirects are NOT followed (a redirect to an
    internal address would bypass the check)."""
    import urllib.request

    from crawler.settings import USER_AGENT

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    if urlsplit(url).scheme not in ("http", "https"):
        raise SellerURLError(f"refused to fetch {url!r}: only http(s)")
    # The URL passed validate_seller_url (allowed host, public address or the demo).
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/json"})  # noqa: S310
    with opener.open(request, timeout=timeout) as response:
        return bytes(response.read(RESOLVE_MAX_BYTES))


def resolve_seller(ref: SellerRef, fetch: Callable[[str], bytes] = fetch_url) -> str:
    """The seller reference the seller-mode spider takes: an id, or a shop URL it navigates.

    Tiki's spider needs the numeric seller id: a shop slug is looked up on the shop page, a
    product in the product API. Other spiders take the shop URL as it is.
    """
    if ref.kind == "seller_id":
        return ref.value
    platform = ref.real_platform
    root = ref.base_url if ref.base_url is not None else platforms.public_roots().get(platform, "")
    if platform == "tiki" and ref.kind == "shop":
        body = fetch(ref.url).decode("utf-8", "replace")
        for pattern in _SELLER_ID_IN_PAGE:
            found = pattern.search(body)
            if found is not None:
                return found.group(1)
        raise SellerURLError(f"no seller id on the shop page {ref.url}; paste a URL with ?seller=ID")
    if platform == "tiki" and ref.kind == "product":
        data = json.loads(fetch(f"{root}/api/v2/products/{ref.value}"))
        seller = (data.get("current_seller") or {}).get("id") if isinstance(data, dict) else None
        if seller is None:
            raise SellerURLError(f"product {ref.value} names no seller; paste the shop URL")
        return str(seller)
    if ref.kind == "shop":
        return ref.url if platform != "web" or ref.base_url is None else ref.url.split("?", 1)[0]
    raise SellerURLError(f"cannot find the shop of a {platform} product URL yet; paste the shop URL")
