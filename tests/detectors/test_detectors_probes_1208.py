"""The blind probe unseen21 (2026-12-08), read after its first run: a tub's scoop and a honing
rod named "thay thế cho" / "dành cho" the brands they go with were priced as those brands'
goods."""

from __future__ import annotations

from detectors import build_context
from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import MakeListing, score


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


def test_the_scoop_and_rod_words_need_their_accents(make: MakeListing, rules: RuleSet) -> None:
    # Folded, "thanh mai" is a shop owner's name and "mai dao" the end of "khuyến mãi dao":
    # neither makes the goods a part, so the brand's price still applies.
    for title, price in (("Thanh Mai Store - Nước hoa Chanel Coco Mademoiselle EDP 100ml", 450_000),
                         ("Khuyến mãi dao Zwilling Four Star 20cm chính hãng Đức", 150_000),
                         ("Muỗng đồng khắc hoa văn Zwilling bộ 4 cây", 60_000)):
        ctx = build_context(make(title, price=price), rules)
        assert ctx.form.kind != "part" and ctx.claimed, title
    assert score(make, rules, "Thanh Mai Store - Nước hoa Chanel Coco Mademoiselle EDP 100ml", 450_000).flagged
