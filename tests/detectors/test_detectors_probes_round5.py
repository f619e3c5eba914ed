"""Patterns the fifth blind Shopee men's-fashion round and the Sendo misses it was read with
showed: each a rule about how titles are built, tested on titles of the same kind."""

from __future__ import annotations

from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import (
    MakeListing,
    assert_flagged_by,
    codes,
    score,
)


def test_market_codes_for_houses_and_models_are_lookalike_claims(make: MakeListing, rules: RuleSet) -> None:
    for title, price in [("[Siêu Quà] Áo Somi Thời Trang Nam Brb💕💕💕 L", 270_000),
                         ("DÉP BÁNH MÌ THỜI TRANG NAM YZ SLIDE. SIÊU NHẸ VÀ BỀN", 126_000),
                         ("NÓN KẾT THỜI TRANG NAM NỮ NYY", 80_000),
                         ("Nón thời trang nam cao cấp Baciga", 190_000)]:
        scored = score(make, rules, title, price)
        assert scored.flagged and "brand.lookalike" in codes(scored), title
    # New York written out is no Yankees code.
    assert not score(make, rules, "Nón kết thời trang NYC New York", 80_000).flagged


def test_guangzhou_grade_one_needs_a_brand(make: MakeListing, rules: RuleSet) -> None:
    # Unbranded Guangzhou-made goods are just that; with a brand the phrase claims a copy.
    assert not score(make, rules, "Giày sneaker đồng giá phong cách Hàn Quốc hàng Quảng Châu loại 1",
                     49_000).flagged
    assert "text.slang" in codes(score(make, rules, "Giày Nike Air Force 1 hàng Quảng Châu loại 1", 350_000))


def test_a_jeep_bag_has_the_licensed_leather_goods_floor(make: MakeListing, rules: RuleSet) -> None:
    cases = [("Túi đeo chéo Jeep đựng Ipad/ máy tính bảng", 160_000),
             ("Ví cầm tay thời trang nam Jeep - Cluth jeep 2069", 202_500)]
    assert_flagged_by(make, rules, "price.below_reference", cases)
    # Not on a tee with the print, nor on the vehicle.
    assert not score(make, rules, "Áo thun nam trung niên cổ bẻ AFS Jeep sọc ngang", 100_000).flagged
    assert not score(make, rules, "Mô hình xe jeep đồ chơi trẻ em", 150_000).flagged
    assert not score(make, rules, "Túi đeo chéo Jeep da bò", 1_200_000).flagged


def test_a_national_team_named_after_football_prices_the_kit(make: MakeListing, rules: RuleSet) -> None:
    titles = ["Bộ thể thao bóng đá đức cao cấp", "Bộ thể thao bóng đá pháp cao cấp",
              "Bộ thể thao bóng đá atletico 2021 cao cấp"]
    assert_flagged_by(make, rules, "price.below_reference", [(title, 165_000) for title in titles])
    assert not score(make, rules, "Bộ thể thao bóng đá đức chính hãng Adidas", 1_500_000).flagged
    # Written in Vietnamese words, the team's name is matched exactly, never as a near miss.
    assert codes(score(make, rules, "Túi xách nữ da bóng dập vân tổ ong sang trọng", 200_000)) == set()


def test_a_goods_scoped_code_names_the_brand_only_on_its_goods(make: MakeListing, rules: RuleSet) -> None:
    cases = [("Nón thời trang nam NY cao cấp.", 38_000), ("Dép NY thời trang nam", 88_000),
             ("Dép Thời Trang Nam GG phản quang", 99_000),
             ("Nón thời trang nam cao cấp Add 3 sọc đều", 170_000)]
    assert_flagged_by(make, rules, "brand.lookalike", cases)
    # The same letters on other goods are New York, contract-made goods or a voucher.
    for title, price in [("Áo Polo NY Dũng Store - Thời Trang Nam", 250_000),
                         ("NÓN KẾT HÀNG GC CAO CẤP, NÓN KẾT THỜI TRANG NAM NỮ", 67_450),
                         ("áo thun GC thời trang nam", 145_000),
                         ("[FREESHIP 45K+ADD MÃ 92JURGWS] Nón kết nam", 50_000),
                         ("Giày thể thao sneaker BOSTON NY LA", 1_400_000)]:
        assert codes(score(make, rules, title, price)) == set(), title
    # With the brand named outright the letters are the design, not a dodge.
    assert "brand.lookalike" not in codes(score(make, rules, "Mũ MLB Rookie Ball Cap NY chính hãng", 1_190_000))


