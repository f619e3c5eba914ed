"""Generic schema.org extractor: Haravan-style JSON-LD, WooCommerce microdata, the real Tiki page."""

from __future__ import annotations

import pytest

from crawler.extractors import ExtractionError, parse_file, web
from tests.crawler.crawler_helpers import fixture, realdata

SHOP_URL = "https://myphamhongnhung.vn/products/cetaphil-gentle-skin-cleanser-500ml"
WOO_URL = "http://127.0.0.1:8000/shops/nuoc-hoa-gia-tot/products/chanel-coco"


@pytest.fixture(scope="module")
def haravan() -> list:
    return parse_file("web", fixture("web/haravan_product.html"), url=SHOP_URL)


def test_haravan_count(haravan: list) -> None:
    assert len(haravan) == 1


def test_haravan_listing_id_is_shop_and_sku(haravan: list) -> None:
    assert haravan[0].listing_id == "myphamhongnhung.vn#CET500"


def test_haravan_url_is_canonical(haravan: list) -> None:
    assert haravan[0].url == "https://myphamhongnhung.vn/products/cetaphil-gentle-skin-cleanser-500ml?utm=1"


def test_haravan_title(haravan: list) -> None:
    assert haravan[0].title == "Sữa rửa mặt Cetaphil Gentle Skin Cleanser 500ml"


def test_haravan_brand_object(haravan: list) -> None:
    assert haravan[0].brand == "Cetaphil"


def test_haravan_price(haravan: list) -> None:
    assert haravan[0].price == 285000


def test_haravan_list_price_from_strikethrough(haravan: list) -> None:
    assert haravan[0].list_price == 420000


def test_haravan_gtin13(haravan: list) -> None:
    assert haravan[0].gtin == "3499320013123"


def test_haravan_origin(haravan: list) -> None:
    assert haravan[0].origin == "Canada"


def test_haravan_category(haravan: list) -> None:
    assert haravan[0].category == "Chăm sóc da > Sữa rửa mặt"


def test_haravan_rating(haravan: list) -> None:
    assert haravan[0].rating == 4.5


def test_haravan_images_absolute(haravan: list) -> None:
    assert haravan[0].images == ["https://myphamhongnhung.vn/cdn/cetaphil-1.jpg",
                                 "https://myphamhongnhung.vn/cdn/cetaphil-2.jpg"]


def test_haravan_seller_from_organization(haravan: list) -> None:
    seller = haravan[0].seller
    assert (seller.id, seller.name, seller.business_id, seller.phone, seller.location) == (
        "myphamhongnhung.vn", "Mỹ Phẩm Hồng Nhung", "0108765432", "024 3456 7890", "Hà Nội")


def test_haravan_seller_address(haravan: list) -> None:
    assert haravan[0].seller.address == "25 Phố Huế, Hai Bà Trưng, Hà Nội"


@pytest.fixture(scope="module")
def woo() -> list:
    return parse_file("web", fixture("web/woocommerce_microdata.html"), url=WOO_URL)


def test_woo_count(woo: list) -> None:
    assert len(woo) == 1


def test_woo_listing_id_is_stable_url_hash(woo: list) -> None:
    assert woo[0].listing_id == web.seller_identity(WOO_URL)[0] + "#" + web.stable_id(WOO_URL)
    # the demo's port does not change the id
    assert woo[0].listing_id.endswith("#" + web.stable_id("http://127.0.0.1:9999/shops/nuoc-hoa-gia-tot/products/chanel-coco"))


def test_woo_brand_string(woo: list) -> None:
    assert woo[0].brand == "Chanel"


def test_woo_aggregate_offer_lower_bound(woo: list) -> None:
    assert woo[0].price == 350000


def test_woo_image(woo: list) -> None:
    assert woo[0].images == ["http://127.0.0.1:8000/wp-content/uploads/coco.jpg"]


def test_woo_seller_id_with_demo_shop_prefix(woo: list) -> None:
    assert woo[0].seller.id == "127.0.0.1/shops/nuoc-hoa-gia-tot"
    assert woo[0].seller.url == "http://127.0.0.1:8000/shops/nuoc-hoa-gia-tot/"


def test_woo_footer_identity(woo: list) -> None:
    seller = woo[0].seller
    assert (seller.business_id, seller.phone, seller.address) == (
        "0316789012", "0938123456", "88 Nguyễn Trãi, Quận 5, TP. Hồ Chí Minh")


def test_woo_no_gtin_no_origin(woo: list) -> None:
    assert (woo[0].gtin, woo[0].origin) == (None, None)


@pytest.fixture(scope="module")
def tiki_page() -> list:
    return parse_file("web", realdata("SeikoP__tiki-data-pipeline/data/test_output/selenium_product_detail.html"),
                      url="https://tiki.vn/binh-giu-nhiet-inox-304-elmich-el-8013ol-dung-tich-480ml-p120552065.html")


def test_tiki_page_as_web_count(tiki_page: list) -> None:
    assert len(tiki_page) == 1


def test_tiki_page_as_web_fields(tiki_page: list) -> None:
    x = tiki_page[0]
    assert (x.title, x.brand, x.price, x.list_price, x.rating, x.origin) == (
        "Bình giữ nhiệt inox 304 Elmich EL-8013OL dung tích 480ml", "Elmich", 147000, 389000, 4.8, "Trung Quốc")


def test_tiki_page_as_web_sku_is_not_a_gtin(tiki_page: list) -> None:
    assert (tiki_page[0].listing_id, tiki_page[0].gtin) == ("tiki.vn#1246710599726", None)


def test_tiki_page_as_web_category(tiki_page: list) -> None:
    assert tiki_page[0].category == "Nhà Cửa - Đời Sống > Đồ dùng phòng ăn > Bình/ Ly giữ nhiệt > Bình giữ nhiệt"


def test_tiki_page_as_web_third_party_seller_gets_no_operator_identity(tiki_page: list) -> None:
    seller = tiki_page[0].seller
    assert (seller.id, seller.name, seller.phone, seller.business_id) == ("tiki.vn", "Tiki Trading", None, None)


@pytest.mark.parametrize(
    ("path", "needle"),
    [("web/no_product.html", "no schema.org Product"), ("web/usd_offer.html", "USD, not VND")],
)
def test_unexpected_pages_raise_naming_the_url(path: str, needle: str) -> None:
    with pytest.raises(ExtractionError) as info:
        parse_file("web", fixture(path), url=SHOP_URL)
    assert info.value.url == SHOP_URL and needle in str(info.value)


@pytest.mark.parametrize("body", [b'{"@type": "Product"}', b"just text"])
def test_non_html_raises(body: bytes) -> None:
    with pytest.raises(ExtractionError, match="not HTML"):
        web.extract(body, SHOP_URL)
