"""Seller networks in the database, on SQLite and PostgreSQL: rebuild, read back, the export's
network columns (read back with pandas), the statistics, and the rebuild at the end of a scan."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pipeline.batch import SellerResult
from review import queue
from review.export import COLUMNS, flagged_sellers_frame, write_flagged_sellers
from review.networks.store import membership, network_counts, network_of_seller, rebuild_networks
from rules.record import Listing
from storage import repo
from storage.models import SellerNetwork, SellerNetworkLink, SellerNetworkMember

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def _listing(platform: str, lid: str, seller: dict[str, str], description: str | None = None) -> Listing:
    return Listing(platform=platform, listing_id=lid, url=f"https://{platform}.test/p/{lid}",
                   title=f"Kem chống nắng hàng F1 {lid}", description=description, seller=seller, observed_at=T0)


def seed(session: Session) -> dict[str, int]:
    """A network of three (phone in two spellings, address in two), an honest pair sharing only
    generic name words, and a loner."""
    listings = [
        _listing("tiki", "a1", {"id": "1", "name": "Mỹ Phẩm Sỉ Lẻ Bảo Ngọc", "phone": "0912 345 678",
                                "address": "Số 12 ngõ 34 Phố Vọng, Phường Đồng Tâm, Quận Hai Bà Trưng, TP. Hà Nội"}),
        _listing("web", "b1", {"id": "shop-b", "name": "Ngọc Beauty House", "phone": "+84 912.345.678"}),
        _listing("tiktok", "c1", {"id": "3", "name": "Thế Giới Son Live",
                                  "address": "12 Ngõ 34 Phố Vọng, P. Đồng Tâm, Q. Hai Bà Trưng, Hà Nội"}),
        _listing("tiki", "h1", {"id": "4", "name": "Hoàng Gia Store Chính Hãng", "phone": "0934 879 664"}),
        _listing("web", "h2", {"id": "shop-m", "name": "Minh Anh Store Chính Hãng", "phone": "0778 952 786"}),
        _listing("shopee", "z1", {"id": "9", "name": "Đồng Hồ Giá Xưởng"}),
    ]
    result = repo.upsert_listings(session, None, listings)
    names = {"1": "tiki1", "shop-b": "web", "3": "tiktok", "4": "hoang", "shop-m": "minh", "9": "loner"}
    return {names[key]: pk for (_platform, key), pk in result.seller_pks.items()}


def test_rebuild_stores_one_network_with_its_reasons(session: Session) -> None:
    pks = seed(session)
    result = rebuild_networks(session)
    assert (result.networks, result.networked_sellers) == (1, 3)

    network = network_of_seller(session, pks["web"])
    assert network is not None
    assert network.id == min(pks["tiki1"], pks["web"], pks["tiktok"]) and network.size == 3
    assert {m.seller_id for m in network.members} == {pks["tiki1"], pks["web"], pks["tiktok"]}
    reasons = {(frozenset((x.a, x.b)), x.reason, x.evidence) for x in network.links}
    assert (frozenset((pks["tiki1"], pks["web"])), "phone", "+84912345678") in reasons
    assert (frozenset((pks["tiki1"], pks["tiktok"])), "address",
            "12 ngo 34 pho vong phuong dong tam quan hai ba trung ha noi") in reasons
    assert all(x.strong for x in network.links)
    # The web shop and the TikTok shop share nothing directly: linked through the Tiki shop.
    assert {m.seller_id for m, _ in network.links_of(pks["web"])} == {pks["tiki1"]}

    assert network_of_seller(session, pks["hoang"]) is None
    assert network_of_seller(session, pks["minh"]) is None
    assert network_of_seller(session, pks["loner"]) is None
    assert network_counts(session) == (1, 3)
    assert network_counts(session, [pks["loner"]]) == (0, 0)
    assert network_counts(session, [pks["tiktok"], pks["web"]]) == (1, 3)


def test_rebuild_replaces_what_was_stored(session: Session) -> None:
    pks = seed(session)
    rebuild_networks(session)
    rebuild_networks(session)
    assert session.scalar(select(func.count()).select_from(SellerNetwork)) == 1
    assert session.scalar(select(func.count()).select_from(SellerNetworkMember)) == 3
    links = session.scalar(select(func.count()).select_from(SellerNetworkLink))
    # The seller changes its phone: the network shrinks to the two that still share an address.
    repo.upsert_listings(session, None, [
        _listing("web", "b1", {"id": "shop-b", "name": "Ngọc Beauty House", "phone": "0987 000 111"}),
    ])
    rebuild_networks(session)
    assert membership(session, pks.values()) == {
        pks["tiki1"]: (min(pks["tiki1"], pks["tiktok"]), 2), pks["tiktok"]: (min(pks["tiki1"], pks["tiktok"]), 2),
    }
    assert session.scalar(select(func.count()).select_from(SellerNetworkLink)) < (links or 0)


def test_export_appends_network_columns_read_back_with_pandas(session: Session, tmp_path: Path) -> None:
    pks = seed(session)
    for name in ("tiki1", "web", "loner"):
        queue.sync_case(session, pks[name], risk=0.9, flagged=True, priority=0.9, scanned_at=T0)
    rebuild_networks(session)
    frame = flagged_sellers_frame(session)
    assert list(frame.columns) == list(COLUMNS)
    assert list(COLUMNS[-2:]) == ["network_id", "network_size"]  # appended: old readers keep working
    out = write_flagged_sellers(frame, tmp_path / "flagged.csv")
    back = pd.read_csv(out, encoding="utf-8-sig", dtype={"seller_id": str})
    assert list(back.columns[:14]) == list(COLUMNS[:14])
    rows = {row.seller_id: row for row in back.itertuples()}
    network_id = min(pks["tiki1"], pks["web"], pks["tiktok"])
    assert (rows["1"].network_id, rows["1"].network_size) == (network_id, 3)
    assert (rows["shop-b"].network_id, rows["shop-b"].network_size) == (network_id, 3)
    assert pd.isna(rows["9"].network_id) and rows["9"].network_size == 1


def test_a_scan_rebuilds_the_networks(session: Session) -> None:
    """`queue.sync_scan` ends every scan and rescore (scheduler.py): it rebuilds the networks."""
    pks = seed(session)
    assert network_counts(session) == (0, 0)

    class _Assessment:
        risk, flagged = 0.9, True

    queue.sync_scan(session, [SellerResult(pks["tiki1"], _Assessment(), 0.9)],  # type: ignore[arg-type]
                    scanned_at=T0)
    assert network_counts(session) == (1, 3)
