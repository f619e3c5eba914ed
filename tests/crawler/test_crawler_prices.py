"""Extractors read displayed prices with the project's one parser (`detectors.money`)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.extractors._common import ExtractionError, display_price, whole_vnd
from crawler.extractors.facebook import price_in_text
from detectors.money import parse_price
from pipeline.normalize import parse_price as normalize_parse_price

# No hypothesis deadlines: timing is not the property, and a loaded test machine is slow.
URL = "https://example.test/p"


@pytest.mark.parametrize(
    "text", ["111.720 ₫", "389.000", "₫1.250.000", "1,250,000 VND", "1tr2", "99k", "350.000 đ - 420.000 đ", "Liên hệ"]
)
def test_display_prices_agree_with_normalization(text: str) -> None:
    assert display_price(text, URL, "a page", "price") == parse_price(text) == normalize_parse_price(text)


def test_the_two_former_parsers_no_longer_disagree() -> None:
    assert display_price("1tr2", URL, "a page", "price") == 1_200_000  # was 12
    assert display_price("350.000 đ - 420.000 đ", URL, "a page", "price") == 350_000  # was 350000420000


def test_unreadable_display_price_is_an_extraction_error() -> None:
    with pytest.raises(ExtractionError, match="price"):
        display_price("giá tốt", URL, "a page", "price")


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_machine_numbers_are_whole_vnd(n: int) -> None:
    assert whole_vnd(n, URL, "an API", "price") == n
    assert whole_vnd(f"{n}.00", URL, "an API", "price") == n
    assert whole_vnd(float(n), URL, "an API", "price") == n


def test_facebook_posts_use_the_same_parser() -> None:
    assert price_in_text("Sữa Ensure giá sỉ 1tr2 ship toàn quốc") == 1_200_000
