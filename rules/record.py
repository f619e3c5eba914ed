"""The listing record: the one shape that flows everywhere (DESIGN §3.1, §3.2).

Spiders produce it, `listingwatch parse` prints it, `listingwatch score` reads it, storage
keeps it normalized. It lives at the bottom of the import graph (this module imports
nothing of ours, and `rules/__init__` loads nothing), so a crawler extractor, storage or the
CLI can name a `Listing` without loading every detector.

Prices are whole VND after normalization. Missing means ``None``, never ``""`` or ``0``.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from threading import Lock
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

#: The real platforms of the data contract (DESIGN §3.1). `crawler.platforms` declares each
#: with its spider and hosts and registers its name here (`accept_platform`); a test keeps
#: the two equal. A platform registered only at run time (a test's throw-away one) joins
#: the accepted names without being a contract platform.
PLATFORMS: tuple[str, ...] = ("shopee", "lazada", "tiki", "sendo", "tiktok", "facebook", "web")

_accepted: set[str] = set(PLATFORMS)
_accepted_lock = Lock()


def accept_platform(name: str) -> None:
    """Let records carry `name` (called by `crawler.platforms.register`)."""
    with _accepted_lock:
        _accepted.add(name)


def forget_platform(name: str) -> None:
    """Undo `accept_platform` for a run-time platform; contract platforms stay."""
    if name not in PLATFORMS:
        with _accepted_lock:
            _accepted.discard(name)


def is_known_platform(name: str) -> bool:
    """A registered platform, or its imitation in the demo marketplace (`demo-tiki`, ...)."""
    return name in _accepted or (name.startswith("demo-") and len(name) > len("demo-"))


def _empty_to_none(value: object) -> object:
    if isinstance(value, str) and value.strip() == "":
        return None
    return value


def _id_as_string(value: object) -> object:
    """Platforms send ids as numbers or strings; a boolean is a broken extractor, not an id."""
    value = _empty_to_none(value)
    if isinstance(value, bool):
        raise ValueError("must be a string, not a boolean")
    if isinstance(value, int):
        return str(value)
    return value


class Seller(BaseModel):
    """Who sells the listing, as the platform shows it."""

    model_config = ConfigDict(extra="ignore")

    id: str | None = Field(default=None, description="Seller/shop id as the platform gives it.")
    name: str | None = Field(default=None, description="Shop name as displayed.")
    url: str | None = Field(default=None, description="Shop page URL.")
    is_official: bool | None = Field(
        default=None,
        description="The platform marks the shop official (Shopee Mall, LazMall, Tiki first-party/official store).",
    )
    location: str | None = Field(default=None, description="Province or city the shop ships from.")
    business_id: str | None = Field(
        default=None, description="Business registration / tax number shown (Decree 85/2021 Art. 29)."
    )
    phone: str | None = Field(default=None, description="Contact phone shown on the shop page.")
    address: str | None = Field(default=None, description="Business address shown on the shop page.")
    created_at: datetime | None = Field(default=None, description="When the shop joined the platform.")

    @field_validator("id", "business_id", "phone", mode="before")
    @classmethod
    def _ids_are_strings(cls, value: object) -> object:
        return _id_as_string(value)

    @field_validator("name", "url", "location", "address", mode="before")
    @classmethod
    def _blank_is_missing(cls, value: object) -> object:
        return _empty_to_none(value)


class Listing(BaseModel):
    """One product offer on one platform at one moment (DESIGN §3.1)."""

    model_config = ConfigDict(extra="ignore")

    platform: str = Field(description="shopee lazada tiki sendo tiktok facebook web, or demo-*.")
    listing_id: str = Field(description="The platform's product/item id, as a string.")
    url: str | None = Field(default=None, description="Canonical product page URL.")
    title: str = Field(description="Listing title as the seller wrote it.")
    description: str | None = Field(default=None, description="Plain-text description, if captured.")
    brand: str | None = Field(default=None, description="Brand the seller declares in the brand field.")
    category: str | None = Field(default=None, description="Platform category path, '>'-joined, leaf last.")
    price: int | None = Field(default=None, ge=0, description="Current sale price, whole VND.")
    list_price: int | None = Field(default=None, ge=0, description="Price before discount, whole VND.")
    currency: Literal["VND"] = "VND"
    gtin: str | None = Field(default=None, description="Barcode (GTIN-8/12/13/14) as digits.")
    origin: str | None = Field(default=None, description="Claimed country of origin ('Xuất xứ').")
    images: list[str] = Field(default_factory=list, description="Image URLs.")
    sold: int | None = Field(default=None, ge=0, description="Units sold as displayed (lifetime).")
    rating: float | None = Field(default=None, ge=0, le=5, description="Average rating, 0-5 stars.")
    seller: Seller = Field(default_factory=Seller)
    observed_at: datetime | None = Field(default=None, description="When the page was fetched (ISO 8601).")

    @field_validator("listing_id", "gtin", mode="before")
    @classmethod
    def _ids_are_strings(cls, value: object) -> object:
        return _id_as_string(value)

    @field_validator("url", "description", "brand", "category", "origin", mode="before")
    @classmethod
    def _blank_is_missing(cls, value: object) -> object:
        return _empty_to_none(value)

    @field_validator("platform")
    @classmethod
    def _platform_known(cls, value: str) -> str:
        if not is_known_platform(value):
            raise ValueError(f"unknown platform {value!r}; expected one of {', '.join(PLATFORMS)} or demo-*")
        return value

    @field_validator("title")
    @classmethod
    def _title_present(cls, value: str) -> str:
        if value.strip() == "":
            raise ValueError("title is empty")
        # One spelling of each accented letter: a title typed or scraped decomposed (NFD)
        # must read as the same words to every accent-aware rule.
        return unicodedata.normalize("NFC", value)

    def to_json_dict(self) -> dict[str, object]:
        """The JSON object of DESIGN §3.1 (datetimes as ISO strings, every key present)."""
        return self.model_dump(mode="json")


class Signal(BaseModel):
    """One reason a listing or seller looks counterfeit, explained in one line."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(description="Stable dotted code, e.g. 'brand.lookalike'.")
    detector: str = Field(description="Which detector raised it: brand, text, price, barcode, seller.")
    score: float = Field(ge=0.0, le=1.0, description="Strength of this signal alone, 0-1.")
    detail: str = Field(description="One line an analyst can read (English).")
    detail_vi: str | None = Field(default=None, description="The same line in Vietnamese.")
    contribution: float | None = Field(
        default=None, description="With a learned model: how much the risk falls without this signal (None: hand "
        "weights, where weight x score says it).")

    def explain(self, lang: str = "en") -> str:
        if lang == "vi" and self.detail_vi is not None:
            return self.detail_vi
        return self.detail


class ScoredListing(BaseModel):
    """A listing's detector output (DESIGN §3.2): risk in [0, 1] and the signals behind it."""

    risk: float = Field(ge=0.0, le=1.0)
    flagged: bool
    signals: list[Signal] = Field(default_factory=list)
    model_version: str | None = Field(default=None, description="The learned model that set `risk` (None: hand weights).")