def test_banner_noise_before_the_goods_leaves_them_the_goods(make: MakeListing, rules: RuleSet) -> None:
    for title in ["FALE [Chính Hãng] Giày Adidas thời trang nam xám . 2020 new",
                  "ff [ Sales 11-11] HOT HOT Nhất Giày Adidas thời trang nam xám kẻo hết"]:
        scored = score(make, rules, title, 126_000)
        assert scored.flagged and "price.below_reference" in codes(scored), title


def test_a_local_label_that_contains_a_famous_name_is_not_it(make: MakeListing, rules: RuleSet) -> None:
    assert codes(score(make, rules, "Áo thun nam trung niên cổ bẻ AFS Jeep sọc ngang cực đẹp", 100_000)) == set()


def test_letters_glued_to_digits_head_a_model_code(make: MakeListing, rules: RuleSet) -> None:
    # "GGDB3" on dress shoes is the shop's model code; "GGDB" alone is Golden Goose's.
    assert codes(score(make, rules, "Giày Tây Nam Kiểu Dáng Đơn Giản GGDB3 Giày Thời Trang Nam", 79_000)) == set()
    assert score(make, rules, "Giày GGDB sneaker trắng bẩn", 450_000).flagged
    assert codes(score(make, rules, "Dép Thời Trang Nam GC77 quai ngang", 99_000)) == set()
    # A goods word must be the goods as written: "chất đẹp" folds like "dép".
    assert codes(score(make, rules, "Ví da nam chất đẹp hàng hiệu GC-cK da PU", 12_000)) == set()


def test_a_stick_on_tattoo_is_sold_as_fake(make: MakeListing, rules: RuleSet) -> None:
    assert "text.slang" not in codes(score(
        make, rules, "[THỜI TRANG NAM]Fashion Tattoo Sleeves Arm Warmer UV Protection Outdoor Fake Tattoo", 30_000))


def test_goods_words_corroborate_a_near_miss_of_their_makers(make: MakeListing, rules: RuleSet) -> None:
    # Skin-care and small-appliance goods words now name the goods' category, which is what a
    # near miss or a code needs to be read as the brand.
    cases = [("Xịt Khoáng VICHYD Mineralizing Thermal Water 300ml", 150_000),
             ("Nước thần HK-II Pitera Essence 230ml", 650_000),
             ("Bàn ủi hơi nước Phiilips GC1905", 180_000)]
    assert_flagged_by(make, rules, "brand.lookalike", cases)
    # "mèo" (cat) folds to the letters of Me-O glued: pet-food words must not make it a claim.
    assert codes(score(make, rules, "Thức ăn cho mèo con hạt mềm 1kg", 60_000)) == set()


def test_a_honda_helmet_below_half_the_dealers_cheapest(make: MakeListing, rules: RuleSet) -> None:
    assert score(make, rules, "MŨ BẢO HIỂM NỬA ĐẦU CÓ KÍNH HONDA", 99_000).flagged
    assert not score(make, rules, "Non bao hiem Honda", 250_000).flagged


def test_dotted_initials_are_a_code_only_as_written(make: MakeListing, rules: RuleSet) -> None:
    cases = [("Sịp Nam Boxer C.K Cao Cấp Kháng Khuẩn", 63_000),
             ("Mũ lưỡi trai unisex N.Y nam nữ thêu chữ logo", 90_000),
             ("Nón thời trang nam cao cấp Adds Heritage Hall", 170_000)]
    assert_flagged_by(make, rules, "brand.lookalike", cases)
    # The same letters as sizes or without their dot are no code.
    assert codes(score(make, rules, "Áo sơ mi size C K L XL", 150_000)) == set()
    assert codes(score(make, rules, "Nón lưỡi trai N Y thêu", 90_000)) == set()


def test_a_faux_two_piece_shirt_is_a_cut(make: MakeListing, rules: RuleSet) -> None:
    assert "text.slang" not in codes(score(
        make, rules, "áo thun nam giả hai lớp T-shirt fake two shirt man", 120_000))
