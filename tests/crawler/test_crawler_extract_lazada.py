"""Lazada extractor: the two real .lino captures, the catalog ajax shape, a demo product page."""

from __future__ import annotations

import pytest

from crawler.extractors import ExtractionError, lazada, parse_file
from crawler.extractors.lino import LinoError, parse_lino
from tests.crawler.crawler_helpers import fixture, realdata

LINO_DIR = "konard__lazada-search/tests/fixtures/public-cache/store/cache/"
WHEY = LINO_DIR + "088c8e1107ffdf88c595d270bba058c3639a1513305b1f2a3544da3bfb91e1ae.lino"
KEM = LINO_DIR + "442ed7307e0f8769d1df7a78d4e01ce6ed46f25f78306ed6261d3b088307b3d2.lino"


@pytest.fixture(scope="module")
def kem() -> list:
    return parse_file("lazada", realdata(KEM))


def test_real_lino_count(kem: list) -> None:
    assert len(kem) == 1
    assert len(parse_file("lazada", realdata(WHEY))) == 1


def test_real_lino_id(kem: list) -> None:
    assert kem[0].listing_id == "338968082"


def test_real_lino_title(kem: list) -> None:
    assert kem[0].title == "(GIAO HỎA TỐC HCM) Kem hộp Celano 3 trong 1 tiramisu - sữa hạt - socola (860ML)"


def test_real_lino_price_from_price_text(kem: list) -> None:
    assert kem[0].price == 130000


def test_real_lino_brand(kem: list) -> None:
    assert kem[0].brand == "Celano"


def test_real_lino_category(kem: list) -> None:
    assert kem[0].category == "Bách hóa > Thực phẩm đông lạnh > Kem"


def test_real_lino_origin_from_specs(kem: list) -> None:
    assert kem[0].origin == "Việt Nam"


def test_real_lino_seller_name(kem: list) -> None:
    assert kem[0].seller.name == "KPmart"


def test_real_lino_url(kem: list) -> None:
    assert kem[0].url.endswith("-i338968082.html")


def test_real_lino_whey_has_no_brand_and_its_price() -> None:
    whey = parse_file("lazada", realdata(WHEY))[0]
    assert (whey.brand, whey.price, whey.seller.name) == (None, 3100000, "Muscle Master 1")


@pytest.fixture(scope="module")
def ajax() -> list:
    return parse_file("lazada", fixture("lazada/catalog_ajax.json"), "https://www.lazada.vn/catalog/?ajax=true&q=giay")


def test_ajax_count_keeps_first_of_duplicate(ajax: list) -> None:
    assert [x.listing_id for x in ajax] == ["2301042276", "1111"]


def test_ajax_price_and_list_price(ajax: list) -> None:
    assert (ajax[0].price, ajax[0].list_price) == (465000, 990000)


def test_ajax_no_brand_placeholder(ajax: list) -> None:
    assert ajax[0].brand is None
    assert ajax[1].brand == "Innisfree"


def test_ajax_sold_display(ajax: list) -> None:
    assert (ajax[0].sold, ajax[1].sold) == (5600, 320)


def test_ajax_rating_only_when_reviewed(ajax: list) -> None:
    assert (ajax[0].rating, ajax[1].rating) == (4.1, None)


def test_ajax_seller(ajax: list) -> None:
    assert (ajax[0].seller.id, ajax[0].seller.name, ajax[0].seller.location) == (
        "2680390", "Kho Giày Replica", "Hồ Chí Minh")


def test_ajax_lazmall_flag(ajax: list) -> None:
    assert (ajax[0].seller.is_official, ajax[1].seller.is_official) == (False, True)


def test_ajax_url_without_tracking_query(ajax: list) -> None:
    assert ajax[0].url == "https://www.lazada.vn/products/giay-nike-af1-i2301042276-s2301042283.html"


def test_malformed_ajax_names_what_was_expected() -> None:
    with pytest.raises(ExtractionError, match="mods"):
        lazada.extract(b'{"mainInfo": {}}', "https://www.lazada.vn/catalog/?ajax=true&q=x")


def test_page_without_product_is_an_error() -> None:
    with pytest.raises(ExtractionError, match="schema.org Product"):
        lazada.extract(b"<html><body>hi</body></html>", "https://www.lazada.vn/products/x-i1.html")


def test_lino_reader_rejects_unbalanced_text() -> None:
    with pytest.raises(LinoError, match="unclosed"):
        parse_lino('(\n  a "b"\n')
    assert parse_lino('(a "x" b (c 1 d true) e ("p" "q"))') == {"a": "x", "b": {"c": 1, "d": True}, "e": ["p", "q"]}
