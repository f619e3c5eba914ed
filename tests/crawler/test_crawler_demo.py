"""Spiders against the embedded demo marketplace (demo.server), compared with its catalog."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from crawler.run import CrawlOutcome, CrawlSpec, run_crawls
from tests.crawler.crawler_helpers import need_chromium

server = pytest.importorskip("demo.server", reason="the demo marketplace (demo/server.py) has not landed")
catalog_module = pytest.importorskip("demo.catalog")

QUIET = {"LOG_LEVEL": "WARNING"}


def rows(spec: CrawlSpec) -> list[dict[str, Any]]:
    assert spec.feed is not None
    lines = Path(spec.feed).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def catalog() -> Any:
    return catalog_module.build_catalog()


@pytest.fixture(scope="module")
def demo_runs(tmp_path_factory: pytest.TempPathFactory, catalog: Any) -> dict[str, CrawlOutcome]:
    tmp = tmp_path_factory.mktemp("demo-feeds")
    tiki_seller = max(catalog.sellers_on("demo-tiki"), key=lambda s: len(catalog.listings_of(s)))
    web_shop = catalog.sellers_on("demo-web")[0]
    with server.DemoServer(catalog) as demo:
        base = demo.base_url
        refresh_listing = catalog.listings_of(tiki_seller)[0]
        with urllib.request.urlopen(f"{base}/tiki/api/v2/products/{refresh_listing.listing_id}") as answer:
            page_url = f"{base}/tiki/" + json.loads(answer.read())["url_path"]
        specs = {
            "tiki_refresh": CrawlSpec(platform="tiki", mode="refresh", urls=[page_url], base_url=f"{base}/tiki"),
            "tiki_search": CrawlSpec(platform="tiki", keywords=["sữa"], base_url=f"{base}/tiki"),
            "tiki_seller": CrawlSpec(platform="tiki", mode="seller", seller=tiki_seller.seller_id,
                                     base_url=f"{base}/tiki"),
            "tiki_ban": CrawlSpec(platform="tiki", mode="refresh", base_url=f"{base}/tiki",
                                  urls=[f"{base}/tiki/api/v2/products?q=sua&ban=403"]),
            "web_shop": CrawlSpec(platform="web", mode="seller", seller=web_shop.shop_url_path.rsplit("/", 1)[-1],
                                  base_url=base),
            "web_captcha": CrawlSpec(platform="web", mode="refresh", urls=[f"{base}/blocked/captcha"], base_url=base),
        }
        for name, spec in specs.items():
            spec.feed = str(tmp / f"{name}.jsonl")
            spec.settings.update(QUIET)
        outcomes = run_crawls(list(specs.values()), concurrent=True, timeout=300)
    result = dict(zip(specs, outcomes, strict=True))
    result["_tiki_seller"] = tiki_seller  # type: ignore[assignment]
    result["_web_shop"] = web_shop  # type: ignore[assignment]
    return result


def test_demo_tiki_search(demo_runs: dict[str, Any]) -> None:
    outcome = demo_runs["tiki_search"]
    found = [r for r in rows(outcome.spec) if "extraction_error" not in r]
    assert outcome.status == "ok" and outcome.items == len(found) > 0
    assert {r["platform"] for r in found} == {"demo-tiki"}
    assert all(r["seller"]["id"] is not None and r["seller"]["name"] is not None for r in found)


def test_demo_tiki_seller_mode_gets_the_whole_shop(demo_runs: dict[str, Any], catalog: Any) -> None:
    seller = demo_runs["_tiki_seller"]
    found = rows(demo_runs["tiki_seller"].spec)
    assert demo_runs["tiki_seller"].status == "ok"
    assert sorted(r["listing_id"] for r in found) == sorted(x.listing_id for x in catalog.listings_of(seller))
    assert {r["seller"]["business_id"] for r in found} == {seller.business_id}
    assert {r["seller"]["is_official"] for r in found} == {seller.is_official}


def test_demo_tiki_fields_match_catalog(demo_runs: dict[str, Any], catalog: Any) -> None:
    for row in rows(demo_runs["tiki_seller"].spec):
        truth = catalog.listing("demo-tiki", row["listing_id"])
        assert (row["title"], row["price"], row["brand"], row["gtin"]) == (
            truth.title, truth.price, truth.brand, truth.gtin)


def test_demo_tiki_refresh_reads_next_data_page(demo_runs: dict[str, Any], catalog: Any) -> None:
    [row] = rows(demo_runs["tiki_refresh"].spec)
    truth = catalog.listings_of(demo_runs["_tiki_seller"])[0]
    assert (row["listing_id"], row["title"], row["price"]) == (truth.listing_id, truth.title, truth.price)
    assert row["seller"]["business_id"] == demo_runs["_tiki_seller"].business_id


def test_demo_ban_is_detected(demo_runs: dict[str, Any]) -> None:
    outcome = demo_runs["tiki_ban"]
    assert (outcome.status, outcome.blocks) == ("partial", {"ban": 1})


def test_demo_web_sitemap_crawl(demo_runs: dict[str, Any], catalog: Any) -> None:
    shop = demo_runs["_web_shop"]
    outcome = demo_runs["web_shop"]
    found = [r for r in rows(outcome.spec) if "extraction_error" not in r]
    assert outcome.status == "ok"
    assert sorted(r["title"] for r in found) == sorted(x.title for x in catalog.listings_of(shop))
    assert {r["seller"]["id"] for r in found} == {f"127.0.0.1{shop.shop_url_path}"}
    assert {r["platform"] for r in found} == {"demo-web"}


def test_demo_captcha_page(demo_runs: dict[str, Any]) -> None:
    assert demo_runs["web_captcha"].blocks == {"captcha": 1}


@pytest.mark.browser
def test_demo_shopee_browser_search_and_shop(tmp_path: Path, catalog: Any) -> None:
    need_chromium()
    shop = max(catalog.sellers_on("demo-shopee"), key=lambda s: len(catalog.listings_of(s)))
    with server.DemoServer(catalog) as demo:
        search = CrawlSpec(platform="shopee", keywords=["giay"], base_url=f"{demo.base_url}/shopee",
                           feed=str(tmp_path / "search.jsonl"), settings=dict(QUIET))
        seller = CrawlSpec(platform="shopee", mode="seller", seller=shop.seller_id,
                           base_url=f"{demo.base_url}/shopee", feed=str(tmp_path / "shop.jsonl"), settings=dict(QUIET))
        found, whole = run_crawls([search, seller], timeout=300)
    assert found.status == "ok" and found.items > 0
    assert whole.status == "ok"
    shop_rows = rows(seller)
    assert sorted(r["listing_id"] for r in shop_rows) == sorted(x.listing_id for x in catalog.listings_of(shop))
    assert {r["seller"]["name"] for r in shop_rows} == {shop.name}
    assert {r["seller"]["is_official"] for r in shop_rows} == {shop.is_official}
    truth = catalog.listing("demo-shopee", shop_rows[0]["listing_id"])
    assert shop_rows[0]["price"] == truth.price
