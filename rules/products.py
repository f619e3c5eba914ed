"""Models of `product_lines.yaml` (famous lines, brand price floors, licences) and
`forms.yaml` (product identity words). The loader merges product lines into the brand
registry, so detectors see one registry in which every line names its brand."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from rules.base import Band, Strict


class PackSize(Strict):
    """The pack a price band is for (a 100 ml perfume, a 900 g tin, a box of 180 tablets)."""

    value: float = Field(gt=0)
    unit: Literal["ml", "g", "count"]


def check_identifies_with(identifies: bool, identifies_with: list[str]) -> None:
    """Goods words only make a keyword name its maker where the keyword does not alone."""
    if identifies and identifies_with:
        raise ValueError("identifies_with is for lines whose keywords do not identify the maker alone")


class LineEntry(Band):
    brand: str
    line: str
    keywords: list[str] = Field(min_length=1)
    identifies: bool = False
    identifies_with: list[str] = Field(default_factory=list)  # see ProductLine.identifies_with
    size: PackSize | None = None
    sold_new: bool = True
    note: str = ""

    @model_validator(mode="after")
    def _goods_only_when_not_identifying(self) -> LineEntry:
        # Checked here too, so the error names product_lines.yaml's line, not the merged registry.
        check_identifies_with(self.identifies, self.identifies_with)
        return self


class BrandFloor(Strict):
    """No genuine new product of the brand among these goods sells below `price_min`."""

    goods: list[str] = Field(min_length=1)
    price_min: int = Field(gt=0)
    note: str = ""


class GoodsCode(Strict):
    """Letters that name the brand only on these goods ("NY" on a cap or slides is the
    Yankees' mark MLB sells; on a shirt it is New York)."""

    code: str = Field(min_length=1)
    goods: list[str] = Field(min_length=1, description="single words, written with their Vietnamese marks")

    @field_validator("goods")
    @classmethod
    def _single_words(cls, v: list[str]) -> list[str]:
        # The goods are checked word by word as the title writes them ("dép" vs "đẹp").
        bad = [g for g in v if len(g.split()) != 1]
        if bad:
            raise ValueError(f"goods must be single words as written in titles, not {bad}")
        return v


class FloorEntry(BrandFloor):
    brand: str


class Licensed(Strict):
    brand: str
    categories: list[str] = Field(min_length=1)


class ProductLinesFile(Strict):
    schema_version: Literal[1]
    lines: list[LineEntry] = Field(default_factory=list)
    floors: list[FloorEntry] = Field(default_factory=list)
    licensed: list[Licensed] = Field(default_factory=list)
    brands: list[dict[str, Any]] = Field(default_factory=list)  # validated as `Brand` by the loader


class UnitRule(Strict):
    base: Literal["ml", "g", "count"]
    factor: float = Field(gt=0)


class FormsFile(Strict):
    schema_version: Literal[1]
    used: list[str] = Field(default_factory=list)
    used_unless: list[str] = Field(default_factory=list)
    # "nhập Mỹ": a second-hand import on goods that sell used unmarked (a laptop, a phone), an
    # import on anything else (a supplement, a mixer).
    used_in_used_market: list[str] = Field(default_factory=list)
    sample: list[str] = Field(default_factory=list)
    sample_needs_size: list[str] = Field(default_factory=list)
    # Samples poured from the full bottle ("chiết"): priced by the millilitre as the bottle is,
    # where gift-set minis and samples sell below it (scoring.yaml `sample_scale`).
    decant: list[str] = Field(default_factory=list)
    variant: list[str] = Field(default_factory=list)
    refill: list[str] = Field(default_factory=list)
    parts: list[str] = Field(default_factory=list)
    parts_unless: list[str] = Field(default_factory=list)
    factory_claims: list[str] = Field(default_factory=list)
    weak_factory_claims: list[str] = Field(default_factory=list)
    new_accessories: list[str] = Field(default_factory=list)
    new_claims: list[str] = Field(default_factory=list)
    sold_as_new: list[str] = Field(default_factory=list)
    genuine_claims: list[str] = Field(default_factory=list)
    sets: list[str] = Field(default_factory=list)
    times_unless: list[str] = Field(
        default_factory=list, description="Words before an 'x10' that make it a guarantee, not a pack "
        "('hoàn tiền x10', 'đền x10'): folded, single phrases.")
    kids: list[str] = Field(
        default_factory=list, description="Words for a children's size of a model ('trẻ em', 'TD', 'GS'): priced "
        "at `kids_scale` of the adult band in the categories `kids_categories` of scoring.yaml.")
    clearance: list[str] = Field(
        default_factory=list, description="Words for near-expiry stock cleared below list ('cận date', 'xả date'): "
        "priced at `clearance_scale` of the band (scoring.yaml).")
    unit_price: list[str] = Field(
        default_factory=list, description="Phrases saying the price is for one unit of a counted box ('giá bán 1 viên').")
    strip_price: list[str] = Field(
        default_factory=list, description="Phrases saying the price is for one strip of a box ('bán lẻ theo vỉ').")
    containers: list[str] = Field(default_factory=list)
    priced_items: list[str] = Field(
        default_factory=list, description="Items a title may state a price per ('10k/đôi', '(40k/chai)'): the "
        "price of one such item, judged against the band for one. Not the contents of a box ('viên', 'miếng').")
    gifts: list[str] = Field(default_factory=list)
    included: list[str] = Field(
        default_factory=list, description="Words that make what follows them come with the goods, as a gift word "
        "does, when goods are named before the brand ('Vòng tay Pandora ..., fullbox túi giấy'); with none named, "
        "or the phrase among them, the phrase is what is sold ('Chanel Bleu fullbox lăn khử mùi').")
    gift_sets: list[str] = Field(
        default_factory=list, description="Phrases right before a gift word that make it a gift set, which is "
        "sold ('set quà tặng'), not a gift thrown in.")
    gift_set_openers: list[str] = Field(
        default_factory=list, description="Words before a gift word that make it a gift set when they open the "
        "title ('Quà tặng Labubu').")
    units: dict[str, UnitRule] = Field(default_factory=dict)
