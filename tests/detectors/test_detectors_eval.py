"""Issue #4: the evaluation command, the fixed look-alike defects, and `score` under fuzzing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from detectors import score_listings
from detectors.brand import find_mentions
from detectors.price import peer_prices_from
from listingwatch import app
from pipeline.evaluate import DEFAULT_REALDATA, realdata_dir
from rules.loader import RuleSet

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _brands(text: str, rules: RuleSet) -> dict[str, str]:
    return {m.brand.name: m.kind for m in find_mentions(text, rules)}


def test_seed_pack_is_not_lg(rules: RuleSet) -> None:
    assert _brands("Hạt giống cà chua bi F1 (gói 0.1g)", rules) == {}


@pytest.mark.parametrize(("title", "brand"), [
    ("Máy đo huyết áp Omrom HEM-7121", "Omron"),
    ("Kem chống nắng La Roche Posey Anthelios", "La Roche-Posay"),
])
def test_typo_squats_found(rules: RuleSet, title: str, brand: str) -> None:
    assert _brands(title, rules).get(brand) == "fuzzy"


def test_coded_names_are_lookalike_claims(rules: RuleSet, make) -> None:  # type: ignore[no-untyped-def]
    assert _brands("Giày Sneaker CK2 Trắng Cổ Thấp - Nam", rules) == {"Converse": "coded"}
    scored = score_listings([make("Giày Sneaker CK2 Trắng Cổ Thấp - Nam", price=199000)], rules)[0]
    sig = next(s for s in scored.signals if s.code == "brand.lookalike")
    assert "ck2" in sig.detail and "Converse" in sig.detail
    assert sig.detail_vi is not None and "Converse" in sig.detail_vi


def test_word_that_ends_a_brand_is_not_the_brand(rules: RuleSet) -> None:
    # "phone" differs from "iphone" by its first letter only, but it is a plain word.
    assert _brands("jack Loa ,phone 3.5 ,3 ly hàn", rules) == {}


def test_fruit_from_a_bach_hoa_shop_expects_no_barcode(rules: RuleSet, make) -> None:  # type: ignore[no-untyped-def]
    scored = score_listings([make("Táo Envy New Zealand bách hoá tươi 1kg", price=120000)], rules)[0]
    assert "barcode.missing" not in {s.code for s in scored.signals}


def test_peers_that_include_the_batch_are_not_double_counted(rules: RuleSet, make) -> None:  # type: ignore[no-untyped-def]
    batch = [make("Giày Nike Air Force 1 trắng", price=2_900_000) for _ in range(4)]
    batch.append(make("Giày Nike Air Force 1 trắng", price=2_000_000))
    stored = [2_900_000] * 4 + [2_000_000]  # the same five listings, as storage returns them
    key = ("Nike", "sportswear")
    with_batch = peer_prices_from({key: stored}, includes_batch=True)
    # Five listings are fewer than min_peers: counted once, no peer statistics are possible.
    assert with_batch.includes_batch
    got = score_listings(batch, rules, with_batch)
    assert all("price.outlier" not in {s.code for s in r.signals} for r in got)
    assert np.asarray(with_batch.get(*key)).size == 5


def _write(tmp_path: Path, lines: list[str]) -> Path:
    p = tmp_path / "labels.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_eval_adversarial_set_via_cli() -> None:
    res = runner.invoke(app, ["eval", str(ROOT / "eval" / "adversarial.jsonl"), "--by", "group"])
    assert res.exit_code == 0, res.output
    assert "precision" in res.output and "obfuscated" in res.output and "brand.lookalike" in res.output
    res = runner.invoke(app, ["eval", str(ROOT / "eval" / "adversarial.jsonl"), "--json"])
    figures = json.loads(res.output)
    assert figures["overall"]["tp"] + figures["overall"]["fn"] == 12
    assert figures["official_flagged"] == []


def test_eval_counts_a_confusion_by_hand(tmp_path: Path) -> None:
    rec = {"platform": "shopee", "seller": {"id": "9"}}
    lines = [
        json.dumps({**rec, "listing_id": "1", "title": "Giày N1ke Air Force 1", "price": 500000,
                    "label": {"counterfeit": True, "group": "a"}}),
        json.dumps({**rec, "listing_id": "2", "title": "Quần tây nam", "price": 99000,
                    "label": {"counterfeit": True, "group": "a"}}),
        json.dumps({**rec, "listing_id": "3", "title": "Bộ chén sứ", "price": 99000,
                    "label": {"counterfeit": False, "group": "b"}}),
    ]
    res = runner.invoke(app, ["eval", str(_write(tmp_path, lines)), "--json"])
    assert res.exit_code == 0, res.output
    o = json.loads(res.output)["overall"]
    assert (o["tp"], o["fp"], o["fn"], o["tn"]) == (1, 0, 1, 1)
    assert o["precision"] == 1.0 and o["recall"] == 0.5


@pytest.mark.parametrize(("line", "field"), [
    ('{"platform": "shopee", "listing_id": "1", "title": "x"}', "label"),
    ('{"platform": "shopee", "listing_id": "1", "title": "x", "label": {"counterfeit": "yes"}}', "label.counterfeit"),
    ('{"platform": "shopee", "listing_id": "1", "title": "", "label": {"counterfeit": true}}', "title"),
    ('{"source": "x.json", "platform": "sendo", "label": {"counterfeit": true}}', "record_id"),
    ("not json", "<line>"),
])
def test_eval_label_errors_name_file_line_field(tmp_path: Path, line: str, field: str) -> None:
    path = _write(tmp_path, ['{"platform": "shopee", "listing_id": "0", "title": "ok", "label": {"counterfeit": false}}', line])
    res = runner.invoke(app, ["eval", str(path)])
    assert res.exit_code == 1
    assert f"labels.jsonl:2: field {field}" in res.output


@pytest.mark.slow
@pytest.mark.skipif(not realdata_dir().is_dir(), reason=f"real data folder {DEFAULT_REALDATA} is absent")
def test_real_listing_targets() -> None:
    """The issue's Done-when on the hand-labelled real listings (all splits)."""
    res = runner.invoke(app, ["eval", str(ROOT / "eval" / "real_listings.jsonl"), "--json"])
    assert res.exit_code == 0, res.output
    figures = json.loads(res.output)
    assert figures["overall"]["precision"] >= 0.90
    assert figures["overall"]["recall"] >= 0.80
    assert figures["official_total"] > 50 and figures["official_flagged"] == []


