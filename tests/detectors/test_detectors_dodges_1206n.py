"""Filter dodges found at the seventeenth detector pass (2026-12-06, fourth session), from the
real Shopee fashion misses: a famous name in leetspeak with a letter changed, and a famous name
typed with its letters doubled."""

from __future__ import annotations

from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import (
    MakeListing,
    assert_flagged_by,
    codes,
    score,
)


def _lookalike_detail(make: MakeListing, rules: RuleSet, title: str, price: int) -> str | None:
    scored = score(make, rules, title, price)
    return next((s.detail for s in scored.signals if s.code == "brand.lookalike"), None)


def test_leetspeak_that_misses_a_famous_name_by_a_letter_is_a_disguise(make: MakeListing, rules: RuleSet) -> None:
    # "Bu1berr1" decodes to "buiberri": two letters from Burberry, and the digits inside the word
    # are the dodge, so no product line is needed beside it.
    title = "Áo thun polo in logo thời trang mùa hè năng động cho nam Bu1berr1"
    detail = _lookalike_detail(make, rules, title, 150_000)
    assert detail is not None and "Burberry" in detail and "bu1berr1" in detail
    assert score(make, rules, title, 150_000).flagged


def test_a_digit_at_the_end_of_a_word_numbers_a_model_not_a_disguise(make: MakeListing, rules: RuleSet) -> None:
    # "Power1" is Castrol's line, numbered: read as leetspeak it would be one letter from "PowerA".
    scored = score(make, rules, "Nhớt Castrol Power1 4T 10W-40 0.8L chính hãng", 120_000)
    assert "brand.lookalike" not in codes(scored)
    assert not scored.flagged


def test_a_famous_name_typed_with_letters_doubled_is_a_disguise(make: MakeListing, rules: RuleSet) -> None:
    # Written once, the doubled letters spell the name itself: too far for a near miss ("niikkee"
    # is three edits from "nike"), but the dodge is plain.
    for title, brand in (("Giày thể thao Niikkee Air cổ thấp", "Nike"), ("Túi xách nữ Guuccii da bò", "Gucci")):
        detail = _lookalike_detail(make, rules, title, 400_000)
        assert detail is not None and brand in detail and "doubled" in detail, title
        assert score(make, rules, title, 400_000).flagged, title


def test_doubled_letters_of_an_ordinary_word_or_a_local_name_are_no_disguise(make: MakeListing, rules: RuleSet) -> None:
    # "Channel" is an English word; "Leevin", "Coobos" and "Cassia" are names and words that a
    # doubled letter plus one more edit would read as Levi's, Coros and Casio.
    for title in ("Áo hoodie Channel màu đen unisex", "Áo sơ mi nam nữ form rộng - Leevin Store",
                  "Đồng hồ bé trai COOBOS 0916 đèn LED 7 màu", "Quế Cassia Yên Bái thanh cuộn 500g"):
        assert "brand.lookalike" not in codes(score(make, rules, title, 150_000)), title


def test_a_genuine_claimed_charger_is_priced_as_the_brands_charger(make: MakeListing, rules: RuleSet) -> None:
    # The phone after "sạc" names what the charger charges: Apple's adapter floor holds, not the
    # iPhone's band, and not nothing.
    title = "Củ sạc nhanh 20W Apple USB-C chính hãng bảo hành 12 tháng 1 đổi 1 - sạc iPhone 15 16"
    assert_flagged_by(make, rules, "price.below_reference", [(title, 99_000)])
    assert not score(make, rules, title, 450_000).flagged
    # A charger line of the brand's own ("EP-TA800") is the charger's band.
    assert_flagged_by(make, rules, "price.below_reference",
                      [("Sạc Samsung 25W Super Fast Charging EP-TA800 chính hãng Samsung Việt Nam", 69_000)])
    # A refill is no pen, and a razor's replacement blade no razor: each at its own floor.
    for title, price in (("Ruột bút Montblanc Refill Rollerball M đen chính hãng (hộp 2 ống)", 560_000),
                         ("Lưỡi dao Philips OneBlade QP210/51 (1 lưỡi) chính hãng", 329_000)):
        assert "price.below_reference" not in codes(score(make, rules, title, price)), title


