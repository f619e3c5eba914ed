"""detectors.textnorm: folding and brand-matching token streams."""

from __future__ import annotations

import pytest

from detectors.textnorm import brand_tokens, fold, has_vietnamese_marks, tokens


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Sữa Bột Đặc Biệt", "sua bot dac biet"),
        ("ＮＩＫＥ", "nike"),  # fullwidth
        ("Nik\u200be", "nike"),  # zero-width space inside the word
        ("Nikе", "nike"),  # Cyrillic е
        ("Аdidas", "adidas"),  # Cyrillic А
        ("Nikę", "nike"),
        ("  hàng   rep  1:1 ", "hang rep 1:1"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_fold_keeps_leetspeak_digits() -> None:
    # Leetspeak is decoded only for brand matching; "1" in a price or size stays a digit.
    assert fold("N1ke 150k") == "n1ke 150k"


def test_tokens_split_punctuation() -> None:
    assert tokens("Giày Nike-Air/Force") == ["giay", "nike", "air", "force"]


def test_dotted_letters_are_glued_for_matching() -> None:
    assert ("giay", "nike") in brand_tokens("Giày N.i.k.e").variants


def test_spaced_letters_are_glued_for_matching() -> None:
    assert ("nike", "af1") in brand_tokens("N i k e AF1").variants


def test_leetspeak_decoded_for_matching() -> None:
    assert any("nike" in v for v in brand_tokens("N1ke air").variants)


def test_units_are_not_leetspeak() -> None:
    # "1g" must not become "ig" / "lg" (LG).
    assert all("lg" not in v for v in brand_tokens("Cân 1g - 5kg").variants)


def test_disguised_token_keeps_its_raw_form() -> None:
    assert brand_tokens("Giày Nikę").disguised["nike"] == "nikę"


def test_vietnamese_marks_detected() -> None:
    assert has_vietnamese_marks("Giày thể thao") and not has_vietnamese_marks("Giay the thao")
