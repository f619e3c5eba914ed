"""The one address policy for every request a crawl or an evidence capture sends (issue 14, item 5).

`crawler.seller_urls` checks the URL an inspector pastes; this module checks every hop after it:
redirects, sitemap ``<loc>``s, followed links, and each request Chromium makes. A request may
go to a public address, or to one of the origins a demo / test crawl names explicitly (scheme,
host, port: "127.0.0.1:8000" allows that server, not every loopback port). The host is resolved
when the request is about to be sent, and the addresses found are the ones connected to
(`GuardedResolver` for Scrapy, `crawler.guard_proxy` for Chromium), so a DNS answer that
changes between check and connect (rebinding) cannot slip through.

Three enforcement points share `crawler.address_policy.AddressPolicy.check`:

- `AddressGuardMiddleware`, a Scrapy downloader middleware: refuses before the download, counts
  ``crawler/refused_requests`` and logs the reason;
- `GuardedResolver`, Scrapy's ``DNS_RESOLVER``: a name Twisted resolves to connect must
  resolve to public addresses only;
- `crawler.guard_proxy.GuardProxy`, the proxy every Chromium request goes through.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

from crawler.address_policy import REFUSED_STAT, AddressPolicy, RefusedAddress, policy_from_settings
from crawler.seller_urls import SellerURLError, check_addresses

log = logging.getLogger("listingwatch.guard")


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

