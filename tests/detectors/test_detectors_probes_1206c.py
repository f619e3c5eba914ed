"""Patterns four written probes of 2026-12-06 (appliances, health goods, hobby goods, brands
written to dodge filters) found on their first run, tested on titles of the same kind."""

from __future__ import annotations

from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import (
    MakeListing,
    assert_flagged_by,
    codes,
    score,
)


def test_a_symbol_typed_in_place_of_a_letter_is_a_disguise(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "brand.lookalike", [
        ("Nước hoa nữ Ch🌸nel Coco Mademoiselle EDP 100ml", 2_450_000),
        ("Nước hoa nữ Ch.nel Coco Mademoiselle EDP 100ml", 2_450_000),
        ("Áo thun Gu*ci nam cotton", 150_000),
        ("Giày N🔥ke Air Force 1 trắng", 450_000),
    ])
    scored = score(make, rules, "Túi xách D❣️or saddle da", 450_000)
    lookalike = next(s for s in scored.signals if s.code == "brand.lookalike")
    assert "d❣️or" in lookalike.detail and "in place of a letter" in lookalike.detail
    # A hyphen or a slash joins names ("G-Pro" is no GoPro), and a symbol between words that
    # make no famous name is only punctuation.
    for title in ("Mực phun xăm G-PRO thẩm mỹ", "Kệ để đồ N/K inox", "Áo thun in chữ Love*Life"):
        assert "brand.lookalike" not in codes(score(make, rules, title, 300_000)), title
    # After an accessory word it names the phone the case fits, however typed.
    assert not score(make, rules, "Ốp lưng Sams*ng Galaxy S24 Ultra trong suốt", 45_000).flagged


def test_grade_slang_on_a_health_brand_the_registry_lacks(make: MakeListing, rules: RuleSet) -> None:
    # The brand field and the title name the same maker: "loại 1" or "VNXK" is said of a brand.
    for title, price, brand in [("Sữa dê Karihome số 1 400g Úc loại 1 giá sỉ", 199_000, "Karihome"),
                                ("Sữa NutriMax Gold số 2 800g VNXK giá tận gốc", 290_000, "NutriMax")]:
        scored = score(make, rules, title, price, brand=brand)
        assert scored.flagged and "text.slang" in codes(scored), title
        assert f"'{brand}'" in next(s for s in scored.signals if s.code == "text.slang").detail
    # Not said of that brand: no brand field, another name in it, or an official store.
    assert not score(make, rules, "Sữa dê Karihome số 1 400g Úc loại 1 giá sỉ", 199_000).flagged
    assert not score(make, rules, "Sữa dê số 1 400g Úc loại 1 giá sỉ", 199_000, brand="Karihome").flagged
    official = {"id": "1", "name": "Karihome Official Store", "is_official": True}
    assert not score(make, rules, "Sữa dê Karihome số 1 400g loại 1", 199_000, brand="Karihome",
                     seller=official).flagged
    # A shop's own label on household goods says "Hàng Loại 1" of its quality.
    assert not score(make, rules, "Túi Bạt Đựng Quần Áo Chống Thấm Nước - Hàng Loại 1 Chính Hãng MINIIN",
                     120_000, brand="MINIIN").flagged


def test_a_pack_of_health_or_beauty_goods_is_priced_as_that_many_items(make: MakeListing, rules: RuleSet) -> None:
    # An unsized band or floor prices one brush, one mist, one tube: a pack announced as such
    # is worth count ** pack_exponent of them.
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Set 6 bàn chải Curaprox 5460 siêu mềm giá xưởng", 99_000),
        ("Kem đánh răng Colgate Optic White thùng 48 tuýp giá 240k", 240_000),
    ])
    # Against a floor, the explanation says how many items the pack was counted as.
    mist = score(make, rules, "Xịt thơm body Victoria Secret 250ml combo 3 chai 150k", 150_000, brand="Victoria's Secret")
    below = next(s for s in mist.signals if s.code == "price.below_reference")
    assert "(a pack of 3)" in below.detail and "(combo 3 sản phẩm)" in below.detail_vi
    one = score(make, rules, "Bàn chải Curaprox 5460 siêu mềm", 99_000)
    assert "price.below_reference" not in codes(one)
    # A count that announces no pack is no pack: tablets in a box, sachets, a model name.
    for title, price in [("Viên sủi Efferalgan 500mg hộp 16 viên", 55_000),
                         ("Máy đo huyết áp bắp tay Rossmax X5 Đài Loan, bảo hành 5 năm", 990_000),
                         ("Dầu gội đầu Snow CLEAR hộp 50 gói tiện dụng", 150_000)]:
        assert "price.below_reference" not in codes(score(make, rules, title, price)), title
    # Fashion's bands are for the pack as sold ("set 3 quần lót"): no multiplying there.
    assert "price.below_reference" not in codes(score(make, rules, "Set 3 quần lót nam Calvin Klein cotton", 990_000))
