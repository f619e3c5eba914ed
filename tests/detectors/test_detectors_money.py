"""detectors.money: the one price parser and VND formatter (properties over the formats)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.money import PriceError, parse_price, vnd, vnd_vi
from rules.loader import load_rules

# Load the rules (the parser's words) once, before any example runs: loading takes longer
# than hypothesis's per-example deadline, parsing does not.
load_rules()

# No hypothesis deadlines: timing is not the property, and a loaded test machine is slow.
amounts = st.integers(min_value=0, max_value=10**12)
currency_suffixes = st.sampled_from(["", "₫", " ₫", "đ", " đ", " VND", " VNĐ", " vnđ", "d", " đồng"])


def grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@settings(deadline=None)
@given(amounts, st.sampled_from([".", ","]), currency_suffixes)
def test_grouped_prices_with_any_currency_mark(n: int, sep: str, suffix: str) -> None:
    # "1.250.000₫", "7,490,000 VND", "389.000 đ"
    assert parse_price(grouped(n, sep) + suffix) == n


@settings(deadline=None)
@given(amounts)
def test_leading_dong_sign(n: int) -> None:
    assert parse_price("₫" + grouped(n, ".")) == n  # as Lazada shows it


@settings(deadline=None)
@given(amounts)
def test_formatters_round_trip(n: int) -> None:
    assert parse_price(vnd(n)) == n
    assert parse_price(vnd_vi(n)) == n


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=999_999), st.sampled_from(["k", "K", " k", "k ", " nghìn", " ngàn"]))
def test_thousands(n: int, unit: str) -> None:
    assert parse_price(f"{n}{unit}") == n * 1000  # "99k"


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=999), st.text(alphabet="0123456789", max_size=3),
       st.sampled_from(["tr", "Tr", "triệu", " triệu "]))
def test_millions_with_decimal_digits_after_the_unit(whole: int, frac: str, unit: str) -> None:
    # "1tr2" = 1.2 million, "1tr250" = 1.25 million, "2 triệu" = 2 million
    expected = int((Decimal(whole) + (Decimal("0." + frac) if frac else Decimal(0))) * 1_000_000)
    assert parse_price(f"{whole}{unit}{frac}".strip()) == expected


@settings(deadline=None)
@given(amounts, amounts, st.sampled_from([" - ", "-", " – ", " ~ ", " đến "]), currency_suffixes)
def test_ranges_give_the_lower_bound(a: int, b: int, separator: str, suffix: str) -> None:
    # "350.000 đ - 420.000 đ" -> 350000, whichever order the seller wrote them in
    text = grouped(a, ".") + suffix + separator + grouped(b, ".") + suffix
    assert parse_price(text) == min(a, b)


@settings(deadline=None)
@given(st.sampled_from(["Liên hệ", "LIÊN HỆ", "liên hệ shop", "LH", "Inbox", "ib", "Thỏa thuận", "Đang cập nhật"]))
def test_ask_the_seller_is_none(text: str) -> None:
    assert parse_price(text) is None


@settings(deadline=None)
@given(st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False))
def test_numbers_round_to_whole_vnd(value: float) -> None:
    assert parse_price(value) == round(value)


@settings(deadline=None)
@given(st.text(alphabet="abcxyzQWERTY!?", min_size=1, max_size=12))
def test_words_are_not_prices(text: str) -> None:
    try:
        result = parse_price(text)
    except PriceError as exc:
        assert repr(text) in str(exc)
    else:
        assert result is None  # only the "ask the seller" words may pass


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1tr2", 1_200_000), ("99k", 99_000), ("1.250.000₫", 1_250_000), ("7,490,000 VND", 7_490_000),
     ("350.000 đ - 420.000 đ", 350_000), ("Liên hệ", None)],
)
def test_the_formats_of_the_issue(raw: str, expected: int | None) -> None:
    assert parse_price(raw) == expected


def test_formatters() -> None:
    assert vnd(1_250_000) == "1,250,000 VND"
    assert vnd_vi(1_250_000) == "1.250.000 ₫"
    assert vnd(1_249_999.6) == "1,250,000 VND"
