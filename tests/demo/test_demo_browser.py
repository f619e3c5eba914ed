"""Headless Chromium renders the Shopee-like pages: listings only exist after JavaScript runs."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.settings import CHROMIUM_PATH
from demo.catalog import Catalog, fold_words
from demo.server import DemoServer

CHROMIUM = Path(CHROMIUM_PATH)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
]


def test_shopee_search_renders_cards(browser: object, server: DemoServer, catalog: Catalog) -> None:
    from playwright.sync_api import Browser, Route

    assert isinstance(browser, Browser)
    expected = {x.listing_id for x in catalog.listings_on("demo-shopee") if "giay" in fold_words(x.title)}
    api_statuses: list[int] = []
    page = browser.new_page()

    def local_only(route: Route) -> None:
        # Never let the browser talk to anything but the demo server.
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            route.abort()

    page.route("**/*", local_only)
    page.on("response", lambda r: api_statuses.append(r.status) if "/shopee/api/v4/" in r.url else None)
    try:
        page.goto(server.base_url + "/shopee/search?keyword=giày", wait_until="domcontentloaded")
        page.wait_for_selector("body[data-loaded]", timeout=15000)
        assert page.get_attribute("body", "data-loaded") == "done"
        cards = page.query_selector_all("div.shopee-item")
        ids = {card.get_attribute("data-itemid") for card in cards}
        assert ids == expected
        assert all(card.get_attribute("data-shopid") for card in cards)
        first_name = page.inner_text("div.shopee-item .shopee-item__name")
        assert "giay" in fold_words(first_name)
        assert api_statuses and set(api_statuses) == {200}
    finally:
        page.close()


def test_shopee_shop_and_product_pages_render(browser: object, server: DemoServer, catalog: Catalog) -> None:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    seller = next(s for s in catalog.sellers_on("demo-shopee") if s.is_official)
    listing = catalog.listings_of(seller)[0]
    page = browser.new_page()
    page.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
    try:
        page.goto(server.base_url + seller.shop_url_path, wait_until="domcontentloaded")
        page.wait_for_selector("body[data-loaded]", timeout=15000)
        assert page.inner_text(".shop-name") == seller.name
        assert page.inner_text(".shop-badge") == "Shopee Mall"
        ids = {c.get_attribute("data-itemid") for c in page.query_selector_all("div.shopee-item")}
        assert ids == {x.listing_id for x in catalog.listings_of(seller)}
        page.goto(server.base_url + listing.path, wait_until="domcontentloaded")
        page.wait_for_selector("body[data-loaded]", timeout=15000)
        assert page.get_attribute("body", "data-loaded") == "done"
        assert page.inner_text(".product-name") == listing.title
    finally:
        page.close()