def test_a_household_pack_is_priced_by_the_piece(make: MakeListing, rules: RuleSet) -> None:
    # Fifty die-cast cars for 199k is 4k a car; a genuine carton of motor oil is not cheap per bottle.
    assert_flagged_by(make, rules, "price.below_reference",
                      [("Set 50 xe Hot Wheels kim loại 1:64 không trùng mẫu chỉ 199k cả set", 199_000)])
    assert not score(make, rules, "Nhớt Castrol Power1 4T 10W40 0.8L thùng 24 chai", 1_900_000).flagged


def test_a_model_code_is_the_same_spaced_or_glued(make: MakeListing, rules: RuleSet) -> None:
    # "DTD 171" is Makita's DTD171 impact driver, named without the brand.
    for title in ("Máy vặn vít pin DTD 171 không chổi than 2 pin 21V", "Máy vặn vít pin DTD-171 không chổi than"):
        assert_flagged_by(make, rules, "price.below_reference", [(title, 590_000)])


def test_goods_the_registry_prices_for_a_brand_are_its_own(make: MakeListing, rules: RuleSet) -> None:
    # Zara sells its own perfumes (the registry has a floor for them): no mark on foreign goods.
    title = "Nước hoa nữ Zara Red Vanilla EDT 90ml - hàng store Zara Tây Ban Nha"
    assert "brand.off_category" not in codes(score(make, rules, title, 550_000))
    # ... but a whitening cream is no Zara goods, and a paper gift bag is no Chanel "túi".
    assert "brand.off_category" in codes(score(make, rules, "Kem body ZARA trắng da bật tone cấp tốc 250g", 60_000))
    gift_bag = score(make, rules, "Túi giấy đựng quà Chanel Dior size lớn sang chảnh có dây ruy băng", 25_000,
                     category="Đồ Chơi > Quà Tặng & Đồ Trang Trí Tiệc")
    assert "brand.off_category" in codes(gift_bag)


def test_classic_petite_is_daniel_wellingtons_line(make: MakeListing, rules: RuleSet) -> None:
    # "DW" alone is also a model code; "Classic Petite" names the watch.
    assert_flagged_by(make, rules, "price.below_reference",
                      [("Đồng hồ nữ DW Classic Petite 32mm mặt trắng dây lưới vàng hồng", 199_000)])


def test_a_price_stated_per_item_is_judged_against_one_item(make: MakeListing, rules: RuleSet) -> None:
    # "(40k/chai)": the seller prices one bottle of a 24-bottle carton; one is ~90k at least.
    oil = score(make, rules, "Nhớt Castrol Power1 0.8L 10W40 thùng 24 chai giá sỉ chỉ 960k (40k/chai)", 960_000)
    below = next(s for s in oil.signals if s.code == "price.below_reference")
    assert oil.flagged and "one item" in below.detail and "40,000" in below.detail
    milk = "Sữa đặc Ông Thọ đỏ lon 380g thùng 48 lon giá 480k (10k/lon)"
    assert "price.below_reference" in codes(score(make, rules, milk, 480_000, brand="Vinamilk"))
    # A fair price per item stays fair; a count or a date before a slash is no price.
    for title, price in (("Combo 3 hộp Aptamil Úc số 1 900g (570k/hộp) air bill Úc", 1_710_000),
                         ("Sữa đặc Ông Thọ đỏ lon 380g thùng 48 lon giá 1.150k (24k/lon)", 1_150_000),
                         ("Sữa đặc Ông Thọ đỏ lon 380g thùng 48 lon date 10/2027 hộp nguyên", 1_150_000)):
        assert "price.below_reference" not in codes(score(make, rules, title, price, brand="Vinamilk")), title


def test_a_one_word_line_cut_into_short_pieces_is_split_apart(make: MakeListing, rules: RuleSet) -> None:
    # "Lab ubu" is Pop Mart's Labubu cut in two three-letter halves, as "Cha nel" cuts Chanel.
    detail = _lookalike_detail(make, rules, "Lab ubu hộp mù macaron tặng kèm túi đựng đủ màu", 59_000)
    assert detail is not None and "Labubu" in detail
