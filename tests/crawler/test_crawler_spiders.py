"""Spiders end to end through `run_crawl` (child process) against a local fake marketplace.

All HTTP crawls share one child process (`run_crawls`, one reactor) to stay fast; the
browser crawls are marked ``browser``. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crawler.run import CrawlOutcome, CrawlSpec, run_crawl, run_crawls
from tests.crawler.crawler_fakesite import FakeSite
from tests.crawler.crawler_helpers import need_chromium

QUIET = {"LOG_LEVEL": "WARNING"}


def read_feed(path: str | None) -> list[dict[str, Any]]:
    assert path is not None
    file = Path(path)
    return [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines()] if file.exists() else []


def listings(path: str | None) -> list[dict[str, Any]]:
    return [row for row in read_feed(path) if "extraction_error" not in row]


def errors(path: str | None) -> list[dict[str, Any]]:
    return [row["extraction_error"] for row in read_feed(path) if "extraction_error" in row]


@pytest.fixture(scope="module")
def http_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CrawlOutcome]:
    tmp = tmp_path_factory.mktemp("feeds")
    with FakeSite() as site:
        base = site.base_url
        specs = {
            "tiki_search": CrawlSpec(platform="tiki", keywords=["sữa"], base_url=f"{base}/tiki"),
            "tiki_seller": CrawlSpec(platform="tiki", mode="seller", seller="7", base_url=f"{base}/tiki"),
            "tiki_empty": CrawlSpec(platform="tiki", keywords=["nothing"], base_url=f"{base}/tiki"),
            "tiki_banned": CrawlSpec(platform="tiki", keywords=["x"], base_url=f"{base}/blocked/tiki"),
            "web_sitemap": CrawlSpec(platform="web", mode="seller", seller="nhathuoc-an-khang", base_url=base),
            "web_collection": CrawlSpec(platform="web", mode="seller", seller="giay-gia-xuong", base_url=base),
            "web_search": CrawlSpec(platform="web", keywords=["NIKE"], base_url=base),
            "web_captcha": CrawlSpec(platform="web", mode="refresh", urls=[f"{base}/captcha/p1"], base_url=base),
            "web_budget": CrawlSpec(platform="web", keywords=["a"], base_url=base, max_requests=2),
        }
        for name, spec in specs.items():
            spec.feed = str(tmp / f"{name}.jsonl")
            spec.settings.update(QUIET)
        outcomes = run_crawls(list(specs.values()), concurrent=True, timeout=180)
    return dict(zip(specs, outcomes, strict=True))


def test_tiki_search_status(http_runs: dict[str, CrawlOutcome]) -> None:
    outcome = http_runs["tiki_search"]
    assert (outcome.status, outcome.items, outcome.extraction_errors) == ("partial", 6, 1)
    assert outcome.reason == "errors: 1"


def test_tiki_search_items(http_runs: dict[str, CrawlOutcome]) -> None:
    rows = listings(http_runs["tiki_search"].spec.feed)
    assert sorted(r["listing_id"] for r in rows) == [str(1000 + i) for i in range(6)]
    assert {r["platform"] for r in rows} == {"demo-tiki"}
    assert all(r["observed_at"] is not None for r in rows)


def test_tiki_search_detail_and_seller_merged(http_runs: dict[str, CrawlOutcome]) -> None:
    row = next(r for r in listings(http_runs["tiki_search"].spec.feed) if r["listing_id"] == "1000")
    assert (row["origin"], row["category"], row["gtin"]) == ("Việt Nam", "Sữa", "8938000000000")
    assert (row["seller"]["id"], row["seller"]["is_official"], row["seller"]["business_id"]) == ("1", True, "0309532909")


def test_tiki_detail_error_is_an_item_and_search_record_kept(http_runs: dict[str, CrawlOutcome]) -> None:
    feed = http_runs["tiki_search"].spec.feed
    [error] = errors(feed)
    assert error["url"].endswith("/tiki/api/v2/products/1005")
    assert any(r["listing_id"] == "1005" for r in listings(feed))


def test_tiki_seller_fetched_once_per_seller(http_runs: dict[str, CrawlOutcome]) -> None:
    stats = http_runs["tiki_search"].stats
    # 2 listing pages + 6 details + 2 sellers + robots.txt
    assert stats["downloader/request_count"] == 11


def test_tiki_seller_mode(http_runs: dict[str, CrawlOutcome]) -> None:
    rows = listings(http_runs["tiki_seller"].spec.feed)
    assert sorted(r["listing_id"] for r in rows) == ["1001", "1003", "1005"]
    assert {r["seller"]["name"] for r in rows} == {"Shop Sữa Mẹ"}
    assert {r["seller"]["is_official"] for r in rows} == {False}


def test_tiki_empty_search_is_ok_with_a_warning(http_runs: dict[str, CrawlOutcome]) -> None:
    outcome = http_runs["tiki_empty"]
    assert (outcome.status, outcome.items, outcome.warnings) == ("ok", 0, ["no listings found"])


def test_banned_crawl_is_partial_not_empty(http_runs: dict[str, CrawlOutcome]) -> None:
    outcome = http_runs["tiki_banned"]
    assert (outcome.status, outcome.blocks) == ("partial", {"ban": 1})
    assert outcome.reason == "blocked: ban=1"


def test_web_sitemap_crawl(http_runs: dict[str, CrawlOutcome]) -> None:
    outcome = http_runs["web_sitemap"]
    rows = listings(outcome.spec.feed)
    assert (outcome.status, len(rows), errors(outcome.spec.feed)) == ("ok", 2, [])
    assert outcome.stats["crawler/pages_without_product"] == 1  # /pages/about
    assert {r["seller"]["id"] for r in rows} == {"127.0.0.1/shops/nhathuoc-an-khang"}
    assert {r["seller"]["business_id"] for r in rows} == {"0312345678"}
    assert {r["gtin"] for r in rows} == {"9300807280146", "4909978112008"}


def test_web_collection_fallback(http_runs: dict[str, CrawlOutcome]) -> None:
    rows = listings(http_runs["web_collection"].spec.feed)
    assert [r["title"] for r in rows] == ["Giày Nike Air Force 1 rep 1:1"]


def test_web_keyword_search_over_index(http_runs: dict[str, CrawlOutcome]) -> None:
    rows = listings(http_runs["web_search"].spec.feed)
    assert [r["title"] for r in rows] == ["Giày Nike Air Force 1 rep 1:1"]
    assert rows[0]["platform"] == "demo-web"


def test_web_captcha(http_runs: dict[str, CrawlOutcome]) -> None:
    outcome = http_runs["web_captcha"]
    assert (outcome.status, outcome.blocks, outcome.items) == ("partial", {"captcha": 1}, 0)


def test_request_budget(http_runs: dict[str, CrawlOutcome]) -> None:
    outcome = http_runs["web_budget"]
    assert outcome.finish_reason == "closespider_pagecount"
    assert outcome.status == "partial" and "budget reached" in str(outcome.reason)


def test_bad_arguments_fail_cleanly() -> None:
    outcome = run_crawl(CrawlSpec(platform="tiki", mode="search", base_url="http://127.0.0.1:9/tiki",
                                  settings=QUIET), timeout=60)
    assert outcome.status == "failed"
    assert "needs keywords" in str(outcome.reason)


def test_unreachable_site_fails() -> None:
    outcome = run_crawl(CrawlSpec(platform="tiki", keywords=["x"], base_url="http://127.0.0.1:9/tiki",
                                  settings={**QUIET, "RETRY_TIMES": 0}), timeout=60)
    assert (outcome.status, outcome.reason) == ("failed", "no response received")


def test_timeout_is_failed_not_a_hang() -> None:
    outcome = run_crawl(CrawlSpec(platform="tiki", keywords=["x"], base_url="http://127.0.0.1:9/tiki",
                                  settings=QUIET), timeout=0.5)
    assert outcome.status == "failed"
    assert "timed out" in str(outcome.reason)


def test_unknown_platform_is_a_usage_error() -> None:
    with pytest.raises(ValueError, match="no spider"):
        run_crawl(CrawlSpec(platform="zalo", keywords=["x"]))


@pytest.mark.browser
def test_shopee_browser_search_and_seller(tmp_path: Path) -> None:
    need_chromium()
    with FakeSite() as site:
        search = CrawlSpec(platform="shopee", keywords=["airpods"], base_url=f"{site.base_url}/shopee",
                           feed=str(tmp_path / "search.jsonl"), settings=dict(QUIET))
        seller = CrawlSpec(platform="shopee", mode="seller", seller="88", base_url=f"{site.base_url}/shopee",
                           feed=str(tmp_path / "seller.jsonl"), settings=dict(QUIET))
        found, shop = run_crawls([search, seller], timeout=180)
    assert (found.status, found.items) == ("ok", 5)
    rows = listings(search.feed)
    assert sorted(r["listing_id"] for r in rows) == ["500", "501", "502", "503", "504"]
    assert rows[0]["price"] == 150000 and rows[0]["platform"] == "demo-shopee"
    assert (shop.status, shop.items) == ("ok", 3)
    assert {(r["seller"]["name"], r["seller"]["is_official"]) for r in listings(seller.feed)} == {("Shop 88", True)}


def test_a_worker_with_nothing_left_to_fetch_is_not_failed() -> None:
    from crawler.run import _outcome

    finished = {"finish_reason": "finished", "downloader/request_count": 0}
    worker = CrawlSpec(platform="sendo", keywords=["x"], settings={"LISTINGWATCH_REDIS_ROLE": "worker-ab12"})
    coordinator = CrawlSpec(platform="sendo", keywords=["x"], settings={"LISTINGWATCH_REDIS_ROLE": "coordinator"})
    idle = _outcome(worker, finished, 1.0, 0, None)
    assert (idle.status, idle.reason) == ("ok", "nothing left to fetch: the shared queue was already empty")
    # Requests that all went unanswered are a failure, in a worker too; so is an empty coordinator.
    unanswered = _outcome(worker, {**finished, "downloader/request_count": 3}, 1.0, 0, None)
    assert (unanswered.status, unanswered.reason) == ("failed", "no response received")
    assert _outcome(coordinator, finished, 1.0, 0, None).status == "failed"


def test_real_sites_keep_a_download_delay_so_the_per_site_cap_holds() -> None:
    """Scrapy 2.19 (asyncio reactor) enforces CONCURRENT_REQUESTS_PER_DOMAIN only when a
    download delay paces the site's queue (see crawler/settings.py); only the 127.0.0.1 demo
    profile may run without one."""
    from scrapy.utils.misc import load_object

    from crawler import platforms, settings

    assert settings.DOWNLOAD_DELAY > 0 and settings.AUTOTHROTTLE_ENABLED
    for path in (p.spider for p in platforms.all_platforms()):
        overrides = dict(getattr(load_object(path), "custom_settings", None) or {})
        assert overrides.get("DOWNLOAD_DELAY", settings.DOWNLOAD_DELAY) > 0, path
    assert settings.DEMO_PROFILE["DOWNLOAD_DELAY"] == 0  # 127.0.0.1 only (crawler.run.build_settings)
