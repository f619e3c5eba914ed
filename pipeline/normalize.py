"""Raw records -> the normalized listing record (DESIGN §3.1, §4.2).

Sellers write prices as "1.250.000₫", "1tr2", "150k" or "Liên hệ"; platforms give ids as
numbers and blanks as ""; provinces come as "TP. Hồ Chí Minh", "HCM" or "Ho Chi Minh
City". Everything here turns those into one shape, strictly: what cannot be read raises
(`PriceError`, `RecordError`) instead of becoming a guess. The word lists live in
`rules/normalize.yaml` and `rules/provinces.yaml`. Prices are read by the project's one
price parser, `detectors.money.parse_price` (re-exported here with `PriceError`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from detectors.money import PriceError, parse_price
from detectors.textnorm import fold
from rules.loader import RuleSet, load_rules
from rules.record import Listing

__all__ = [
    "PriceError",
    "RecordError",
    "canonical_province",
    "clean_gtin",
    "normalize_raw",
    "parse_price",
    "to_listing",
]


class RecordError(ValueError):
    """A record that cannot become a `Listing`; `field` is the dotted path (`seller.id`)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class _Words:
    gtin_placeholders: frozenset[str]
    provinces: dict[str, str]
    strip_prefixes: re.Pattern[str] | None


_compiled: dict[str, _Words] = {}


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _province_key(text: str, strip: re.Pattern[str] | None) -> str:
    key = " ".join(re.split(r"[^0-9a-z]+", fold(text))).strip()
    if strip is not None:
        key = strip.sub("", key).strip()
    return key


def _words(rules: RuleSet) -> _Words:
    hit = _compiled.get(rules.version)
    if hit is not None:
        return hit
    strip_words = [fold(w) for w in rules.provinces.strip_prefixes]
    strip = None if not strip_words else re.compile(r"^(?:(?:" + _alternation(strip_words) + r")\s+)+")
    provinces: dict[str, str] = {}
    for prov in rules.provinces.provinces:
        for name in (prov.name, *prov.aliases):
            provinces.setdefault(_province_key(name, strip), prov.name)
            provinces.setdefault(_province_key(name, None), prov.name)
    words = _Words(
        gtin_placeholders=frozenset(fold(w) for w in rules.normalize.gtin_placeholders),
        provinces=provinces,
        strip_prefixes=strip,
    )
    _compiled[rules.version] = words
    return words


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
_GTIN_SYNONYMS = ("barcode", "ean", "ean13", "upc")
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
    for other in _GTIN_SYNONYMS:
        # Shop exports and hand-written files name the field as shops do ("barcode", "ean"):
        # read it as the GTIN rather than drop the evidence; `gtin` itself wins when given. Only
        # a plain value is read so: anything else under those names is left as it was (ignored).
        value = out.get(other)
        if out.get("gtin") is None and isinstance(value, (str, int)) and not isinstance(value, bool):
            out["gtin"] = out.pop(other)
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
