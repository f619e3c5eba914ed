"""The one address policy of every request a crawl or an evidence capture sends (issue 14, item 5).

Public addresses, plus the origins a demo / test crawl names explicitly (scheme, host, port:
"127.0.0.1:8000" allows that server, not every loopback port). `AddressPolicy.check` resolves
the host when the request is about to be sent and returns the addresses it checked, which are
the ones to connect to. Used by `crawler.address_guard` (Scrapy) and `crawler.guard_proxy`
(Chromium); no Scrapy import here, so evidence capture and the web app stay light.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from crawler.seller_urls import (
    DEFAULT_PORTS,
    Origin,
    Resolver,
    SellerURLError,
    check_addresses,
    ip_literal,
    system_resolver,
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


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses, plus the ``allowed`` origins exactly. ``resolver``: host -> addresses."""

    allowed: frozenset[Origin] = frozenset()
    resolver: Resolver = field(default=system_resolver, compare=False)
    # A run whose every target is one of its allowed origins (the demo) reaches nothing else,
    # public or not, and looks no other name up: Chromium's own background requests stay home.
    local_only: bool = False

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
        if self.local_only and not self.is_allowed(scheme, host, port):
            raise RefusedAddress(f"refused: {host}:{port} is not one of this local run's origins")
        literal = ip_literal(host)
        try:
            addresses = [str(literal)] if literal is not None else self.resolver(host)
            if not self.is_allowed(scheme, host, port):
                check_addresses(host, addresses)
        except SellerURLError as exc:  # unresolvable or not public: the same refusal
            raise RefusedAddress(str(exc)) from exc
        return addresses

    def allows_only_its_origins(self, urls: Iterable[str]) -> AddressPolicy:
        """This policy, local-only when every URL is one of its allowed origins."""
        def allowed(url: str) -> bool:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            try:
                port = parts.port or DEFAULT_PORTS.get(scheme, 0)
            except ValueError:
                return False
            return self.is_allowed(scheme, parts.hostname or "", port)

        targets = list(urls)
        if not self.allowed or not targets or not all(allowed(u) for u in targets):
            return self
        return replace(self, local_only=True)

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
