"""The command line as an operator uses it: arguments in, JSONL / tables / exit codes out."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from listingwatch import app
from review.queue import sync_case
from review.users import create_user
from rules.record import Listing, Seller
from storage import repo
from storage.db import session_factory, upgrade

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
TIKI_PAGE = REALDATA / "SeikoP__tiki-data-pipeline/data/test_output/selenium_product_detail.html"

runner = CliRunner()


@pytest.mark.skipif(not TIKI_PAGE.exists(), reason="../shared/realdata is absent")
def test_parse_tiki_real_page_prints_the_record() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "listingwatch", "parse", "tiki", str(TIKI_PAGE)],
        capture_output=True, text=True, timeout=120, check=True,
    )
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["listing_id"] == "120552065"
    assert record["price"] == 147000
    assert record["list_price"] == 389000
    assert record["brand"] == "Elmich"
    assert record["gtin"] == "9367707323552"
    assert record["seller"]["name"] == "Tiki Trading"
    assert record["seller"]["is_official"] is True


def test_parse_unknown_platform_is_a_usage_error(tmp_path: Path) -> None:
    body = tmp_path / "x.json"
    body.write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["parse", "nosuchplace", str(body)])
    assert result.exit_code == 2
    assert "unknown platform" in result.output


def test_score_scores_good_records_and_names_bad_ones(tmp_path: Path) -> None:
    good = {"platform": "shopee", "listing_id": "1", "title": "Giày Nikę Air Force 1 hàng rep 1:1",
            "price": "350k", "seller": {"id": "9", "name": "Shop giày"}}
    messy = {"platform": "tiki", "listing_id": "2", "title": "Sữa Similac IQ 900g", "price": "Liên hệ"}
    bad_price = {"platform": "tiki", "listing_id": "3", "title": "Sữa", "price": "rẻ lắm"}
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join([json.dumps(good, ensure_ascii=False), "{not json", json.dumps(messy, ensure_ascii=False),
                   json.dumps(bad_price, ensure_ascii=False)]) + "\n",
        encoding="utf-8",
    )
    target = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["score", "--input", str(source), "--output", str(target)])
    assert result.exit_code == 1
    scored = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["listing_id"] for r in scored] == ["1", "2"]
    assert scored[0]["price"] == 350000
    assert scored[0]["flagged"] is True
    assert {s["code"] for s in scored[0]["signals"]} >= {"brand.lookalike", "text.slang"}
    assert scored[1]["price"] is None
    assert ":2: not JSON" in result.output
    assert ":4 (listing_id='3'): field price" in result.output


def _mixed_records(path: Path, after: tuple[int, ...] = (4, 17, 18, 33)) -> list[int]:
    """Good records, most of one brand at spread prices from many sellers (so peer price
    statistics depend on which records share a chunk), with unreadable lines among them;
    returns the numbers of the unreadable lines."""
    titles = ["Giày Nike Air Force 1 trắng", "Giày N1ke Air Max 720 hàng rep 1:1", "Sữa Similac IQ số 4 900g",
              "Giày Nike Air Force 1 low", "Nước hoa Dior Sauvage EDP 100ml chính hãng"]
    lines: list[str] = []
    bad: list[int] = []
    for i in range(40):
        price: int | str = 2_400_000 + 10_000 * i if i % 3 else 600_000 + 1000 * i
        if i % 10 == 7:
            price = ["1tr2", "150k"][i % 2]
        record = {"platform": "shopee", "listing_id": str(i), "title": f"{titles[i % len(titles)]} {i}",
                  "price": price, "brand": "Nike" if i % 4 == 0 else None,
                  "seller": {"id": str(i), "name": f"Shop {i}"}}
        lines.append(json.dumps(record, ensure_ascii=False))
        if i in after:
            lines.append(["{not json", "[1, 2]", json.dumps({"platform": "tiki", "listing_id": "x", "price": 1}),
                          json.dumps({"platform": "tiki", "listing_id": "y", "title": "Sữa", "price": "rẻ"},
                                     ensure_ascii=False)][len(bad)])
            bad.append(len(lines))
        if i == 25:
            lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return bad


@pytest.mark.parametrize("after", [(4, 17, 18, 33), (17, 18, 33), (33,)])
def test_score_workers_give_the_same_bytes_and_the_same_errors(tmp_path: Path, after: tuple[int, ...]) -> None:
    """Workers score chunks of lines as read until one holds an unreadable line; from there
    the parent checks each line. Wherever that line falls, bytes and error lines agree."""
    source = tmp_path / "in.jsonl"
    bad = _mixed_records(source, after)
    outputs = {}
    for workers in ("1", "2", "3"):
        target = tmp_path / f"out-{workers}.jsonl"
        result = runner.invoke(app, ["score", "--input", str(source), "--output", str(target), "--chunk-size", "12",
                                     "--workers", workers])
        assert result.exit_code == 1, result.output
        # Every unreadable line is reported with its line number, in order, whatever the workers.
        reported = [int(line.split(":")[1].split()[0]) for line in result.output.splitlines()
                    if line.startswith(str(source))]
        assert reported == bad
        assert f"scored 40 records, {len(bad)} unreadable" in result.output
        outputs[workers] = target.read_bytes()
    assert outputs["2"] == outputs["1"]
    assert outputs["3"] == outputs["1"]
    assert [json.loads(line)["listing_id"] for line in outputs["1"].decode().splitlines()] == [str(i) for i in range(40)]


def test_score_chunks_count_readable_records_only(tmp_path: Path) -> None:
    """A chunk is `--chunk-size` readable records whatever lies between them, so batch
    statistics (and the bytes) do not depend on where unreadable lines fall or on --workers."""
    source = tmp_path / "in.jsonl"
    _mixed_records(source)
    clean = tmp_path / "clean.jsonl"
    clean.write_text("".join(line + "\n" for line in source.read_text(encoding="utf-8").splitlines()
                             if line.startswith('{"platform": "shopee"')), encoding="utf-8")
    mixed_out = runner.invoke(app, ["score", "--input", str(source), "--chunk-size", "12", "--workers", "2"])
    clean_out = runner.invoke(app, ["score", "--input", str(clean), "--chunk-size", "12", "--workers", "1"])
    clean_parallel = runner.invoke(app, ["score", "--input", str(clean), "--chunk-size", "12", "--workers", "2"])
    assert clean_out.exit_code == 0 and clean_parallel.exit_code == 0 and mixed_out.exit_code == 1
    assert mixed_out.stdout == clean_out.stdout
    assert clean_parallel.stdout == clean_out.stdout


def test_score_rejects_zero_workers(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["score", "--input", str(source), "--workers", "0"])
    assert result.exit_code == 2
    assert "--workers must be at least 1" in result.output


def test_score_vietnamese_details(tmp_path: Path) -> None:
    record = {"platform": "shopee", "listing_id": "1", "title": "Giày Nikę Air Force 1 hàng rep 1:1", "price": 350000}
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    en = runner.invoke(app, ["score", "--input", str(source)])
    vi = runner.invoke(app, ["score", "--input", str(source), "--lang", "vi"])
    assert en.exit_code == 0 and vi.exit_code == 0
    detail_en = json.loads(en.stdout.splitlines()[0])["signals"][0]["detail"]
    detail_vi = json.loads(vi.stdout.splitlines()[0])["signals"][0]["detail"]
    assert detail_en != detail_vi


def test_rules_check_names_file_line_and_field(tmp_path: Path) -> None:
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    packaged = Path(__file__).resolve().parents[1] / "rules"
    for yaml_file in packaged.glob("*.yaml"):
        (rules_dir / yaml_file.name).write_text(yaml_file.read_text(encoding="utf-8"), encoding="utf-8")
    scoring = rules_dir / "scoring.yaml"
    text = scoring.read_text(encoding="utf-8")
    line_no = next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith("flag_threshold:"))
    scoring.write_text(text.replace("flag_threshold:", "flag_threshold: lots #", 1), encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", "--rules", str(rules_dir)])
    assert result.exit_code == 1
    assert f"scoring.yaml:{line_no}" in result.output
    assert "flag_threshold" in result.output


def _seed_case(db_url: str) -> int:
    upgrade(db_url)
    listing = Listing(platform="tiki", listing_id="77", title="Sữa SimiIac IQ 900g hàng rep", price=150000,
                      url="https://tiki.vn/p77", seller=Seller(id="5", name="Sữa Sỉ"))
    with session_factory(db_url)() as session, session.begin():
        result = repo.upsert_listings(session, None, [listing])
        seller_pk = result.seller_pks[("tiki", "5")]
        change = sync_case(session, seller_pk, risk=0.9, flagged=True, priority=1.2,
                           scanned_at=datetime.now(UTC))
    assert change.case_id is not None
    return change.case_id


def test_queue_list_decide_and_show(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'q.db'}"
    case_id = _seed_case(db)
    listed = runner.invoke(app, ["queue", "list", "--db", db])
    assert listed.exit_code == 0, listed.output
    assert "Sữa Sỉ" in listed.output
    with session_factory(db)() as session, session.begin():
        create_user(session, "lan", "inspector", "a long passphrase")
    no_note = runner.invoke(app, ["queue", "decide", str(case_id), "confirmed", "--note", " ", "--db", db])
    assert no_note.exit_code == 1
    decided = runner.invoke(
        app, ["queue", "decide", str(case_id), "confirmed", "--note", "test buy proved fake", "--as", "lan", "--db", db]
    )
    assert decided.exit_code == 0, decided.output
    shown = runner.invoke(app, ["queue", "show", str(case_id), "--db", db])
    assert "open->confirmed: test buy proved fake" in shown.output
    assert "lan" in shown.output
    missing = runner.invoke(app, ["queue", "show", "999", "--db", db])
    assert missing.exit_code == 1


def test_user_add_reads_password_from_stdin(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'u.db'}"
    upgrade(db)
    added = runner.invoke(app, ["user", "add", "lan", "--role", "inspector", "--db", db], input="a long passphrase\n")
    assert added.exit_code == 0, added.output
    again = runner.invoke(app, ["user", "add", "lan", "--role", "inspector", "--db", db], input="a long passphrase\n")
    assert again.exit_code == 2
    assert "already exists" in again.output
    bad_role = runner.invoke(app, ["user", "add", "minh", "--role", "boss", "--db", db], input="a long passphrase\n")
    assert bad_role.exit_code == 2


def test_export_csv_and_xlsx_read_back(tmp_path: Path) -> None:
    import pandas as pd

    db = f"sqlite:///{tmp_path / 'e.db'}"
    _seed_case(db)
    csv_path = tmp_path / "f.csv"
    result = runner.invoke(app, ["export", "flagged-sellers", "--out", str(csv_path), "--lang", "vi", "--db", db])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(csv_path, encoding="utf-8-sig")
    assert len(frame) == 1
    assert frame.columns[0] == "Nền tảng"
    xlsx_path = tmp_path / "f.xlsx"
    result = runner.invoke(app, ["export", "flagged-sellers", "--out", str(xlsx_path), "--format", "xlsx", "--db", db])
    assert result.exit_code == 0, result.output
    assert pd.read_excel(xlsx_path).iloc[0]["seller_name"] == "Sữa Sỉ"


def test_no_arguments_is_a_usage_error() -> None:
    env = {**os.environ}
    result = subprocess.run([sys.executable, "-m", "listingwatch"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2


@pytest.mark.parametrize(
    ("name", "old", "new", "field"),
    [
        ("scoring.yaml", "  brand.lookalike:", "  brand.lookalik:", "brand.lookalik"),  # unknown signal code
        ("evidence.yaml", "settle_ms: 150", "settle_ms: soon", "settle_ms"),  # evidence.yaml is checked too
        ("alerts.yaml", "window_minutes: 360", "window_minutes: -5", "window_minutes"),  # and alerts.yaml
    ],
)
def test_rules_check_rejects_a_bad_rules_file(tmp_path: Path, name: str, old: str, new: str, field: str) -> None:
    rules_dir = tmp_path / "rules"
    shutil.copytree(Path(__file__).resolve().parents[1] / "rules", rules_dir,
                    ignore=lambda _dir, names: [n for n in names if not n.endswith(".yaml")])
    path = rules_dir / name
    text = path.read_text(encoding="utf-8").replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    line_no = next(i for i, line in enumerate(text.splitlines(), 1) if new in line)
    result = runner.invoke(app, ["rules", "check", "--rules", str(rules_dir)])
    assert result.exit_code == 1
    assert f"{name}:{line_no}" in result.output
    assert field in result.output


def test_as_must_name_a_real_user_and_times_are_labelled(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    case_id = _seed_case(db)
    ghost = runner.invoke(app, ["queue", "decide", str(case_id), "confirmed", "--note", "x", "--as", "ghost",
                                "--db", db])
    assert ghost.exit_code == 2 and "no active user 'ghost'" in ghost.output
    shown = runner.invoke(app, ["queue", "show", str(case_id), "--db", db])
    assert "timeline (times in Asia/Ho_Chi_Minh):" in shown.output
    assert " +07 system opened" in shown.output
    listed = runner.invoke(app, ["queue", "list", "--db", db])
    assert "Asia/Ho_Chi_Minh" in listed.output and "+07" in listed.output
