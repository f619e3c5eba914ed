"""rules.loader: defaults load, errors name file, line and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rules.loader import PACKAGE_DIR, RulesError, load_rules


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def test_default_rules_load_with_short_content_hash() -> None:
    rules = load_rules()
    assert re.fullmatch(r"[0-9a-f]{12}", rules.version)


def test_default_rules_are_cached() -> None:
    assert load_rules() is load_rules()


def test_env_var_points_to_a_sites_copy(rules_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LISTINGWATCH_RULES", str(rules_copy))
    assert load_rules().directory == rules_copy.resolve()


def test_at_least_150_brands() -> None:
    assert len(load_rules().brands.brands) >= 150


@pytest.mark.parametrize(
    ("brand", "line", "low", "high"),
    [
        ("Nike", "Air Force 1", 2_500_000, 3_500_000),
        ("Louis Vuitton", "Neverfull MM", 45_000_000, 60_000_000),
        ("Vinamilk", "Dielac Grow Plus 900g", 250_000, 380_000),
        ("Elmich", "Insulated bottle 480ml", 120_000, 450_000),
        ("Similac", "Similac IQ 900g", 520_000, 720_000),
    ],
)
def test_seed_brands_keep_their_lines_and_bands(brand: str, line: str, low: int, high: int) -> None:
    found = load_rules().brand(brand)
    assert found is not None
    product = next(p for p in found.products if p.line == line)
    assert (product.price_min, product.price_max) == (low, high)


def test_every_brand_category_exists() -> None:
    rules = load_rules()
    assert {b.category for b in rules.brands.brands} <= set(rules.categories.categories)


def test_health_categories_raise_queue_weight_and_expect_barcodes() -> None:
    cats = load_rules().categories.categories
    for key in ("milk", "supplements", "medicine", "cosmetics", "food"):
        assert cats[key].health and cats[key].barcode_expected and cats[key].queue_weight > 1.0


def test_tiki_trading_is_first_party() -> None:
    tiki = load_rules().platform("tiki")
    assert tiki is not None and tiki.first_party_sellers["1"] == "Tiki Trading"


def test_watchlist_has_demo_platforms() -> None:
    watch = load_rules().watchlist.platforms
    for name in ("demo-tiki", "demo-web", "demo-shopee"):
        assert "sữa" in watch[name].keywords


def test_type_error_names_file_line_and_field(rules_copy: Path) -> None:
    path = rules_copy / "brands.yaml"
    text = path.read_text(encoding="utf-8").replace("price_min: 2500000", "price_min: lots", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules(rules_copy)
    line = line_of(path, "price_min: lots")
    assert err.value.line == line
    assert err.value.field == "brands[0].products[0].price_min"
    assert f"brands.yaml:{line}: brands[0].products[0].price_min: Input should be a valid integer" in str(err.value)


def test_yaml_syntax_error_names_file_and_line(rules_copy: Path) -> None:
    path = rules_copy / "slang.yaml"
    path.write_text(
        "schema_version: 1\n"
        "guards: [represent]\n"
        "terms:\n"
        "  - term: rep\n"
        "    score: [0.9\n"
        "    en: x\n",
        encoding="utf-8",
    )
    with pytest.raises(RulesError) as err:
        load_rules(rules_copy)
    assert err.value.path.endswith("slang.yaml")
    assert err.value.line in (6, 7)  # libyaml reports where the flow sequence broke
    assert re.search(r"slang\.yaml:\d+: YAML syntax error", str(err.value))


def test_unknown_category_is_an_error(rules_copy: Path) -> None:
    path = rules_copy / "brands.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("category: household", "category: kitchen", 1),
                    encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules(rules_copy)
    assert err.value.line == line_of(path, "category: kitchen")
    assert err.value.field is not None and err.value.field.endswith(".category")
    assert "unknown category 'kitchen'" in str(err.value)


def test_price_band_must_be_ordered(rules_copy: Path) -> None:
    path = rules_copy / "brands.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("price_max: 3500000", "price_max: 1000", 1),
                    encoding="utf-8")
    with pytest.raises(RulesError, match=r"brands\[0\]\.products\[0\].*price_min \(2500000\) is greater"):
        load_rules(rules_copy)


def test_alias_shared_by_two_brands_is_an_error(rules_copy: Path) -> None:
    path = rules_copy / "brands.yaml"
    text = path.read_text(encoding="utf-8").replace('aliases: ["adidas originals"]', 'aliases: ["af1"]', 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules(rules_copy)
    assert "already a name or alias of brand 'Nike'" in str(err.value)
    # The second occurrence (Adidas's aliases) is the one reported.
    assert err.value.line == line_of(path, "name: Adidas") + 2
    assert err.value.field == "brands[1].aliases[0]"


def test_duplicate_yaml_key_is_an_error(rules_copy: Path) -> None:
    path = rules_copy / "scoring.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("flag_threshold: 0.5\n", "flag_threshold: 0.5\nflag_threshold: 0.1\n", 1),
                    encoding="utf-8")
    with pytest.raises(RulesError, match=r"scoring\.yaml:\d+: flag_threshold: duplicate key"):
        load_rules(rules_copy)


def test_unknown_key_is_reported_not_ignored(rules_copy: Path) -> None:
    path = rules_copy / "categories.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    health: true\n", "    helth: true\n", 1),
                    encoding="utf-8")
    with pytest.raises(RulesError, match=r"categories\.yaml:\d+: categories\.milk\.helth: Extra inputs"):
        load_rules(rules_copy)


def test_watchlist_brand_must_exist(rules_copy: Path) -> None:
    path = rules_copy / "watchlist.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("brands: [Similac, Vinamilk, Nike]",
                                                             "brands: [Similac, Vinamilkk, Nike]", 1), encoding="utf-8")
    with pytest.raises(RulesError, match=r"watchlist\.yaml:\d+: platforms\.demo-tiki\.brands\[1\]: unknown brand"):
        load_rules(rules_copy)


def test_missing_file_is_named(rules_copy: Path) -> None:
    (rules_copy / "platforms.yaml").unlink()
    with pytest.raises(RulesError, match=r"platforms\.yaml: rule file not found"):
        load_rules(rules_copy)


def test_edit_is_picked_up_and_changes_version(rules_copy: Path) -> None:
    before = load_rules(rules_copy)
    path = rules_copy / "scoring.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("flag_threshold: 0.5\n", "flag_threshold: 0.6\n", 1),
                    encoding="utf-8")
    after = load_rules(rules_copy)
    assert after.scoring.flag_threshold == 0.6 and after.version != before.version


def test_packaged_directory_is_the_rules_package() -> None:
    assert (PACKAGE_DIR / "brands.yaml").is_file()


# --------------------------------------------------------------------------- signal codes


def test_weight_for_unknown_signal_code_names_file_and_line(rules_copy: Path) -> None:
    scoring = rules_copy / "scoring.yaml"
    scoring.write_text(scoring.read_text(encoding="utf-8").replace("  text.slang:", "  text.slnag:", 1),
                       encoding="utf-8")
    with pytest.raises(RulesError) as info:
        load_rules(rules_copy)
    assert info.value.path.endswith("scoring.yaml")
    assert info.value.line == line_of(scoring, "text.slnag:")
    assert "unknown signal code 'text.slnag'" in str(info.value)


def test_known_signal_code_without_weight_is_an_error(rules_copy: Path) -> None:
    scoring = rules_copy / "scoring.yaml"
    text = scoring.read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if not line.startswith("  seller.new_shop:")]
    scoring.write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(RulesError) as info:
        load_rules(rules_copy)
    assert info.value.path.endswith("scoring.yaml")
    assert info.value.line is not None
    assert "no weight for signal code seller.new_shop" in str(info.value)


def test_dampen_for_unknown_signal_code_is_an_error(rules_copy: Path) -> None:
    scoring = rules_copy / "scoring.yaml"
    scoring.write_text(scoring.read_text(encoding="utf-8").replace(
        "  price.isolation: 0.0\n", "  price.isolaton: 0.0\n", 1), encoding="utf-8")
    with pytest.raises(RulesError, match="official_seller_dampen.price.isolaton: unknown signal code"):
        load_rules(rules_copy)


def test_evidence_yaml_is_checked_with_the_rules(rules_copy: Path) -> None:
    from rules.loader import check_rules, load_evidence

    assert load_evidence(rules_copy).capture_on_scan is True
    evidence = rules_copy / "evidence.yaml"
    evidence.write_text(evidence.read_text(encoding="utf-8") + "screenshots: always\n", encoding="utf-8")
    [problem] = check_rules(rules_copy)
    assert f"evidence.yaml:{line_of(evidence, 'screenshots:')}: screenshots: Extra inputs are not permitted" in problem


def test_a_site_copy_without_evidence_yaml_uses_the_packaged_one(rules_copy: Path) -> None:
    from rules.loader import load_evidence

    (rules_copy / "evidence.yaml").unlink()
    assert load_evidence(rules_copy) == load_evidence(PACKAGE_DIR)


def test_a_line_named_with_its_size_is_a_band_for_that_size() -> None:
    found = load_rules().brand("Head & Shoulders")
    assert found is not None
    shampoo = next(p for p in found.products if p.line == "Shampoo 625ml")
    assert shampoo.size is not None and (shampoo.size.value, shampoo.size.unit) == (625.0, "ml")


def test_a_line_named_with_its_count_is_a_band_for_that_count() -> None:
    from rules.models import ProductLine

    def size(name: str) -> tuple[float, str] | None:
        line = ProductLine.model_validate({"line": name, "keywords": ["x"], "price_min": 1, "price_max": 2})
        return None if line.size is None else (line.size.value, line.size.unit)

    assert size("Panadol Extra (180 tablets)") == (180.0, "count")
    assert size("Grape Seed 58000 300 caps") == (300.0, "count")  # the strength is no count
    assert size("Facial Treatment Mask (6-10 pcs)") is None  # a range names no one pack
    assert size("Ferrero Rocher 24/30 pieces") is None
    assert size("Shampoo 625ml") == (625.0, "ml")


def test_a_line_named_in_kilograms_or_litres_is_a_band_for_that_weight_or_volume() -> None:
    """A tin of 830 g is not priced against the 1.7 kg band as if it were the big tin."""
    from rules.models import ProductLine

    def size(name: str) -> tuple[float, str] | None:
        line = ProductLine.model_validate({"line": name, "keywords": ["x"], "price_min": 1, "price_max": 2})
        return None if line.size is None else (line.size.value, line.size.unit)

    assert size("Enfagrow A+ 1.7kg") == (1700.0, "g")
    assert size("Fabric softener 3,5 L") == (3500.0, "ml")
    # Litres that name a capacity, not the contents: a backpack, a fridge, a range of bottles.
    assert size("Kanken Classic 16L") is None
    assert size("327 / 480 / 204L") is None
    assert size("Classic Legendary bottle 1.0-1.4L") is None
    enfamil = load_rules().brand("Enfamil")
    assert enfamil is not None
    assert {p.line: p.size.value for p in enfamil.products if p.size is not None}["Enfagrow A+ 1.7kg"] == 1700.0


def test_goods_code_goods_must_be_single_words(rules_copy: Path) -> None:
    path = rules_copy / "brands.yaml"
    text = path.read_text(encoding="utf-8")
    assert '{code: "gc", goods: ["dép"]}' in text
    path.write_text(text.replace('{code: "gc", goods: ["dép"]}', '{code: "gc", goods: ["dép lê"]}', 1), encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules(rules_copy)
    assert err.value.line == line_of(path, '"dép lê"')
    assert err.value.field is not None and "goods_codes" in err.value.field
    assert "single words" in str(err.value)


def test_goods_words_on_a_line_that_identifies_alone_name_file_and_line(rules_copy: Path) -> None:
    path = rules_copy / "product_lines.yaml"
    old = 'keywords: ["charge 5", "charge5"], identifies: false,'
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, 'keywords: ["charge 5", "charge5"], identifies: true,', 1), encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules(rules_copy)
    assert err.value.line == line_of(path, 'keywords: ["charge 5", "charge5"], identifies: true,')
    assert "identifies_with is for lines whose keywords do not identify the maker alone" in str(err.value)
