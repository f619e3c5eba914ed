"""Sendo extractor: the four real saved searches (one record per product) and the raw API shape."""

from __future__ import annotations

import json

import pytest

from crawler.extractors import ExtractionError, parse_file, sendo
from crawler.extractors._items import item_errors
from tests.crawler.crawler_helpers import fixture, realdata

REAL_FILES = [
    ("delee03__sendo-scraping/data/600 sp/sendo_kem_chống_nắng_600.json", 600),
    ("delee03__sendo-scraping/data/600 sp/sendo_iphone_600.json", 600),
    ("delee03__sendo-scraping/data/600 sp/sendo_giày_sneaker_600.json", 600),
    ("delee03__sendo-scraping/data/2 sp/sendo_smartphone_xiaomi_giá_rẻ_2.json", 2),
]


@pytest.mark.parametrize(("relative", "count"), REAL_FILES)
def test_real_files_one_record_per_product(relative: str, count: int) -> None:
    path = realdata(relative)
    products = json.loads(path.read_text(encoding="utf-8"))["products"]
    listings = parse_file("sendo", path)
    assert len(listings) == count == len(products)
    assert [x.listing_id for x in listings] == [str(p["id"]) for p in products]


@pytest.fixture(scope="module")
def xiaomi() -> list:
    return parse_file("sendo", realdata(REAL_FILES[3][0]))


def test_real_title(xiaomi: list) -> None:
    assert xiaomi[1].title == "Cáp sạc nhanh Baseus dùng cho Smartphone Android Samsung, Oppo, Xiaomi"


def test_real_url(xiaomi: list) -> None:
    assert xiaomi[1].url == (
        "https://www.sendo.vn/cap-sac-nhanh-baseus-dung-cho-smartphone-android-samsung-oppo-xiaomi-22678351.html")


def test_real_price(xiaomi: list) -> None:
    assert xiaomi[1].price == 90300


def test_real_list_price(xiaomi: list) -> None:
    assert xiaomi[1].list_price == 155000


def test_real_sold(xiaomi: list) -> None:
    assert (xiaomi[0].sold, xiaomi[1].sold) == (None, 4)


def test_real_rating(xiaomi: list) -> None:
    assert (xiaomi[0].rating, xiaomi[1].rating) == (None, 5.0)


def test_real_seller(xiaomi: list) -> None:
    assert (xiaomi[1].seller.id, xiaomi[1].seller.name, xiaomi[1].seller.location) == ("23537", "hotmua", "TP.HCM")


def test_real_image(xiaomi: list) -> None:
    assert xiaomi[0].images == ["https://media3.scdn.vn/img4/2024/11_06/mt8Bn31MDH9GwrBJbsSl_simg_de2fe0_250x250_maxb.jpg"]


def test_real_platform_and_unknowns(xiaomi: list) -> None:
    assert (xiaomi[0].platform, xiaomi[0].brand, xiaomi[0].category, xiaomi[0].seller.is_official) == (
        "sendo", None, None, None)


@pytest.fixture(scope="module")
def raw() -> list:
    return sendo.extract(fixture("sendo/search_raw.json").read_bytes(),
                         "https://searchlist-api.sendo.vn/web/products?q=anessa")


def test_raw_count(raw: list) -> None:
    assert len(raw) == 2


def test_raw_fields(raw: list) -> None:
    first = raw[0]
    assert (first.listing_id, first.price, first.list_price, first.sold, first.rating) == (
        "40123456", 185000, 650000, 312, 4.6)


def test_raw_url(raw: list) -> None:
    assert raw[0].url == "https://www.sendo.vn/kem-chong-nang-anessa-perfect-uv-60ml-40123456.html"


def test_raw_seller_location(raw: list) -> None:
    assert raw[1].seller.location == "TP.HCM"


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (b"<html></html>", "not JSON"),
        (b"{", "invalid JSON"),
        (b'{"items": []}', "no 'products' or 'data'"),
    ],
)
def test_malformed_bodies_raise_naming_the_url(body: bytes, needle: str) -> None:
    url = "https://searchlist-api.sendo.vn/web/products?q=x"
    with pytest.raises(ExtractionError) as info:
        sendo.extract(body, url)
    assert info.value.url == url and needle in str(info.value)


GOOD = {"id": 7, "name": "Kem chống nắng", "sale_price_min": 100000, "shop": {"id": 3, "name": "Shop"}}


@pytest.mark.parametrize(
    ("bad", "needle"),
    [
        ({"id": 1}, "data[1] (id 1): no id or no name"),
        ({"id": 1, "name": "x", "shop": {"id": 3}, "sale_price_min": "abc"}, "data[1] (id 1): sale_price_min 'abc'"),
        ({"id": 1, "name": "x"}, "data[1] (id 1): no 'shop' object"),
        (17, "data[1]: the product is int"),
    ],
)
def test_an_unreadable_product_is_reported_and_the_others_kept(bad: object, needle: str) -> None:
    url = "https://searchlist-api.sendo.vn/web/products?q=x"
    body = json.dumps({"data": [GOOD, bad, {**GOOD, "id": 8}]}).encode()
    listings = sendo.extract(body, url)
    assert [x.listing_id for x in listings] == ["7", "8"]
    assert [e.url for e in item_errors(listings)] == [url]
    assert needle in item_errors(listings)[0].message


def test_product_detail_answer_is_one_record() -> None:
    """`full/{slug}-{id}` answers one product under `data` (a refresh of one listing reads it);
    fixture: the demo marketplace's answer, which copies the search item's shape."""
    body = fixture("sendo/product_detail.json").read_bytes()
    [record] = sendo.extract(body, "http://127.0.0.1:8077/sendo/api/full/bong-tay-trang-3-lop-tui-120-mieng-112146283")
    assert record.listing_id == "112146283"
    assert record.title == "Bông tẩy trang 3 lớp túi 120 miếng"
    assert record.price == 28000
    assert record.seller.id == "975808"


def test_detail_without_an_id_is_not_a_product() -> None:
    with pytest.raises(ExtractionError, match="no 'products' or 'data' list"):
        sendo.extract(json.dumps({"data": {"name": "x"}}), "http://127.0.0.1:8077/sendo/api/full/x")
