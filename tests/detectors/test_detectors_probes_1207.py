"""Misses of the two blind probes of 2026-12-07 (home12, dodge8), read after their first run:
a factory claim on a part called new in other words, a pack announced before the goods, a
decoded name glued to its second word, model codes read as sizes, and registry lines named
by their sellers' shorthand beside the goods."""

from __future__ import annotations

from detectors.form import parse_form
from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import (
    MakeListing,
    assert_flagged_by,
    codes,
    score,
)


def test_zin_on_a_part_sold_as_new_100_percent_claims_the_makers_factory(make: MakeListing, rules: RuleSet) -> None:
    # "new 100%" says the part is new as much as "new" does; the longer phrase is the one found.
    assert_flagged_by(make, rules, "text.factory_claim", [
        ("Lọc gió Honda City zin hãng bóc xe new 100% mã 17220-5R0-008 giá 35k", 35_000),
        ("Núm ti Hegen zin bóc bình chính hãng new 100% size 2 (2 cái)", 65_000),
    ])
    # A part pulled from a used car says "zin" of its origin, not of a new part's factory.
    used = score(make, rules, "Lọc gió Honda City zin tháo xe cũ", 35_000)
    assert "text.factory_claim" not in codes(used)


def test_a_pack_announced_before_the_goods_leaves_the_goods_named(make: MakeListing, rules: RuleSet) -> None:
    # "Combo 10 chai" says how many: the goods after it ("nhớt") are still the brand's own, and
    # ten bottles of Motul 300V at 120k each are far below its band.
    title = "Combo 10 chai nhớt Motul 300V 1L giá sỉ 1tr2"
    assert_flagged_by(make, rules, "price.below_reference", [(title, 1_200_000)])
    assert not score(make, rules, title, 3_600_000).flagged


def test_a_model_code_after_letters_and_a_hyphen_is_no_size(rules: RuleSet) -> None:
    assert parse_form("Đồng hồ nam Casio MTP-1374L-1AVDF dây da", rules).size is None
    assert parse_form("Nước suối Lavie chai 1.5L", rules).size == 1500.0
    assert parse_form("Sữa tắm Dove 500ml", rules).size == 500.0


def test_a_decoded_name_glued_to_its_second_word_is_a_disguise(make: MakeListing, rules: RuleSet) -> None:
    # "Dan1el Welington" decodes to "daniel welington": glued, one letter from Daniel Wellington.
    scored = score(make, rules, "Đồng hồ nữ Dan1el Welington Petite dây lưới mặt trắng", 450_000)
    assert scored.flagged and "brand.lookalike" in codes(scored)
    assert any("Daniel Wellington" in s.detail for s in scored.signals if s.code == "brand.lookalike")


def test_sellers_shorthand_for_a_line_names_it_only_beside_its_goods(make: MakeListing, rules: RuleSet) -> None:
    # "BDC" is the perfume sellers' initials of Bleu de Chanel, "iO9" Oral-B's toothbrush model:
    # each names the line beside its goods, not on other goods.
    assert_flagged_by(make, rules, "price.below_reference", [
        ("BDC EDP 100ml nước hoa nam thơm lâu bám tỏa rẻ vô địch", 250_000),
        ("Bàn chải điện iO9 từ tính màn hình màu 7 chế độ chỉ 690k", 690_000),
    ])
    for title in ("Mạch điều khiển động cơ BDC 12V 10A", "Camera hành trình iO9 góc rộng 170 độ"):
        scored = score(make, rules, title, 250_000)
        assert not scored.flagged and not scored.signals, title


def test_a_famous_pet_food_line_is_priced_by_its_bag(make: MakeListing, rules: RuleSet) -> None:
    title = "Hạt Orijen Original cho chó 2kg giá 320k date xa"
    assert_flagged_by(make, rules, "price.below_reference", [(title, 320_000)])
    assert not score(make, rules, title, 1_150_000).flagged


def test_a_game_disc_is_not_priced_as_the_console_it_plays_on(make: MakeListing, rules: RuleSet) -> None:
    # "PS5" names the console the disc plays on: a 990k game is no 990k PlayStation 5.
    for title in ("Đĩa game PS5 Marvel's Spider-Man 2 hệ Asia nguyên seal", "Đĩa game PS5 Gran Turismo 7 nguyên seal"):
        scored = score(make, rules, title, 990_000, brand="Sony")
        assert "price.below_reference" not in codes(scored), title


def test_a_three_letter_word_of_a_famous_name_typed_with_a_mark_is_a_disguise(make: MakeListing, rules: RuleSet) -> None:
    # "Mẹr" is no Vietnamese word: the dot below hides "La Mer" from a filter on the name; "Tôm"
    # (shrimp) beside "Ford" is a Vietnamese word, and left alone.
    scored = score(make, rules, "Kem dưỡng La Mẹr The Moisturizing Cream 60ml", 2_900_000)
    assert scored.flagged and "brand.lookalike" in codes(scored)
    assert "brand.lookalike" not in codes(score(make, rules, "Kính mát Tôm Ford FT0237 chính hãng", 4_500_000))


def test_misses_of_the_last_two_probes_named_by_data(make: MakeListing, rules: RuleSet) -> None:
    # "Naiki": Nike as Vietnamese syllables, glued; "AJ1 Low": the sellers' code for the model.
    assert "brand.lookalike" in codes(score(make, rules, "Giày Naiki Air trắng full size nam nữ giá rẻ", 199_000))
    assert_flagged_by(make, rules, "price.below_reference", [("Giày AJ1 Low Panda nam nữ da trơn hàng mới về", 250_000)])
    # A new derailleur claimed "zin bóc xe" is a factory claim on a part.
    assert_flagged_by(make, rules, "text.factory_claim", [
        ("Cùi đề sau Shimano Deore RD-M6100 12 speed zin bóc xe mới 100%", 250_000)])


def test_a_part_for_a_device_and_a_clubs_kit_maker_are_no_claims(make: MakeListing, rules: RuleSet) -> None:
    # A gasket "thay thế cho" a Tefal cooker is no 89k Tefal cooker.
    gasket = score(make, rules, "Gioăng cao su thay thế cho nồi áp suất Tefal Secure 5 Neo 6L", 89_000)
    assert "price.below_reference" not in codes(gasket) and not gasket.flagged
    # Adidas makes Real Madrid's kit: the brand field naming it is no mismatch.
    jersey = score(make, rules, "Áo đấu Real Madrid sân nhà 24/25 fan version chính hãng", 1_450_000, brand="Adidas")
    assert "brand.mismatch" not in codes(jersey)
