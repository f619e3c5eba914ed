"""The blind probes unseen16 and womens16 (2026-12-07), read after their first run: a two-word
brand with leetspeak in one word and a drawn letter in the other ("R0YAL CANlN") was no
look-alike at all, and Calvin Klein's underwear band was a 3-pack's, so one brief at a plain
price was called far below it; priced per piece, a pack of briefs counts its pieces."""

from __future__ import annotations

from detectors.textnorm import leet_letters
from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import MakeListing, codes, score


def test_leetspeak_beside_a_drawn_letter_is_still_the_brand(make: MakeListing, rules: RuleSet) -> None:
    # At a plausible price: the spelling alone is the evidence.
    scored = score(make, rules, "Thức ăn hạt cho mèo R0YAL CANlN 2kg", 450_000, brand="No Brand")
    assert "brand.lookalike" in codes(scored) and scored.flagged
    assert any("r0yal canln" in s.detail for s in scored.signals)
    plain = score(make, rules, "Thức ăn hạt cho mèo Royal Canin Kitten 2kg", 450_000, brand="Royal Canin")
    assert "brand.lookalike" not in codes(plain)
    # The drawn word first, or several drawn letters in one word (a review's cases).
    for title, price, typed in (("Đồng hồ nữ MlCHAEL K0RS MK3192 mạ vàng", 1_650_000, "mlchael k0rs"),
                                ("Áo polo nam T0MMY HlLFlGER cotton", 890_000, "t0mmy hllflger"),
                                ("Túi clutch SAlNT L4URENT Kate chain", 1_500_000, "salnt l4urent")):
        scored = score(make, rules, title, price)
        assert "brand.lookalike" in codes(scored) and scored.flagged, title
        assert any(typed in s.detail for s in scored.signals), title
    # An "l" word beside a code in digits spells no brand.
    assert not score(make, rules, "Bộ lọc nước Lelit 4L0 cho máy pha cà phê", 350_000).flagged


def test_leet_letters_reads_digits_as_letters_only_when_letters_remain() -> None:
    assert leet_letters("r0yal") == "royal"
    assert leet_letters("tp-") is None
    assert leet_letters("2kg") is None  # "2" stands for no letter


def test_one_brief_is_priced_as_one_and_a_pack_as_its_pieces(make: MakeListing, rules: RuleSet) -> None:
    title = "Quần lót nam Calvin Klein boxer cotton"
    assert "price.below_reference" not in codes(score(make, rules, title, 290_000))
    cheap = score(make, rules, title, 180_000)
    assert "price.below_reference" in codes(cheap) and cheap.flagged
    # Five pieces: 249k is 50k a piece; the genuine five-pack costs about 2M.
    for title in ("Combo 5 quần lót Calvin Klein thun lạnh", "Combo 5 quần boxer Calvin Klein thun lạnh"):
        pack = score(make, rules, title, 249_000)
        assert "price.below_reference" in codes(pack) and pack.flagged, title
    assert "price.below_reference" not in codes(score(make, rules, "Combo 5 quần lót Calvin Klein cotton", 1_990_000))
    assert "price.below_reference" not in codes(score(make, rules, "Set 3 quần lót nam Calvin Klein brief", 990_000))
