"""The demo catalog's data, loaded from ``demo/shops.yaml`` and checked.

The shops, product templates, GS1 prefixes, category paths and address parts are data that a
tester edits (add a shop, plant a signal); `demo.catalog` draws the seeded catalog from them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

SHOPS_FILE = Path(__file__).with_name("shops.yaml")

Role = Literal["official", "honest", "counterfeit"]
#: A variant's text, or (text, low, high) when it has its own price band.
Variant = str | tuple[str, int, int]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Product(_Frozen):
    """A product template; ``{v}`` in the title is replaced by each variant."""

    title: str
    brand: str | None
    cat: str
    price: tuple[int, int]
    # "none" | "brand" (the brand's GS1 prefix) | "local" (the shop's 893 prefix) | "cn" (a 69 prefix)
    # | "isbn" | "bad:<prefix>" (wrong check digit) | "foreign:<prefix>" (valid, someone else's prefix)
    gtin: str
    origin: str | None
    desc: str
    variants: tuple[Variant, ...] = ("",)
    planted: tuple[str, ...] = ()
    imitates: str | None = None
    line: str | None = None
    brand_country: str | None = None


class ShopSpec(_Frozen):
    platform: str
    name: str
    role: Role
    location: str
    identity: Literal["full", "phone", "none"]
    days: tuple[int, int]
    count: tuple[int, int]
    products: tuple[Product, ...]
    business_name: str | None = None
    about: str = ""
    # Planted seller networks (issue 16): the phone / address this shop prints, as written,
    # instead of drawn ones, so that several shops can share them in different spellings.
    phone: str | None = None
    address: str | None = None


class Address(_Frozen):
    """Address parts of one province: street and ward examples, and its tax-number prefix."""

    streets: tuple[str, ...]
    wards: tuple[str, ...]
    tax_prefix: str


class Notes(_Frozen):
    """The closing line of an official store's and an honest shop's descriptions."""

    official: str
    honest: str


class CatalogSpec(_Frozen):
    gs1: dict[str, tuple[str, ...]]
    categories: dict[str, tuple[str, ...]]
    addresses: dict[str, Address]
    notes: Notes
    shops: tuple[ShopSpec, ...]

    @model_validator(mode="after")
    def _references_resolve(self) -> CatalogSpec:
        # A typo here would otherwise surface as a KeyError deep inside catalog generation.
        for shop in self.shops:
            if shop.location not in self.addresses:
                raise ValueError(f"shop {shop.name!r}: no address parts for location {shop.location!r}")
            for product in shop.products:
                if product.cat not in self.categories:
                    raise ValueError(f"shop {shop.name!r}: unknown category {product.cat!r}")
                if product.gtin == "brand" and (product.brand is None or product.brand not in self.gs1):
                    raise ValueError(f"shop {shop.name!r}: no GS1 prefixes known for brand {product.brand!r}")
        return self


@cache
def load_spec(path: Path = SHOPS_FILE) -> CatalogSpec:
    """The validated catalog data (read once per process: every `build_catalog` call shares it)."""
    with path.open(encoding="utf-8") as handle:
        # The C loader when libyaml is there (the file is ~3,000 lines); both are safe loaders.
        raw = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    return CatalogSpec.model_validate(raw)