_json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30))
_field_values = st.one_of(_json_scalar, st.lists(_json_scalar, max_size=3),
                          st.dictionaries(st.text(max_size=8), _json_scalar, max_size=3))
_record = st.fixed_dictionaries(
    {},
    optional={
        "platform": st.one_of(st.sampled_from(["shopee", "tiki", "sendo", "demo-tiki", "nowhere"]), _field_values),
        "listing_id": _field_values, "title": st.one_of(st.text(max_size=80), _field_values),
        "price": st.one_of(st.sampled_from(["1tr2", "150k", "Liên hệ", "1.250.000₫", "572270383441", "-5"]),
                           _field_values),
        "brand": _field_values, "gtin": st.one_of(st.text(alphabet="0123456789 -", max_size=16), _field_values),
        "seller": st.one_of(_field_values, st.fixed_dictionaries({}, optional={"id": _field_values,
                                                                              "name": _field_values})),
        "images": _field_values, "sold": _field_values, "rating": _field_values,
    },
)
_line = st.one_of(_record.map(lambda r: json.dumps(r, ensure_ascii=False)), st.text(max_size=40).filter(
    lambda s: "\n" not in s and "\r" not in s and s.strip() != ""))


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(_line, min_size=1, max_size=8))
def test_score_never_crashes_on_hostile_input(lines: list[str]) -> None:
    """Every non-blank line ends as exactly one scored record or one error line."""
    text = "\n".join(lines) + "\n"
    res = runner.invoke(app, ["score", "--chunk-size", "3"], input=text)
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert res.exit_code in (0, 1)
    scored = [ln for ln in res.stdout.splitlines() if ln.startswith("{")]
    for ln in scored:
        rec = json.loads(ln)
        assert 0.0 <= rec["risk"] <= 1.0
    summary = res.stderr.strip().splitlines()[-1]
    n_ok, n_bad = int(summary.split()[1]), int(summary.split()[3])
    assert n_ok == len(scored)
    assert n_ok + n_bad == sum(1 for ln in lines if ln.strip() != "")
    assert (res.exit_code == 1) == (n_bad > 0)


@pytest.mark.slow
def test_bench_score_smoke() -> None:
    from bench.score import run

    results = run(quick=True)
    assert {r.name.split(":")[0] for r in results} == {"score", "brand"}
    assert all(r.value > 0 and r.baseline > 0 for r in results)


def _labelled(tmp_path: Path, rows: list[tuple[str, str, int, bool]]) -> Path:
    lines = [json.dumps({"platform": "shopee", "listing_id": str(i), "title": title, "price": price,
                         "seller": {"id": f"s{i}"}, "label": {"counterfeit": cf, "group": group}})
             for i, (group, title, price, cf) in enumerate(rows)]
    return _write(tmp_path, lines)


