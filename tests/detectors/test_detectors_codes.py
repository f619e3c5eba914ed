"""detectors.codes: one table of signal codes, and nothing emits a code outside it."""

from __future__ import annotations

import ast
from pathlib import Path

from detectors.codes import SIGNAL_CODES, signal_label
from rules.loader import load_rules

DETECTORS = Path(__file__).resolve().parents[2] / "detectors"


def emitted_codes() -> dict[str, str]:
    """Every `code="..."` keyword of a `Signal(...)` call in the detector sources -> its file."""
    found: dict[str, str] = {}
    for path in sorted(DETECTORS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Signal":
                for kw in node.keywords:
                    if kw.arg == "code":
                        assert isinstance(kw.value, ast.Constant), f"{path.name}: a signal code must be a literal"
                        found[str(kw.value.value)] = path.name
    return found


def test_the_scan_finds_the_detectors_codes() -> None:
    codes = emitted_codes()
    assert {"brand.lookalike", "text.slang", "price.outlier", "barcode.missing", "seller.no_identity"} <= set(codes)


def test_every_emitted_code_is_registered() -> None:
    unknown = {code: where for code, where in emitted_codes().items() if code not in SIGNAL_CODES}
    assert unknown == {}


def test_every_registered_code_is_emitted_by_its_detector() -> None:
    codes = emitted_codes()
    assert set(SIGNAL_CODES) == set(codes)
    for code, entry in SIGNAL_CODES.items():
        assert code.split(".")[0] == entry.detector


def test_every_code_has_both_labels() -> None:
    for entry in SIGNAL_CODES.values():
        assert entry.vi.strip() != "" and entry.en.strip() != "" and entry.vi != entry.en


def test_unknown_code_labels_as_itself() -> None:
    assert signal_label("brand.lookalike", "vi") != signal_label("brand.lookalike", "en")
    assert signal_label("future.code", "vi") == "future.code"


def test_packaged_weights_cover_exactly_the_registry() -> None:
    assert set(load_rules().scoring.weights) == set(SIGNAL_CODES)


def test_the_web_app_and_the_evidence_report_read_the_registry() -> None:
    from review.evidence import render_report
    from review.web.i18n import translate

    entry = SIGNAL_CODES["barcode.missing"]
    assert translate("vi", "signal.barcode.missing") == entry.vi
    assert translate("en", "signal.barcode.missing") == entry.en
    html = render_report({
        "generated_utc": "", "generated_local": "", "actor": "a", "captures": 0, "events": [],
        "case": {"id": 1, "status": "confirmed", "risk": 0.9},
        "seller": {"platform": "tiki", "id": "1", "risk": 0.9, "is_official": False},
        "listings": [{"key": "tiki:1", "title": "x", "risk": 0.9, "flagged": True, "captures": [],
                      "price": 1000, "list_price": None,
                      "signals": [{"code": "barcode.missing", "detail": "d", "score": 0.5}]}],
    })
    assert entry.vi in html
    assert translate("vi", "status.confirmed") in html
