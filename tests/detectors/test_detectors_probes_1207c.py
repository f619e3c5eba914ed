"""Misses of the blind probes health14 and unseen14 (2026-12-07), read after their first run:
"new, never used" read as used, a luxury house on pet shampoo or a frying pan, "bản sao" before
a model, a blender's blade and a nebulizer's medicine cup as parts, Fine Japan in the registry
and "Aviator 3025" as Ray-Ban's model; and, from a review of the first fixes, spellings that must
stay no disguise or no off-category goods; and pesticides, a category of their own with Syngenta's
lines (from unseen13's misses, read last session)."""

from __future__ import annotations

from detectors.category import infer_category
from detectors.form import parse_form
from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import (
    MakeListing,
    assert_flagged_by,
    codes,
    score,
)


def test_a_famous_name_written_in_more_words_than_its_own_is_no_disguise_by_itself(make: MakeListing,
                                                                                    rules: RuleSet) -> None:
    # Reading "La Roche - Po say" as split letters (as "Sam sung" is) was tried: a review found
    # natural spellings of compound names read the same way. None of these may be a disguise.
    for title in ("Áo khoác Jack Wolf Skin chống nước 2 lớp nam", "Giày Alexander Mc Queen Oversized Sneaker",
                  "Rượu The Glen Livet 12 năm 700ml", "Vòng cổ Vivienne West Wood Orb bạc",
                  "Rượu vang Chateau La Tour Blanche 2016 Sauternes 750ml"):
        assert "brand.lookalike" not in codes(score(make, rules, title, 9_000_000)), title


def test_new_and_never_used_is_not_used(rules: RuleSet) -> None:
    for title in ("Dây curoa Yamaha NVX 155 mới chưa qua sử dụng", "Máy xay Philips chua qua su dung lan nao"):
        assert not parse_form(title, rules).used, title
    for title in ("Máy xay Philips đã qua sử dụng", "Nồi chiên Philips HD9252 chưa qua sử dụng nhiều, còn đẹp"):
        assert parse_form(title, rules).used, title


def test_a_luxury_house_on_pet_shampoo_or_a_frying_pan_is_off_category(make: MakeListing,
                                                                       rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "brand.off_category", [
        ("Sữa tắm cho chó mèo hương Dior Jadore 500ml khử mùi", 90_000),
        ("Chảo chống dính Hermes vân đá 28cm", 250_000),
    ])
    # A house's own pet accessory and toiletry pouch are its goods; "cắt vệ sinh" is a grooming trim.
    for title, price in (("Vòng cổ chó Gucci da GG Supreme", 9_500_000),
                         ("Túi Louis Vuitton Toiletry Pouch 26 đựng bàn chải kem đánh răng", 32_000_000),
                         ("Kéo cắt vệ sinh cho chó Chanel Pet Grooming", 150_000)):
        assert "brand.off_category" not in codes(score(make, rules, title, price)), title


def test_a_copy_of_a_named_model_and_a_new_part_claimed_genuine(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "text.copy_model", [
        ("Gối massage bản sao Beurer MG 151 8 bi xoay nhiệt hồng ngoại", 450_000),
    ])
    assert_flagged_by(make, rules, "text.factory_claim", [
        ("Dao xay sinh tố zin Philips HR2118 linh kiện chính hãng theo máy mới", 90_000),
        ("Cốc xông thuốc Yuwell 403M linh kiện zin hãng mới 100%", 35_000),
        ("Dây curoa zin hãng Yamaha NVX 155 mới chưa qua sử dụng", 180_000),   # "mới" inside the longer phrase
    ])
    # A part that only fits the brand's machine, with no claim, stays unflagged.
    assert not score(make, rules, "Dao xay sinh tố thay thế cho máy Philips HR2118", 90_000).flagged


def test_fine_japan_is_registered(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "brand.lookalike", [("Collagen F1ne Japan dạng bột 196g nội địa Nhật", 550_000)])
    assert not score(make, rules, "Collagen Fine Japan dạng bột 196g nội địa Nhật", 550_000).flagged


def test_aviator_3025_names_the_ray_ban_model(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Kính mát Aviator 3025 gọng vàng tròng xanh lá G15 có hộp da", 199_000),
    ])


def test_pesticides_have_a_category_a_maker_and_lines(make: MakeListing, rules: RuleSet) -> None:
    assert infer_category(make("Thuốc trừ sâu sinh học Bt gói 100g", price=30_000), rules) == "farm_supplies"
    # Food grown without pesticide is food (it read as medicine before, by "thuốc").
    assert infer_category(make("Rau cải hữu cơ không thuốc trừ sâu 500g", price=30_000), rules) == "food"
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Thuốc trừ bệnh Amistar Top 325SC chai 100ml đặc trị thán thư", 19_000),
    ])
    assert_flagged_by(make, rules, "brand.lookalike", [("Thuốc trừ rầy A.c.t.a.r.a 25WG gói 1g", 8_000)])
    for title, price in (("Thuốc trừ sâu Actara 25WG gói 1g Syngenta đặc trị rầy", 9_000),
                         ("Amistar Top 325SC chai 1 lít Syngenta", 950_000),
                         ("Hạt giống cà chua bi F1 Takii gói 10 hạt", 25_000)):
        assert not score(make, rules, title, price).flagged, title
