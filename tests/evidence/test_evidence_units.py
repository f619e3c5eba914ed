"""Evidence without a browser: WARC building, the content-addressed store, the report's
escaping, settings validation and the retention purge (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from crawler.evidence import HttpExchange, Revisit, build_warc, read_warc
from listingwatch import app
from review.evidence import EvidenceConfigError, load_evidence_settings, purge, render_report
from review.queue import decide, sync_case
from rules.record import Listing as ListingRecord
from rules.record import Seller as SellerRecord
from storage import repo
from storage.evidence_store import EvidenceStore, EvidenceStoreError
from storage.models import Evidence, EvidenceAccess

NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


def _warc(body: bytes, revisit: Revisit | None = None) -> bytes:
    return build_warc(url="http://127.0.0.1:8000/p/1?x=1", method="GET",
                      request_headers=[("User-Agent", "lw")], status=200, reason="OK",
                      response_headers=[("Content-Type", "text/html; charset=utf-8"),
                                        ("Content-Encoding", "gzip")],
                      body=body, captured_at=NOW, scan_run_id=7, revisit_of=revisit).data


def test_warc_holds_request_and_response_with_headers() -> None:
    records = read_warc(_warc("<p>Sữa giá sỉ</p>".encode()))
    assert [r["type"] for r in records] == ["warcinfo", "response", "request"]
    info, response, request = records
    assert b"scan-run: 7" in info["body"] and b"+07:00" in info["body"]
    assert response["body"] == "<p>Sữa giá sỉ</p>".encode()
    # the body is stored decoded, so an encoding header would lie about it
    assert ("Content-Encoding", "gzip") not in response["http_headers"]
    assert response["payload_digest"].startswith("sha256:")
    assert request["request_line"] == "GET /p/1?x=1 HTTP/1.1"
    assert ("User-Agent", "lw") in request["http_headers"]


def test_revisit_record_carries_no_body() -> None:
    body = __import__("os").urandom(50_000)  # incompressible, like an image or a big page
    full = _warc(body)
    again = _warc(body, Revisit("http://127.0.0.1:8000/p/1?x=1", NOW - timedelta(days=1)))
    record = read_warc(again)[1]
    assert record["type"] == "revisit" and record["body"] == b""
    assert record["refers_to"] == "http://127.0.0.1:8000/p/1?x=1"
    assert len(again) < len(full) / 5


def test_warc_keeps_the_api_calls_of_a_page_in_full_even_beside_a_revisit() -> None:
    """Issue 14 item 2: a JavaScript shell's listing is in its API responses, so they are kept
    whole (request with its body, response) in the listing's own file."""
    api = HttpExchange(url="http://127.0.0.1:8000/api/item?itemid=9", method="POST",
                       request_headers=[("x-api-source", "pc"), ("Content-Length", "99")],
                       request_body=b'{"itemid": 9}', status=200, reason="OK",
                       response_headers=[("Content-Type", "application/json")],
                       body='{"name": "Sữa Similac"}'.encode())
    blob = HttpExchange(url="blob:http://127.0.0.1:8000/x", method="GET", request_headers=[],
                        request_body=None, status=200, reason="OK", response_headers=[], body=b"x")
    data = build_warc(url="http://127.0.0.1:8000/p/1", method="GET", request_headers=[], status=200,
                      reason="OK", response_headers=[], body=b"<div>Dang tai...</div>", captured_at=NOW,
                      revisit_of=Revisit("http://127.0.0.1:8000/p/0", NOW), related=[api, blob]).data
    records = read_warc(data)
    assert [r["type"] for r in records] == ["warcinfo", "revisit", "request", "response", "request"]
    assert records[3]["uri"] == api.url and records[3]["body"] == api.body
    assert records[4]["request_line"] == "POST /api/item?itemid=9 HTTP/1.1"
    assert records[4]["body"] == b'{"itemid": 9}'
    # the length is the one of the body actually stored
    assert ("Content-Length", "13") in records[4]["http_headers"]
    assert ("Content-Length", "99") not in records[4]["http_headers"]


def test_report_embeds_only_its_own_screenshots() -> None:
    listing = {"id": 1, "key": "1", "title": "t", "risk": 0.9, "flagged": True, "price": 1,
               "list_price": None, "signals": [], "history": [],
               "captures": [{"kind": "screenshot", "file": "screenshots/ab.png", "sha256": "ab",
                             "captured_at_local": "x", "captured_at_utc": "y"}],
               "screenshot": {"file": "screenshots/ab.png", "captured_at_local": "x"}}
    data = {"generated_utc": "", "generated_local": "", "actor": "a", "captures": 1, "events": [],
            "case": {"id": 1, "status": "open", "risk": 0.9},
            "seller": {"platform": "tiki", "id": "1", "risk": 0.9, "is_official": False},
            "listings": [listing]}
    assert '<img class="shot" src="screenshots/ab.png"' in render_report(data)
    embedded = render_report(data, embed={"screenshots/ab.png": b"\x89PNG"})
    assert 'src="data:image/png;base64,iVBORw=="' in embedded


def test_warc_refuses_non_http_urls() -> None:
    with pytest.raises(ValueError, match="only http"):
        build_warc(url="file:///etc/passwd", method="GET", request_headers=[], status=200,
                   reason="OK", response_headers=[], body=b"", captured_at=NOW)


