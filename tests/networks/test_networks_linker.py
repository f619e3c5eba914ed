"""The seller-network linker and its normalizers (pure, fast): strong links, weak links that
need two reasons, generic shop-name words that never count, values too common to identify."""

from __future__ import annotations

import pytest

from review.networks.identifiers import (
    address_key,
    bank_accounts_in,
    business_id_key,
    name_key,
    phone_key,
    zalo_numbers_in,
)
from review.networks.linker import SellerFacts, find_networks
from rules.loader import load_networks, load_rules
from rules.networks import NetworksFile

RULES = load_networks()
PROVINCES = [n for p in load_rules().provinces.provinces for n in (p.name, *p.aliases)]
LONG_TEXT = "Kem chống nắng La Roche-Posay Anthelios 50ml hàng F1 giống auth 99%, check code thoải mái"
OTHER_TEXT = "Serum Innisfree Green Tea Seed 80ml rep 1:1 vỏ hộp chuẩn từng chi tiết, ib để có giá sỉ"


def networks(*sellers: SellerFacts, rules: NetworksFile = RULES) -> list[tuple[tuple[int, ...], set[str]]]:
    return [(n.members, {x.reason for x in n.links}) for n in find_networks(sellers, rules, PROVINCES)]


@pytest.mark.parametrize("raw", ["0912 345 678", "+84 912.345.678", "84912345678", "0912-345-678", "(+84) 912 345 678"])
def test_one_phone_however_written(raw: str) -> None:
    assert phone_key(raw, "VN") == "+84912345678"


@pytest.mark.parametrize("raw", [None, "", "123", "0000 000 000", "Liên hệ"])
def test_no_key_from_what_is_not_a_phone(raw: str | None) -> None:
    assert phone_key(raw, "VN") is None


def test_business_ids_keep_digits_of_a_valid_length() -> None:
    assert business_id_key("MST: 0101 234 567") == "0101234567"
    assert business_id_key("0101234567-001") == "0101234567001"
    assert business_id_key("12345") is None


@pytest.mark.parametrize(
    "raw",
    [
        "Số 12 ngõ 34 Phố Vọng, Phường Đồng Tâm, Quận Hai Bà Trưng, TP. Hà Nội",
        "12 Ngõ 34 Phố Vọng, P. Đồng Tâm, Q. Hai Bà Trưng, Hà Nội",
        "so 12 ngo 34 pho vong, phuong dong tam, quan hai ba trung, tp ha noi, Hà Nội",
        "Số 12 Ngõ 34 Phố Vọng, P.Đồng Tâm, Q.Hai Bà Trưng, Thành phố Hà Nội, Việt Nam",
    ],
)
def test_one_address_however_written(raw: str) -> None:
    assert address_key(raw, RULES.addresses) == "12 ngo 34 pho vong phuong dong tam quan hai ba trung ha noi"


def test_a_province_alone_is_no_address() -> None:
    assert address_key("TP. Hà Nội", RULES.addresses) is None
    assert address_key("Quận 7, TP. Hồ Chí Minh", RULES.addresses) is None


def test_zalo_and_bank_account_in_listing_texts() -> None:
    text = "Like auth. Zalo: 0912.345.678 — chuyển khoản STK 0011 0040 12345 Vietcombank. Hotline 1900 1234"
    assert list(zalo_numbers_in(text, RULES.text_identifiers, "VN")) == ["+84912345678"]
    assert list(bank_accounts_in(text, RULES.text_identifiers)) == ["0011004012345"]
    # "tk" inside a word is not the keyword; a number without a keyword is not an account.
    assert list(bank_accounts_in("mẫu tkx 123456789, giá 150000", RULES.text_identifiers)) == []


def test_generic_words_leave_only_what_names_the_shop() -> None:
    generic = [*RULES.names.generic_words, *PROVINCES]
    assert name_key("Hoàng Gia Store Chính Hãng", generic) == "hoang gia"
    assert name_key("Official Store Hàng Hiệu Hà Nội", generic) == ""


def test_a_phone_written_differently_links_three_platforms() -> None:
    found = networks(
        SellerFacts(1, "demo-tiki", "1", "Mỹ Phẩm Bảo Ngọc", phone="0912 345 678"),
        SellerFacts(2, "demo-web", "w", "Ngọc Beauty House", phone="+84 912.345.678"),
        SellerFacts(3, "demo-tiktok", "t", "Thế Giới Son Live", phone="0912345678"),
        SellerFacts(4, "demo-tiki", "4", "Nhà Sách Minh", phone="0901 234 567"),
    )
    assert found == [((1, 2, 3), {"phone"})]


