"""Filter dodges found at the seventeenth detector pass (2026-12-06, fourth session), from the
real Shopee fashion misses: a famous name in leetspeak with a letter changed, and a famous name
typed with its letters doubled."""

from __future__ import annotations

from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import MakeListing, codes, score


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
