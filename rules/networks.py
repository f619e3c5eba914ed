"""`rules/networks.yaml`: how sellers are linked into networks across platforms (issue 16).

Validated by `rules.loader.load_networks` with file:line errors like every rule file, but not
part of the scoring `RuleSet`: linking sellers does not change any score, so editing this file
must not change the rules version stored with scores (the same choice as evidence.yaml).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from rules.base import Strict


class NameRules(Strict):
    """Near-identical shop names (a weak link)."""

    min_similarity: float = Field(ge=50, le=100, description="rapidfuzz ratio of the distinctive words")
    min_distinctive_letters: int = Field(
        ge=3, description="what is left after the generic words must be this long, or the name says nothing")
    generic_words: list[str] = Field(min_length=1)

    @field_validator("generic_words")
    @classmethod
    def _not_blank(cls, words: list[str]) -> list[str]:
        if any(w.strip() == "" for w in words):
            raise ValueError("a generic word is blank")
        return words


class TextRules(Strict):
    """The same listing texts (a weak link)."""

    min_length: int = Field(ge=10, description="shorter folded texts are boilerplate, not a fingerprint")
    min_shared: int = Field(ge=1, description="this many identical listing texts make one reason")


class AddressRules(Strict):
    """Vietnamese address normalization before two addresses are compared (a strong link)."""

    min_words: int = Field(ge=3, description="a shorter address ('Hà Nội') is a place, not a premises")
    abbreviations: dict[str, str] = Field(
        description="folded abbreviation -> folded word ('p' -> 'phuong', 'tp' -> 'thanh pho')")
    drop_words: list[str] = Field(default_factory=list, description="folded words that carry no location ('so')")
    area_words: list[str] = Field(
        min_length=1, description="folded words that open an area, not a premises ('phuong', 'quan'): an address "
        "needs a part with a house number that does not start with one")


class TextIdentifierRules(Strict):
    """Identifiers sellers print in listing descriptions: a bank account, a Zalo number."""

    bank_keywords: list[str] = Field(min_length=1)
    bank_account_digits: tuple[int, int] = (6, 19)
    zalo_keywords: list[str] = Field(min_length=1)


class NetworksFile(Strict):
    """`rules/networks.yaml`, validated (see the comments in that file)."""

    schema_version: Literal[1]
    weak_min_reasons: int = Field(
        ge=2, description="weak links join two sellers only with this many independent weak reasons")
    max_sellers_per_value: int = Field(
        ge=2, description="a value more sellers share is a platform hotline or a placeholder, not an identity")
    phone_region: str = Field(min_length=2, max_length=2, description="phonenumbers region for local numbers")
    names: NameRules
    texts: TextRules
    addresses: AddressRules
    text_identifiers: TextIdentifierRules
