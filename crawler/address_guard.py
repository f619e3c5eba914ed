"""The one address policy for every request a crawl or an evidence capture sends (issue 14, item 5).

`crawler.seller_urls` checks the URL an inspector pastes; this module checks every hop after it:
redirects, sitemap ``<loc>``s, followed links, and each request Chromium makes. A request may
go to a public address, or to one of the origins a demo / test crawl names explicitly (scheme,
host, port: "127.0.0.1:8000" allows that server, not every loopback port). The host is resolved
when the request is about to be sent, and the addresses found are the ones connected to
(`GuardedResolver` for Scrapy, `crawler.guard_proxy` for Chromium), so a DNS answer that
changes between check and connect (rebinding) cannot slip through.

Three enforcement points share `AddressPolicy.check`:

- `AddressGuardMiddleware`, a Scrapy downloader middleware: refuses before the download, counts
  ``crawler/refused_requests`` and logs the reason;
- `GuardedResolver`, Scrapy's ``DNS_RESOLVER``: a name Twisted resolves to connect must
  resolve to public addresses only;
- `crawler.guard_proxy.GuardProxy`, the proxy every Chromium request goes through.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

from crawler.seller_urls import (
    DEFAULT_PORTS,
    Origin,
    Resolver,
    SellerURLError,
    check_addresses,
    ip_literal,
)

log = logging.getLogger("listingwatch.guard")

#: Setting: origins (``http://127.0.0.1:8000``) a crawl may reach although they are not public.
ALLOWED_ORIGINS_SETTING = "LISTINGWATCH_ALLOWED_ORIGINS"
#: The stat each refused request adds to; the scan report shows it.
REFUSED_STAT = "crawler/refused_requests"
#: Refused requests of Chromium (`crawler.guard_proxy`), counted apart: the browser's own
#: background requests may land here too.
REFUSED_BROWSER_STAT = "crawler/refused_browser_requests"
MIDDLEWARE_PATH = "crawler.address_guard.AddressGuardMiddleware"
RESOLVER_PATH = "crawler.address_guard.GuardedResolver"


class RefusedAddress(SellerURLError):
    """The request must not be sent; ``str()`` says why."""


def _system_addresses(host: str) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise RefusedAddress(f"cannot resolve {host}: {exc}") from exc
    return sorted({str(info[4][0]) for info in infos})


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses, plus the ``allowed`` origins exactly. ``resolver``: host -> addresses."""

    allowed: frozenset[Origin] = frozenset()
    resolver: Resolver = field(default=_system_addresses, compare=False)

    @classmethod
    def from_origins(cls, origins: Iterable[str], resolver: Resolver | None = None) -> AddressPolicy:
        parsed = frozenset(Origin.parse(o) for o in origins if o.strip() != "")
        return cls(parsed) if resolver is None else cls(parsed, resolver)

    @property
    def allowed_hosts(self) -> frozenset[str]:
        return frozenset(o.host for o in self.allowed)

    def is_allowed(self, scheme: str | None, host: str, port: int) -> bool:
        """An explicitly allowed origin; ``scheme`` None (a proxy CONNECT) matches host and port."""
        host = host.lower().rstrip(".").strip("[]")
        return any(o.host == host and o.port == port and scheme in (None, o.scheme) for o in self.allowed)

    def check(self, scheme: str | None, host: str, port: int) -> list[str]:
        """The addresses to connect to for ``host``:``port``, or `RefusedAddress`."""
        host = host.lower().rstrip(".").strip("[]")
        if host == "":
            raise RefusedAddress("refused: no host")
        literal = ip_literal(host)
        addresses = [str(literal)] if literal is not None else self.resolver(host)
        if self.is_allowed(scheme, host, port):
            return addresses
        try:
            check_addresses(host, addresses)
        except SellerURLError as exc:
            raise RefusedAddress(str(exc)) from exc
        return addresses

    def check_url(self, url: str) -> list[str]:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS:
            raise RefusedAddress(f"refused: only http(s) requests are sent, not {parts.scheme}:")
        try:
            port = parts.port or DEFAULT_PORTS[scheme]
        except ValueError as exc:
            raise RefusedAddress(f"refused: bad port in {url!r}") from exc
        return self.check(scheme, parts.hostname or "", port)


def policy_from_settings(settings: Any) -> AddressPolicy:
    return AddressPolicy.from_origins(settings.getlist(ALLOWED_ORIGINS_SETTING))


class AddressGuardMiddleware:
    """Refuse, before it is sent, every request whose address the policy refuses.

    Placed last before the download handler (after the redirect middleware, whose follow-ups
    come back through the scheduler and so through here too), it sees every request: the
    spider's, robots.txt, redirects, sitemap entries, followed links, retries."""

    def __init__(self, crawler: Any, policy: AddressPolicy) -> None:
        self.crawler = crawler
        self.policy = policy

    @classmethod
    def from_crawler(cls, crawler: Any) -> AddressGuardMiddleware:
        return cls(crawler, policy_from_settings(crawler.settings))

    def process_request(self, request: Any, spider: Any = None) -> None:
        try:
            # Blocking DNS on the reactor thread: one look-up per request at crawl politeness
            # (≥ 1 s between requests per site) is cheap, and GuardedResolver pins the answer.
            self.policy.check_url(request.url)
        except RefusedAddress as exc:
            stats = self.crawler.stats
            if stats is not None:
                stats.inc_value(REFUSED_STAT)
            log.warning("request refused url=%s reason=%s", request.url, exc)
            raise IgnoreRequest(str(exc)) from exc


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's resolver, refusing names that resolve to non-public addresses (except the hosts
    of the allowed origins): the check is on the very answer Twisted connects to."""

    allowed_hosts: frozenset[str] = frozenset()

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        resolver: GuardedResolver = super().from_crawler(crawler, reactor)
        resolver.allowed_hosts = policy_from_settings(crawler.settings).allowed_hosts
        return resolver

    def getHostByName(self, name: str, timeout: Any = ()) -> Any:
        deferred = super().getHostByName(name, timeout)

        def check(address: str) -> str:
            if name.lower().rstrip(".") not in self.allowed_hosts:
                try:
                    check_addresses(name, [address])
                except SellerURLError as exc:
                    log.warning("connection refused host=%s reason=%s", name, exc)
                    raise DNSLookupError(str(exc)) from exc
            return address

        return deferred.addCallback(check)

