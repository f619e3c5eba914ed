"""Helpers shared by the extractors: strict number parsing, JSON loading.

Prices go through `detectors.money.parse_price`, the one price parser of the project."""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import lxml.html

from detectors.money import PriceError, parse_price
from rules.record import Listing, Seller

#: `Listing.category` joins the path with this, leaf last (the demo catalog writes it the same way).
CATEGORY_SEPARATOR = " > "


class ExtractionError(ValueError):
    """The body at ``url`` is not what the extractor expected; nothing was guessed."""

    def __init__(self, url: str, expected: str, message: str) -> None:
        super().__init__(f"{url}: expected {expected}: {message}")
        self.url = url
        self.expected = expected
        self.message = message

    def to_item(self) -> dict[str, dict[str, str]]:
        """The spider item that stands for this error (the pipeline stores it as evidence)."""
        return {"extraction_error": {"url": self.url, "expected": self.expected, "message": self.message}}


def decode_body(body: bytes | str) -> str:
    """Text of a body; bytes are UTF-8 (every platform we read serves UTF-8)."""
    if isinstance(body, str):
        return body.removeprefix("\ufeff")
    return body.decode("utf-8", errors="replace").removeprefix("\ufeff")


def looks_like_json(text: str) -> bool:
    """True when the body starts like a JSON object or array (how we tell API from HTML)."""
    stripped = text.lstrip()
    return stripped.startswith("{") or stripped.startswith("[")


def load_json(text: str, url: str, expected: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExtractionError(url, expected, f"invalid JSON: {exc}") from exc
    except RecursionError:
        raise ExtractionError(url, expected, "JSON nested too deeply to read") from None


def require_dict(value: object, url: str, expected: str, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ExtractionError(url, expected, f"{where} is {type(value).__name__}, not an object")
    return value


def as_int(value: object, url: str, expected: str, field: str) -> int | None:
    """An integer field: ints, integral floats and digit strings; ``None`` stays ``None``."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ExtractionError(url, expected, f"{field} is a boolean, not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ExtractionError(url, expected, f"{field} {value!r} is not a whole number")
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
        return int(value)
    raise ExtractionError(url, expected, f"{field} {value!r} is not a whole number")


def as_decimal(value: object, url: str, expected: str, field: str) -> Decimal | None:
    """A schema.org-style number ('147000', '147000.00', 147000); ``None`` stays ``None``."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ExtractionError(url, expected, f"{field} is a boolean, not a number")
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ExtractionError(url, expected, f"{field} {value!r} is not a number") from None
    raise ExtractionError(url, expected, f"{field} {value!r} is not a number")


def as_float(value: object, url: str, expected: str, field: str) -> float | None:
    number = as_decimal(value, url, expected, field)
    return None if number is None else float(number)


def whole_vnd(value: object, url: str, expected: str, field: str) -> int | None:
    """A price written as a number or numeric string ("123000", "123000.00"), in whole VND.

    The string is a machine number (a '.' is a decimal point, not a thousands separator as
    in `display_price`); the number is rounded by the project's one price parser."""
    number = as_decimal(value, url, expected, field)
    if number is None:
        return None
    if number < 0:
        raise ExtractionError(url, expected, f"{field} {value!r} is negative")
    try:
        return parse_price(float(number))
    except PriceError as exc:
        raise ExtractionError(url, expected, f"{field}: {exc}") from None


def as_str(value: object) -> str | None:
    """A string field, stripped; blanks and non-strings (except numbers) are missing."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        stripped = value.strip()
        return stripped if stripped != "" else None
    return None


GTIN_RE = re.compile(r"\d{8}|\d{12,14}")


def gtin_from_code(code: str | None) -> str | None:
    """A product code that has a GTIN's shape (8, 12, 13 or 14 digits), kept as written.

    The check digit is not verified here: a wrong one is evidence for the barcode detector.
    """
    if code is None:
        return None
    code = code.strip()
    return code if GTIN_RE.fullmatch(code) else None


def html_to_text(html: str | None) -> str | None:
    """Plain text of an HTML fragment (descriptions), whitespace collapsed."""
    if html is None or html.strip() == "":
        return None
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    text = " ".join(root.text_content().split())
    return text if text != "" else None


def display_price(text: str, url: str, expected: str, field: str) -> int | None:
    """A price as a page displays it ('111.720 ₫', '389.000đ', '1,250,000 VND', '1tr2',
    '350.000 đ - 420.000 đ' -> the lower bound), read by the project's one price parser;
    ``None`` for "Liên hệ". Text that is not a price is an `ExtractionError`, not a guess."""
    try:
        return parse_price(text)
    except PriceError as exc:
        raise ExtractionError(url, expected, f"{field}: {exc}") from None


_COUNT_RE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(k|tr|triệu|m)?\+?", re.IGNORECASE)


def parse_display_count(text: str) -> int | None:
    """A displayed count: 'Đã bán 2326', 'Đã bán 2k' (2000), '1,2k' (1200), '5.5tr' (5500000).

    Abbreviated counts are what the page displays (a lower bound); that is the unit of
    `Listing.sold`.
    """
    match = _COUNT_RE.search(text)
    if match is None:
        return None
    number, unit = match.group(1), (match.group(2) or "").lower()
    if unit == "":
        return int(re.sub(r"[.,]", "", number))
    value = Decimal(number.replace(",", "."))
    scale = 1000 if unit == "k" else 1_000_000
    return int(value * scale)


def merge_seller(listing: Listing, seller: Seller) -> Listing:
    """The listing with a seller profile's facts filled in (the profile wins where it speaks)."""
    current = listing.seller.model_dump()
    for key, value in seller.model_dump().items():
        if value is not None:
            current[key] = value
    return listing.model_copy(update={"seller": Seller(**current)})


#: Decree 85/2021 identity as shops write it: tax / business registration number, phone, address.
TAX_RE = re.compile(
    r"(?:\bMST\b|Mã\s*số\s*thuế|Mã\s*số\s*doanh\s*nghiệp|GPĐKKD|Số\s*ĐKKD|ĐKKD)\s*(?:số)?\s*[:：]?\s*"
    r"(\d{10}(?:-\d{3})?)",
    re.IGNORECASE,
)
PHONE_RE = re.compile(
    r"(?:Điện\s*thoại|Hotline|SĐT|\bĐT\b|\bTel\b|Phone)(?:\s*/\s*(?:Hotline|Zalo|Điện\s*thoại))?\s*[:：]\s*"
    r"(\+?\d[\d .\-]{6,}\d)",
    re.IGNORECASE,
)
ADDRESS_RE = re.compile(r"Địa\s*chỉ(?:\s*trụ\s*sở)?\s*[:：]\s*([^\n|]+)", re.IGNORECASE)


def identity_from_text(text: str) -> tuple[str | None, str | None, str | None]:
    """(business id, phone, address) a seller displays in free text ("MST: ...", "Hotline: ...")."""
    tax = TAX_RE.search(text)
    phone = PHONE_RE.search(text)
    address = ADDRESS_RE.search(text)
    return (
        tax.group(1) if tax is not None else None,
        re.sub(r"[ .\-]", "", phone.group(1)) if phone is not None else None,
        address.group(1).strip() if address is not None else None,
    )