def test_links_are_transitive_and_explained_pair_by_pair() -> None:
    # 1-2 share an address, 2-3 a business id: one network; 1 and 3 are linked through 2.
    [network] = find_networks(
        [
            SellerFacts(5, "demo-tiki", "a", "A", address="Số 12 Kim Mã, P. Ngọc Khánh, Q. Ba Đình, Hà Nội"),
            SellerFacts(7, "demo-web", "b", "B", address="12 Kim Mã, Phường Ngọc Khánh, Quận Ba Đình, TP. Hà Nội",
                        business_id="0101234567"),
            SellerFacts(9, "demo-shopee", "c", "C", business_id="0101-234-567"),
        ],
        RULES,
    )
    assert network.id == 5 and network.members == (5, 7, 9)
    assert {(x.a, x.b, x.reason, x.strength) for x in network.links} == {
        (5, 7, "address", "strong"), (7, 9, "business_id", "strong"),
    }


def test_one_weak_reason_links_no_one() -> None:
    same_name = (
        SellerFacts(1, "demo-tiki", "1", "Mỹ Phẩm Bảo Ngọc Cosmetics"),
        SellerFacts(2, "demo-web", "2", "My Pham Bao Ngoc Cosmetic"),
    )
    assert networks(*same_name) == []
    same_texts = (
        SellerFacts(1, "demo-tiki", "1", "Alpha Beauty", texts=(LONG_TEXT, OTHER_TEXT)),
        SellerFacts(2, "demo-web", "2", "Omega Trading", texts=(LONG_TEXT, OTHER_TEXT)),
    )
    assert networks(*same_texts) == []


def test_two_independent_weak_reasons_link() -> None:
    found = networks(
        SellerFacts(1, "demo-tiki", "1", "Mỹ Phẩm Bảo Ngọc Cosmetics", texts=(LONG_TEXT, OTHER_TEXT)),
        SellerFacts(2, "demo-web", "2", "My Pham Bao Ngoc Cosmetic", texts=(LONG_TEXT, OTHER_TEXT)),
    )
    assert found == [((1, 2), {"shop_name", "listing_text"})]


def test_the_weak_threshold_is_the_rules() -> None:
    stricter = RULES.model_copy(update={"weak_min_reasons": 3})
    found = networks(
        SellerFacts(1, "demo-tiki", "1", "Mỹ Phẩm Bảo Ngọc Cosmetics", texts=(LONG_TEXT, OTHER_TEXT)),
        SellerFacts(2, "demo-web", "2", "My Pham Bao Ngoc Cosmetic", texts=(LONG_TEXT, OTHER_TEXT)),
        rules=stricter,
    )
    assert found == []


def test_shops_sharing_only_generic_name_words_are_not_linked() -> None:
    # Even with the same listing texts (a second weak reason), the names say nothing.
    found = networks(
        SellerFacts(1, "demo-tiki", "1", "Hoàng Gia Store Chính Hãng", texts=(LONG_TEXT, OTHER_TEXT)),
        SellerFacts(2, "demo-web", "2", "Minh Anh Store Chính Hãng", texts=(LONG_TEXT, OTHER_TEXT)),
        SellerFacts(3, "demo-shopee", "3", "Official Store Hàng Hiệu Hà Nội", texts=(LONG_TEXT, OTHER_TEXT)),
        SellerFacts(4, "demo-lazada", "4", "Official Store Hàng Hiệu Sài Gòn", texts=(LONG_TEXT, OTHER_TEXT)),
    )
    assert found == []


def test_a_value_too_many_sellers_share_identifies_no_one() -> None:
    hotline = [
        SellerFacts(i, "demo-tiki", str(i), f"Shop {i}", phone="1900 1234")
        for i in range(1, RULES.max_sellers_per_value + 2)
    ]
    assert networks(*hotline) == []


def test_a_zalo_number_in_a_listing_matches_a_profile_phone() -> None:
    found = networks(
        SellerFacts(1, "demo-tiki", "1", "A", phone="0912 345 678"),
        SellerFacts(2, "demo-facebook", "b", "B", texts=("Inbox hoặc Zalo 0912.345.678 để lấy giá sỉ",)),
    )
    assert found == [((1, 2), {"zalo"})]


def test_the_same_bank_account_and_email_in_listings_link() -> None:
    found = networks(
        SellerFacts(1, "demo-tiki", "1", "A", texts=("CK trước STK 0011004012345 VCB, mail: ban@hangsi.vn",)),
        SellerFacts(2, "demo-web", "2", "B", texts=("Số tài khoản: 0011 0040 12345. Email BAN@hangsi.vn",)),
    )
    assert found == [((1, 2), {"bank_account", "email"})]