def test_leave_one_category_out_holds_each_category_out(tmp_path: Path) -> None:
    rows = [("shoes", "Giày N1ke Air Force 1", 500_000, True), ("shoes", "Giày vải nam", 150_000, False),
            ("bags", "Túi Cha nel classic", 900_000, True), ("bags", "Túi vải canvas", 90_000, False),
            ("bags", "Túi Gucci hàng rep 1:1", 700_000, True), ("milk", "Sữa tươi 1 lít", 32_000, False)]
    res = runner.invoke(app, ["eval", str(_labelled(tmp_path, rows)), "--leave-out", "category", "--json"])
    assert res.exit_code == 0, res.output
    figures = json.loads(res.output)
    assert [f["category"] for f in figures["folds"]] == ["bags", "milk", "shoes"]
    assert [f["train_cases"] for f in figures["folds"]] == [3, 5, 4]  # everything but the held-out category
    pooled = figures["pooled"]
    assert (pooled["tp"], pooled["fp"], pooled["fn"], pooled["tn"]) == (3, 0, 0, 3)
    text = runner.invoke(app, ["eval", str(_labelled(tmp_path, rows)), "--leave-out", "category"]).output
    assert "leave-one-category-out over 3 categories" in text and "held-out category" in text


def test_the_threshold_is_fitted_on_the_training_categories_only() -> None:
    from pipeline.evaluate import Case, CaseResult, Label
    from pipeline.generalization import fit_threshold, leave_one_out
    from rules.record import Listing, ScoredListing

    def result(category: str, risk: float, cf: bool, n: int) -> CaseResult:
        listing = Listing(platform="shopee", listing_id=f"{category}{n}", title="x", seller={"id": "1"})
        case = Case("x:1", Label(cf, category, None, (), ""), listing=listing)
        return CaseResult(case, ScoredListing(risk=risk, flagged=risk >= 0.5, signals=[]))

    # In "a" a genuine listing sits at 0.6, so 'a' alone would want a threshold above 0.6; in "b"
    # the counterfeit ones sit at 0.55. Holding out "b", the threshold is fitted on "a" alone and
    # misses them: the figure for "b" shows what an unseen category costs.
    a = [result("a", 0.9, True, 1), result("a", 0.6, False, 2), result("a", 0.1, False, 3)]
    b = [result("b", 0.55, True, 4), result("b", 0.1, False, 5)]
    assert fit_threshold(a, 0.5) > 0.6
    report = leave_one_out([*a, *b], 0.5, fit=True)
    fold_b = next(f for f in report.folds if f.category == "b")
    assert fold_b.threshold > 0.6 and fold_b.test.fn == 1
    # Without fitting, every fold keeps the rules' threshold.
    assert {f.threshold for f in leave_one_out([*a, *b], 0.5).folds} == {0.5}


def test_a_listing_in_two_categories_counts_once(tmp_path: Path) -> None:
    base = {"platform": "shopee", "listing_id": "7", "title": "Giày N1ke Air", "price": 300_000, "seller": {"id": "1"}}
    lines = [json.dumps({**base, "label": {"counterfeit": True, "group": g}}) for g in ("shoes", "sneakers")]
    figures = json.loads(runner.invoke(app, ["eval", str(_write(tmp_path, lines)), "--leave-out", "category",
                                             "--json"]).output)
    assert figures["duplicates_dropped"] == 1 and len(figures["folds"]) == 1


_FASHION_TSV = "comphilano__ds_final/Data/ShopeeItem-ThoiTrangNam-Full.tsv"


@pytest.mark.skipif(not (realdata_dir() / _FASHION_TSV).is_file(), reason=f"{DEFAULT_REALDATA} is absent")
def test_shopee_fashion_tsv_rows_resolve_by_row_number(tmp_path: Path) -> None:
    """The men's-fashion TSV has no item id: a label names its data row, and the price
    column is Shopee's x100000 integer."""
    from pipeline.evaluate import load_labels, resolve

    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps({"source": _FASHION_TSV, "platform": "shopee-tsv", "record_id": "2",
                                  "label": {"counterfeit": False, "group": "g"}}) + "\n", encoding="utf-8")
    cases = load_labels(labels)
    resolve(cases)
    listing = cases[0].listing
    assert listing is not None
    assert listing.title.startswith("Áo Thun Trơn Nam [FREESHIP]")
    assert listing.price == 109000
    assert listing.seller.is_official is False


def test_shopee_fashion_tsv_names_a_bad_price(tmp_path: Path) -> None:
    from pipeline.evaluate import LabelError, _shopee_tsv

    path = tmp_path / "f.tsv"
    path.write_text("name\tprice\tshow_official_shop_label_in_title\nÁo\t14900000\tTrue\nQuần\tabc\tFalse\n",
                    encoding="utf-8")
    with pytest.raises(LabelError, match=r"f\.tsv:3: field price: not a number: 'abc'"):
        _shopee_tsv(path)
    path.write_text("name\tprice\tshow_official_shop_label_in_title\nÁo\t14900000\tTrue\n", encoding="utf-8")
    assert _shopee_tsv(path)["1"].price == 149 and _shopee_tsv(path)["1"].seller.is_official is True
