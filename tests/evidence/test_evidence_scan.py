"""Evidence end to end: a demo scan of a planted counterfeit seller, its bundle, tampering,
and a listing whose page changes between two scans (issue #7 "done when")."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from crawler.evidence import read_warc, warc_settings
from crawler.run import CrawlSpec
from demo.catalog import Catalog, build_catalog
from demo.server import DemoServer
from listingwatch import app
from review.evidence import custody_log
from review.users import create_user
from rules.loader import load_rules
from scheduler import execute_scan
from storage.db import session_factory, upgrade
from storage.evidence_store import EvidenceStore, default_root
from storage.models import Evidence, Listing, ReviewCase, ScanRun

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = Path("/usr/bin/chromium")
runner = CliRunner()


def _need_chromium() -> None:
    if not CHROMIUM.exists() and shutil.which("chromium") is None:
        pytest.skip("no Chromium at /usr/bin/chromium: evidence capture needs Debian's chromium")


def _planted(catalog: Catalog) -> Any:
    return next(s for s in catalog.sellers if s.role == "counterfeit" and s.platform == "demo-tiki")


def _scan(server: DemoServer, seller_id: str, db_url: str, *, warc: bool = False) -> int:
    settings = warc_settings() if warc else {}
    spec = CrawlSpec(platform="demo-tiki", mode="seller", seller=seller_id,
                     base_url=server.base_url + "/tiki", settings=settings)
    report = execute_scan([spec], kind="seller", db_url=db_url, rules=load_rules())
    assert report.status in ("ok", "partial"), report.reason
    return report.run_id


def _changed_catalog(catalog: Catalog, listing_id: str) -> Catalog:
    listings = tuple(
        replace(x, price=x.price // 2, title=x.title + " GIẢM SỐC") if x.listing_id == listing_id else x
        for x in catalog.listings
    )
    return Catalog(seed=catalog.seed, sellers=catalog.sellers, listings=listings)


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Two scans of the planted seller; between them one listing's page changes."""
    _need_chromium()
    # tests/conftest.py switches capture off for every other test; this module is about it.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LISTINGWATCH_EVIDENCE_CAPTURE", "1")
        yield _scan_twice(tmp_path_factory)


