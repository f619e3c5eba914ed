"""Model of `scoring.yaml`: signal weights, the flag threshold and each detector's
thresholds and scores (DESIGN §4.3, §4.4). Which signal codes may carry a weight is checked
against `detectors.codes` by `rules.validate`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from rules.base import Strict


class Unit(Strict):
    """A score that is `at_threshold` when a measured gap just reaches the threshold and grows
    linearly to `at_full` at the far end."""

    at_threshold: float = Field(ge=0.0, le=1.0)
    at_full: float = Field(ge=0.0, le=1.0)


class BrandScoring(Strict):
    fuzzy_min_similarity: float = Field(ge=50, le=100)
    fuzzy_min_similarity_with_line: float = Field(
        default=100, ge=50, le=100,
        description="a nearer miss is still a claim when the title names one of the brand's product lines")
    fuzzy_min_length: int = Field(ge=3)
    fuzzy_max_distance: int = Field(ge=1, le=3)
    fuzzy_min_pair_length: int = Field(ge=4)
    glued_suffixes: list[str] = Field(
        default_factory=list, description="Vietnamese words sellers glue to a brand's end ('VuittonCao cấp'), "
        "folded: stripped from a word that matched nothing, and the rest looked up as a brand")
    short_alias_max_length: int = Field(ge=0, description="aliases this short (MLB, LG) need a fitting category")
    collapse_min_letters: int = Field(ge=2)
    split_min_length: int = Field(ge=3)
    split_max_piece: int = Field(ge=1)
    leet_min_letters: int = Field(ge=2)
    decoded_fuzzy_min_length: int = Field(ge=4)
    decoded_fuzzy_min_similarity: float = Field(ge=50, le=100)
    marked_fuzzy_min_length: int = Field(ge=3)
    marked_fuzzy_min_similarity: float = Field(ge=50, le=100)
    lookalike_score: Unit
    disguised_score: float = Field(ge=0.0, le=1.0)
    coded_score: float = Field(default=0.85, ge=0.0, le=1.0)
    mismatch_score: float = Field(ge=0.0, le=1.0)
    unknown_mismatch_score: float = Field(ge=0.0, le=1.0)
    no_brand_mismatch_score: float = Field(ge=0.0, le=1.0)
    unauthorized_score: float = Field(ge=0.0, le=1.0)
    off_category_score: float = Field(default=0.0, ge=0.0, le=1.0)
    off_category_brand_categories: list[str] = Field(default_factory=list)
    transliteration_min_words: int = Field(
        default=3, ge=2, description="a code of this many syllables ('lu i vi tong') spells the brand in Vietnamese "
        "sounds and names it on any goods; a shorter one ('nai ki') needs the brand's kind of goods")
    coined_code_min_letters: int = Field(
        default=5, ge=1, description="A code of this many letters and no digit ('lafufu') is a coined word: it names "
        "its brand on any goods; shorter codes ('mkt', 'ck2') only on the brand's own kind of goods.")
    claim_after_accessory_categories: list[str] = Field(
        default_factory=list, description="Brands of these categories fit no device: named after an accessory word "
        "('ốp lưng Gucci', 'miếng dán Salonpas') they are the goods' design or maker, a claim, not the device the "
        "accessory fits ('ốp lưng iPhone').")
    common_word_languages: list[str] = Field(default_factory=lambda: ["en", "vi"])
    common_word_top_n: int = Field(
        default=30000, ge=0, description="A near miss among this many most frequent words of a language is a word, "
        "not a typo-squat, unless the title also names one of the brand's product lines.")
    common_word_min_similarity: float = Field(
        default=85, ge=0, le=100, description="... or it is this close to the brand ('channel'~'chanel' 86) and the "
        "listing's category fits the brand.")
    head_noun_words: int = Field(
        default=3, ge=1, description="a floor's goods must be named within the title's first words ('loa bluetooth "
        "JBL'), not after them ('bộ tua vít ... điện thoại')")
    title_openers: list[str] = Field(
        default_factory=list, description="Sales banners and stock phrases that open titles without naming goods "
        "('SALE', 'Xả kho', '[Chính Hãng]', 'Freeship'): skipped, with numbers, before the head-noun window, so "
        "'SALE [Chính Hãng] Giày Adidas' still opens with shoes.")
    short_head_words: int = Field(
        default=2, ge=0, description="a head this short before the brand, naming no other category, is the "
        "brand's own goods ('Đện thoại iPhone 6')")
    part_line_span: float = Field(
        default=3.0, gt=0.0, description="a product line priced within this multiple of the brand's floor for a part "
        "is that part ('Ốp lưng ... Rugged Armor' is a Spigen case)")


class BelowReference(Strict):
    ratio: float = Field(gt=0.0, le=1.0)
    floor_ratio: float = Field(default=0.5, gt=0.0, le=1.0)
    used_market_ratio: float = Field(default=0.25, gt=0.0, le=1.0)
    used_market_floor_ratio: float = Field(default=0.35, gt=0.0, le=1.0)
    unknown_size_scale: float = Field(
        default=0.5, gt=0.0, le=1.0, description="share of a sized band kept when a full-size listing gives no size")
    kids_scale: float = Field(
        default=0.6, gt=0.0, le=1.0, description="share of a model's band a children's size is compared with")
    kids_categories: list[str] = Field(default_factory=list)
    clearance_scale: float = Field(
        default=0.5, gt=0.0, le=1.0, description="share of the band near-expiry stock ('cận date') is compared with")
    sample_scale: float = Field(
        default=1.0, gt=0.0, le=1.0, description="share of a sized band's price per unit a mini, sample or tester "
        "is compared with (not a decant, forms.yaml `decant`): gift-set minis and samples resell below the full "
        "size's price per ml")
    used_scale: float | None = Field(
        default=None, gt=0.0, le=1.0, description="share of a named model's new band a used unit is compared "
        "with (then the usual ratio applies): a used Rolex Submariner at 4.5M is far below any used one. "
        "None: used goods are never priced.")
    used_unpriced_categories: list[str] = Field(
        default_factory=list, description="categories whose used goods are never priced: worn clothes resell "
        "at a few percent of new ('si tuyển', '2hand')")
    bulk_size_exponent: float = Field(
        default=1.0, gt=0.0, le=1.0, description="the same for a bigger bottle or tin than a sized band: "
        "(its size / the band's) ** this, as a 200 ml bottle costs less a millilitre than the 100 ml one")
    bulk_count_exponent: float = Field(
        default=0.5, gt=0.0, le=1.0, description="a pack of more units than a counted band is priced at "
        "(its count / the band's) ** this: bulk packs cost less a unit")
    pack_exponent: float = Field(
        default=1.0, gt=0.0, le=1.0, description="a pack of N items ('combo 3 chai', 'set 6') is priced at N ** "
        "this times one: against a band or floor without a size in `pack_priced_categories`, and against a sized "
        "band when the pack holds N of the band's own size ('combo 10 chai 24ml' against the 24 ml band)")
    pack_words: list[str] = Field(
        default_factory=list, description="words that announce a pack right before its count ('combo 3')")
    pack_priced_categories: list[str] = Field(
        default_factory=list, description="categories whose unsized bands and floors price one item (a lipstick, "
        "a tube), not a pack as sold (a 3-pack of briefs)")
    score: Unit


class Outlier(Strict):
    min_peers: int = Field(ge=3)
    official_weight: int = Field(default=3, ge=1, description="an official store's price counts this many times")
    band_prior_weight: int = Field(default=3, ge=0, description="pseudo-peers at the middle of a line's hand band")
    z_threshold: float = Field(gt=0.0)
    z_full: float = Field(gt=0.0)
    mad_floor: float = Field(gt=0.0)
    score: Unit

    @model_validator(mode="after")
    def _ordered(self) -> Outlier:
        if self.z_full <= self.z_threshold:
            raise ValueError("z_full must be greater than z_threshold")
        return self


class Isolation(Strict):
    min_batch: int = Field(ge=20)
    n_estimators: int = Field(ge=10)
    max_samples: int = Field(default=256, ge=16, description="rows each tree is grown on (cost cap per chunk)")
    threshold: float = Field(description="decision_function below -threshold is anomalous")
    score: Unit
    random_state: int = 0


class Plausible(Strict):
    min_price: int = Field(ge=0)
    max_price: int = Field(gt=0)
    max_band_multiple: float = Field(gt=1.0)
    score: float = Field(ge=0.0, le=1.0)


class Capacity(Strict):
    """`price.capacity`: storage priced below what any genuine unit of its capacity costs."""

    goods: list[str] = Field(min_length=1, description="words that open a title selling storage itself")
    accepts_words: list[str] = Field(default_factory=list, description="before a capacity: what a device accepts")
    not_storage_words: list[str] = Field(default_factory=list, description="the title sells a reader or box for it")
    min_gb: float = Field(gt=0, description="smaller capacities are cheap enough that fixed costs dominate")
    min_price_per_gb: int = Field(gt=0, description="VND per GB below which no genuine flash storage sells")
    score: Unit


class PriceScoring(Strict):
    below_reference: BelowReference
    capacity: Capacity
    outlier: Outlier
    isolation: Isolation
    plausible: Plausible


class BarcodeScoring(Strict):
    missing_score: float = Field(ge=0.0, le=1.0)
    invalid_score: float = Field(ge=0.0, le=1.0)
    invalid_expected_score: float = Field(
        default=0.85, ge=0.0, le=1.0, description="bad GTIN on goods that always carry one, non-official seller")
    origin_conflict_score: float = Field(ge=0.0, le=1.0)
    domestic_conflict_score: float = Field(
        default=0.9, ge=0.0, le=1.0, description="prefix contradicts a 'nội địa Nhật' claim on goods that always "
        "carry a barcode, non-official seller")
    brand_prefix_conflict_score: float = Field(ge=0.0, le=1.0)
    origin_conflict_strong_offices: list[str] = Field(
        default_factory=list, description="GS1 offices whose prefix against another stated origin counts as "
        "strongly as a home-market claim (on goods that always carry a barcode, non-official seller)")
    origin_conflict_home_offices: list[str] = Field(
        default_factory=list, description="GS1 offices of origins stated too loosely to contradict strongly")
    multi_brand_score: float = Field(ge=0.0, le=1.0)
    non_product_prefixes: list[str] = Field(
        default_factory=list, description="GS1 prefix usages (substrings) that are not product GTINs"
    )
    title_markers: list[str] = Field(
        default_factory=list, description="Words that introduce a barcode written in a title ('mã vạch "
        "8934...'): read when the listing has no barcode field")


class SellerScoring(Strict):
    flag_threshold: float = Field(ge=0.0, le=1.0)
    min_flagged_listings: int = Field(ge=1)
    min_flagged_share: float = Field(ge=0.0, le=1.0)
    single_listing_risk: float = Field(ge=0.0, le=1.0)
    share_score: Unit
    share_full: float = Field(gt=0.0, le=1.0)
    identity_fields: list[Literal["business_id", "phone", "address", "name"]] = Field(min_length=1)
    new_shop_days: int = Field(ge=1)
    new_shop_score: float = Field(ge=0.0, le=1.0)
    not_official_score: float = Field(ge=0.0, le=1.0)
    many_brands_categories: list[str] = Field(min_length=1)
    many_brands_min: int = Field(ge=2)
    many_brands_full: int = Field(ge=2)
    many_brands_score: Unit
    ignore_on_rollup_when_official: list[str] = Field(default_factory=list)


class ImpossibleSpecs(Strict):
    """`text.impossible_spec`: numbers no genuine product reaches."""

    max_18650_mah: int = Field(gt=0, description="the largest capacity a genuine 18650 cell holds")
    cell_words: list[str] = Field(min_length=1, description="a title opening with these sells a cell")
    not_cell_words: list[str] = Field(default_factory=list, description="... unless it also says it is a pack")
    head_words: int = Field(default=4, ge=1, description="how many opening words name what is sold")
    max_cordless_volts: int = Field(gt=0, description="the highest voltage of any genuine cordless tool")
    cordless_tool_words: list[str] = Field(min_length=1)
    charger_words: list[str] = Field(default_factory=list, description="a voltage just after these is the charger's")
    score: float = Field(ge=0.0, le=1.0)


class TextScoring(Strict):
    max_chars: int = Field(ge=100, description="title + description are cut here before slang matching")
    factory_claim_score: float = Field(default=0.85, ge=0.0, le=1.0)
    copy_model_score: float = Field(default=0.85, ge=0.0, le=1.0)
    declared_brand_claim_score: float = Field(default=0.2, ge=0.0, le=1.0)
    declared_brand_categories: list[str] = Field(default_factory=list)
    impossible_specs: ImpossibleSpecs


class RepostScoring(Strict):
    max_price_ratio: float = Field(
        default=3.0, ge=1.0, description="one seller's same title at prices further apart is not one offer re-posted")


class Learning(Strict):
    """`listingwatch learn` (issue 13): how a combiner is fitted and when it may replace the
    hand weights."""

    min_per_class: int = Field(default=30, ge=1, description="labels of each class needed to train at all")
    min_train_precision: float = Field(
        default=0.9, ge=0.0, le=1.0, description="the operating point is the best-F1 probability among those whose "
        "out-of-fold precision reaches this (the queue's trust first)")
    max_folds: int = Field(default=5, ge=2, description="GroupKFold splits when categories are unknown")
    calibration: Literal["none", "sigmoid", "isotonic"] = "sigmoid"
    max_iter: int = Field(default=200, ge=10)
    learning_rate: float = Field(default=0.05, gt=0.0, le=1.0)
    max_leaf_nodes: int = Field(default=15, ge=2)
    min_samples_leaf: int = Field(default=20, ge=1)
    l2_regularization: float = Field(default=1.0, ge=0.0)
    random_state: int = 0


class ScoringFile(Strict):
    schema_version: Literal[1]
    flag_threshold: float = Field(ge=0.0, le=1.0)
    weights: dict[str, float]
    official_seller_dampen: dict[str, float] = Field(default_factory=dict)
    brand: BrandScoring
    text: TextScoring
    price: PriceScoring
    barcode: BarcodeScoring
    seller: SellerScoring
    repost: RepostScoring = Field(default_factory=RepostScoring)
    learning: Learning = Field(default_factory=Learning)

    @field_validator("weights", "official_seller_dampen")
    @classmethod
    def _unit_interval(cls, v: dict[str, float]) -> dict[str, float]:
        for code, w in v.items():
            if not 0.0 <= w <= 1.0:
                raise ValueError(f"{code}: {w} is outside [0, 1]")
        return v

    def weight(self, code: str) -> float:
        return self.weights.get(code, 0.0)
