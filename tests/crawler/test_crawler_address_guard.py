"""Issue 14, item 5: every hop of a crawl is checked against the address policy.

Two loopback servers: the "allowed" one is the crawl's base URL (a demo/test origin); the
"refused" one listens on another port of 127.0.0.1, which is not in the allowed origins. Every
route from the allowed site to the refused one (a redirect, a sitemap ``<loc>``, a followed
link; for Chromium also a script's fetch and a frame's redirect) must end before a request is
sent: the refused server must receive nothing.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

import pytest

from crawler.address_policy import AddressPolicy, RefusedAddress
from crawler.browser import chromium_available
from crawler.run import CrawlSpec, run_crawl
from crawler.seller_urls import address_problem
from tests.loopback_sites import Site, html, loopback_pair


@pytest.fixture
def sites() -> Iterator[tuple[Site, Site]]:
    with loopback_pair() as pair:
        yield pair


def test_policy_allows_exactly_the_named_origins_and_public_addresses() -> None:
    public = {"shop.example": ["203.113.131.1"], "localhost": ["127.0.0.1"], "rebound.example": ["10.0.0.5"], "six.example": ["2002:7f00:1::"]}
    policy = AddressPolicy.from_origins(["http://127.0.0.1:8000"], resolver=lambda host: public[host])
    assert policy.check_url("http://127.0.0.1:8000/x") == ["127.0.0.1"]
    assert policy.check_url("https://shop.example/p") == ["203.113.131.1"]
    for url in ("http://127.0.0.1:8001/", "https://127.0.0.1:8000/", "http://localhost:8000/",
                "http://rebound.example/", "http://six.example/", "http://[::ffff:7f00:1]:8000/",
                "http://169.254.169.254/latest/meta-data/", "http://2130706433:8000/", "file:///etc/passwd"):
        with pytest.raises(RefusedAddress):
            policy.check_url(url)


@pytest.mark.parametrize("embedded", ["2002:7f00:1::", "2002:a9fe:a9fe::1", "64:ff9b::a00:1", "::a00:1",
                                      "2001:0:4136:e378:8000:63bf:3fff:fdd2"])
def test_embedded_ipv4_is_judged_as_the_address_it_embeds(embedded: str) -> None:
    assert address_problem(ipaddress.ip_address(embedded)) is not None


def test_web_crawl_never_requests_a_refused_address(sites: tuple[Site, Site]) -> None:
    allowed, refused = sites
    a, b = allowed.root, refused.root
    allowed.routes.update({
        "/": html('<a href="/shops/s1">s1</a> <a href="/shops/s2">s2</a>'),
        "/shops/s1/sitemap.xml": (200, {"Content-Type": "application/xml"}, (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{a}/shops/s1/products/hop</loc></url><url><loc>{b}/loc</loc></url></urlset>").encode()),
        "/shops/s1/products/hop": (302, {"Location": f"{b}/redirected"}, b""),
        "/shops/s2/collections/all?page=1": html(f'<a class="product-link" href="{b}/linked">p</a>'),
    })
    outcome = run_crawl(CrawlSpec(platform="web", keywords=["x"], base_url=a), timeout=120)
    assert refused.hits == []
    assert "/shops/s1/products/hop" in allowed.hits  # the redirect was reached, its hop refused
    assert outcome.refused_requests >= 3
    assert outcome.reason is not None and "refused: " in outcome.reason


@pytest.mark.skipif(not chromium_available(), reason="needs Chromium")
def test_browser_crawl_never_requests_a_refused_address(sites: tuple[Site, Site]) -> None:
    allowed, refused = sites
    a, b = allowed.root, refused.root
    allowed.routes.update({
        "/shopee/shop/88": html(f'<script>fetch("{b}/api").catch(() => 0)</script>'
                                f'<iframe src="{a}/shopee/hop"></iframe><img src="{b}/frame">'),
        "/shopee/hop": (302, {"Location": f"{b}/redirected"}, b""),
        "/shopee/away": (302, {"Location": f"{b}/redirected"}, b""),
    })
    outcome = run_crawl(CrawlSpec(platform="shopee", mode="refresh", urls=[f"{a}/shopee/shop/88", f"{a}/shopee/away"],
                                  base_url=f"{a}/shopee", spider_args={"page_wait": 2}), timeout=180)
    assert refused.hits == []
    assert "/shopee/hop" in allowed.hits and "/shopee/away" in allowed.hits
    assert outcome.refused_requests >= 2


def test_a_run_on_its_own_origins_only_looks_nothing_else_up() -> None:
    # The demo's evidence capture: every target is the allowed local origin, so Chromium's own
    # background requests (accounts.google.com) are refused without a DNS look-up.
    looked_up: list[str] = []

    def resolver(host: str) -> list[str]:
        looked_up.append(host)
        return ["93.184.216.34"]

    base = AddressPolicy.from_origins(["http://127.0.0.1:8077"], resolver=resolver)
    local = base.allows_only_its_origins(["http://127.0.0.1:8077/tiki/p1.html"])
    assert local.local_only
    assert local.check("http", "127.0.0.1", 8077) == ["127.0.0.1"]
    with pytest.raises(RefusedAddress, match="not one of this local run's origins"):
        local.check("https", "accounts.google.com", 443)
    assert looked_up == []
    # A run with any public target keeps the public internet (and its look-ups).
    mixed = base.allows_only_its_origins(["http://127.0.0.1:8077/x", "https://tiki.vn/p2.html"])
    assert not mixed.local_only
    assert mixed.check("https", "tiki.vn", 443) == ["93.184.216.34"]
