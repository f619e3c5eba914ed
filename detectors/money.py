"""Money as Vietnamese sellers and pages write it: the one price parser and VND formatter.

Every layer reads prices through `parse_price` (crawler extractors, `pipeline.normalize`,
`listingwatch score`), so "1tr2" means 1,200,000 VND everywhere. It is pure: a string in,
whole VND out, with the words it needs ("triệu", "k", "Liên hệ", "₫", range separators)
from `rules/normalize.yaml`. What it cannot read raises `PriceError`; it never guesses.
Platform units (Shopee's VND x 100000) stay the extractor's business.

`vnd` and `vnd_vi` print amounts for people: "1,250,000 VND" in English, "1.250.000 ₫" as
Vietnamese shops print them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, cast

from price_parser import Price

from detectors.textnorm import fold

if TYPE_CHECKING:
    from rules.loader import RuleSet


class PriceError(ValueError):
    """A price string that is neither a price nor a known "ask the seller" phrase."""

    def __init__(self, value: object, reason: str = "not a price") -> None:
        self.value = value
        super().__init__(f"cannot read price {value!r}: {reason}")


@dataclass(frozen=True)
class _PriceWords:
    on_request: frozenset[str]
    million: re.Pattern[str]
    thousand: re.Pattern[str]
    unit_million: frozenset[str]
    unit_thousand: frozenset[str]
    currency: re.Pattern[str]
    ranges: re.Pattern[str]
    prefixes: re.Pattern[str] | None
    currency_words: frozenset[str]


_compiled: dict[str, _PriceWords] = {}


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _words(rules: RuleSet) -> _PriceWords:
    hit = _compiled.get(rules.version)
    if hit is not None:
        return hit
    n = rules.normalize
    million = [fold(w) for w in n.million_units]
    thousand = [fold(w) for w in n.thousand_units]
    currency = sorted({fold(w) for w in n.currency_marks} | {w.lower() for w in n.currency_marks}, key=len, reverse=True)
    separators = [fold(s) for s in n.range_separators if fold(s).strip() != ""] or ["-"]
    words = _PriceWords(
        on_request=frozenset(fold(w) for w in n.price_on_request),
        million=re.compile(r"^(\d+(?:[.,]\d+)?)\s*(?:" + _alternation(million) + r")\s*(\d*)$"),
        thousand=re.compile(r"^(\d+(?:[.,]\d+)?)\s*(?:" + _alternation(thousand) + r")$"),
        unit_million=frozenset(million),
        unit_thousand=frozenset(thousand),
        currency=re.compile(r"(?:" + _alternation(currency) + r")\.?\s*$|^\s*(?:" + _alternation(currency) + r")\s*"),
        ranges=re.compile(r"\s*(?:" + _alternation(separators) + r")\s*"),
        prefixes=None if not n.price_prefixes else re.compile(
            r"^(?:" + _alternation([fold(p) for p in n.price_prefixes]) + r")\s*:?\s+"),
        currency_words=frozenset(currency),
    )
    _compiled[rules.version] = words
    return words


_PER_UNIT = re.compile(r"\s*/\s*[a-z ]{1,12}$")  # "350.000đ/hộp": the price per box
_GROUPED = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*(?:[.,]0{1,2})?$")
_PLAIN = re.compile(r"^\d+$")
_PLAIN_DECIMAL_ZERO = re.compile(r"^(\d+)[.,]0{1,2}$")


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def _amount(text: str, w: _PriceWords, raw: object) -> int | None:
    """One price without a range: plain, grouped or with a unit (tr, triệu, k, nghìn)."""
    text = text.strip()
    if text in w.on_request:
        return None
    if w.prefixes is not None:
        text = w.prefixes.sub("", text)
    text = _PER_UNIT.sub("", text)
    text = w.currency.sub("", text).strip()
    text = re.sub(r"(?<=\d)\s+(?=\d{3}\b)", "", text)  # "1 250 000"
    if text == "":
        raise PriceError(raw, "no digits")
    if _PLAIN.match(text):
        return int(text)
    m = _PLAIN_DECIMAL_ZERO.match(text)
    if m is not None:
        return int(m.group(1))
    if _GROUPED.match(text):
        digits = re.sub(r"[.,]0{1,2}$", "", text) if re.search(r"[.,]\d{3}[.,]0{1,2}$", text) else text
        return int(re.sub(r"[.,]", "", digits))
    m = w.million.match(text)
    if m is not None:
        # "1tr2" = 1.2 million, "1tr250" = 1.25 million, "1 triệu 2" likewise: the digits
        # after the unit are the decimal part. "1 triệu 200k" is handled below.
        whole = _decimal(m.group(1))
        frac = m.group(2)
        value = whole + (Decimal("0." + frac) if frac else Decimal(0))
        return int(value * 1_000_000)
    # "1 triệu 200k" / "1tr 200 nghìn": millions plus an explicit thousands part.
    parts = re.match(r"^(\d+(?:[.,]\d+)?)\s*(\S+)\s+(\d+)\s*(\S+)$", text)
    if parts is not None and parts.group(2) in w.unit_million and parts.group(4) in w.unit_thousand:
        return int(_decimal(parts.group(1)) * 1_000_000 + int(parts.group(3)) * 1000)
    m = w.thousand.match(text)
    if m is not None:
        return int(_decimal(m.group(1)) * 1000)
    raise PriceError(raw)


def parse_price(raw: object, rules: RuleSet | None = None) -> int | None:
    """Whole VND from an int, float or a seller-written string; None for "ask the seller".

    Examples: "1.250.000₫" -> 1250000, "1,250,000 đ" -> 1250000, "7,490,000 VND" -> 7490000,
    "1tr2" -> 1200000, "1 triệu 2" -> 1200000, "150k" -> 150000, "2.5tr" -> 2500000,
    "350.000 đ - 420.000 đ" -> 350000 (lower bound), "Liên hệ" / "LH" / "" -> None.
    Raises `PriceError` naming the value for anything else. `rules` defaults to the
    loaded rule set (`rules/normalize.yaml` holds the words)."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise PriceError(raw, "a boolean is not a price")
    if isinstance(raw, int):
        if raw < 0:
            raise PriceError(raw, "negative")
        return raw
    if isinstance(raw, float | Decimal):
        value = float(raw)
        if math.isnan(value) or math.isinf(value) or value < 0:
            raise PriceError(raw, "not a finite non-negative number")
        return round(value)
    if not isinstance(raw, str):
        raise PriceError(raw, f"unsupported type {type(raw).__name__}")
    if rules is None:
        from rules.loader import load_rules  # at call time: rules.loader imports detectors.textnorm

        rules = load_rules()
    # Sellers write the same few price strings ("150k", "1.250.000₫") over and over; a price
    # string is read once per rule set (only readable ones are kept: errors raise each time).
    key = (rules.version, raw)
    hit = _price_strings.get(key, _UNREAD)
    if hit is not _UNREAD:
        return cast("int | None", hit)
    amount = _parse_price_text(raw, rules)
    if len(_price_strings) >= _PRICE_STRINGS_MAX:
        _price_strings.clear()
    _price_strings[key] = amount
    return amount


