"""TikTok Shop (intercepted product JSON) and Facebook (rendered posts) extractors."""

from __future__ import annotations

import pytest

from crawler.extractors import ExtractionError, facebook, parse_file, tiktok
from tests.crawler.crawler_helpers import fixture

TIKTOK_URL = "https://www.tiktok.com/api/shop/search?keyword=tui"
FB_URL = "https://www.facebook.com/orderhangrepgiasi"


@pytest.fixture(scope="module")
def tt() -> list:
    return parse_file("tiktok", fixture("tiktok/product_list.json"), TIKTOK_URL)


def test_tiktok_count(tt: list) -> None:
    assert len(tt) == 2


def test_tiktok_id_and_url(tt: list) -> None:
    assert tt[0].listing_id == "1729581216232367972"
    assert tt[0].url == "https://www.tiktok.com/view/product/1729581216232367972"


def test_tiktok_title(tt: list) -> None:
    assert tt[0].title == "Túi Louis Vuitton Neverfull MM super fake"


def test_tiktok_prices(tt: list) -> None:
    assert (tt[0].price, tt[0].list_price) == (1250000, 2900000)
    assert (tt[1].price, tt[1].list_price) == (79000, None)


def test_tiktok_brand_placeholder(tt: list) -> None:
    assert (tt[0].brand, tt[1].brand) == ("Louis Vuitton", None)


def test_tiktok_sold_and_rating(tt: list) -> None:
    assert (tt[0].sold, tt[0].rating, tt[1].rating) == (812, 4.6, None)


def test_tiktok_seller(tt: list) -> None:
    seller = tt[0].seller
    assert (seller.id, seller.name, seller.is_official, seller.location) == (
        "7494000000236715620", "Hàng Hiệu Giá Sỉ Live", False, "Hà Nội")


def test_tiktok_shop_identity() -> None:
    shop = tiktok.extract_seller(fixture("tiktok/shop_info.json").read_bytes(), TIKTOK_URL)
    assert (shop.business_id, shop.phone, shop.is_official) == ("0312345678", "18001234", True)
    assert shop.address == "Số 12 Nguyễn Văn Linh, Quận 7, TP. Hồ Chí Minh"


def test_tiktok_api_refusal_is_an_error_not_empty() -> None:
    with pytest.raises(ExtractionError, match="code 10201"):
        tiktok.extract(b'{"code": 10201, "message": "verify", "data": null}', TIKTOK_URL)


@pytest.fixture(scope="module")
def fb() -> list:
    return parse_file("facebook", fixture("facebook/page_rendered.html"), FB_URL)


def test_facebook_only_posts_with_a_price(fb: list) -> None:
    assert [x.listing_id for x in fb] == ["826864693676314", "826864693676999"]


def test_facebook_title_is_first_line(fb: list) -> None:
    assert fb[0].title == "Giày Nike Air Force 1 trắng hàng rep 1:1 giá sỉ ib"


def test_facebook_price_from_post_text(fb: list) -> None:
    assert (fb[0].price, fb[1].price) == (290000, 1200000)


def test_facebook_seller_is_the_page(fb: list) -> None:
    assert (fb[0].seller.id, fb[0].seller.name) == ("orderhangrepgiasi", "Order Hàng Rep Giá Sỉ")
    assert fb[1].seller.id == "100089"


def test_facebook_permalink_and_images(fb: list) -> None:
    assert fb[0].url == "https://www.facebook.com/orderhangrepgiasi/posts/826864693676314"
    assert fb[0].images == ["https://scontent.xx.fbcdn.net/a.jpg"]


def test_facebook_page_identity() -> None:
    page = facebook.extract_seller(fixture("facebook/page_rendered.html").read_bytes(), FB_URL)
    assert (page.id, page.phone) == ("orderhangrepgiasi", "0909123456")
    assert page.address == "Số 5 Lê Văn Sỹ, Phường 13, Quận 3, TP. Hồ Chí Minh"


@pytest.mark.parametrize(("text", "price"), [
    ("giá sỉ 350k ib", 350000), ("Giá: 1.250.000đ", 1250000), ("chỉ 1tr2", 1200000),
    ("Hotline 0901234567", None), ("size 36-43, 2 lon", None),
])
def test_facebook_price_phrases(text: str, price: int | None) -> None:
    assert facebook.price_in_text(text) == price


def test_facebook_page_without_feed_is_an_error() -> None:
    with pytest.raises(ExtractionError, match="no posts"):
        facebook.extract(b"<html><body><p>trang</p></body></html>", FB_URL)