def test_store_keeps_identical_bytes_once_and_detects_tampering(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path)
    first = store.put(b"evidence", "png")
    second = store.put(b"evidence", "png")
    assert first.new and not second.new and first.path == second.path
    assert len(list(store.files())) == 1
    target = store.path(first.path)
    target.write_bytes(b"evidencE")
    with pytest.raises(EvidenceStoreError, match="altered"):
        store.read(first.path)
    with pytest.raises(EvidenceStoreError):
        store.path("../../etc/passwd")


def test_report_escapes_crawled_text() -> None:
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    data = {
        "generated_utc": NOW.isoformat(), "generated_local": "2026-11-28T09:00:00+07:00",
        "actor": hostile, "captures": 0,
        "case": {"id": 1, "status": "open", "risk": 0.9, "priority": 1.0,
                 "opened_local": "x", "closed_local": None, "note": hostile},
        "seller": {"platform": "demo-tiki", "id": "1", "name": hostile, "url": "javascript:alert(1)",
                   "location": None, "business_id": None, "phone": None, "address": None,
                   "is_official": False, "risk": 0.9},
        "events": [{"at": "x", "actor": hostile, "kind": "note", "from": None, "to": None,
                    "note": hostile}],
        "listings": [{"id": 1, "key": "1", "title": hostile, "url": hostile, "brand": hostile,
                      "category": None, "gtin": None, "price": 1250000, "list_price": None,
                      "risk": 0.9, "flagged": True,
                      "signals": [{"code": "text.slang", "detail": hostile, "score": 1.0}],
                      "history": [], "captures": []}],
    }
    html = render_report(data)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and 'href="javascript' not in html
    assert "1.250.000 ₫" in html


def test_settings_errors_name_file_and_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "evidence.yaml").write_text("retention_days_dismissed: -3\n", encoding="utf-8")
    with pytest.raises(EvidenceConfigError, match=r"evidence\.yaml:1: retention_days_dismissed"):
        load_evidence_settings(tmp_path)
    monkeypatch.setenv("LISTINGWATCH_EVIDENCE_RETENTION_DAYS", "30")
    monkeypatch.setenv("LISTINGWATCH_EVIDENCE_CAPTURE", "0")
    settings = load_evidence_settings()
    assert settings.retention_days_dismissed == 30 and settings.capture_on_scan is False


def _seller_with_evidence(session: Session, store: EvidenceStore, key: str, body: bytes,
                          *, revisit: bool = False) -> tuple[int, str]:
    listing = ListingRecord(platform="demo-tiki", listing_id=key, title=f"Sữa {key}",
                            url=f"http://127.0.0.1/p/{key}", seller=SellerRecord(id=f"s{key}"))
    result = repo.upsert_listings(session, None, [listing], now=NOW)
    listing_pk = result.listing_pks[("demo-tiki", key)]
    seller_pk = result.seller_pks[("demo-tiki", f"s{key}")]
    stored = store.put(_warc(body, Revisit("http://127.0.0.1/p/x", NOW) if revisit else None),
                       "warc.gz")
    payload = __import__("hashlib").sha256(body).hexdigest()
    repo.record_evidence(session, kind="warc", path=stored.path, sha256=stored.sha256,
                         size=stored.size, listing_id=listing_pk, captured_at=NOW,
                         payload_sha256=payload, record_type="revisit" if revisit else "response")
    png = store.put(b"\x89PNG same picture", "png")
    repo.record_evidence(session, kind="screenshot", path=png.path, sha256=png.sha256,
                         size=png.size, listing_id=listing_pk, captured_at=NOW, record_type="image")
    return seller_pk, stored.path


def test_purge_respects_retention_and_never_touches_confirmed(
    db_url: str, sessions: sessionmaker[Session], tmp_path: Path,
) -> None:
    store = EvidenceStore(tmp_path / "evidence")
    with sessions() as session, session.begin():
        dismissed, dismissed_path = _seller_with_evidence(session, store, "1", b"body one")
        confirmed, confirmed_path = _seller_with_evidence(session, store, "2", b"body two")
        # seller 3's revisit points at seller 1's body: that response record must survive
        shared, _ = _seller_with_evidence(session, store, "3", b"body one", revisit=True)
        for seller_pk, status in ((dismissed, "dismissed"), (confirmed, "confirmed"),
                                  (shared, "in_review")):
            case_id = sync_case(session, seller_pk, risk=0.9, flagged=True, priority=1.0,
                                scanned_at=NOW).case_id
            assert case_id is not None
            if status != "in_review":
                decide(session, case_id, status, "xem xét xong", "an", at=NOW)
    runner = CliRunner()
    too_soon = runner.invoke(app, ["evidence", "purge", "--db", db_url, "--days", "400"],
                             env={"LISTINGWATCH_EVIDENCE_DIR": str(store.root)})
    assert too_soon.exit_code == 0, too_soon.output
    assert "deleted 0 evidence rows" in too_soon.output
    report = purge(db_url, retention_days=30, now=NOW + timedelta(days=31), store=store,
                   actor="an")
    assert report.sellers == [dismissed]
    with sessions() as session:
        left = {(e.record_type, e.path) for e in session.scalars(select(Evidence))}
        purges = session.scalars(select(EvidenceAccess).where(EvidenceAccess.action == "purge")).all()
    assert ("response", dismissed_path) in left  # still the body of seller 3's revisit
    assert ("response", confirmed_path) in left
    assert report.rows_deleted == 1  # only the dismissed seller's screenshot row
    assert store.path(dismissed_path).exists()
    assert len(purges) == 1 and purges[0].actor == "an"
    # the shared PNG is still used by the other sellers: the file stays
    assert all(store.path(p).exists() for _t, p in left)