def _scan_twice(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("evidence")
    db_url = f"sqlite:///{tmp / 'lw.db'}"
    upgrade(db_url)
    with session_factory(db_url)() as session, session.begin():
        # --actor must name a real user (issue 14 item 14)
        for name in ("thanh.tra", "an.nguyen"):
            create_user(session, name, "inspector", "a long passphrase of the inspectors")
    catalog = build_catalog()
    seller = _planted(catalog)
    changed_id = catalog.listings_of(seller)[0].listing_id
    with DemoServer(catalog) as server:
        port = server.port
        first = _scan(server, seller.seller_id, db_url, warc=True)
    with DemoServer(_changed_catalog(catalog, changed_id), port=port) as server:
        second = _scan(server, seller.seller_id, db_url)
    return {"db_url": db_url, "tmp": tmp, "seller": seller, "catalog": catalog,
            "changed_id": changed_id, "runs": (first, second)}


def _case_id(db_url: str) -> int:
    with session_factory(db_url)() as session:
        case_id = session.scalar(select(ReviewCase.id))
    assert case_id is not None, "the planted seller was not queued"
    return case_id


def test_scan_captures_warc_and_screenshot_of_every_listing(scanned: dict[str, Any]) -> None:
    db_url, (first, _second) = scanned["db_url"], scanned["runs"]
    store = EvidenceStore(default_root(db_url))
    with session_factory(db_url)() as session:
        listings = session.scalars(select(Listing)).all()
        assert len(listings) == len(scanned["catalog"].listings_of(scanned["seller"]))
        for listing in listings:
            rows = session.scalars(select(Evidence).where(
                Evidence.listing_id == listing.id, Evidence.scan_run_id == first)).all()
            kinds = sorted(r.kind for r in rows)
            assert kinds == ["screenshot", "warc"], (listing.url, kinds)
            for row in rows:
                data = store.read(row.path)  # re-hashes: the file matches its name
                assert hashlib.sha256(data).hexdigest() == row.sha256 and row.size == len(data)
                assert row.url == listing.url and row.http_status == 200
                assert row.captured_at_local is not None and row.captured_at_local.endswith("+07:00")
                local_hour = int(row.captured_at_local[11:13])
                assert (row.captured_at.hour + 7) % 24 == local_hour
            warc = next(r for r in rows if r.kind == "warc")
            records = read_warc(store.read(warc.path))
            assert [r["type"] for r in records] == ["warcinfo", "response", "request"]
            response, request = records[1], records[2]
            assert response["uri"] == listing.url and response["status"] == "200"
            assert any(k.lower() == "content-type" for k, _ in response["http_headers"])
            assert hashlib.sha256(response["body"]).hexdigest() == warc.payload_sha256
            assert listing.listing_key in response["body"].decode("utf-8")
            assert request["request_line"].startswith("GET /tiki/") and request["request_line"].endswith(" HTTP/1.1")
            assert any(k.lower() == "user-agent" for k, _ in request["http_headers"])
            png = next(r for r in rows if r.kind == "screenshot")
            assert store.read(png.path).startswith(b"\x89PNG\r\n\x1a\n")
        counts = session.get(ScanRun, first).counts  # type: ignore[union-attr]
        assert counts["evidence"]["captured"] == len(listings) and counts["evidence"]["failed"] == 0
        log = custody_log(session, _case_id(db_url))
        assert sum(1 for e in log if e.action == "capture") >= 2 * len(listings)
        assert all(e.actor == "system" for e in log if e.action == "capture")


def test_crawler_side_warc_records_every_response(scanned: dict[str, Any]) -> None:
    db_url, (first, second) = scanned["db_url"], scanned["runs"]
    store = EvidenceStore(default_root(db_url))
    with session_factory(db_url)() as session:
        crawl_rows = session.scalars(select(Evidence).where(
            Evidence.scan_run_id == first, Evidence.listing_id.is_(None))).all()
        urls = {r.url for r in crawl_rows}
        assert any("/api/v2/products?seller=" in (u or "") for u in urls)
        assert any("/api/v2/products/" in (u or "") for u in urls)
        for row in crawl_rows:
            records = read_warc(store.read(row.path))
            assert {"response", "request"} <= {r["type"] for r in records} or row.record_type == "revisit"
        # the second scan ran without the WARC setting: no crawler-side records
        assert not session.scalars(select(Evidence).where(
            Evidence.scan_run_id == second, Evidence.listing_id.is_(None))).all()


def test_changed_listing_keeps_both_captures_and_unchanged_ones_are_stored_once(
    scanned: dict[str, Any],
) -> None:
    db_url, (first, second) = scanned["db_url"], scanned["runs"]
    store = EvidenceStore(default_root(db_url))
    with session_factory(db_url)() as session:
        changed = session.scalar(select(Listing).where(Listing.listing_key == scanned["changed_id"]))
        assert changed is not None
        warcs = session.scalars(select(Evidence).where(
            Evidence.listing_id == changed.id, Evidence.kind == "warc")
            .order_by(Evidence.captured_at)).all()
        assert [w.scan_run_id for w in warcs] == [first, second]
        assert [w.record_type for w in warcs] == ["response", "response"]
        assert warcs[0].payload_sha256 != warcs[1].payload_sha256
        bodies = [read_warc(store.read(w.path))[1]["body"].decode("utf-8") for w in warcs]
        assert "GIẢM SỐC" not in bodies[0] and "GIẢM SỐC" in bodies[1]
        shots = session.scalars(select(Evidence).where(
            Evidence.listing_id == changed.id, Evidence.kind == "screenshot")).all()
        assert len({s.sha256 for s in shots}) == 2
        # an unchanged listing: the second capture is a revisit pointing at the first body
        other = session.scalar(select(Listing).where(Listing.listing_key != scanned["changed_id"]))
        assert other is not None
        again = session.scalars(select(Evidence).where(
            Evidence.listing_id == other.id, Evidence.kind == "warc")
            .order_by(Evidence.captured_at)).all()
        assert [w.record_type for w in again] == ["response", "revisit"]
        assert again[0].payload_sha256 == again[1].payload_sha256
        revisit = read_warc(store.read(again[1].path))
        assert revisit[1]["type"] == "revisit" and revisit[1]["body"] == b""
        assert revisit[1]["refers_to"] == other.url
        shots = session.scalars(select(Evidence).where(
            Evidence.listing_id == other.id, Evidence.kind == "screenshot")).all()
        assert len(shots) == 2 and len({s.path for s in shots}) == 1  # identical PNG stored once


@pytest.fixture(scope="module")
def bundle(scanned: dict[str, Any]) -> Path:
    out = scanned["tmp"] / "case.zip"
    result = runner.invoke(app, ["evidence", "bundle", str(_case_id(scanned["db_url"])),
                                 "--out", str(out), "--db", scanned["db_url"],
                                 "--actor", "thanh.tra"])
    assert result.exit_code == 0, result.output
    return out


def test_bundle_holds_everything_and_verifies(scanned: dict[str, Any], bundle: Path) -> None:
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        html = archive.read("report.html").decode("utf-8")
        assert archive.read("report.pdf").startswith(b"%PDF-")
    assert {"manifest.json", "manifest.sha256", "report.html", "report.pdf", "custody.json"} <= names
    assert sum(1 for n in names if n.startswith("warc/")) >= 9  # 8 listings + the changed page
    assert sum(1 for n in names if n.startswith("screenshots/")) >= 9
    seller = scanned["seller"]
    assert seller.name in html and "Người bán" in html and "lịch sử quyết định" in html
    assert "GIẢM SỐC" in html  # prices/titles over time of the changed listing
    result = runner.invoke(app, ["evidence", "verify", str(bundle)])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output
    with session_factory(scanned["db_url"])() as session:
        exports = [e for e in custody_log(session, _case_id(scanned["db_url"])) if e.action == "export"]
    assert exports and exports[-1].actor == "thanh.tra"
    assert exports[-1].detail["manifest_sha256"] in result.output


def _rewrite(src: Path, dst: Path, *, change: str | None = None, drop: str | None = None,
             add: str | None = None) -> None:
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == drop:
                continue
            if info.filename == change:
                middle = len(data) // 2
                data = data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:]
            new.writestr(info, data)
        if add is not None:
            new.writestr(add, b"planted later")


