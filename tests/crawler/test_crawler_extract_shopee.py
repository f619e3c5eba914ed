"""Shopee extractor: the real late-2020 search response and the current item_basic shapes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from crawler.extractors import ExtractionError, parse_file, shopee
from crawler.extractors._items import item_errors
from tests.crawler.crawler_helpers import fixture, realdata

OLD = "comphilano__ds_final/Data/[Old]response.json"
SEARCH_URL = "https://shopee.vn/api/v4/search/search_items?by=relevancy&keyword=airpods&limit=60&newest=0"


@pytest.fixture(scope="module")
def old() -> list:
    return parse_file("shopee", realdata(OLD))


def test_old_count_dedupes_itemid(old: list) -> None:
    assert len(old) == 49  # 50 items, itemid 6917067362 twice (ad + organic)


def test_old_ids_unique(old: list) -> None:
    assert len({x.listing_id for x in old}) == 49


def test_old_listing_id(old: list) -> None:
    assert old[0].listing_id == "2090165730"


def test_old_title(old: list) -> None:
    assert old[0].title.startswith("Quần âu nam Hàn Quốc dáng ôm")


def test_old_url(old: list) -> None:
    assert old[0].url == "https://shopee.vn/product/137711188/2090165730"


def test_old_price_divided(old: list) -> None:
    assert old[0].price == 72000  # 7200000000 / 100000


def test_old_list_price(old: list) -> None:
    assert old[0].list_price == 130000


def test_old_no_brand_placeholder_is_missing(old: list) -> None:
    assert old[0].brand is None


def test_old_sold_is_lifetime(old: list) -> None:
    assert old[0].sold == 18198  # historical_sold, not the 30-day "sold" (2118)


def test_old_rating(old: list) -> None:
    assert old[0].rating == pytest.approx(4.595376)


def test_old_seller(old: list) -> None:
    assert (old[0].seller.id, old[0].seller.location, old[0].seller.is_official) == ("137711188", "Hà Nội", False)


def test_old_official_shops(old: list) -> None:
    assert sum(1 for x in old if x.seller.is_official) == 4


def test_old_images_on_cdn(old: list) -> None:
    assert old[0].images[0] == "https://down-vn.img.susercontent.com/file/04fb275b22d0abb24895021ab8afe189"


@pytest.fixture(scope="module")
def current() -> list:
    return shopee.extract(fixture("shopee/search_item_basic.json").read_bytes(), SEARCH_URL)


def test_current_count(current: list) -> None:
    assert len(current) == 2  # 3 entries, one itemid twice


def test_current_fields(current: list) -> None:
    first = current[0]
    assert (first.listing_id, first.price, first.list_price, first.brand, first.sold, first.rating) == (
        "22345678901", 5990000, 6990000, "Apple", 5310, 4.92)


def test_current_seller(current: list) -> None:
    seller = current[0].seller
    assert (seller.id, seller.name, seller.is_official, seller.location, seller.url) == (
        "88201679", "Apple Flagship Store", True, "TP. Hồ Chí Minh", "https://shopee.vn/shop/88201679")


def test_current_unrated_and_no_discount(current: list) -> None:
    assert (current[1].rating, current[1].list_price, current[1].brand) == (None, None, None)


def test_demo_base_and_images() -> None:
    listings = shopee.extract(fixture("shopee/search_item_basic.json").read_bytes(),
                              "http://127.0.0.1:9000/shopee/api/v4/search/search_items?keyword=x")
    assert listings[0].url == "http://127.0.0.1:9000/shopee/product/88201679/22345678901"
    assert listings[0].images[0] == "http://127.0.0.1:9000/shopee/file/vn-11134207-7r98o-abc"


def test_item_get() -> None:
    [item] = shopee.extract(fixture("shopee/item_get.json").read_bytes(),
                            "https://shopee.vn/api/v4/item/get?itemid=9988776655&shopid=123456789")
    assert (item.listing_id, item.price, item.list_price, item.sold, item.category, item.origin, item.rating) == (
        "9988776655", 150000, 350000, 42, "Thiết Bị Điện Tử > Tai nghe", "Trung Quốc", 3.5)
    assert item.description == "Hàng rep 1:1\nBảo hành 1 đổi 1"


def test_shop_detail_seller() -> None:
    seller = shopee.extract_seller(fixture("shopee/shop_detail.json").read_bytes(),
                                   "https://shopee.vn/api/v4/shop/get_shop_detail?shopid=88201679")
    assert seller.model_dump() == {
        "id": "88201679", "name": "Apple Flagship Store", "url": "https://shopee.vn/shop/88201679",
        "is_official": True, "location": "TP. Hồ Chí Minh", "business_id": None, "phone": None,
        "address": None, "created_at": datetime(2018, 11, 15, 10, 23, 25, tzinfo=UTC),
    }


def test_shop_detail_is_not_listings() -> None:
    with pytest.raises(ExtractionError, match="extract_seller"):
        shopee.extract(fixture("shopee/shop_detail.json").read_bytes(), "https://shopee.vn/api/v4/shop/get_shop_detail")


def test_empty_page_is_no_listings() -> None:
    assert shopee.extract(b'{"error": null, "items": null, "nomore": true, "total_count": 0}', SEARCH_URL) == []


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (fixture("shopee/error_90309999.json").read_bytes(), "anti-bot refusal: error 90309999"),
        (b"<html>captcha</html>", "not JSON"),
        (b'{"items": {"a": 1}}', "not a list"),
        (b'{"version": "abc"}', "no 'items' list"),
    ],
)
def test_malformed_bodies_raise_naming_the_url(body: bytes, needle: str) -> None:
    with pytest.raises(ExtractionError) as info:
        shopee.extract(body, SEARCH_URL)
    assert info.value.url == SEARCH_URL and needle in str(info.value)


@pytest.mark.parametrize(
    ("bad", "needle"),
    [
        ({"item_basic": {"itemid": 1, "name": "x"}}, "items[0] (id 1): "),
        ({"item_basic": {"itemid": 1, "shopid": 2, "name": "x", "price": -5}}, "items[0] (id 1): price"),
    ],
)
def test_an_unreadable_item_is_reported_and_the_others_kept(bad: dict, needle: str) -> None:
    good = {"item_basic": {"itemid": 5, "shopid": 2, "name": "Sữa", "price": 100000 * 100000}}
    listings = shopee.extract(json.dumps({"items": [bad, good]}).encode(), SEARCH_URL)
    assert [x.listing_id for x in listings] == ["5"]
    errors = item_errors(listings)
    assert len(errors) == 1 and errors[0].url == SEARCH_URL and needle in errors[0].message
