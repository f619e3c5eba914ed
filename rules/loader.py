"""Load and validate the analyst-editable rule files (DESIGN §4.4).

Every file is parsed twice: once by `yaml.compose` to keep the node tree (which knows line
numbers) and once into plain data that pydantic validates. When validation fails the
pydantic error location (`('brands', 3, 'products', 0, 'price_min')`) is walked down the
node tree, so the analyst is told `rules/brands.yaml:42: brands[3].products[0].price_min:
...` instead of a stack trace.

Loaded rule sets are cached per directory and invalidated when a file changes, because
scoring a large batch must not re-read YAML per record.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from threading import Lock
from typing import Any, Literal, TypeVar

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from detectors.codes import SIGNAL_CODES
from detectors.textnorm import fold
from rules.base import Band, Strict
from rules.evidence import EvidenceSettings
from rules.products import BrandFloor, FormsFile, PackSize, ProductLinesFile
from rules.record import is_known_platform
from rules.yaml_guard import alias_problem

PACKAGE_DIR = Path(__file__).resolve().parent
ENV_VAR = "LISTINGWATCH_RULES"

Loc = tuple[str | int, ...]
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class RulesError(ValueError):
    """A rule file is missing, unparsable or invalid. `str()` names file, line and field."""

    def __init__(self, path: Path | str, line: int | None, field: str | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.message = message
        where = self.path if line is None else f"{self.path}:{line}"
        what = message if field is None or field == "" else f"{field}: {message}"
        super().__init__(f"{where}: {what}")


# --------------------------------------------------------------------------- models


_Strict = Strict


def _nonblank(values: Iterable[str], what: str) -> None:
    for v in values:
        if v.strip() == "":
            raise ValueError(f"{what} must not be blank")


class ProductLine(Band):
    line: str
    keywords: list[str] = Field(min_length=1)
    identifies: bool = Field(
        default=False, description="A keyword alone names this maker's product ('Bleu de Chanel', 'WH-1000XM5').")
    size: PackSize | None = None
    sold_new: bool = Field(
        default=True, description="false: no longer sold new (iPhone 6): any sale is second-hand, never priced")
    corroborates: bool = Field(
        default=True, description="its keywords are distinctive enough to confirm a near-miss brand name "
        "('Whichy Soleil'); false for ordinary words that only pick a line once the brand is known")


class Brand(_Strict):
    name: str
    category: str
    aliases: list[str] = Field(default_factory=list)
    lookalike_exceptions: list[str] = Field(default_factory=list)
    famous: bool = False
    accent_strict: bool = Field(
        default=False,
        description="The name is ordinary Vietnamese words without diacritics ('Kinh Đô' vs 'kính đỏ'): "
        "in text typed with diacritics only the accented spelling counts.",
    )
    makers: list[str] = Field(
        default_factory=list, description="Company names a seller may declare as the brand (Abbott for Similac)."
    )
    require_context: bool = Field(
        default=False,
        description="The name is also an ordinary word or unit (3M = 3 metres): it is a claim only when the "
        "listing's category fits the brand or the title names one of its product lines.",
    )
    coded_names: list[str] = Field(
        default_factory=list,
        description="Codes sellers use for the brand or its models to dodge brand filters ('CK2' for "
        "Converse Chuck 2, 'ZY 350' for Yeezy 350, 'HK-II' for SK-II): naming one is a look-alike claim.",
    )
    official_sellers: dict[str, list[str]] = Field(default_factory=dict)
    authorized_sellers: dict[str, list[str]] = Field(default_factory=dict)
    gs1_prefixes: list[str] = Field(default_factory=list)
    products: list[ProductLine] = Field(default_factory=list)
    floors: list[BrandFloor] = Field(default_factory=list)
    fitment: bool = Field(
        default=False, description="A maker of vehicles: its name in a listing mostly says what the goods fit "
        "('thảm taplo Toyota Innova'); a claim only when the title opens with goods the maker sells.")
    licensed_categories: list[str] = Field(
        default_factory=list, description="Categories of goods the brand sells under licence (a fashion house's perfume).")

    @field_validator("name")
    @classmethod
    def _name_present(cls, v: str) -> str:
        _nonblank([v], "name")
        return v

    @field_validator("aliases", "lookalike_exceptions", "coded_names")
    @classmethod
    def _no_blank(cls, v: list[str]) -> list[str]:
        _nonblank(v, "entries")
        return v

    @field_validator("official_sellers", "authorized_sellers", mode="before")
    @classmethod
    def _ids_as_strings(cls, v: object) -> object:
        # YAML reads `tiki: [1]` as an int; seller ids are strings everywhere else.
        if isinstance(v, dict):
            return {k: [str(x) if isinstance(x, int) and not isinstance(x, bool) else x for x in (ids or [])]
                    for k, ids in v.items()}
        return v

    @field_validator("gs1_prefixes")
    @classmethod
    def _prefix_digits(cls, v: list[str]) -> list[str]:
        for p in v:
            if not (p.isdigit() and 3 <= len(p) <= 12):
                raise ValueError(f"GS1 prefix {p!r} must be 3-12 digits (quote it so YAML keeps leading zeros)")
        return v

    def all_names(self) -> list[str]:
        return [self.name, *self.aliases]


class CompatibilityRules(_Strict):
    """Words that turn a brand mention into a compatibility mention ("ốp lưng cho iPhone")."""

    markers: list[str] = Field(min_length=1)
    fillers: list[str] = Field(default_factory=list)
    accessories: list[str] = Field(default_factory=list)
    max_fillers: int = Field(default=3, ge=0)


class BrandsFile(_Strict):
    schema_version: Literal[1]
    no_brand_values: list[str] = Field(default_factory=list)
    fuzzy_ignore_words: list[str] = Field(default_factory=list)
    compatibility: CompatibilityRules
    brands: list[Brand] = Field(min_length=1)


class SlangTerm(_Strict):
    term: str
    variants: list[str] = Field(default_factory=list)
    regex: list[str] = Field(default_factory=list)
    score: float = Field(ge=0.0, le=1.0)
    requires_brand: bool = False
    accent_sensitive: bool = False
    unless: list[str] = Field(default_factory=list)
    en: str
    vi: str

    @field_validator("regex")
    @classmethod
    def _regex_compiles(cls, v: list[str]) -> list[str]:
        for pattern in v:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None
        return v


class CopyMarkers(_Strict):
    strong: list[str] = Field(default_factory=list)
    weak: list[str] = Field(default_factory=list)


class SlangFile(_Strict):
    schema_version: Literal[1]
    guards: list[str] = Field(default_factory=list)
    media_heads: list[str] = Field(default_factory=list)
    copy_markers: CopyMarkers = Field(default_factory=CopyMarkers)
    terms: list[SlangTerm] = Field(min_length=1)


class Category(_Strict):
    label_en: str
    label_vi: str
    health: bool = False
    queue_weight: float = Field(default=1.0, gt=0.0)
    barcode_expected: bool = False
    related: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    used_market: bool = Field(
        default=False, description="second-hand units are sold widely without saying so (phones): only a price "
        "no used unit reaches is evidence (scoring.yaml price.below_reference.used_market_ratio)")


class CategoriesFile(_Strict):
    schema_version: Literal[1]
    categories: dict[str, Category] = Field(min_length=1)


class Unit(_Strict):
    """A score that is `at_threshold` when a measured gap just reaches the threshold and grows
    linearly to `at_full` at the far end."""

    at_threshold: float = Field(ge=0.0, le=1.0)
    at_full: float = Field(ge=0.0, le=1.0)


class BrandScoring(_Strict):
    fuzzy_min_similarity: float = Field(ge=50, le=100)
    fuzzy_min_similarity_with_line: float = Field(
        default=100, ge=50, le=100,
        description="a nearer miss is still a claim when the title names one of the brand's product lines")
    fuzzy_min_length: int = Field(ge=3)
    fuzzy_max_distance: int = Field(ge=1, le=3)
    fuzzy_min_pair_length: int = Field(ge=4)
    short_alias_max_length: int = Field(ge=0, description="aliases this short (MLB, LG) need a fitting category")
    collapse_min_letters: int = Field(ge=2)
    split_min_length: int = Field(ge=3)
    split_max_piece: int = Field(ge=1)
    leet_min_letters: int = Field(ge=2)
    lookalike_score: Unit
    disguised_score: float = Field(ge=0.0, le=1.0)
    coded_score: float = Field(default=0.85, ge=0.0, le=1.0)
    mismatch_score: float = Field(ge=0.0, le=1.0)
    unknown_mismatch_score: float = Field(ge=0.0, le=1.0)
    no_brand_mismatch_score: float = Field(ge=0.0, le=1.0)
    unauthorized_score: float = Field(ge=0.0, le=1.0)
    off_category_score: float = Field(default=0.0, ge=0.0, le=1.0)
    off_category_brand_categories: list[str] = Field(default_factory=list)
    common_word_languages: list[str] = Field(default_factory=lambda: ["en", "vi"])
    common_word_top_n: int = Field(
        default=30000, ge=0, description="A near miss among this many most frequent words of a language is a word, "
        "not a typo-squat, unless the title also names one of the brand's product lines.")
    common_word_min_similarity: float = Field(
        default=85, ge=0, le=100, description="... or it is this close to the brand ('channel'~'chanel' 86) and the "
        "listing's category fits the brand.")


class BelowReference(_Strict):
    ratio: float = Field(gt=0.0, le=1.0)
    floor_ratio: float = Field(default=0.5, gt=0.0, le=1.0)
    used_market_ratio: float = Field(default=0.25, gt=0.0, le=1.0)
    used_market_floor_ratio: float = Field(default=0.35, gt=0.0, le=1.0)
    unknown_size_scale: float = Field(
        default=0.5, gt=0.0, le=1.0, description="share of a sized band kept when a full-size listing gives no size")
    score: Unit


class Outlier(_Strict):
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


class Isolation(_Strict):
    min_batch: int = Field(ge=20)
    n_estimators: int = Field(ge=10)
    max_samples: int = Field(default=256, ge=16, description="rows each tree is grown on (cost cap per chunk)")
    threshold: float = Field(description="decision_function below -threshold is anomalous")
    score: Unit
    random_state: int = 0


class Plausible(_Strict):
    min_price: int = Field(ge=0)
    max_price: int = Field(gt=0)
    max_band_multiple: float = Field(gt=1.0)
    score: float = Field(ge=0.0, le=1.0)


class PriceScoring(_Strict):
    below_reference: BelowReference
    outlier: Outlier
    isolation: Isolation
    plausible: Plausible


class BarcodeScoring(_Strict):
    missing_score: float = Field(ge=0.0, le=1.0)
    invalid_score: float = Field(ge=0.0, le=1.0)
    invalid_expected_score: float = Field(
        default=0.85, ge=0.0, le=1.0, description="bad GTIN on goods that always carry one, non-official seller")
    origin_conflict_score: float = Field(ge=0.0, le=1.0)
    domestic_conflict_score: float = Field(
        default=0.9, ge=0.0, le=1.0, description="prefix contradicts a 'nội địa Nhật' claim on goods that always "
        "carry a barcode, non-official seller")
    brand_prefix_conflict_score: float = Field(ge=0.0, le=1.0)
    multi_brand_score: float = Field(ge=0.0, le=1.0)
    non_product_prefixes: list[str] = Field(
        default_factory=list, description="GS1 prefix usages (substrings) that are not product GTINs"
    )


class SellerScoring(_Strict):
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


class TextScoring(_Strict):
    max_chars: int = Field(ge=100, description="title + description are cut here before slang matching")
    factory_claim_score: float = Field(default=0.85, ge=0.0, le=1.0)
    copy_model_score: float = Field(default=0.85, ge=0.0, le=1.0)


class ScoringFile(_Strict):
    schema_version: Literal[1]
    flag_threshold: float = Field(ge=0.0, le=1.0)
    weights: dict[str, float]
    official_seller_dampen: dict[str, float] = Field(default_factory=dict)
    brand: BrandScoring
    text: TextScoring
    price: PriceScoring
    barcode: BarcodeScoring
    seller: SellerScoring

    @field_validator("weights", "official_seller_dampen")
    @classmethod
    def _unit_interval(cls, v: dict[str, float]) -> dict[str, float]:
        for code, w in v.items():
            if not 0.0 <= w <= 1.0:
                raise ValueError(f"{code}: {w} is outside [0, 1]")
        return v

    def weight(self, code: str) -> float:
        return self.weights.get(code, 0.0)


class Platform(_Strict):
    name: str
    first_party_sellers: dict[str, str] = Field(
        default_factory=dict, description="seller id -> name of the platform's own retail"
    )
    official_sellers: dict[str, str] = Field(default_factory=dict)
    gtin_exposed: bool = True

    @field_validator("first_party_sellers", "official_sellers", mode="before")
    @classmethod
    def _keys_as_strings(cls, v: object) -> object:
        if isinstance(v, dict):
            return {str(k): val for k, val in v.items()}
        return v


class PlatformsFile(_Strict):
    schema_version: Literal[1]
    platforms: dict[str, Platform] = Field(min_length=1)


_CRON = re.compile(r"^\S+(\s+\S+){4}$")


class WatchEntry(_Strict):
    cron: str
    request_budget: int = Field(gt=0)
    keywords: list[str] = Field(default_factory=list)
    brands: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    sellers: list[str] = Field(default_factory=list)
    enabled: bool = True
    expected_min_listings: int | None = Field(
        default=None, ge=0, description="a scan yielding fewer listings is reported as partial (run health)"
    )

    @field_validator("cron")
    @classmethod
    def _five_fields(cls, v: str) -> str:
        if _CRON.match(v.strip()) is None:
            raise ValueError(f"cron {v!r} must have 5 fields (minute hour day month weekday)")
        return v

    @field_validator("sellers", mode="before")
    @classmethod
    def _ids_as_strings(cls, v: object) -> object:
        if isinstance(v, list):
            return [str(x) if isinstance(x, int) and not isinstance(x, bool) else x for x in v]
        return v


class OnDemand(_Strict):
    """On-demand seller scans (scheduler worker): which sites, how many at once, how much."""

    max_parallel: int = Field(default=2, ge=1, le=32, description="seller scans running at once")
    poll_seconds: float = Field(default=2.0, gt=0, le=300, description="how often the worker looks for requests")
    handoff_seconds: float = Field(
        default=3.0, ge=0, le=300,
        description="`scan-seller --wait` waits this long for a daemon worker before scanning itself",
    )
    request_budget: int = Field(default=400, gt=0, description="at most this many HTTP requests per seller scan")
    timeout_seconds: float = Field(default=900, gt=0, description="a seller scan's crawl is stopped after this")
    hosts: dict[str, list[str]] = Field(
        default_factory=dict, description="platform -> host names inspectors may paste (subdomains included)"
    )

    @field_validator("hosts")
    @classmethod
    def _hosts_known(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        for platform, names in v.items():
            if not is_known_platform(platform):
                raise ValueError(f"unknown platform {platform!r}")
            for name in names:
                if re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", name) is None:
                    raise ValueError(f"host {name!r} of {platform} must be a lower-case DNS name like tiki.vn")
        return v


class WatchlistFile(_Strict):
    schema_version: Literal[1]
    timezone: str = "Asia/Ho_Chi_Minh"
    platforms: dict[str, WatchEntry]
    misfire_grace_seconds: int = Field(
        default=6 * 3600, ge=1,
        description="a run missed while the machine slept still starts (once) if woken within this",
    )
    scan_timeout_seconds: float = Field(default=3 * 3600, gt=0, description="a nightly crawl is stopped after this")
    max_parallel_jobs: int = Field(default=2, ge=1, le=32, description="nightly jobs running at once")
    on_demand: OnDemand = Field(default_factory=OnDemand)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {v!r} (use an IANA name like Asia/Ho_Chi_Minh)") from exc
        return v

    @field_validator("platforms")
    @classmethod
    def _known(cls, v: dict[str, WatchEntry]) -> dict[str, WatchEntry]:
        for name in v:
            if not is_known_platform(name):
                raise ValueError(f"unknown platform {name!r}")
        return v

    def expected_min_listings(self, platform: str) -> int | None:
        """How many listings a scan of `platform` should at least yield (None: no expectation)."""
        entry = self.platforms.get(platform)
        return None if entry is None else entry.expected_min_listings


class Province(_Strict):
    name: str
    aliases: list[str] = Field(default_factory=list)


class ProvincesFile(_Strict):
    schema_version: Literal[1]
    provinces: list[Province] = Field(min_length=1)
    strip_prefixes: list[str] = Field(default_factory=list, description="folded words dropped before matching")


class Country(_Strict):
    gs1: list[str] = Field(min_length=1, description="GS1 member organisation names (biip usage)")
    names: list[str] = Field(min_length=1, description="How sellers write the country of origin")


class CountriesFile(_Strict):
    schema_version: Literal[1]
    domestic_claims: list[str] = Field(
        default_factory=list, description="words before a country that claim goods of its home market ('nội địa')")
    countries: list[Country] = Field(min_length=1)


class NormalizeFile(_Strict):
    schema_version: Literal[1]
    price_on_request: list[str] = Field(min_length=1)
    million_units: list[str] = Field(min_length=1)
    thousand_units: list[str] = Field(min_length=1)
    currency_marks: list[str] = Field(min_length=1)
    range_separators: list[str] = Field(min_length=1)
    price_prefixes: list[str] = Field(default_factory=list)
    gtin_placeholders: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- rule set


class RuleSet(BaseModel):
    """Every rule file, validated: one attribute per file (`brands` is brands.yaml, ...).

    `version` is a short hash of the files' bytes, stored with each score so a reviewer
    knows which rules produced it."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    directory: Path
    version: str
    brands: BrandsFile
    slang: SlangFile
    categories: CategoriesFile
    scoring: ScoringFile
    watchlist: WatchlistFile
    platforms: PlatformsFile
    provinces: ProvincesFile
    countries: CountriesFile
    normalize: NormalizeFile
    forms: FormsFile
    _by_name: dict[str, Brand] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._by_name.update({b.name: b for b in self.brands.brands})

    def brand(self, name: str) -> Brand | None:
        """The brand with this canonical name."""
        return self._by_name.get(name)

    def category(self, key: str | None) -> Category | None:
        return None if key is None else self.categories.categories.get(key)

    def platform(self, name: str) -> Platform | None:
        """Platform rules; `demo-tiki` falls back to `tiki`'s when it has none of its own."""
        table = self.platforms.platforms
        found = table.get(name)
        if found is None and name.startswith("demo-"):
            found = table.get(name.removeprefix("demo-"))
        return found


