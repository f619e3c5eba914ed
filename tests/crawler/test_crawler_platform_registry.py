"""crawler.platforms: every platform is declared once, and everything reads the registry.

The throw-away platform "acme" below is added through the registry alone (a descriptor, a
spider and an extractor, all in this file): the scheduler, URL recognition, block detection
and a whole scan accept it without a line changed anywhere else.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import scrapy
from pydantic import ValidationError
from scrapy.http import Response
from scrapy.settings import Settings
from scrapy.utils.misc import load_object

from crawler import platforms
from crawler.blocks import BlockKind, detect_block
from crawler.distributed import is_distributable
from crawler.extractors import EXTRACTORS, SELLER_EXTRACTORS, get_extractor
from crawler.platforms import BlockSignature, Platform, SellerPath
from crawler.run import CrawlSpec, run_crawls, spider_loader
from crawler.seller_urls import recognize
from crawler.spiders.base import ListingSpider
from rules.loader import RuleSet, WatchEntry, load_rules
from rules.record import PLATFORMS, Listing, Seller

BUILTIN = ["facebook", "lazada", "sendo", "shopee", "tiki", "tiktok", "web"]


# --------------------------------------------------------------------------- the built-in platforms


def test_every_builtin_platform_is_declared_once_and_its_spider_found_by_scrapy() -> None:
    assert platforms.names() == BUILTIN
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    loader = spider_loader(settings)
    for platform in platforms.all_platforms():
        spider = loader.load(platform.name)
        assert spider is load_object(platform.spider)
        assert spider.name == platform.name == spider.platform
        assert EXTRACTORS[platform.name] is platform.load_extractor()
        assert SELLER_EXTRACTORS.get(platform.name) is platform.load_seller_extractor()


def test_the_demo_paths_and_public_roots_come_from_the_descriptors() -> None:
    assert platforms.demo_paths() == {
        "demo-tiki": "/tiki", "demo-shopee": "/shopee", "demo-web": "", "demo-sendo": "/sendo",
        "demo-lazada": "/lazada", "demo-tiktok": "/tiktok", "demo-facebook": "/facebook",
    }
    assert platforms.public_roots()["tiki"] == "https://tiki.vn"
    assert platforms.public_roots()["shopee"] == "https://shopee.vn"


def test_on_demand_hosts_of_the_watchlist_are_the_platforms_own() -> None:
    for name, hosts in load_rules().watchlist.on_demand.hosts.items():
        assert set(hosts) <= set(platforms.require(name).hosts), name


def test_a_platform_name_is_taken_once() -> None:
    with pytest.raises(ValueError, match="already registered"):
        platforms.register(Platform(name="tiki", spider="x.Y", extractor="x"))
    with pytest.raises(ValueError, match="demo"):
        platforms.register(Platform(name="demo-x", spider="x.Y", extractor="x"))


# --------------------------------------------------------------------------- a throw-away platform

#: Acme's listing API: {"items": [{"id", "title", "price", "shop"}], "total": N}.
ACME_ITEMS = [{"id": str(i), "title": f"Sữa bột Acme số {i}", "price": f"{150 + i}k", "shop": "bob"} for i in range(4)]
ACME_CAPTCHA_CODE = 4242


def extract(body: bytes | str, url: str) -> list[Listing]:
    """Acme's extractor: the listing API's JSON in, listings out (labelled ``demo-acme``: the
    scans below run against a local imitation of the site, as the demo's platforms do)."""
    data = json.loads(body)
    base = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
    return [
        Listing(platform="demo-acme", listing_id=item["id"], url=f"{base}/item/{item['id']}", title=item["title"],
                price=_price(item["price"]), seller=Seller(id=item["shop"], name=f"Shop {item['shop']}"))
        for item in data["items"]
    ]


def _price(text: str) -> int | None:
    from detectors.money import parse_price

    return parse_price(text)


def _acme_items(obj: dict[str, Any]) -> tuple[int | None, int | None]:
    items = obj.get("items")
    if not isinstance(items, list):
        return None, None
    total = obj.get("total")
    return len(items), (total if isinstance(total, int) else None)


class AcmeSpider(ListingSpider):
    name = "acme"
    platform = "acme"
    default_base_url = "https://www.acme.example"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        queries = [{"q": k} for k in self.keywords] if self.mode == "search" else [{"shop": self.seller or ""}]
        for query in queries:
            yield scrapy.Request(f"{self.base_url}/api/items?{urlencode(query)}", callback=self.parse_items)

    def parse_items(self, response: Response) -> Iterator[dict[str, Any]]:
        if self.blocked(response, expect_items=True) is not None:
            return
        yield from self.emit(get_extractor(self.platform)(response.body, response.url))


ACME = Platform(
    name="acme",
    spider=f"{__name__}.AcmeSpider",
    extractor=__name__,
    public_root="https://www.acme.example",
    hosts=("acme.example",),
    seller_paths=(SellerPath(re.compile(r"^/store/(?P<v>[a-z0-9-]{1,40})$"), "shop"),),
    seller_url_example="https://www.acme.example/store/ten-shop",
    blocks=BlockSignature(json_code_captcha=frozenset({ACME_CAPTCHA_CODE}), count_items=_acme_items),
    distributable=True,
    demo_path="/acme",
)


class _AcmeSite(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/acme/api/items":
            query = parse_qs(parts.query)
            items = [i for i in ACME_ITEMS if "shop" not in query or i["shop"] == query["shop"][0]]
            body = json.dumps({"items": items, "total": len(items)}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
        else:
            body = b"not found"
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def acme() -> Iterator[Platform]:
    platforms.register(ACME)
    try:
        yield ACME
    finally:
        platforms.unregister(ACME.name)


@pytest.fixture
def acme_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AcmeSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _rules_watching_acme(rules: RuleSet) -> RuleSet:
    entry = WatchEntry(cron="0 2 * * *", keywords=["sữa"], request_budget=20, expected_min_listings=1)
    watchlist = rules.watchlist.model_copy(update={"platforms": {"demo-acme": entry}})
    return rules.model_copy(update={"watchlist": watchlist})


def test_a_new_platform_is_recognised_everywhere_through_the_registry(acme: Platform) -> None:
    import scheduler

    rules = _rules_watching_acme(load_rules())
    # the scheduler: a nightly job, and a crawl spec under the demo path
    jobs, skipped = scheduler.schedulable(rules)
    assert list(jobs) == ["demo-acme"] and skipped == {}
    [spec] = scheduler.watchlist_specs(rules, demo_base_url="http://127.0.0.1:9")
    assert (spec.platform, spec.base_url, spec.keywords) == ("demo-acme", "http://127.0.0.1:9/acme", ["sữa"])
    # URL recognition, on the platform's own host and under the demo's path
    ref = recognize("https://www.acme.example/store/bob", hosts={"acme": ["acme.example"]}, resolver=None)
    assert (ref.platform, ref.kind, ref.value) == ("acme", "shop", "bob")
    ref = scheduler.validate_seller_url("http://127.0.0.1:9/acme/store/bob", rules,
                                        demo_origins=["http://127.0.0.1:9"], resolver=lambda host: [])
    assert (ref.platform, ref.kind, ref.value, ref.base_url) == ("demo-acme", "shop", "bob", "http://127.0.0.1:9/acme")
    # block detection: its own refusal code, and an empty page where the API claims items
    assert detect_block("acme", 200, {}, json.dumps({"code": ACME_CAPTCHA_CODE})) is BlockKind.CAPTCHA
    assert detect_block("tiki", 200, {}, json.dumps({"code": ACME_CAPTCHA_CODE})) is None
    assert detect_block("demo-acme", 200, {}, b'{"items": [], "total": 3}') is BlockKind.EMPTY
    assert detect_block("demo-acme", 200, {}, b'{"items": [], "total": 0}') is None
    # the extractor registry and the shared-crawl flag
    assert get_extractor("demo-acme") is extract
    assert is_distributable("acme") and not is_distributable("nowhere")


def test_records_accept_a_platform_while_it_is_registered(acme: Platform) -> None:
    assert Listing(platform="acme", listing_id="1", title="Sữa").platform == "acme"
    platforms.unregister(ACME.name)
    with pytest.raises(ValidationError, match="unknown platform 'acme'"):
        Listing(platform="acme", listing_id="1", title="Sữa")
    platforms.register(ACME)


def test_the_records_contract_platforms_are_the_registrys() -> None:
    assert set(platforms.names()) >= set(PLATFORMS)
    assert {p for p in platforms.names() if p != ACME.name} == set(PLATFORMS)


def test_a_new_platform_is_scanned_end_to_end(acme: Platform, acme_site: str, tmp_path: Path) -> None:
    import scheduler
    from storage.db import session_factory, upgrade
    from storage.models import Listing as StoredListing

    db_url = f"sqlite:///{tmp_path / 'acme.db'}"
    upgrade(db_url)
    rules = _rules_watching_acme(load_rules())
    specs = scheduler.watchlist_specs(rules, demo_base_url=acme_site)
    report = scheduler.execute_scan(specs, kind="manual", db_url=db_url, rules=rules, timeout=120)
    assert report.status == "ok", report.reason
    assert report.listings_by_platform == {"demo-acme": len(ACME_ITEMS)}
    with session_factory(db_url)() as session:
        stored = session.query(StoredListing).order_by(StoredListing.listing_key).all()
        assert [(s.platform, s.listing_key, s.price) for s in stored] == [
            ("demo-acme", str(i), (150 + i) * 1000) for i in range(len(ACME_ITEMS))
        ]
    seller = run_crawls([CrawlSpec(platform="demo-acme", mode="seller", seller="bob",
                                             base_url=acme_site + "/acme")], timeout=120)
    assert seller[0].status == "ok" and seller[0].items == len(ACME_ITEMS)
