"""One unreadable item on a page is an extraction error; the page's other listings still come out."""

from __future__ import annotations

import json

from scrapy.http import Request, TextResponse
from scrapy.utils.test import get_crawler

from crawler.spiders.sendo import SendoSpider

URL = "http://127.0.0.1:9/api/products?q=x"
GOOD = {"id": 7, "name": "Kem chống nắng", "sale_price_min": 100000, "shop": {"id": 3, "name": "Shop"}}


def test_sendo_spider_keeps_the_page_and_counts_the_odd_item() -> None:
    crawler = get_crawler(SendoSpider, {"LOG_LEVEL": "WARNING"})
    spider = SendoSpider.from_crawler(crawler, keywords="x", base_url="http://127.0.0.1:9")
    crawler.spider = spider
    page = {"data": [GOOD, {**GOOD, "id": 8, "sale_price_min": "abc"}, {**GOOD, "id": 9}], "meta": {"last_page": 1}}
    response = TextResponse(URL, body=json.dumps(page).encode(), encoding="utf-8", request=Request(URL))

    items = list(spider.parse_search(response, page=1, keyword="x", shop_id=None))

    assert [i["listing_id"] for i in items if "listing_id" in i] == ["7", "9"]
    [error] = [i["extraction_error"] for i in items if "extraction_error" in i]
    assert error["url"] == URL and error["message"].startswith("data[1] (id 8): sale_price_min 'abc'")
    assert crawler.stats is not None
    assert crawler.stats.get_value("crawler/extraction_errors") == 1
    assert crawler.stats.get_value("crawler/listings") == 2
