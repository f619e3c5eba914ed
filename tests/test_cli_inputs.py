"""`parse` and `score` on bad inputs (issue 14 items 1 and 3): nothing lost, one clear line each."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from listingwatch import app

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
SENDO_600 = REALDATA / "delee03__sendo-scraping/data/600 sp/sendo_iphone_600.json"

runner = CliRunner()

GOOD = {"platform": "tiki", "listing_id": "1", "title": "Bình giữ nhiệt Elmich", "price": 147000}


@pytest.mark.skipif(not SENDO_600.exists(), reason="../shared/realdata is absent")
def test_parse_keeps_598_of_600_products_and_reports_the_two_bad_ones(tmp_path: Path) -> None:
    copy = tmp_path / "sendo.json"
    shutil.copy(SENDO_600, copy)
    body = json.loads(copy.read_text(encoding="utf-8"))
    assert len(body["products"]) == 600
    no_shop_id = body["products"][10]["id"]
    del body["products"][10]["shop"]
    body["products"][20]["sale_price_min"] = "abc"
    copy.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")

    result = runner.invoke(app, ["parse", "sendo", str(copy)])

    assert len(result.stdout.splitlines()) == 598
    assert result.exit_code == 1
    assert f"products[10] (id {no_shop_id}): no 'shop' object" in result.stderr
    assert "products[20]" in result.stderr and "sale_price_min 'abc' is not a whole number" in result.stderr
    assert "parsed 598 records, 2 unreadable" in result.stderr


def test_parse_deeply_nested_json_is_one_clear_error(tmp_path: Path) -> None:
    body = tmp_path / "deep.json"
    body.write_text('{"data": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    result = runner.invoke(app, ["parse", "sendo", str(body)])
    assert result.exit_code == 1
    assert "nested too deeply" in result.stderr
    assert "Traceback" not in result.output


def _score(tmp_path: Path, content: bytes) -> tuple[Result, list[dict]]:
    source = tmp_path / "in.jsonl"
    source.write_bytes(content)
    target = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["score", "--input", str(source), "--output", str(target), "--workers", "1"])
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    return result, records


@pytest.mark.parametrize(("bad", "reported"), [
    (b'{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "in.jsonl:2: JSON nested too deeply to read"),
    # json reads "\ud800" into a string no UTF-8 output can hold: writing it crashed the run.
    (b'{"platform": "tiki", "listing_id": "9", "title": "Gi\\u00e0y \\ud800 Nike", "price": 1}',
     "in.jsonl:2: not text: a string holds half of a character (\\ud800, a lone surrogate)"),
], ids=["deeply-nested", "half-a-character"])
def test_score_reports_the_bad_line_and_keeps_the_good_ones(tmp_path: Path, bad: bytes, reported: str) -> None:
    good = json.dumps(GOOD, ensure_ascii=False).encode()
    later = json.dumps({**GOOD, "listing_id": "2"}).encode()
    result, records = _score(tmp_path, good + b"\n" + bad + b"\n" + later + b"\n")
    assert [r["listing_id"] for r in records] == ["1", "2"]
    assert reported in result.stderr
    assert "scored 2 records, 1 unreadable" in result.stderr
    assert result.exit_code == 1


def test_score_latin1_line_is_unreadable_not_replaced(tmp_path: Path) -> None:
    good = json.dumps(GOOD, ensure_ascii=False).encode()
    latin1 = json.dumps({**GOOD, "listing_id": "2", "title": "Crème solaire"}, ensure_ascii=False).encode("latin-1")
    result, records = _score(tmp_path, good + b"\n" + latin1 + b"\n")
    assert [r["listing_id"] for r in records] == ["1"]
    assert not any("\ufffd" in json.dumps(r, ensure_ascii=False) for r in records)
    assert "in.jsonl:2: not UTF-8: byte 0xE8" in result.stderr
    assert "1 unreadable" in result.stderr


def test_score_missing_input_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", "--input", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.stderr.strip().splitlines() == [f"error: cannot read input {tmp_path / 'nope.jsonl'}: "
                                                  "No such file or directory"]


def test_score_unwritable_output_is_one_line(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["score", "--input", str(source), "--output", str(tmp_path / "no" / "out.jsonl")])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.stderr.strip().splitlines() == [
        f"error: cannot write output {tmp_path / 'no' / 'out.jsonl'}: No such file or directory"
    ]
