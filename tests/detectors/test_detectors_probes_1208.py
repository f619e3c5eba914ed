"""The blind probe unseen21 (2026-12-08), read after its first run: a tub's scoop and a honing
rod named "thay thế cho" / "dành cho" the brands they go with were priced as those brands'
goods, and a pet food's "rau củ" flavour vetoed its "hàng loại 1"."""

from __future__ import annotations

from detectors import build_context
from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import MakeListing, codes, score


def test_a_scoop_or_honing_rod_for_a_brand_names_what_it_goes_with(make: MakeListing, rules: RuleSet) -> None:
    for title, price, brands in (
            ("Muỗng đong whey thay thế cho hộp ON, Rule 1, MyProtein - 30ml (set 2 cái)", 15_000, {"Rule 1", "MyProtein"}),
            ("Thanh mài dao thép dành cho dao Zwilling, WMF, dao Nhật - dài 25cm cán nhựa", 95_000, {"Zwilling", "WMF"})):
        listing = make(title, price=price, brand="No Brand")
        ctx = build_context(listing, rules)
        assert ctx.claimed == [] and {m.brand.name for m in ctx.mentions if m.compat} == brands, title
        assert not score(make, rules, title, price, brand="No Brand").flagged, title
    # The maker's own whey and knives are still theirs.
    assert score(make, rules, "Bộ dao Zwilling Four Star 5 món kèm giá gỗ", 250_000).flagged


def test_grade_one_of_a_branded_pet_food_with_vegetables_is_copy_slang(make: MakeListing, rules: RuleSet) -> None:
    scored = score(make, rules, "Thức ăn cho chó Pedigree vị bò và rau củ 3kg hàng loại 1 giá sỉ", 119_000)
    assert scored.flagged and "text.slang" in codes(scored)
    # Greens sold by grade stay a grade, whatever brand the shop names.
    for title in ("Rau sạch Đà Lạt loại 1 giao nhanh Vinmart", "Xoài cát Hòa Lộc loại 1 (1kg)"):
        assert "text.slang" not in codes(score(make, rules, title, 45_000)), title
