"""Seed data for the web tests: a small scored database (fast) and the real demo scan (slow).

Both end with the same extras: users of every role, a hostile listing title, a listing
with a price history, and one raw-capture evidence row.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from demo.server import DemoServer
from pipeline.batch import score_scan
from review.queue import sync_case
from review.users import create_user
from rules.loader import load_rules
from rules.record import Listing, Seller
from storage import repo
from storage.db import session_factory, upgrade
from storage.models import Listing as ListingRow
from storage.models import ListingObservation, ReviewCase

PASSWORD = "correct horse battery staple"
USERS = {"ana": "analyst", "insp": "inspector", "insp2": "inspector", "boss": "admin"}
HOSTILE_TITLE = '<script>alert(1)</script>" onmouseover="x'
HOSTILE_ID = "hostile-1"
HISTORY_PRICES = (890_000, 640_000, 320_000)


def _small_listings(now: datetime) -> list[Listing]:
    fake = Seller(id="s-fake", name="Sữa Ngoại Giá Sỉ", url="https://example.test/shop/s-fake", location="Hà Nội")
    cosmetics = Seller(id="s-cos", name="Mỹ phẩm Auth 1:1", url="javascript:alert(2)", location="Hồ Chí Minh")
    honest = Seller(
        id="s-ok", name="Nhà sách Minh", location="Đà Nẵng", business_id="0101234567",
        phone="0901234567", address="12 Lê Lợi, Đà Nẵng",
    )
    rows = [
        Listing(platform="demo-tiki", listing_id="m1", title="Sữa bột Similac IQ 900g hàng xách tay loại 1",
                brand="Similac", category="Mẹ & Bé > Sữa công thức > Sữa bột cho bé", price=163_000,
                seller=fake, url="https://example.test/p/m1", observed_at=now),
        Listing(platform="demo-tiki", listing_id="m2", title="Sữa Enfamil A+ 900g hàng rep giá sỉ",
                brand="Enfamil", category="Mẹ & Bé > Sữa công thức > Sữa bột cho bé", price=150_000,
                seller=fake, url="https://example.test/p/m2", observed_at=now),
        Listing(platform="demo-shopee", listing_id="c1", title="Son Chanel Rouge like auth super fake",
                category="Làm Đẹp - Sức Khỏe > Trang điểm > Son môi", price=90_000, seller=cosmetics,
                url="https://example.test/p/c1", observed_at=now),
        Listing(platform="demo-shopee", listing_id="c2", title="Kem chống nắng Anessa hàng rep 1:1",
                category="Làm Đẹp - Sức Khỏe > Chăm sóc da mặt > Kem chống nắng", price=60_000,
                seller=cosmetics, url="https://example.test/p/c2", observed_at=now),
        Listing(platform="demo-tiki", listing_id="b1", title="Sách giáo khoa lớp 5", price=45_000,
                seller=honest, observed_at=now),
    ]
    return rows


def seed_small(url: str) -> None:
    """A handful of listings, scored by the real detectors, cases synced as a scan does."""
    upgrade(url)
    rules = load_rules()
    now = datetime.now(UTC)
    sessions = session_factory(url)
    with sessions() as session, session.begin():
        run = repo.start_scan_run(session, "manual")
        repo.upsert_listings(session, run.id, _small_listings(now), now=now)
        batch = score_scan(session, rules, run.id)
        for seller in batch.sellers:
            sync_case(session, seller.seller_pk, risk=seller.assessment.risk,
                      flagged=seller.assessment.flagged, priority=seller.priority, scanned_at=now)
        repo.finish_scan_run(session, run.id, "ok")
    add_extras(url, Path(url.removeprefix("sqlite:///")).parent)


def seed_demo(url: str) -> None:
    """The real demo scan, as `listingwatch demo` runs it (crawl in a child process)."""
    from crawler.platforms import demo_paths
    from scheduler import execute_scan, watchlist_specs

    upgrade(url)
    rules = load_rules()
    with DemoServer() as server:
        specs = watchlist_specs(rules, platforms=list(demo_paths()), demo_base_url=server.base_url)
        report = execute_scan(specs, kind="demo", db_url=url, rules=rules, platform="demo")
    assert report.status == "ok", report.reason
    add_extras(url, Path(url.removeprefix("sqlite:///")).parent)


def top_case(url: str) -> tuple[int, int]:
    """(case id, seller pk) of the queue's most urgent open case."""
    with session_factory(url)() as session:
        case = session.scalars(
            select(ReviewCase).order_by(ReviewCase.priority.desc(), ReviewCase.risk.desc(), ReviewCase.id)
        ).first()
        assert case is not None, "the seed queued no case"
        return case.id, case.seller_id


def add_extras(url: str, folder: Path) -> None:
    case_id, seller_pk = top_case(url)
    sessions = session_factory(url)
    now = datetime.now(UTC)
    with sessions() as session, session.begin():
        for name, role in USERS.items():
            create_user(session, name, role, PASSWORD)
        from storage.models import Seller as SellerRow

        seller = session.get(SellerRow, seller_pk)
        assert seller is not None
        owner = Seller(id=seller.seller_key, name=seller.name)
        run = repo.start_scan_run(session, "manual")
        result = repo.upsert_listings(session, run.id, [
            Listing(platform=seller.platform, listing_id=HOSTILE_ID, title=HOSTILE_TITLE, price=99_000,
                    url="javascript:alert(3)", seller=owner, observed_at=now),
        ], now=now)
        # A listing seen at three prices over three weeks: the price-history chart has a line.
        flagged = session.scalars(
            select(ListingRow).where(ListingRow.seller_id == seller_pk, ListingRow.flagged.is_(True))
            .order_by(ListingRow.risk.desc(), ListingRow.id)
        ).first()
        assert flagged is not None
        # Seen by earlier runs long purged (no run): one run observes a listing only once.
        for weeks, price in zip((3, 2, 1), HISTORY_PRICES, strict=True):
            session.add(ListingObservation(listing_id=flagged.id, scan_run_id=None,
                                           observed_at=now - timedelta(weeks=weeks), price=price))
        repo.finish_scan_run(session, run.id, "ok")
        capture = folder / "evidence-raw.html"
        body = b"<html><script>alert('captured')</script>captured page</html>"
        capture.write_bytes(body)
        repo.record_evidence(session, kind="raw", path=str(capture), sha256=hashlib.sha256(body).hexdigest(),
                             size=len(body), listing_id=flagged.id, url=flagged.url, media_type="text/html")
        assert result.listing_pks


def copy_db(source: Path, target: Path) -> str:
    """Copy a SQLite database with the backup API (a plain copy could miss the WAL)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return f"sqlite:///{target}"


__all__ = ["HOSTILE_TITLE", "PASSWORD", "USERS", "copy_db", "seed_demo", "seed_small", "top_case"]