FILES: dict[str, type[BaseModel]] = {
    "brands.yaml": BrandsFile,
    "slang.yaml": SlangFile,
    "categories.yaml": CategoriesFile,
    "scoring.yaml": ScoringFile,
    "watchlist.yaml": WatchlistFile,
    "platforms.yaml": PlatformsFile,
    "provinces.yaml": ProvincesFile,
    "countries.yaml": CountriesFile,
    "normalize.yaml": NormalizeFile,
    "forms.yaml": FormsFile,
    "product_lines.yaml": ProductLinesFile,
}
# Files added after sites made their own copies of rules/: when a site's directory lacks
# one, the shipped default is used, so an old copy keeps working.
OPTIONAL_FILES = frozenset({"forms.yaml", "product_lines.yaml"})

_M = TypeVar("_M", bound=BaseModel)


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _field_name(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += part if out == "" else f".{part}"
    return out


def _line_for(node: yaml.Node | None, loc: Loc) -> int | None:
    """Walk `loc` down the composed YAML tree; the deepest node reached gives the line."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        nxt: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    # A missing-value error is reported on the key's line.
                    nxt = value
                    line = key.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            nxt = node.value[part]
        if nxt is None:
            return line
        node = nxt
        line = node.start_mark.line + 1
    return line


def _check_duplicate_keys(path: Path, node: yaml.Node | None, loc: Loc = ()) -> None:
    # PyYAML keeps the last of two equal keys without a word; an analyst who pasted a brand
    # block twice must hear about it.
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise RulesError(_display(path), key.start_mark.line + 1, _field_name((*loc, key.value)),
                                     "duplicate key")
                seen.add(key.value)
                _check_duplicate_keys(path, value, (*loc, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _check_duplicate_keys(path, item, (*loc, i))


@dataclass
class _Parsed:
    path: Path
    node: yaml.Node | None
    data: object
    raw: bytes

    def error(self, loc: Loc, message: str) -> RulesError:
        return RulesError(_display(self.path), _line_for(self.node, loc), _field_name(loc), message)


def _parse(path: Path) -> _Parsed:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RulesError(_display(path), None, None, "rule file not found") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RulesError(_display(path), None, None, f"not UTF-8: {exc}") from None
    # One pass keeps both the node tree (line numbers) and the data; libyaml when present.
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        too_big = alias_problem(node)
        if too_big is not None:
            raise RulesError(_display(path), None, None, too_big)
        data = None if node is None else loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise RulesError(_display(path), line, None, f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise RulesError(_display(path), None, None, f"YAML error: {exc}") from None
    finally:
        loader.dispose()
    _check_duplicate_keys(path, node)
    return _Parsed(path, node, data, raw)


def _validate(parsed: _Parsed, model: type[_M]) -> _M:
    if not isinstance(parsed.data, dict):
        raise RulesError(_display(parsed.path), 1, None, "expected a mapping at the top level")
    try:
        return model.model_validate(parsed.data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        loc: Loc = tuple(first["loc"])
        message = first["msg"]
        if len(errors) > 1:
            message += f" (and {len(errors) - 1} more error{'s' if len(errors) > 2 else ''})"
        raise parsed.error(loc, message) from None


def _cross_check(parsed: Mapping[str, _Parsed], brands: BrandsFile, categories: CategoriesFile,
                 scoring: ScoringFile, watchlist: WatchlistFile) -> None:
    """Checks that span files: categories exist, names are unique after folding."""
    bp = parsed["brands.yaml"]
    owner: dict[str, tuple[str, Loc]] = {}
    for i, brand in enumerate(brands.brands):
        if brand.category not in categories.categories:
            raise bp.error(("brands", i, "category"),
                           f"unknown category {brand.category!r} (not in categories.yaml)")
        names: list[tuple[str, Loc]] = [(brand.name, ("brands", i, "name"))]
        names += [(a, ("brands", i, "aliases", j)) for j, a in enumerate(brand.aliases)]
        seen_here: set[str] = set()
        for name, loc in names:
            key = " ".join(fold(name).replace("-", " ").split())
            if key in seen_here:
                continue
            seen_here.add(key)
            if key in owner and owner[key][0] != brand.name:
                raise bp.error(loc, f"{name!r} is already a name or alias of brand {owner[key][0]!r}")
            if key in owner:
                raise bp.error(loc, f"duplicate brand name {name!r}")
            owner[key] = (brand.name, loc)
    cp = parsed["categories.yaml"]
    for key, cat in categories.categories.items():
        for j, rel in enumerate(cat.related):
            if rel not in categories.categories:
                raise cp.error(("categories", key, "related", j), f"unknown category {rel!r}")
    sp = parsed["scoring.yaml"]
    for j, cat_key in enumerate(scoring.seller.many_brands_categories):
        if cat_key not in categories.categories:
            raise sp.error(("seller", "many_brands_categories", j), f"unknown category {cat_key!r}")
    _check_signal_codes(sp, scoring)
    wp = parsed["watchlist.yaml"]
    brand_names = {b.name for b in brands.brands}
    for platform, entry in watchlist.platforms.items():
        for j, name in enumerate(entry.brands):
            if name not in brand_names:
                raise wp.error(("platforms", platform, "brands", j), f"unknown brand {name!r} (not in brands.yaml)")
        for j, cat_key in enumerate(entry.categories):
            if cat_key not in categories.categories:
                raise wp.error(("platforms", platform, "categories", j), f"unknown category {cat_key!r}")


def _check_signal_codes(sp: _Parsed, scoring: ScoringFile) -> None:
    """Every weight names a code a detector emits, and every such code has a weight: a
    typo ("brand.lookalik") would otherwise score 0 without a word."""
    for key in ("weights", "official_seller_dampen"):
        for code in getattr(scoring, key):
            if code not in SIGNAL_CODES:
                raise sp.error((key, code), f"unknown signal code {code!r} (not in detectors/codes.py)")
    for j, code in enumerate(scoring.seller.ignore_on_rollup_when_official):
        if code not in SIGNAL_CODES:
            raise sp.error(("seller", "ignore_on_rollup_when_official", j),
                           f"unknown signal code {code!r} (not in detectors/codes.py)")
    missing = [code for code in SIGNAL_CODES if code not in scoring.weights]
    if missing:
        raise sp.error(("weights",), f"no weight for signal code{'s' if len(missing) > 1 else ''} "
                                     f"{', '.join(missing)} (0 makes a signal informational)")


def _resolve_directory(directory: Path | str | None) -> Path:
    if directory is None:
        env = os.environ.get(ENV_VAR)
        directory = Path(env) if env is not None and env.strip() != "" else PACKAGE_DIR
    path = Path(directory).expanduser().resolve()
    if not path.is_dir():
        raise RulesError(str(directory), None, None, "rules directory not found")
    return path


def _stamp(directory: Path) -> tuple[tuple[str, int, int], ...]:
    out = []
    for name in FILES:
        try:
            st = _file(directory, name).stat()
        except FileNotFoundError:
            out.append((name, -1, -1))
            continue
        out.append((name, st.st_mtime_ns, st.st_size))
    return tuple(out)


_cache: dict[Path, tuple[tuple[tuple[str, int, int], ...], RuleSet]] = {}
_cache_lock = Lock()


def clear_cache() -> None:
    """Forget cached rule sets (tests that rewrite files within one mtime tick)."""
    with _cache_lock:
        _cache.clear()


def load_rules(directory: Path | str | None = None) -> RuleSet:
    """Load and validate all rule files of `directory`.

    `None` means `$LISTINGWATCH_RULES` when set, else the defaults shipped in this package.
    Raises `RulesError` naming file, line and field. Cached per directory until a file
    changes (size or mtime)."""
    path = _resolve_directory(directory)
    stamp = _stamp(path)
    with _cache_lock:
        hit = _cache.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[1]
    rules = _load(path)
    with _cache_lock:
        _cache[path] = (stamp, rules)
    return rules


def _file(directory: Path, name: str) -> Path:
    path = directory / name
    return PACKAGE_DIR / name if name in OPTIONAL_FILES and not path.exists() else path


def _load(directory: Path) -> RuleSet:
    parsed = {name: _parse(_file(directory, name)) for name in FILES}
    models: dict[str, Any] = {name: _validate(parsed[name], model) for name, model in FILES.items()}
    models["brands.yaml"] = _merge_product_lines(parsed["product_lines.yaml"], models["brands.yaml"],
                                                 models["product_lines.yaml"], models["categories.yaml"])
    brands: BrandsFile = models["brands.yaml"]
    categories: CategoriesFile = models["categories.yaml"]
    scoring: ScoringFile = models["scoring.yaml"]
    watchlist: WatchlistFile = models["watchlist.yaml"]
    _cross_check(parsed, brands, categories, scoring, watchlist)
    digest = hashlib.sha256()
    for name in FILES:
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(parsed[name].raw)
        digest.update(b"\0")
    return RuleSet(
        directory=directory,
        version=digest.hexdigest()[:12],
        brands=brands,
        slang=models["slang.yaml"],
        categories=categories,
        scoring=scoring,
        watchlist=watchlist,
        platforms=models["platforms.yaml"],
        provinces=models["provinces.yaml"],
        countries=models["countries.yaml"],
        normalize=models["normalize.yaml"],
        forms=models["forms.yaml"],
    )


def _merge_product_lines(parsed: _Parsed, brands: BrandsFile, lines: ProductLinesFile,
                         categories: CategoriesFile) -> BrandsFile:
    """One registry: the brands of product_lines.yaml join brands.yaml, and each line, floor
    and licence joins the brand it names (by name or alias). Errors name product_lines.yaml."""
    extra: list[Brand] = []
    for i, raw in enumerate(lines.brands):
        try:
            extra.append(Brand.model_validate(raw))
        except ValidationError as exc:
            first = exc.errors()[0]
            raise parsed.error(("brands", i, *first["loc"]), first["msg"]) from None
    all_brands = [*brands.brands, *extra]
    by_key: dict[str, int] = {}
    for i, brand in enumerate(all_brands):
        for name in brand.all_names():
            by_key.setdefault(" ".join(fold(name).replace("-", " ").split()), i)
    added: dict[int, dict[str, list[Any]]] = {}

    def owner(name: str, loc: Loc) -> dict[str, list[Any]]:
        i = by_key.get(" ".join(fold(name).replace("-", " ").split()))
        if i is None:
            raise parsed.error(loc, f"unknown brand {name!r} (not in brands.yaml nor under brands:)")
        return added.setdefault(i, {"products": [], "floors": [], "licensed_categories": []})

    for j, entry in enumerate(lines.lines):
        owner(entry.brand, ("lines", j, "brand"))["products"].append(ProductLine(
            line=entry.line, keywords=entry.keywords, price_min=entry.price_min, price_max=entry.price_max,
            identifies=entry.identifies, size=entry.size, sold_new=entry.sold_new, corroborates=entry.identifies))
    for j, floor in enumerate(lines.floors):
        owner(floor.brand, ("floors", j, "brand"))["floors"].append(
            BrandFloor(goods=floor.goods, price_min=floor.price_min, note=floor.note))
    for j, lic in enumerate(lines.licensed):
        for k, cat in enumerate(lic.categories):
            if cat not in categories.categories:
                raise parsed.error(("licensed", j, "categories", k), f"unknown category {cat!r}")
        owner(lic.brand, ("licensed", j, "brand"))["licensed_categories"].extend(lic.categories)
    if not added and not extra:
        return brands
    merged = []
    for i, brand in enumerate(all_brands):
        more = added.get(i)
        if more is None:
            merged.append(brand)
            continue
        merged.append(brand.model_copy(update={
            "products": [*brand.products, *more["products"]],
            "floors": [*brand.floors, *more["floors"]],
            "licensed_categories": [*brand.licensed_categories, *more["licensed_categories"]],
        }))
    return brands.model_copy(update={"brands": merged})


def load_watchlist(path: Path | str, rules: RuleSet | None = None) -> WatchlistFile:
    """Validate a stand-alone watchlist (`listingwatch scan --watchlist F`). Brands and
    categories are checked against `rules` (default: the current rule set)."""
    parsed = _parse(Path(path))
    watchlist = _validate(parsed, WatchlistFile)
    rules = rules if rules is not None else load_rules()
    brand_names = {b.name for b in rules.brands.brands}
    for platform, entry in watchlist.platforms.items():
        for j, name in enumerate(entry.brands):
            if name not in brand_names:
                raise parsed.error(("platforms", platform, "brands", j), f"unknown brand {name!r} (not in brands.yaml)")
        for j, key in enumerate(entry.categories):
            if key not in rules.categories.categories:
                raise parsed.error(("platforms", platform, "categories", j), f"unknown category {key!r}")
    return watchlist


EVIDENCE_FILE = "evidence.yaml"


def load_evidence(directory: Path | str | None = None) -> EvidenceSettings:
    """Validate `evidence.yaml` of `directory` (as `load_rules` resolves it); a site's copy
    of rules/ made before the file existed uses the packaged one. Not cached: it is read
    once per capture run or purge, and not part of `RuleSet.version`."""
    path = _resolve_directory(directory) / EVIDENCE_FILE
    if not path.exists():
        path = PACKAGE_DIR / EVIDENCE_FILE
    parsed = _parse(path)
    if parsed.data is None:  # an empty file keeps every default
        parsed = replace(parsed, data={})
    return _validate(parsed, EvidenceSettings)


def check_rules(directory: Path | str | None = None) -> list[str]:
    """Validate without caching every rule file and evidence.yaml (`listingwatch rules
    check`); returns a list of problems (empty when fine)."""
    problems = []
    for check in (lambda: _load(_resolve_directory(directory)), lambda: load_evidence(directory)):
        try:
            check()
        except RulesError as exc:
            problems.append(str(exc))
    return problems


__all__: Sequence[str] = [
    "Brand", "BrandsFile", "CategoriesFile", "Category", "Platform", "ProductLine", "RuleSet",
    "RulesError", "ScoringFile", "SlangFile", "SlangTerm", "WatchEntry", "WatchlistFile",
    "EvidenceSettings", "check_rules", "clear_cache", "load_evidence", "load_rules", "load_watchlist",
]  # fmt: skip
