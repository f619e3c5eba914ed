"""Raw records -> the normalized listing record (DESIGN §3.1, §4.2).

Sellers write prices as "1.250.000₫", "1tr2", "150k" or "Liên hệ"; platforms give ids as
numbers and blanks as ""; provinces come as "TP. Hồ Chí Minh", "HCM" or "Ho Chi Minh
City". Everything here turns those into one shape, strictly: what cannot be read raises
(`PriceError`, `RecordError`) instead of becoming a guess. The word lists live in
`rules/normalize.yaml` and `rules/provinces.yaml`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from price_parser import Price
from pydantic import ValidationError

from detectors.record import Listing
from detectors.textnorm import fold
from rules.loader import RuleSet, load_rules


class PriceError(ValueError):
    """A price string that is neither a price nor a known "ask the seller" phrase."""

    def __init__(self, value: object, reason: str = "not a price") -> None:
        self.value = value
        super().__init__(f"cannot read price {value!r}: {reason}")


class RecordError(ValueError):
    """A record that cannot become a `Listing`; `field` is the dotted path (`seller.id`)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


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
    gtin_placeholders: frozenset[str]
    currency_words: frozenset[str]
    provinces: dict[str, str]
    strip_prefixes: re.Pattern[str] | None


_compiled: dict[str, _PriceWords] = {}


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _province_key(text: str, strip: re.Pattern[str] | None) -> str:
    key = " ".join(re.split(r"[^0-9a-z]+", fold(text))).strip()
    if strip is not None:
        key = strip.sub("", key).strip()
    return key


def _words(rules: RuleSet) -> _PriceWords:
    hit = _compiled.get(rules.version)
    if hit is not None:
        return hit
    n = rules.normalize
    million = [fold(w) for w in n.million_units]
    thousand = [fold(w) for w in n.thousand_units]
    currency = sorted({fold(w) for w in n.currency_marks} | {w.lower() for w in n.currency_marks}, key=len, reverse=True)
    strip_words = [fold(w) for w in rules.provinces.strip_prefixes]
    strip = None if not strip_words else re.compile(r"^(?:(?:" + _alternation(strip_words) + r")\s+)+")
    provinces: dict[str, str] = {}
    for prov in rules.provinces.provinces:
        for name in (prov.name, *prov.aliases):
            provinces.setdefault(_province_key(name, strip), prov.name)
            provinces.setdefault(_province_key(name, None), prov.name)
    words = _PriceWords(
        on_request=frozenset(fold(w) for w in n.price_on_request),
        million=re.compile(r"^(\d+(?:[.,]\d+)?)\s*(?:" + _alternation(million) + r")\s*(\d*)$"),
        thousand=re.compile(r"^(\d+(?:[.,]\d+)?)\s*(?:" + _alternation(thousand) + r")$"),
        unit_million=frozenset(million),
        unit_thousand=frozenset(thousand),
        currency=re.compile(r"(?:" + _alternation(currency) + r")\.?\s*$|^\s*(?:" + _alternation(currency) + r")\s*"),
        ranges=re.compile(r"\s*(?:" + _alternation([fold(s) for s in n.range_separators if fold(s).strip() != ""] or ["-"])
                          + r")\s*"),
        prefixes=None if not n.price_prefixes else re.compile(
            r"^(?:" + _alternation([fold(p) for p in n.price_prefixes]) + r")\s*:?\s+"),
        gtin_placeholders=frozenset(fold(w) for w in n.gtin_placeholders),
        currency_words=frozenset(currency),
        provinces=provinces,
        strip_prefixes=strip,
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

    Examples: "1.250.000₫" -> 1250000, "1,250,000 đ" -> 1250000, "1tr2" -> 1200000,
    "1 triệu 2" -> 1200000, "150k" -> 150000, "2.5tr" -> 2500000,
    "350.000 đ - 420.000 đ" -> 350000 (lower bound), "Liên hệ" / "LH" / "" -> None.
    Raises `PriceError` naming the value for anything else."""
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
    rules = rules if rules is not None else load_rules()
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


def clean_gtin(raw: object, rules: RuleSet | None = None) -> str | None:
    """Digits only; placeholders ("N/A", "Đang cập nhật") become None. Anything else that
    is not digits is kept as written so the barcode detector reports it as invalid rather
    than losing the evidence."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise RecordError("gtin", "a boolean is not a barcode")
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        if raw.is_integer() and raw >= 0:
            return str(int(raw))
        raise RecordError("gtin", f"{raw!r} is not a barcode")
    if not isinstance(raw, str):
        raise RecordError("gtin", f"unsupported type {type(raw).__name__}")
    w = _words(rules if rules is not None else load_rules())
    text = raw.strip()
    if fold(text) in w.gtin_placeholders:
        return None
    compact = re.sub(r"[\s\-.]", "", text)
    return compact if compact != "" else None


def canonical_province(raw: str | None, rules: RuleSet | None = None) -> str | None:
    """"TP. Hồ Chí Minh" / "HCM" / "Ho Chi Minh City" -> "Hồ Chí Minh"; unknown names are
    returned unchanged (trimmed), never guessed."""
    if raw is None:
        return None
    text = raw.strip()
    if text == "":
        return None
    w = _words(rules if rules is not None else load_rules())
    for key in (_province_key(text, w.strip_prefixes), _province_key(text, None)):
        found = w.provinces.get(key)
        if found is not None:
            return found
    return text


def _blank_to_none(value: object) -> object:
    if isinstance(value, str):
        stripped = value.strip()
        return None if stripped == "" else stripped
    return value


_ID_FIELDS = ("listing_id",)
_SELLER_ID_FIELDS = ("id", "business_id", "phone")


def normalize_raw(obj: Mapping[str, Any], rules: RuleSet | None = None) -> dict[str, Any]:
    """A raw record -> the §3.1 dict: prices in whole VND, GTIN digits, ids as strings,
    blanks as None, province names canonical. Raises `RecordError` for unreadable fields."""
    if not isinstance(obj, Mapping):
        raise RecordError("", f"expected a JSON object, got {type(obj).__name__}")
    rules = rules if rules is not None else load_rules()
    out: dict[str, Any] = {k: _blank_to_none(v) for k, v in obj.items()}
    for key in ("price", "list_price"):
        if key in out:
            try:
                out[key] = parse_price(out[key], rules)
            except PriceError as exc:
                raise RecordError(key, str(exc)) from None
    if "gtin" in out:
        out["gtin"] = clean_gtin(out["gtin"], rules)
    for key in _ID_FIELDS:
        value = out.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            out[key] = str(value)
    seller = out.get("seller")
    if seller is None:
        out["seller"] = {}
    elif isinstance(seller, Mapping):
        s = {k: _blank_to_none(v) for k, v in seller.items()}
        for key in _SELLER_ID_FIELDS:
            value = s.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                s[key] = str(value)
        location = s.get("location")
        if isinstance(location, str):
            s["location"] = canonical_province(location, rules)
        out["seller"] = s
    else:
        raise RecordError("seller", f"expected an object, got {type(seller).__name__}")
    images = out.get("images")
    if images is None:
        out["images"] = []
    elif isinstance(images, str):
        out["images"] = [images]
    return out


def to_listing(obj: Mapping[str, Any], rules: RuleSet | None = None) -> Listing:
    """Normalize and validate; `RecordError(field, message)` names the first bad field."""
    data = normalize_raw(obj, rules)
    try:
        return Listing.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise RecordError(field, first["msg"]) from None
