"""Misses of the blind probes health14 and unseen14 (2026-12-07), read after their first run: a
famous name with one word cut apart, "never used" read as used, a luxury house on pet care,
toothpaste or a frying pan, "bản sao" before a model, a blender's blade and a nebulizer's cup as
parts, Fine Japan in the registry, a watch house on pens, sunglasses and rings, and "Aviator
3025" as Ray-Ban's model."""

from __future__ import annotations

from detectors.form import parse_form
from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import (
    MakeListing,
    assert_flagged_by,
    codes,
    score,
)


def test_a_famous_name_with_one_of_its_words_cut_apart_is_a_disguise(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "brand.lookalike", [
        ("Kem chống nắng La Roche - Po say Anthelios UVMune 400 50ml chính hãng", 250_000),
        ("Túi Louis Vuit ton Neverfull nữ", 900_000),
    ])
    for title in ("Kem chống nắng La Roche-Posay Anthelios UVMune 400 50ml",
                  "Kem chống nắng La Roche Posay Anthelios 50ml",
                  "Sữa tắm Johnson's Baby 500ml"):
        assert "brand.lookalike" not in codes(score(make, rules, title, 450_000)), title


def test_never_used_is_not_used(rules: RuleSet) -> None:
    for title in ("Dây curoa Yamaha NVX 155 mới chưa qua sử dụng", "Máy xay Philips mới 100% chua qua su dung"):
        assert not parse_form(title, rules).used, title
    assert parse_form("Máy xay Philips đã qua sử dụng", rules).used


def test_a_luxury_house_on_pet_care_toothpaste_or_a_pan_is_off_category(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "brand.off_category", [
        ("Cát vệ sinh cho mèo hương nước hoa Chanel No.5 túi 8L", 120_000),
        ("Sữa tắm cho chó mèo hương Dior Jadore 500ml khử mùi", 90_000),
        ("Kem đánh răng than tre Gucci trắng răng 120g", 60_000),
        ("Chảo chống dính Hermes vân đá 28cm", 250_000),
    ])
    # A house's own pet accessory is its own goods.
    assert "brand.off_category" not in codes(score(make, rules, "Vòng cổ chó Gucci da GG Supreme", 9_500_000))


def test_a_copy_of_a_named_model_and_a_new_part_claimed_genuine(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "text.copy_model", [
        ("Gối massage bản sao Beurer MG 151 8 bi xoay nhiệt hồng ngoại", 450_000),
    ])
    assert_flagged_by(make, rules, "text.factory_claim", [
        ("Dao xay sinh tố zin Philips HR2118 linh kiện chính hãng theo máy mới", 90_000),
        ("Cốc xông thuốc Yuwell 403M linh kiện zin hãng mới 100%", 35_000),
    ])
    # A part that only fits the brand's machine, with no claim, stays unflagged.
    assert not score(make, rules, "Dao xay sinh tố thay thế cho máy Philips HR2118", 90_000).flagged


def test_fine_japan_is_registered(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "brand.lookalike", [("Collagen F1ne Japan dạng bột 196g nội địa Nhật", 550_000)])
    assert not score(make, rules, "Collagen Fine Japan dạng bột 196g nội địa Nhật", 550_000).flagged


def test_a_watch_house_makes_no_pens_sunglasses_or_rings(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "brand.off_category", [
        ("Bút bi Rolex vỏ kim loại mạ vàng khắc logo vương miện", 250_000),
        ("Kính mát nam Rolex gọng vàng tròng phân cực", 350_000),
        ("Nhẫn bạc logo Rolex vương miện nam mạ vàng 18k", 300_000),
    ])
    # Its own watch, and the watch's sapphire crystal, are its goods.
    assert "brand.off_category" not in codes(score(make, rules, "Đồng hồ Rolex Datejust 41 mặt kính sapphire",
                                                   250_000_000))


def test_aviator_3025_names_the_ray_ban_model(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Kính mát Aviator 3025 gọng vàng tròng xanh lá G15 có hộp da", 199_000),
    ])
