"""Identifiers that tie a seller to a person, normalized so that the same one matches however
a seller writes it (issue 16, seller networks).

"0912 345 678", "+84 912.345.678" and "84912345678" are one phone number; "P. Đồng Tâm,
Q. Hai Bà Trưng, TP. Hà Nội" and "phường Đồng Tâm, quận Hai Bà Trưng, Hà Nội" one address.
Each function returns a comparison key, or None when the value cannot identify anyone (too
short, not a valid number): a bad key would link strangers, a missing one only misses a link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import phonenumbers

from detectors.textnorm import fold
from rules.networks import AddressRules, NetworksFile, TextIdentifierRules

_WORD = re.compile(r"[a-z0-9]+")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
# A phone as sellers print it: digits with spaces, dots or dashes, optionally +84 / 84.
_PHONE_TEXT = r"(\+?\d[\d .\-]{7,16}\d)"


def phone_key(raw: str | None, region: str) -> str | None:
    """E.164 form of a valid phone number ("+84912345678"), else None."""
    if raw is None:
        return None
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def business_id_key(raw: str | None) -> str | None:
    """A Vietnamese tax / business registration number: 10 digits, or 10 + a 3-digit branch."""
    if raw is None:
        return None
    digits = re.sub(r"\D", "", raw)
    return digits if len(digits) in (10, 13) else None


def email_key(raw: str | None) -> str | None:
    if raw is None:
        return None
    found = _EMAIL.fullmatch(raw.strip())
    return None if found is None else found.group(0).lower()


def address_key(raw: str | None, rules: AddressRules) -> str | None:
    """Folded words of an address with abbreviations written out and filler words dropped.

    Comma-separated parts that repeat (a shop page that prints the province after an address
    that already ends with it) count once, so "…, TP. Hà Nội, Hà Nội" equals "…, Hà Nội". An
    address without a street part with a house number ("Quận 7, TP. HCM") is an area: None."""
    if raw is None:
        return None
    drop = {tuple(_WORD.findall(fold(w))) for w in rules.drop_words}
    abbreviations = {fold(k): fold(v) for k, v in rules.abbreviations.items()}
    parts: list[str] = []
    for segment in fold(raw).split(","):
        words: list[str] = []
        for word in _WORD.findall(segment):
            words.extend(abbreviations.get(word, word).split())
        words = _drop_phrases(words, drop)
        # "thanh pho" is the kind of place, which one writer gives and another leaves out.
        words = _drop_phrases(words, {("thanh", "pho"), ("tinh",)})
        text = " ".join(words)
        if text != "" and text not in parts:
            parts.append(text)
    key = " ".join(parts)
    areas = {tuple(_WORD.findall(fold(w))) for w in rules.area_words}
    premises = any(
        any(ch.isdigit() for ch in part) and not any(tuple(part.split()[: len(a)]) == a for a in areas)
        for part in parts
    )
    return key if premises and len(key.split()) >= rules.min_words else None


def _drop_phrases(words: list[str], phrases: set[tuple[str, ...]]) -> list[str]:
    out: list[str] = []
    i = 0
    longest = sorted(phrases, key=len, reverse=True)
    while i < len(words):
        for phrase in longest:
            if phrase and tuple(words[i : i + len(phrase)]) == phrase:
                i += len(phrase)
                break
        else:
            out.append(words[i])
            i += 1
    return out


def emails_in(text: str) -> Iterator[str]:
    for found in _EMAIL.finditer(text):
        yield found.group(0).lower()


def zalo_numbers_in(text: str, rules: TextIdentifierRules, region: str) -> Iterator[str]:
    """Phone numbers printed after a Zalo keyword ("Zalo: 0912.345.678"), in E.164."""
    for number in _after_keywords(fold(text), rules.zalo_keywords, _PHONE_TEXT):
        key = phone_key(number, region)
        if key is not None:
            yield key


def bank_accounts_in(text: str, rules: TextIdentifierRules) -> Iterator[str]:
    """Account numbers printed after a bank keyword ("STK 0123 456 789 Vietcombank"), digits only."""
    low, high = rules.bank_account_digits
    for number in _after_keywords(fold(text), rules.bank_keywords, r"(\d[\d .\-]{4,24}\d)"):
        digits = re.sub(r"\D", "", number)
        if low <= len(digits) <= high:
            yield digits


def _after_keywords(folded: str, keywords: Iterable[str], value: str) -> Iterator[str]:
    words = "|".join(re.escape(fold(k)) for k in sorted(keywords, key=len, reverse=True))
    # The keyword must stand alone ("tk" in "tkxyz" is not one); a colon or a dash may follow.
    pattern = re.compile(rf"(?<![a-z0-9])(?:{words})(?![a-z0-9])\s*[:\-.]?\s*{value}")
    for found in pattern.finditer(folded):
        yield found.group(1)


def name_key(name: str | None, generic: Iterable[str]) -> str:
    """The distinctive words of a shop name: folded, generic words ("shop", "chính hãng",
    province names) removed. Empty when nothing distinctive is left."""
    if name is None:
        return ""
    phrases = {tuple(_WORD.findall(fold(g))) for g in generic}
    return " ".join(_drop_phrases(_WORD.findall(fold(name)), phrases))


def text_key(text: str | None) -> str:
    """A listing text as a fingerprint: folded, whitespace collapsed."""
    return "" if text is None else " ".join(_WORD.findall(fold(text)))


def generic_name_words(rules: NetworksFile, province_names: Iterable[str]) -> frozenset[str]:
    return frozenset(rules.names.generic_words) | frozenset(province_names)
