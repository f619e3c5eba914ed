"""pipeline.normalize: prices as sellers write them, ids, blanks, GTINs, provinces."""

from __future__ import annotations

import pytest

from pipeline.normalize import (
    PriceError,
    RecordError,
    canonical_province,
    normalize_raw,
    parse_price,
    to_listing,
)


@pytest.mark.parametrize(
    ("raw", "vnd"),
    [
        (150000, 150000),
        (149999.6, 150000),
        ("1.250.000₫", 1_250_000),
        ("1,250,000 đ", 1_250_000),
        ("1.250.000 VNĐ", 1_250_000),
        ("1 250 000", 1_250_000),
        ("1.250.000,00", 1_250_000),
        ("1tr2", 1_200_000),
        ("1tr250", 1_250_000),
        ("1 triệu 2", 1_200_000),
        ("1 triệu 200k", 1_200_000),
        ("2 triệu", 2_000_000),
        ("2.5tr", 2_500_000),
        ("1,5tr", 1_500_000),
        ("150k", 150_000),
        ("150K", 150_000),
        ("150 nghìn", 150_000),
        ("350.000 đ - 420.000 đ", 350_000),
        ("420.000đ ~ 350.000đ", 350_000),
        ("Giá: 350.000đ", 350_000),
        ("350.000đ/hộp", 350_000),
        ("99", 99),
    ],
)
def test_parse_price(raw: object, vnd: int) -> None:
    assert parse_price(raw) == vnd


@pytest.mark.parametrize("raw", [None, "", "   ", "Liên hệ", "LH", "lien he", "Inbox"])
def test_price_on_request_is_none(raw: object) -> None:
    assert parse_price(raw) is None


@pytest.mark.parametrize("raw", ["abc", "-5", "1.5", "12a", "1.2.3", "$25", "25 USD", True, -1, float("nan"), [1]])
def test_junk_raises_naming_the_value(raw: object) -> None:
    with pytest.raises(PriceError) as err:
        parse_price(raw)
    assert repr(raw) in str(err.value)


@pytest.mark.parametrize(
    ("raw", "name"),
    [("TP. Hồ Chí Minh", "Hồ Chí Minh"), ("HCM", "Hồ Chí Minh"), ("Ho Chi Minh City", "Hồ Chí Minh"),
     ("TP.HCM", "Hồ Chí Minh"), ("Hà Nội", "Hà Nội"), ("Ha Noi", "Hà Nội"), ("Thành phố Đà Nẵng", "Đà Nẵng"),
     ("Tỉnh Bình Dương", "Bình Dương")],
)
def test_province_names_are_canonical(raw: str, name: str) -> None:
    assert canonical_province(raw) == name


def test_unknown_province_is_kept_not_guessed() -> None:
    assert canonical_province(" Quận Xyz ") == "Quận Xyz"


def test_normalize_raw_record() -> None:
    out = normalize_raw({
        "platform": "tiki", "listing_id": 120552065, "title": " Bình giữ nhiệt ", "price": "147.000₫",
        "list_price": "", "gtin": "936 7707-323552", "description": "",
        "seller": {"id": 1, "phone": "", "location": "TP. Hồ Chí Minh"},
    })
    assert out["listing_id"] == "120552065" and out["price"] == 147000 and out["list_price"] is None
    assert out["gtin"] == "9367707323552" and out["description"] is None and out["title"] == "Bình giữ nhiệt"
    assert out["seller"] == {"id": "1", "phone": None, "location": "Hồ Chí Minh"}


def test_a_barcode_named_as_shops_name_it_is_read_as_the_gtin() -> None:
    # "barcode" / "ean" / "upc" from a shop export: the evidence is kept, under its §3.1 name.
    for key in ("barcode", "ean", "ean13", "upc"):
        out = normalize_raw({"title": "Sữa", key: "4902705 116542"})
        assert out["gtin"] == "4902705116542" and key not in out
    # `gtin` itself wins; the other key is then left as it was.
    both = normalize_raw({"gtin": "8934673023108", "barcode": "4902705116542"})
    assert both["gtin"] == "8934673023108" and both["barcode"] == "4902705116542"
    assert to_listing({"platform": "web", "listing_id": "1", "title": "x", "barcode": "4902705116542",
                       "seller": {}}).gtin == "4902705116542"
    # Anything but a plain value under those names is left alone, as before: no record is refused for it.
    odd = normalize_raw({"title": "Sữa", "barcode": ["4902705116542", "8934673023108"], "ean": True})
    assert odd.get("gtin") is None and odd["barcode"] == ["4902705116542", "8934673023108"] and odd["ean"] is True


def test_gtin_placeholder_is_none() -> None:
    assert normalize_raw({"gtin": "Đang cập nhật"})["gtin"] is None


def test_normalize_is_idempotent() -> None:
    once = normalize_raw({"platform": "web", "listing_id": 5, "title": "x", "price": "1tr2", "seller": {"location": "HCM"}})
    assert normalize_raw(once) == once


def test_to_listing() -> None:
    listing = to_listing({"platform": "sendo", "listing_id": 1, "title": "Giày", "price": "150k", "seller": {"id": 9}})
    assert listing.price == 150000 and listing.seller.id == "9"


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"platform": "tiki", "listing_id": "1", "title": "x", "seller": {"id": True}}, "seller.id"),
        ({"platform": "tiki", "listing_id": "1", "title": "x", "price": "junk"}, "price"),
        ({"platform": "amazon", "listing_id": "1", "title": "x"}, "platform"),
        ({"platform": "tiki", "listing_id": "1", "title": ""}, "title"),
        ({"platform": "tiki", "title": "x"}, "listing_id"),
        ({"platform": "tiki", "listing_id": "1", "title": "x", "rating": 7}, "rating"),
    ],
)
def test_record_error_names_the_field(record: dict[str, object], field: str) -> None:
    with pytest.raises(RecordError) as err:
        to_listing(record)
    assert err.value.field == field and str(err.value).startswith(f"{field}: ")


def test_price_strings_are_read_once_per_rule_set_and_junk_raises_every_time() -> None:
    from detectors.money import _price_strings
    from rules.loader import load_rules

    rules = load_rules()
    assert parse_price("1tr2", rules) == 1_200_000
    assert parse_price("1tr2", rules) == 1_200_000
    assert _price_strings[(rules.version, "1tr2")] == 1_200_000
    # Another rule set reads the same string by its own words, not from the first one's cache.
    asks = rules.model_copy(update={
        "version": rules.version + "-asks",
        "normalize": rules.normalize.model_copy(update={"price_on_request": [*rules.normalize.price_on_request,
                                                                              "1tr2"]}),
    })
    assert parse_price("1tr2", asks) is None
    assert parse_price("1tr2", rules) == 1_200_000
    for _ in range(2):
        with pytest.raises(PriceError):
            parse_price("rẻ lắm", rules)
