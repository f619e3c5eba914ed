"""Patterns the written probes of 2026-12-04 found (eval/adversarial_probe*.jsonl): each a
rule about how titles are built, tested here on titles of the same kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from detectors import score_listings
from detectors.form import parse_form
from rules.loader import RuleSet
from rules.record import Listing, ScoredListing

MakeListing = Callable[..., Listing]


def score(make: MakeListing, rules: RuleSet, title: str, price: int, **fields: Any) -> ScoredListing:
    return score_listings([make(title, price=price, **fields)], rules)[0]


def codes(scored: ScoredListing) -> set[str]:
    return {s.code for s in scored.signals}


def assert_flagged_by(make: MakeListing, rules: RuleSet, code: str, cases: list[tuple[str, int]]) -> None:
    """Each (title, price) is flagged, with `code` among its signals."""
    for title, price in cases:
        scored = score(make, rules, title, price)
        assert scored.flagged and code in codes(scored), title


def assert_not_by(make: MakeListing, rules: RuleSet, code: str, cases: list[tuple[str, int]]) -> None:
    """No (title, price) has `code` among its signals."""
    for title, price in cases:
        assert code not in codes(score(make, rules, title, price)), title


def test_a_fashion_accessories_path_is_no_electronics(make: MakeListing, rules: RuleSet) -> None:
    # Shopee's "Phụ Kiện Thời Trang" holds "phụ kiện" (electronics' accessories) too.
    scored = score(make, rules, "Tất Nike Everyday Cushioned 3 đôi cổ cao", 320_000,
                   category="Phụ Kiện Thời Trang > Tất")
    assert "brand.off_category" not in codes(scored) and not scored.flagged


def test_a_collection_name_prices_its_wallet_as_a_wallet(make: MakeListing, rules: RuleSet) -> None:
    assert not score(make, rules, "Ví nữ Michael Kors Jet Set dài hàng Mỹ xách tay có bill", 2_450_000).flagged
    assert score(make, rules, "Túi xách Michael Kors Jet Set Travel tote", 900_000).flagged


def test_clothes_for_a_doll_are_not_priced_as_the_doll(make: MakeListing, rules: RuleSet) -> None:
    assert not score(make, rules, "Quần áo cho búp bê Labubu 17cm handmade", 35_000).flagged


def test_a_line_of_one_brand_is_no_look_alike_of_another(make: MakeListing, rules: RuleSet) -> None:
    assert "brand.lookalike" not in codes(score(make, rules, "Dép Nike Victori One", 590_000))


def test_a_coined_name_for_fakes_names_the_brand_on_any_goods(make: MakeListing, rules: RuleSet) -> None:
    assert score(make, rules, "Móc khoá Lafufu hộp mù siêu cute", 45_000).flagged
    assert not score(make, rules, "Đèn LED MKT 50W", 90_000).flagged  # a short code still needs tools


@pytest.mark.parametrize("title", ["Máy khoan pin DeWalt DCD791 20V", "Máy bắn vít pin Makita DTD173"])
def test_a_cordless_tool_is_no_battery(rules: RuleSet, title: str) -> None:
    assert parse_form(title, rules).kind == "full"


def test_a_battery_for_a_tool_still_is(rules: RuleSet) -> None:
    assert parse_form("Pin máy khoan Makita 18V 5Ah", rules, head="Pin máy khoan").kind == "part"


def test_a_bottle_in_a_gift_box_is_priced_as_the_bottle(make: MakeListing, rules: RuleSet) -> None:
    scored = score(make, rules, "Rượu Johnnie Walker Blue Label 750ml hộp quà", 1_250_000)
    assert "price.below_reference" in codes(scored)


def test_the_makers_own_name_beside_its_device_claims_the_maker(make: MakeListing, rules: RuleSet) -> None:
    assert score(make, rules, "Củ sạc iPhone 20W chính hãng Apple bảo hành 12 tháng", 89_000).flagged
    # the phone alone names what the charger is for
    assert not score(make, rules, "Củ sạc nhanh iPhone 20W", 89_000).flagged


def test_a_nickname_of_a_model_is_the_model(make: MakeListing, rules: RuleSet) -> None:
    assert score(make, rules, "Đồng hồ nam điện tử thể thao chống nước dáng Casioak", 119_000).flagged
    assert not score(make, rules, "Đồng hồ Casio G-Shock GA-2100-1A1 Casioak", 3_200_000).flagged


@pytest.mark.parametrize("description", [
    "Nói không với hàng fake, hàng nhái.", "Không bán hàng giả, hàng nhái.", "Phát hiện hàng nhái đền gấp đôi"])
def test_an_honest_shops_promise_is_no_slang(make: MakeListing, rules: RuleSet, description: str) -> None:
    scored = score(make, rules, "Giày Adidas Stan Smith", 2_100_000, description=description)
    assert "text.slang" not in codes(scored)


def test_slang_beside_a_promise_still_counts(make: MakeListing, rules: RuleSet) -> None:
    assert "text.slang" in codes(score(make, rules, "Giày Adidas Stan Smith hàng nhái loại 1", 2_100_000))


def test_a_books_isbn_10_is_no_bad_barcode(make: MakeListing, rules: RuleSet) -> None:
    assert "barcode.invalid" not in codes(score(make, rules, "Sách Đắc Nhân Tâm", 80_000, gtin="0306406152"))


def test_an_accessory_makers_brand_field_makes_the_phone_what_the_case_fits(make: MakeListing,
                                                                          rules: RuleSet) -> None:
    scored = score(make, rules, "Ốp lưng iPhone 15 Pro Max Ultra Hybrid", 350_000, brand="Spigen")
    assert "brand.mismatch" not in codes(scored) and not scored.flagged


def test_the_parent_company_in_the_brand_field_leaves_the_brands_own_prices(make: MakeListing,
                                                                          rules: RuleSet) -> None:
    scored = score(make, rules, "Kem chống nắng Vichy Capital Soleil 50ml", 95_000, brand="L'Oréal")
    [detail] = [s.detail for s in scored.signals if s.code == "price.below_reference"]
    assert "Vichy" in detail
    assert "brand.mismatch" not in codes(score(make, rules, "Bàn chải điện Oral-B Pro 3", 900_000, brand="Braun"))


def test_a_brands_own_accents_are_no_disguise(make: MakeListing, rules: RuleSet) -> None:
    assert "brand.lookalike" not in codes(score(make, rules, "Champagne Moët & Chandon Brut Impérial 750ml",
                                                1_500_000))
    assert "brand.lookalike" in codes(score(make, rules, "Giày Nikę Air Force 1", 2_600_000))


@pytest.mark.parametrize("field", ["Nikę", "𝐍𝐈𝐊𝐄", "PU MA"])
def test_a_disguised_brand_field_is_a_look_alike(make: MakeListing, rules: RuleSet, field: str) -> None:
    assert "brand.lookalike" in codes(score(make, rules, "Giày thể thao nam", 420_000, brand=field))


def test_a_split_brand_field_naming_the_phone_a_case_fits_is_no_disguise(make: MakeListing, rules: RuleSet) -> None:
    assert not score(make, rules, "Ốp lưng Samsung A55", 50_000, brand="Sam sung").flagged


@pytest.mark.parametrize(("title", "price"), [
    ("Đồng Hồ Nam Dây Thép Rolex Submariner", 1_990_000),   # a watch with a steel strap
    ("Túi Xách Dây Xích Chanel Classic Flap", 450_000),     # a bag with a chain strap
    ("Giày Đế Cao Su Nike Air Force 1", 299_000),           # shoes with a rubber sole
])
def test_a_part_word_after_the_goods_describes_them(make: MakeListing, rules: RuleSet, title: str,
                                                    price: int) -> None:
    assert "price.below_reference" in codes(score(make, rules, title, price))


def test_a_title_opening_with_a_part_still_sells_the_part(make: MakeListing, rules: RuleSet) -> None:
    assert not score(make, rules, "Dây đồng hồ Rolex thép không gỉ 20mm", 150_000).flagged
    assert not score(make, rules, "[FREESHIP] Thay pin iPhone 11 chính hãng dung lượng cao", 250_000).flagged


@pytest.mark.parametrize("title", [
    "Giày vải cổ cao basic phong cách converse nam nữ đế cao su đúc",
    "Áo Khoác Dù Nam 2 Lớp Có Mũ Chống Nắng Form Rộng Phong Cách North Face",
])
def test_a_look_named_after_a_label_claims_no_label(make: MakeListing, rules: RuleSet, title: str) -> None:
    assert not score(make, rules, title, 150_000).flagged


@pytest.mark.parametrize("title", ["Giày thể thao style Yeezy 350 thoáng khí", "Túi xách nữ phong cách Hermes Birkin da bò"])
def test_a_named_model_after_a_look_word_is_still_claimed(make: MakeListing, rules: RuleSet, title: str) -> None:
    assert score(make, rules, title, 350_000).flagged
    assert "text.copy_model" in codes(score(make, rules, "Giày thể thao style Yeezy 350 thoáng khí", 3_000_000))


@pytest.mark.parametrize(("title", "price"), [
    ("Hot ốp lưng iPhone 14 Pro dẻo silicon", 30_000),          # a promo word, then the part
    ("Dịch vụ thay màn hình iPhone 12 Pro Max", 1_500_000),
    ("Xả kho bàn phím MacBook Air M1 thay thế", 250_000),
    ("Giày Nike Air Max 90 auth like new 95%", 1_500_000),     # a used genuine pair, not "auth like"
    ("Pin Panasonic loại AAA vỉ 4 viên", 40_000),              # a battery size, not the AAA grade
    ("Levitra 20mg hộp 4 viên (giá bán 1 viên)", 180_000),      # the price is for one tablet
    ("Panadol Extra hộp 15 vỉ x 12 viên - bán lẻ theo vỉ", 22_000),
])
def test_reviewed_wordings_are_no_false_alarm(make: MakeListing, rules: RuleSet, title: str, price: int) -> None:
    assert not score(make, rules, title, price).flagged


@pytest.mark.parametrize(("title", "price"), [
    ("Apple AirTag chính hãng", 120_000),                        # a count band without a count stated
    ("iPhone 15 Pro Max 256GB mới 100% nguyên seal - 1 đổi 1 nếu máy hỏng", 4_500_000),
    ("Túi Chanel Classic Flap sale sốc chỉ còn 80%", 800_000),   # a price cut, not the wear
])
def test_reviewed_wordings_still_caught(make: MakeListing, rules: RuleSet, title: str, price: int) -> None:
    assert score(make, rules, title, price).flagged


def test_a_replica_grade_after_a_style_word_still_names_the_brand(make: MakeListing, rules: RuleSet) -> None:
    assert "text.slang" in codes(score(make, rules, "Túi xách form Gucci loại 1", 250_000))
    assert "text.slang" not in codes(score(make, rules, "Mô hình xe F1 Ferrari SF-23 tỉ lệ 1:43", 250_000))


@pytest.mark.parametrize("title", ["Túi Xách Nữ Màu Xanh Bottega Da PU", "Đèn Bàn Tiffany Kính Màu",
                                   "Khăn lụa màu xanh Tiffany", "Áo thun màu cam Hermes"])
def test_a_colour_or_style_named_after_a_house_is_no_claim(make: MakeListing, rules: RuleSet, title: str) -> None:
    assert not score(make, rules, title, 250_000).flagged


def test_the_houses_own_goods_still_are(make: MakeListing, rules: RuleSet) -> None:
    assert score(make, rules, "Dây chuyền Tiffany & Co. bạc", 300_000).flagged


@pytest.mark.parametrize("title", ["Giày Nike Air Force 1 size trẻ em TD", "Giày Adidas Samba trẻ em"])
def test_a_childs_size_of_a_model_is_priced_as_one(make: MakeListing, rules: RuleSet, title: str) -> None:
    assert not score(make, rules, title, 900_000).flagged


def test_a_childs_size_far_below_even_its_own_price_is_still_caught(make: MakeListing, rules: RuleSet) -> None:
    scored = score(make, rules, "Giày Nike Air Force 1 trẻ em", 300_000)
    [(en, vi)] = [(s.detail, s.detail_vi) for s in scored.signals if s.code == "price.below_reference"]
    assert "child's size" in en and vi is not None and "cỡ trẻ em" in vi
    assert score(make, rules, "Giày Nike Air Force 1", 900_000).flagged  # the adult pair at that price
