"""The blind probes health16, causes13, electronics17 and health17 (2026-12-07), read after
their first run: a model the title names was priced as the brand's cheapest line of those
goods; a keyword written with a brand's short name missed the brand's whole name; a case
maker's own case was priced as a part; worn clothes were priced as new; a luxury house's
name on supplements passed as its cosmetics."""

from __future__ import annotations

from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import MakeListing, codes, score


def test_the_model_named_beats_the_line_of_its_kind_of_goods(make: MakeListing, rules: RuleSet) -> None:
    # "máy đo huyết áp" is a keyword of Omron's cheapest monitor line (from 700k); the title names
    # the HEM-7361T (from 2M).
    title = "Máy đo huyết áp Omron HEM-7361T kết nối bluetooth cảnh báo rung nhĩ AFib"
    cheap = score(make, rules, title, 480_000, brand="Omron")
    assert "price.below_reference" in codes(cheap) and cheap.flagged
    assert any("HEM-7361T" in s.detail for s in cheap.signals if s.code == "price.below_reference")
    assert not score(make, rules, title, 2_490_000, brand="Omron").flagged
    # A part for that model is no monitor.
    assert "price.below_reference" not in codes(
        score(make, rules, "Vòng bít máy đo huyết áp cho Omron HEM-7361T", 180_000))


def test_a_keyword_with_the_short_name_matches_the_whole_name(make: MakeListing, rules: RuleSet) -> None:
    title = "Kirkland Signature Glucosamine 1500mg 375 viên bổ khớp"
    cheap = score(make, rules, title, 149_000, brand="Kirkland Signature")
    assert "price.below_reference" in codes(cheap) and cheap.flagged
    assert "price.below_reference" not in codes(score(make, rules, title, 590_000, brand="Kirkland Signature"))


def test_a_case_makers_own_case_is_priced_as_its_goods(make: MakeListing, rules: RuleSet) -> None:
    title = "Ốp lưng UAG Pathfinder cho iPhone 15 Pro Max chống sốc"
    cheap = score(make, rules, title, 89_000, brand="UAG")
    assert "price.below_reference" in codes(cheap) and cheap.flagged
    assert "price.below_reference" not in codes(score(make, rules, title, 890_000, brand="UAG"))
    # A case by no one in particular, for a phone: the phone's maker is not priced.
    assert not score(make, rules, "Ốp lưng chống sốc cho iPhone 15 Pro Max", 89_000).flagged


def test_worn_clothes_are_priced_as_used(make: MakeListing, rules: RuleSet) -> None:
    for title in ("Thanh lý áo khoác The North Face Nuptse 1996 size M, mặc 1 mùa",
                  "Áo khoác The North Face Nuptse 1996 đã mặc vài lần còn đẹp"):
        assert "price.below_reference" not in codes(score(make, rules, title, 4_200_000)), title
    # "mặc 1 lần là mê" praises a new shirt (a review's case).
    praised = score(make, rules, "Áo polo nam Lacoste L1212 cá sấu thêu, mặc 1 lần là mê", 250_000, brand="Lacoste")
    assert "price.below_reference" in codes(praised) and praised.flagged
    # "mặc định" (default) says nothing of wear.
    new = score(make, rules, "Áo khoác The North Face Nuptse 1996 size mặc định M", 2_500_000)
    assert "price.below_reference" in codes(new)


def test_a_luxury_house_on_supplements_is_off_its_goods(make: MakeListing, rules: RuleSet) -> None:
    # Filed under beauty supplements, the goods read as cosmetics, which the house licenses.
    scored = score(make, rules, "Viên uống trắng da Dior Glutathione 1000mg hộp 60 viên", 290_000, brand="Dior",
                   category="Sức khỏe & Làm đẹp > Thực phẩm chức năng > Hỗ trợ làm đẹp")
    assert "brand.off_category" in codes(scored) and scored.flagged
    # A house's pill box or pouch holds pills (a review's cases, filed where the review filed them).
    for title, price, path in (("Hộp đựng viên uống Hermès sứ Mosaique au 24 pill box chính hãng", 7_500_000,
                                "Nhà Cửa & Đời Sống > Trang trí nhà cửa"),
                               ("Túi Louis Vuitton Toiletry Pouch 15 Monogram cũ, mình dùng đựng viên uống vitamin",
                                8_500_000, "Túi Ví Nữ > Ví cầm tay")):
        assert not score(make, rules, title, price, category=path).flagged, title
    # Its own serum, named by its line, stays its own goods.
    assert "brand.off_category" not in codes(
        score(make, rules, "Tinh chất dưỡng trắng da Dior One Essential 50ml", 3_200_000, brand="Dior"))


def test_a_models_own_band_is_not_its_cheaper_siblings(make: MakeListing, rules: RuleSet) -> None:
    pro3 = score(make, rules, "Bàn chải điện Oral-B Pro 3 3000 CrossAction cảm biến lực chải", 390_000)
    assert "price.below_reference" in codes(pro3) and pro3.flagged
    purifier = score(make, rules, "Máy lọc không khí Xiaomi Mi Air Purifier 4 Pro", 890_000, brand="Xiaomi")
    assert "price.below_reference" in codes(purifier) and purifier.flagged
    assert "price.below_reference" not in codes(
        score(make, rules, "Máy lọc không khí Xiaomi Smart Air Purifier 4 Lite", 1_690_000, brand="Xiaomi"))


def test_plano_glasses_are_no_fake_goods(make: MakeListing, rules: RuleSet) -> None:
    # "kính fake cận": glasses with no power, worn for the look (causes13's false alarm).
    scored = score(make, rules, "Gọng kính fake cận không độ chống ánh sáng xanh gọng tròn Hàn Quốc", 79_000)
    assert "text.slang" not in codes(scored) and not scored.flagged
    assert "text.slang" in codes(score(make, rules, "Kính mát fake Gucci GG0396 gọng vuông", 150_000))