@pytest.mark.parametrize("which", ["warc", "screenshots", "report.html", "report.pdf",
                                   "custody.json", "manifest.json", "manifest.sha256"])
def test_changing_one_byte_of_any_file_fails_verify_naming_it(
    bundle: Path, tmp_path: Path, which: str,
) -> None:
    with zipfile.ZipFile(bundle) as archive:
        name = next(n for n in archive.namelist() if n == which or n.startswith(which + "/"))
    tampered = tmp_path / "tampered.zip"
    _rewrite(bundle, tampered, change=name)
    result = runner.invoke(app, ["evidence", "verify", str(tampered)])
    assert result.exit_code == 1
    expected = "manifest.json" if name == "manifest.sha256" else name
    assert f"changed: {expected}" in result.output


def test_a_flipped_byte_in_the_zip_itself_is_caught(bundle: Path, tmp_path: Path) -> None:
    raw = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as archive:
        info = next(i for i in archive.infolist() if i.filename.startswith("screenshots/"))
    offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 100
    raw[offset] ^= 0xFF
    tampered = tmp_path / "flipped.zip"
    tampered.write_bytes(bytes(raw))
    result = runner.invoke(app, ["evidence", "verify", str(tampered)])
    assert result.exit_code == 1
    assert f"changed: {info.filename}" in result.output


def test_added_and_removed_files_are_named(bundle: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(bundle) as archive:
        victim = next(n for n in archive.namelist() if n.startswith("warc/"))
    added = tmp_path / "added.zip"
    _rewrite(bundle, added, add="screenshots/extra.png")
    result = runner.invoke(app, ["evidence", "verify", str(added)])
    assert result.exit_code == 1 and "added: screenshots/extra.png" in result.output
    removed = tmp_path / "removed.zip"
    _rewrite(bundle, removed, drop=victim)
    result = runner.invoke(app, ["evidence", "verify", str(removed)])
    assert result.exit_code == 1 and f"removed: {victim}" in result.output


def test_capture_on_request_and_list_logs_a_view(scanned: dict[str, Any]) -> None:
    db_url = scanned["db_url"]
    with session_factory(db_url)() as session:
        listing = session.scalar(select(Listing).order_by(Listing.id))
        assert listing is not None and listing.url is not None
        url, listing_pk = listing.url, listing.id
    with DemoServer(scanned["catalog"]) as server:
        # the stored URL's port belongs to the earlier server: fetch the same path from this one
        path = url.split("/", 3)[3]
        live = f"{server.base_url}/{path}"
        result = runner.invoke(app, ["evidence", "capture", live, "--db", db_url, "--actor", "an.nguyen",
                                     "--demo-url", server.base_url])
    assert result.exit_code == 0, result.output
    assert "Asia/Ho_Chi_Minh" in result.output and "screenshot #" in result.output
    result = runner.invoke(app, ["evidence", "list", str(_case_id(db_url)), "--db", db_url,
                                 "--actor", "an.nguyen"])
    assert result.exit_code == 0, result.output
    with session_factory(db_url)() as session:
        log = custody_log(session, _case_id(db_url))
    assert log[-1].action == "view" and log[-1].actor == "an.nguyen"
    assert listing_pk is not None
    bad = runner.invoke(app, ["evidence", "capture", "javascript:alert(1)", "--db", db_url])
    assert bad.exit_code == 2
