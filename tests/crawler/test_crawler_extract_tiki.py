"""Tiki extractor: the real saved page (City Bureau style: one assertion per field) and fixtures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.extractors import EXTRACTORS, ExtractionError, parse_file, tiki
from crawler.extractors._items import item_errors
from tests.crawler.crawler_helpers import fixture, realdata

PDP = "SeikoP__tiki-data-pipeline/data/test_output/selenium_product_detail.html"
DOM = "SeikoP__tiki-data-pipeline/data/test_output/selenium_test_result.html"
PRODUCT_URL = "https://tiki.vn/binh-giu-nhiet-inox-304-elmich-el-8013ol-dung-tich-480ml-p120552065.html"


@pytest.fixture(scope="module")
def pdp() -> list:
    return parse_file("tiki", realdata(PDP), url=PRODUCT_URL + "?spid=120552067")


@pytest.fixture(scope="module")
def dom() -> list:
    return parse_file("tiki", realdata(DOM))


def test_registry() -> None:
    assert EXTRACTORS["tiki"] is tiki.extract


def test_pdp_count(pdp: list) -> None:
    assert len(pdp) == 1


def test_pdp_platform(pdp: list) -> None:
    assert pdp[0].platform == "tiki"


def test_pdp_listing_id(pdp: list) -> None:
    assert pdp[0].listing_id == "120552065"


def test_pdp_url(pdp: list) -> None:
    assert pdp[0].url == PRODUCT_URL


def test_pdp_title(pdp: list) -> None:
    assert pdp[0].title == "Bình giữ nhiệt inox 304 Elmich EL-8013OL dung tích 480ml"


def test_pdp_price(pdp: list) -> None:
    assert pdp[0].price == 147000


def test_pdp_list_price(pdp: list) -> None:
    assert pdp[0].list_price == 389000


def test_pdp_brand(pdp: list) -> None:
    assert pdp[0].brand == "Elmich"


def test_pdp_gtin_kept_as_written(pdp: list) -> None:
    # the check digit is wrong on the real page; the barcode detector judges, not the extractor
    assert pdp[0].gtin == "9367707323552"


def test_pdp_origin(pdp: list) -> None:
    assert pdp[0].origin == "Trung Quốc"


def test_pdp_category(pdp: list) -> None:
    assert pdp[0].category == "Nhà Cửa - Đời Sống > Đồ dùng phòng ăn > Bình/ Ly giữ nhiệt > Bình giữ nhiệt"


def test_pdp_sold(pdp: list) -> None:
    assert pdp[0].sold == 2326


def test_pdp_rating(pdp: list) -> None:
    assert pdp[0].rating == 4.8


def test_pdp_images(pdp: list) -> None:
    assert pdp[0].images[0].startswith("https://salt.tikicdn.com/")


def test_pdp_description(pdp: list) -> None:
    assert pdp[0].description.startswith("Chất liệu inox 304")


def test_pdp_seller_id(pdp: list) -> None:
    assert pdp[0].seller.id == "1"


def test_pdp_seller_name(pdp: list) -> None:
    assert pdp[0].seller.name == "Tiki Trading"


def test_pdp_seller_official(pdp: list) -> None:
    assert pdp[0].seller.is_official is True


def test_pdp_seller_url(pdp: list) -> None:
    assert pdp[0].seller.url == "https://tiki.vn/cua-hang/tiki-trading"


def test_pdp_currency(pdp: list) -> None:
    assert pdp[0].currency == "VND"


def test_dom_count(dom: list) -> None:
    assert len(dom) == 1


def test_dom_listing_id(dom: list) -> None:
    assert dom[0].listing_id == "120552065"


def test_dom_title(dom: list) -> None:
    assert dom[0].title == "Bình giữ nhiệt inox 304 Elmich EL-8013OL dung tích 480ml"


def test_dom_seller(dom: list) -> None:
    assert (dom[0].seller.id, dom[0].seller.name, dom[0].seller.is_official) == ("1", "Tiki Trading", True)


def test_dom_coupon_price_not_taken(dom: list) -> None:
    # the visible 111.720 ₫ is a coupon price ("Giá sau áp dụng mã khuyến mãi"), not the offer price
    assert dom[0].price is None


def test_dom_list_price(dom: list) -> None:
    assert dom[0].list_price == 389000


def test_dom_brand(dom: list) -> None:
    assert dom[0].brand == "Elmich"


def test_dom_category(dom: list) -> None:
    assert dom[0].category == "Nhà Cửa - Đời Sống > Đồ dùng phòng ăn > Bình/ Ly giữ nhiệt > Bình giữ nhiệt"


def test_dom_sold_as_displayed(dom: list) -> None:
    assert dom[0].sold == 2000  # "Đã bán 2k"


def test_dom_rating(dom: list) -> None:
    assert dom[0].rating == 4.8


def test_dom_url_id_mismatch_raises() -> None:
    with pytest.raises(ExtractionError, match="p999"):
        parse_file("tiki", realdata(DOM), url="https://tiki.vn/something-else-p999.html")


# -- fixtures written to the documented shapes ---------------------------------------------

SEARCH_URL = "https://tiki.vn/api/v2/products?q=enfa&page=1&limit=40"


@pytest.fixture(scope="module")
def search() -> list:
    return tiki.extract(fixture("tiki/search.json").read_bytes(), SEARCH_URL)


def test_search_count(search: list) -> None:
    assert len(search) == 2


def test_search_ids(search: list) -> None:
    assert [x.listing_id for x in search] == ["271983640", "55512345"]


def test_search_url(search: list) -> None:
    assert search[0].url == "https://tiki.vn/sua-bot-enfa-a-1-830g-p271983640.html"


def test_search_prices(search: list) -> None:
    assert (search[0].price, search[0].list_price) == (579000, 689000)


def test_search_zero_list_price_is_missing(search: list) -> None:
    assert search[1].list_price is None


def test_search_gtin_only_when_shaped_like_one(search: list) -> None:
    assert (search[0].gtin, search[1].gtin) == ("8934804028343", None)


def test_search_brand(search: list) -> None:
    assert search[1].brand == "OEM"


def test_search_sold(search: list) -> None:
    assert (search[0].sold, search[1].sold) == (1203, None)


def test_search_unrated_is_missing(search: list) -> None:
    assert (search[0].rating, search[1].rating) == (4.7, None)


def test_search_seller(search: list) -> None:
    assert (search[0].seller.id, search[0].seller.name) == ("212430", "Enfa Official Store")


def test_search_authentic_badge_is_official(search: list) -> None:
    assert (search[0].seller.is_official, search[1].seller.is_official) == (True, None)


def test_search_on_demo_base() -> None:
    listings = tiki.extract(fixture("tiki/search.json").read_bytes(),
                            "http://127.0.0.1:8000/tiki/api/v2/products?q=enfa")
    assert listings[0].url == "http://127.0.0.1:8000/tiki/sua-bot-enfa-a-1-830g-p271983640.html"


@pytest.fixture(scope="module")
def detail() -> list:
    return tiki.extract(fixture("tiki/product_detail.json").read_bytes(),
                        "https://tiki.vn/api/v2/products/55512345")


def test_detail_count(detail: list) -> None:
    assert len(detail) == 1


def test_detail_description_is_plain_text(detail: list) -> None:
    assert detail[0].description == "Sữa xách tay Mỹ"


def test_detail_zero_list_price_is_missing(detail: list) -> None:
    # The saved response writes 0 in both list_price and original_price: nothing is crossed out.
    assert (detail[0].price, detail[0].list_price) == (199000, None)


def test_detail_origin(detail: list) -> None:
    assert detail[0].origin == "Mỹ"


def test_detail_category(detail: list) -> None:
    assert detail[0].category == "Mẹ và Bé > Sữa bột"


def test_detail_seller(detail: list) -> None:
    assert (detail[0].seller.id, detail[0].seller.url, detail[0].seller.is_official) == (
        "998877", "https://tiki.vn/cua-hang/me-bin-shop", None)


def test_detail_sold(detail: list) -> None:
    assert detail[0].sold == 37


def test_seller_widget() -> None:
    seller = tiki.extract_seller(fixture("tiki/seller.json").read_bytes(), "https://tiki.vn/api/v2/sellers/998877",
                                 observed_at=datetime(2026, 11, 28, tzinfo=UTC))
    assert seller.model_dump() == {
        "id": "998877", "name": "Mẹ Bin Shop", "url": "https://tiki.vn/cua-hang/me-bin-shop",
        "is_official": False, "location": None, "business_id": "8123456789", "phone": "0912345678",
        "address": "Số 5 ngõ 12 Trần Duy Hưng, Cầu Giấy, Hà Nội",
        "created_at": datetime(2026, 7, 31, tzinfo=UTC),
    }


def test_seller_widget_is_not_a_listing() -> None:
    with pytest.raises(ExtractionError, match="extract_seller"):
        tiki.extract(fixture("tiki/seller.json").read_bytes(), "https://tiki.vn/api/v2/sellers/998877")


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (b"{not json", "invalid JSON"),
        (b'{"data": [], "page": 1}', "paging"),
        (b'{"foo": 1}', "unknown object"),
        (b'{"id": 1, "name": "x", "price": "mot tram"}', "price"),
        ("<html><body><p>Trang chủ</p></body></html>", "no __NEXT_DATA__"),
        (b'<html><script id="__NEXT_DATA__">{"props": {}}</script></html>', "initialState"),
        (b"plain text", "neither JSON nor HTML"),
    ],
)
def test_malformed_bodies_raise_naming_the_url(body: bytes | str, needle: str) -> None:
    url = "https://tiki.vn/api/v2/products/broken"
    with pytest.raises(ExtractionError) as info:
        tiki.extract(body, url)
    assert info.value.url == url
    assert url in str(info.value)
    assert needle in str(info.value)


def test_an_unreadable_search_item_is_reported_and_the_others_kept() -> None:
    url = "https://tiki.vn/api/personalish/v1/blocks/listings?q=x"
    body = b'{"data": [{"name": "x"}, {"id": 9, "name": "Binh giu nhiet", "price": 147000}], "paging": {}}'
    listings = tiki.extract(body, url)
    assert [x.listing_id for x in listings] == ["9"]
    assert [e.message for e in item_errors(listings)] == ["data[0]: item without id or name: {'name': 'x'}"]
