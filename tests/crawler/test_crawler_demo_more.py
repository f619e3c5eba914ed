"""Sendo, Lazada, TikTok Shop and Facebook spiders end to end against the demo marketplace."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crawler.run import CrawlOutcome, CrawlSpec, run_crawls
from demo.catalog import build_catalog
from demo.server import DemoServer
from tests.crawler.crawler_helpers import need_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _rows(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[CrawlOutcome, list[dict[str, Any]]]]:
    need_chromium()
    tmp = tmp_path_factory.mktemp("more")
    catalog = build_catalog()
    cheat = next(s for s in catalog.sellers_on("demo-facebook") if s.role == "counterfeit")
    official_tt = next(s for s in catalog.sellers_on("demo-tiktok") if s.role == "official")
    lz_shop = next(s for s in catalog.sellers_on("demo-lazada") if s.role == "counterfeit")
    sendo_shop = next(s for s in catalog.sellers_on("demo-sendo") if s.role == "counterfeit")
    lz_page = catalog.listings_of(lz_shop)[0]
    tiki_shop = next(s for s in catalog.sellers_on("demo-tiki") if s.role == "counterfeit")
    with DemoServer(catalog) as server:
        b = server.base_url
        named = {
            "sendo-search": CrawlSpec(platform="demo-sendo", keywords=["kem", "nồi"], base_url=b + "/sendo"),
            "sendo-seller": CrawlSpec(platform="demo-sendo", mode="seller", seller=sendo_shop.seller_id,
                                      base_url=b + "/sendo"),
            "lazada-search": CrawlSpec(platform="demo-lazada", keywords=["giày", "serum"], base_url=b + "/lazada"),
            "lazada-seller": CrawlSpec(platform="demo-lazada", mode="seller", seller=lz_shop.slug,
                                       base_url=b + "/lazada"),
            "lazada-refresh": CrawlSpec(platform="demo-lazada", mode="refresh", urls=[b + lz_page.path],
                                        base_url=b + "/lazada"),
            "lazada-punish": CrawlSpec(platform="demo-lazada", mode="refresh",
                                       urls=[b + "/lazada/catalog/?ajax=true&q=giay&block=punish"],
                                       base_url=b + "/lazada"),
            "tiktok-search": CrawlSpec(platform="demo-tiktok", keywords=["sữa", "túi"], base_url=b + "/tiktok"),
            "tiktok-seller": CrawlSpec(platform="demo-tiktok", mode="seller", seller=official_tt.seller_id,
                                       base_url=b + "/tiktok"),
            "tiktok-login": CrawlSpec(platform="demo-tiktok", mode="refresh", urls=[b + "/tiktok/login"],
                                      base_url=b + "/tiktok"),
            "facebook-seller": CrawlSpec(platform="demo-facebook", mode="seller", seller=cheat.seller_id,
                                         base_url=b + "/facebook"),
            "tiki-shop-url": CrawlSpec(platform="demo-tiki", mode="seller", seller=b + tiki_shop.shop_url_path,
                                       base_url=b + "/tiki"),
            "shopee-search": CrawlSpec(platform="demo-shopee", keywords=["giày"], base_url=b + "/shopee"),
            "facebook-login": CrawlSpec(platform="demo-facebook", mode="refresh", urls=[b + "/facebook/login/"],
                                        base_url=b + "/facebook"),
        }
        for key, spec in named.items():
            spec.feed = str(tmp / f"{key}.jsonl")
        outcomes = run_crawls(list(named.values()), concurrent=True, timeout=300)
    return {key: (outcome, _rows(tmp / f"{key}.jsonl")) for key, outcome in zip(named, outcomes, strict=True)}


def _listings(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if "listing_id" in r]


def test_sendo_search_finds_listings(runs: dict[str, Any]) -> None:
    outcome, rows = runs["sendo-search"]
    assert outcome.status == "ok", outcome.reason
    assert len(_listings(rows)) >= 5
    assert {r["platform"] for r in rows} == {"demo-sendo"}


def test_sendo_seller_mode_gets_the_whole_shop(runs: dict[str, Any]) -> None:
    catalog = build_catalog()
    shop = next(s for s in catalog.sellers_on("demo-sendo") if s.role == "counterfeit")
    _, rows = runs["sendo-seller"]
    assert {r["listing_id"] for r in _listings(rows)} == {x.listing_id for x in catalog.listings_of(shop)}


def test_lazada_search_and_lazmall(runs: dict[str, Any]) -> None:
    outcome, rows = runs["lazada-search"]
    assert outcome.status == "ok", outcome.reason
    official = {r["seller"]["name"] for r in _listings(rows) if r["seller"]["is_official"]}
    assert official == {"Innisfree Official Store"}


def test_lazada_seller_mode(runs: dict[str, Any]) -> None:
    catalog = build_catalog()
    shop = next(s for s in catalog.sellers_on("demo-lazada") if s.role == "counterfeit")
    _, rows = runs["lazada-seller"]
    assert {r["listing_id"] for r in _listings(rows)} == {x.listing_id for x in catalog.listings_of(shop)}


def test_lazada_refresh_reads_json_ld_page(runs: dict[str, Any]) -> None:
    outcome, rows = runs["lazada-refresh"]
    assert outcome.status == "ok", outcome.reason
    (row,) = _listings(rows)
    assert row["seller"]["id"] is not None and row["category"] is not None


def test_lazada_punish_is_a_captcha_and_partial(runs: dict[str, Any]) -> None:
    outcome, _ = runs["lazada-punish"]
    assert outcome.status == "partial" and outcome.blocks == {"captcha": 1}


def test_tiktok_search_through_the_browser(runs: dict[str, Any]) -> None:
    outcome, rows = runs["tiktok-search"]
    assert outcome.status == "ok", outcome.reason
    assert len(_listings(rows)) >= 5


def test_tiktok_seller_mode_merges_shop_identity(runs: dict[str, Any]) -> None:
    _, rows = runs["tiktok-seller"]
    listings = _listings(rows)
    assert listings and all(r["seller"]["business_id"] is not None for r in listings)
    assert all(r["seller"]["is_official"] is True for r in listings)


def test_tiktok_login_wall(runs: dict[str, Any]) -> None:
    outcome, _ = runs["tiktok-login"]
    assert outcome.status == "partial" and outcome.blocks == {"login": 1}


def test_facebook_page_posts_with_price_become_listings(runs: dict[str, Any]) -> None:
    catalog = build_catalog()
    page = next(s for s in catalog.sellers_on("demo-facebook") if s.role == "counterfeit")
    outcome, rows = runs["facebook-seller"]
    assert outcome.status == "ok", outcome.reason
    listings = _listings(rows)
    assert {r["listing_id"] for r in listings} == {x.listing_id for x in catalog.listings_of(page)}
    assert all(r["price"] is not None and r["seller"]["id"] == page.seller_id for r in listings)


def test_facebook_login_wall(runs: dict[str, Any]) -> None:
    outcome, _ = runs["facebook-login"]
    assert outcome.status == "partial" and outcome.blocks == {"login": 1}


def test_tiki_seller_mode_from_a_pasted_shop_url(runs: dict[str, Any]) -> None:
    catalog = build_catalog()
    shop = next(s for s in catalog.sellers_on("demo-tiki") if s.role == "counterfeit")
    outcome, rows = runs["tiki-shop-url"]
    assert outcome.status == "ok", outcome.reason
    assert {r["listing_id"] for r in _listings(rows)} == {x.listing_id for x in catalog.listings_of(shop)}
    assert {r["seller"]["id"] for r in _listings(rows)} == {shop.seller_id}


def test_shopee_search_listings_carry_the_shop_name(runs: dict[str, Any]) -> None:
    catalog = build_catalog()
    outcome, rows = runs["shopee-search"]
    assert outcome.status == "ok", outcome.reason
    listings = _listings(rows)
    assert listings
    for row in listings:
        assert row["seller"]["name"] == catalog.seller("demo-shopee", row["seller"]["id"]).name
    assert outcome.stats.get("shopee/shop_profiles_fetched", 0) >= 1
