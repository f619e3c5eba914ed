"""Load and validate the analyst-editable rule files (DESIGN §4.4).

Every file is parsed twice: once by `yaml.compose` to keep the node tree (which knows line
numbers) and once into plain data that pydantic validates. When validation fails the
pydantic error location (`('brands', 3, 'products', 0, 'price_min')`) is walked down the
node tree, so the analyst is told `rules/brands.yaml:42: brands[3].products[0].price_min:
...` instead of a stack trace.

Loaded rule sets are cached per directory and invalidated when a file changes, because
scoring a large batch must not re-read YAML per record.

The model of each file lives in `rules.models`, `rules.scoring`, `rules.watchlist`,
`rules.products` and `rules.evidence` (all re-exported here); checks that span files are
in `rules.validate`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from threading import Lock
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError

from rules.alerts import AlertsFile
from rules.evidence import EvidenceSettings
from rules.models import (
    Brand,
    BrandsFile,
    CategoriesFile,
    Category,
    CompatibilityRules,
    CopyMarkers,
    CountriesFile,
    Country,
    NormalizeFile,
    Platform,
    PlatformsFile,
    ProductLine,
    Province,
    ProvincesFile,
    SlangFile,
    SlangTerm,
)
from rules.monitors import MonitorsFile
from rules.networks import NetworksFile
from rules.products import FormsFile, ProductLinesFile
from rules.scoring import (
    BarcodeScoring,
    BelowReference,
    BrandScoring,
    Isolation,
    Outlier,
    Plausible,
    PriceScoring,
    ScoringFile,
    SellerScoring,
    TextScoring,
    Unit,
)
from rules.validate import check_watchlist, cross_check, merge_product_lines
from rules.watchlist import OnDemand, WatchEntry, WatchlistFile
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


def _site_or_packaged(directory: Path | str | None, name: str) -> Path:
    """A settings file beside the rules (as `load_rules` resolves the folder), or the packaged
    one when a site's copy of rules/ was made before the file existed."""
    path = _resolve_directory(directory) / name
    return path if path.exists() else PACKAGE_DIR / name


def _file(directory: Path, name: str) -> Path:
    path = directory / name
    return PACKAGE_DIR / name if name in OPTIONAL_FILES and not path.exists() else path


def _load(directory: Path) -> RuleSet:
    parsed = {name: _parse(_file(directory, name)) for name in FILES}
    models: dict[str, Any] = {name: _validate(parsed[name], model) for name, model in FILES.items()}
    models["brands.yaml"] = merge_product_lines(parsed["product_lines.yaml"], models["brands.yaml"],
                                                 models["product_lines.yaml"], models["categories.yaml"])
    brands: BrandsFile = models["brands.yaml"]
    categories: CategoriesFile = models["categories.yaml"]
    scoring: ScoringFile = models["scoring.yaml"]
    watchlist: WatchlistFile = models["watchlist.yaml"]
    cross_check(parsed, brands, categories, scoring, watchlist)
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


def load_watchlist(path: Path | str, rules: RuleSet | None = None) -> WatchlistFile:
    """Validate a stand-alone watchlist (`listingwatch scan --watchlist F`). Brands and
    categories are checked against `rules` (default: the current rule set)."""
    parsed = _parse(Path(path))
    watchlist = _validate(parsed, WatchlistFile)
    rules = rules if rules is not None else load_rules()
    check_watchlist(parsed, watchlist, rules.brands, rules.categories)
    return watchlist


EVIDENCE_FILE = "evidence.yaml"


def load_evidence(directory: Path | str | None = None) -> EvidenceSettings:
    """Validate `evidence.yaml` of `directory` (as `load_rules` resolves it); a site's copy
    of rules/ made before the file existed uses the packaged one. Not cached: it is read
    once per capture run or purge, and not part of `RuleSet.version`."""
    path = _site_or_packaged(directory, EVIDENCE_FILE)
    parsed = _parse(path)
    if parsed.data is None:  # an empty file keeps every default
        parsed = replace(parsed, data={})
    return _validate(parsed, EvidenceSettings)


NETWORKS_FILE = "networks.yaml"


def load_networks(directory: Path | str | None = None) -> NetworksFile:
    """Validate `networks.yaml` of `directory` (as `load_rules` resolves it); a site's copy of
    rules/ made before the file existed uses the packaged one. Not cached (read once per
    network rebuild) and not part of `RuleSet.version`: linking sellers changes no score."""
    path = _site_or_packaged(directory, NETWORKS_FILE)
    return _validate(_parse(path), NetworksFile)


MONITORS_FILE = "monitors.yaml"


def load_monitors(directory: Path | str | None = None) -> MonitorsFile:
    """Validate `monitors.yaml` of `directory` (as `load_rules` resolves it); a site's copy of
    rules/ made before the file existed uses the packaged one. Not cached (one small file per
    runs page) and not part of `RuleSet.version`: a health monitor changes no score."""
    path = _site_or_packaged(directory, MONITORS_FILE)
    parsed = _parse(path)
    monitors = _validate(parsed, MonitorsFile)
    problems = monitors.level_problems()
    if problems:
        raise parsed.error(*problems[0])
    return monitors


ALERTS_FILE = "alerts.yaml"


def load_alerts(directory: Path | str | None = None) -> AlertsFile:
    """Validate `alerts.yaml` of `directory` (as `load_rules` resolves it); a site's copy of
    rules/ made before the file existed uses the packaged one. Category keys are checked
    against that directory's categories.yaml. Not cached and not part of `RuleSet.version`."""
    parsed = _parse(_site_or_packaged(directory, ALERTS_FILE))
    alerts = _validate(parsed, AlertsFile)
    known = load_rules(directory).categories.categories  # cached: the retry job reads this every minute
    for key in alerts.flagged_seller.categories:
        if key not in known:
            raise parsed.error(("flagged_seller", "categories", key), f"no category {key!r} in categories.yaml")
    return alerts


def check_rules(directory: Path | str | None = None) -> list[str]:
    """Validate without caching every rule file, evidence.yaml, networks.yaml, monitors.yaml and
    alerts.yaml (`listingwatch rules check`); returns a list of problems (empty when fine)."""
    problems = []
    for check in (lambda: _load(_resolve_directory(directory)), lambda: load_evidence(directory),
                  lambda: load_networks(directory), lambda: load_monitors(directory),
                  lambda: load_alerts(directory)):
        try:
            check()
        except RulesError as exc:
            problems.append(str(exc))
    return problems


__all__: Sequence[str] = [
    "RuleSet", "RulesError", "check_rules", "clear_cache", "load_alerts", "load_evidence", "load_monitors", "load_networks",
    "load_rules",
    "load_watchlist",
    # The file models live in rules.models, rules.scoring and rules.watchlist; re-exported
    # so `from rules.loader import Brand` keeps working.
    "Brand", "BrandsFile", "CategoriesFile", "Category", "CompatibilityRules", "CopyMarkers", "CountriesFile",
    "Country", "NormalizeFile", "Platform", "PlatformsFile", "ProductLine", "Province", "ProvincesFile",
    "SlangFile", "SlangTerm",
    "BarcodeScoring", "BelowReference", "BrandScoring", "Isolation", "Outlier", "Plausible", "PriceScoring",
    "ScoringFile", "SellerScoring", "TextScoring", "Unit",
    "OnDemand", "WatchEntry", "WatchlistFile",
    "AlertsFile", "EvidenceSettings", "MonitorsFile", "NetworksFile",
]  # fmt: skip