_UNREAD = object()
_PRICE_STRINGS_MAX = 20_000  # bounded so memory stays flat however long the input
_price_strings: dict[tuple[str, str], object] = {}


def _parse_price_text(raw: str, rules: RuleSet) -> int | None:
    """`parse_price` of a string."""
    w = _words(rules)
    text = fold(raw).strip()
    if text == "" or text in w.on_request:
        return None
    foreign = Price.fromstring(raw).currency
    if foreign is not None and fold(foreign) not in w.currency_words:
        # "$25" or "25 USD" is not 25 VND; converting would be a guess.
        raise PriceError(raw, f"currency {foreign!r} is not VND")
    text = w.prefixes.sub("", text) if w.prefixes is not None else text
    if text in w.on_request:
        return None
    # A range: the lower bound is what the cheapest variant costs.
    pieces = [p for p in w.ranges.split(text) if p.strip() != ""]
    if len(pieces) > 1:
        amounts = [_amount(p, w, raw) for p in pieces]
        known = [a for a in amounts if a is not None]
        return min(known) if known else None
    try:
        return _amount(text, w, raw)
    except (InvalidOperation, ValueError) as exc:
        if isinstance(exc, PriceError):
            raise
        raise PriceError(raw) from None


def vnd(amount: float) -> str:
    """1250000 -> '1,250,000 VND' (English texts: signal details, logs)."""
    return f"{round(amount):,} VND"


def vnd_vi(amount: float) -> str:
    """1250000 -> '1.250.000 ₫', as Vietnamese shops and reports print prices."""
    return f"{round(amount):,}".replace(",", ".") + " ₫"
