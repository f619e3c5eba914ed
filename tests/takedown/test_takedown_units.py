"""The pure parts of takedowns: removed-page recognition, verdicts, the CSV attachment."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from crawler.blocks import detect_block, detect_removed
from crawler.run import CrawlOutcome, CrawlSpec
from review.takedown import CSV_COLUMNS, classify
from review.takedown.document import render_csv, render_html
from storage.models import TakedownListing

REMOVED_TIKI = "<html><head><title>Sản phẩm không tồn tại | Tiki</title></head><body><h1>Sản phẩm này không còn tồn tại</h1></body></html>"


@pytest.mark.parametrize(("platform", "status", "body", "removed"), [
    ("tiki", 404, "", True),
    ("shopee", 410, "{}", True),
    ("tiki", 200, REMOVED_TIKI, True),
    ("sendo", 200, "<html><title>Sendo</title><p>Không tìm thấy sản phẩm</p></html>", True),
    ("tiki", 200, "<html><title>Sữa Similac</title><p>Sữa chính hãng</p></html>", False),
    # The phrase deep in a live listing's description does not make it removed.
    ("tiki", 200, "<html><title>Sữa</title><p>" + "mô tả " * 200 + "sản phẩm không tồn tại</p></html>", False),
    ("tiki", 403, "<html>Access Denied</html>", False),
    ("tiki", 503, "", False),
])
def test_detect_removed(platform: str, status: int, body: str, removed: bool) -> None:
    assert detect_removed(platform, status, body) is removed


def test_a_captcha_wall_is_a_block_not_a_removal() -> None:
    wall = "<html><title>Xác minh bảo mật</title><p>Vui lòng xác minh bạn không phải là robot</p></html>"
    assert detect_block("tiki", 200, {}, wall) is not None and not detect_removed("tiki", 200, wall)


def _outcome(**changes: Any) -> CrawlOutcome:
    base: dict[str, Any] = {"spec": CrawlSpec(platform="demo-tiki", mode="refresh", urls=["u"]), "status": "ok",
                            "reason": None, "responses": 1, "stats": {"downloader/response_status_count/200": 1}}
    return CrawlOutcome(**{**base, **changes})


ROW = TakedownListing(id=1, listing_key="42", url="http://127.0.0.1:1/tiki/p42.html")


@pytest.mark.parametrize(("outcome", "items", "status"), [
    (_outcome(), [{"listing_id": "42"}], "still_online"),
    (_outcome(stats={"crawler/not_found": 1, "downloader/response_status_count/404": 1}), [], "removed"),
    (_outcome(status="partial", blocks={"captcha": 1}, stats={"crawler/not_found": 1}), [], "unreachable"),
    (_outcome(status="failed", reason="no response received", responses=0, stats={}), [], "unreachable"),
    (_outcome(status="partial", request_errors=1, stats={"crawler/not_found": 1}), [], "unreachable"),
    (_outcome(status="partial", stats={"crawler/not_found": 1, "crawler/refused_requests": 1}), [], "unreachable"),
    # Chromium's own background requests refused: the page's answer still counts.
    (_outcome(refused_requests=2, stats={"crawler/not_found": 1}), [], "removed"),
    (_outcome(), [{"listing_id": "other"}], "unreachable"),
])
def test_classify(outcome: CrawlOutcome, items: list[dict[str, Any]], status: str) -> None:
    assert classify(ROW, outcome, items)[0] == status


def _data() -> dict[str, Any]:
    return {
        "request": {"id": 7, "status": "drafted", "platform": "demo-tiki", "platform_name": "Tiki", "created": "x",
                    "sent": None, "sent_via": None, "deadline": None, "deadline_utc": None},
        "date_line": "ngày 01 tháng 12 năm 2026", "authority": {"authority": "Chi cục QLTT", "place": "Phủ Lý"},
        "legal_basis": "Nghị định 85/2021/NĐ-CP", "deadline_hours": 24,
        "case": {"id": 3, "status": "confirmed", "note": None},
        "seller": {"platform": "demo-tiki", "id": "=cmd|' /C calc'!A0", "name": "@SUM(1+1)", "url": None,
                   "business_id": None, "phone": None, "address": None},
        "listings": [{"key": "42", "url": "http://x/p42", "status": "pending", "title": "<script>alert(1)</script>",
                      "brand": "+Nike", "reasons": ["-bad"], "evidence": [
                          {"kind": "warc", "sha256": "ab" * 32, "http_status": 200, "captured_local": "l",
                           "captured_utc": "2026-12-01T00:00:00+00:00"}]}],
        "generated_utc": "now",
    }


def test_csv_neutralises_formulas_like_the_exports() -> None:
    raw = render_csv(_data())
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    row = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert row["seller_id"].startswith("'=") and row["seller_name"].startswith("'@")
    assert row["brand"] == "'+Nike" and row["reason"] == "'-bad" and row["evidence_sha256"] == "ab" * 32


def test_html_escapes_crawled_text_and_says_the_deadline() -> None:
    html = render_html(_data())
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "trong vòng 24 giờ" in html and "Chi cục QLTT" in html and "Phủ Lý" in html
