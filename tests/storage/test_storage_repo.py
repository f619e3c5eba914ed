"""Repository functions: idempotent batched upserts, scores, assessments, errors, scan runs."""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from rules.record import Listing, ScoredListing, Signal
from storage import repo
from storage.models import (
    ExtractionError,
    ListingObservation,
    ListingScore,
    ListingSignal,
    ScanRun,
    Seller,
    SellerAssessment,
)
from storage.models import Listing as ListingRow

T0 = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


def make_listing(
    n: int,
    *,
    price: int | None = 100_000,
    title: str | None = None,
    seller: str | None = "s1",
    observed_at: datetime = T0,
    **extra: Any,
) -> Listing:
    seller_data: dict[str, Any] = {} if seller is None else {"id": seller, "name": f"Shop {seller}"}
    seller_data.update(extra.pop("seller_extra", {}))
    return Listing(
        platform=extra.pop("platform", "tiki"),
        listing_id=str(n),
        url=f"https://tiki.vn/p/{n}",
        title=title or f"Sữa bột Ensure Gold {n}",
        brand=extra.pop("brand", "Ensure"),
        category=extra.pop("category", "Sữa"),
        price=price,
        seller=seller_data,
        observed_at=observed_at,
        **extra,
    )


def count(session: Session, model: type[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def signal(code: str = "text.slang", score: float = 0.8, detail: str = "says 'hàng rep'") -> Signal:
    return Signal(
        code=code,
        detector=code.split(".")[0],
        score=score,
        detail=detail,
        detail_vi=f"vi: {detail}",
    )


# --------------------------------------------------------------------------- upserts


def test_same_batch_twice_adds_observations_not_listings(session: Session) -> None:
    batch = [make_listing(n) for n in range(1, 6)]
    first = repo.upsert_listings(session, None, batch)
    second = repo.upsert_listings(session, None, batch, now=T0 + timedelta(hours=1))

    assert (first.new, first.changed, first.seen) == (5, 0, 5)
    assert (second.new, second.changed, second.seen) == (0, 0, 5)
    assert first.listing_pks == second.listing_pks
    assert count(session, ListingRow) == 5
    assert count(session, Seller) == 1
    per_listing = session.execute(
        select(ListingObservation.listing_id, func.count()).group_by(ListingObservation.listing_id)
    ).all()
    assert sorted(n for _, n in per_listing) == [2] * 5


def test_changed_price_or_title_counts_as_changed(session: Session) -> None:
    repo.upsert_listings(session, None, [make_listing(1), make_listing(2), make_listing(3)])
    result = repo.upsert_listings(
        session,
        None,
        [
            make_listing(1, price=90_000),
            make_listing(2, title="Sữa Ensure NEW"),
            make_listing(3),
            make_listing(4),
        ],
        now=T0 + timedelta(days=1),
    )
    assert (result.new, result.changed, result.seen) == (1, 2, 4)
    row = session.get(ListingRow, result.listing_pks[("tiki", "1")])
    assert row is not None and row.price == 90_000
    history = repo.price_history(session, row.id)
    assert [o.price for o in history] == [100_000, 90_000]


def test_price_going_to_null_is_a_change(session: Session) -> None:
    repo.upsert_listings(session, None, [make_listing(1)])
    result = repo.upsert_listings(
        session, None, [make_listing(1, price=None)], now=T0 + timedelta(hours=2)
    )
    assert result.changed == 1


def test_duplicate_listing_in_one_batch_counts_once_last_wins(session: Session) -> None:
    result = repo.upsert_listings(
        session, None, [make_listing(1, price=1), make_listing(1, price=2)]
    )
    assert (result.new, result.seen) == (1, 1)
    assert count(session, ListingObservation) == 1
    row = session.get(ListingRow, result.listing_pks[("tiki", "1")])
    assert row is not None and row.price == 2


def test_missing_facts_do_not_wipe_known_ones(session: Session) -> None:
    detailed = make_listing(
        1, gtin="8934673000011", seller_extra={"phone": "0901234567", "business_id": "0101"}
    )
    repo.upsert_listings(session, None, [detailed])
    result = repo.upsert_listings(session, None, [make_listing(1)], now=T0 + timedelta(hours=1))
    listing = session.get(ListingRow, result.listing_pks[("tiki", "1")])
    seller = session.get(Seller, result.seller_pks[("tiki", "s1")])
    assert listing is not None and listing.gtin == "8934673000011"
    assert seller is not None and (seller.phone, seller.business_id) == ("0901234567", "0101")


def test_recrawl_brings_new_indexed_facts_and_a_new_seller(session: Session) -> None:
    first = repo.upsert_listings(session, None, [make_listing(1, brand=None, category=None)])
    later = T0 + timedelta(hours=1)
    moved = make_listing(1, seller="s2", brand="Abbott", category="Sữa bột", gtin="8934673000011")
    result = repo.upsert_listings(session, None, [moved], now=later)
    pk = result.listing_pks[("tiki", "1")]
    assert pk == first.listing_pks[("tiki", "1")]
    # Found through the indexes, as the peer-price and GTIN lookups do.
    assert session.scalar(select(ListingRow.id).where(ListingRow.gtin == "8934673000011")) == pk
    assert session.scalar(
        select(ListingRow.id).where(ListingRow.brand == "Abbott", ListingRow.category == "Sữa bột")
    ) == pk
    assert session.scalar(select(ListingRow.seller_id).where(ListingRow.id == pk)) == (
        result.seller_pks[("tiki", "s2")]
    )
    # A crawl that shows none of them keeps them.
    repo.upsert_listings(session, None, [make_listing(1, seller=None, brand=None, category=None)],
                         now=later + timedelta(hours=1))
    row = session.execute(
        select(ListingRow.seller_id, ListingRow.brand, ListingRow.category, ListingRow.gtin)
        .where(ListingRow.id == pk)
    ).one()
    assert tuple(row) == (result.seller_pks[("tiki", "s2")], "Abbott", "Sữa bột", "8934673000011")


def test_a_second_call_with_the_same_now_still_brings_new_facts(session: Session) -> None:
    repo.upsert_listings(session, None, [make_listing(1, brand="A", category=None)], now=T0)
    result = repo.upsert_listings(
        session, None, [make_listing(1, seller="s2", brand="B", category="C", gtin="123")],
        now=T0.astimezone(timezone(timedelta(hours=7))),
    )
    row = session.execute(
        select(ListingRow.seller_id, ListingRow.brand, ListingRow.category, ListingRow.gtin)
        .where(ListingRow.id == result.listing_pks[("tiki", "1")])
    ).one()
    assert tuple(row) == (result.seller_pks[("tiki", "s2")], "B", "C", "123")


def test_seller_facts_merge_in_input_order_the_later_listing_wins(session: Session) -> None:
    result = repo.upsert_listings(session, None, [
        make_listing(2, seller_extra={"name": "from listing 2", "phone": "0901"}),
        make_listing(1, seller_extra={"name": "from listing 1"}),
    ])
    seller = session.get(Seller, result.seller_pks[("tiki", "s1")])
    assert seller is not None and (seller.name, seller.phone) == ("from listing 1", "0901")


def test_a_naive_seller_created_at_on_any_listing_is_refused(session: Session) -> None:
    naive = make_listing(1, seller_extra={"created_at": datetime(2020, 1, 1)})
    aware = make_listing(2, seller_extra={"created_at": datetime(2020, 1, 1, tzinfo=UTC)})
    with pytest.raises(ValueError, match="seller.created_at of tiki/1"):
        repo.upsert_listings(session, None, [naive, aware])
    assert count(session, ListingRow) == 0


def test_database_errors_are_sqlalchemys(session: Session) -> None:
    with pytest.raises(IntegrityError, match="INSERT INTO listings"):
        repo.upsert_listings(session, 987_654, [make_listing(1)])


def test_what_the_caller_added_is_flushed_first(session: Session) -> None:
    session.add(ScanRun(kind="manual", started_at=T0, status="running", counts={}))
    repo.upsert_listings(session, None, [make_listing(1)])
    assert session.connection().execute(text("SELECT count(*) FROM scan_runs")).scalar_one() == 1


def test_stored_values_read_back_through_the_orm(session: Session) -> None:
    opened = datetime(2020, 5, 17, 3, 4, 5, 123456, tzinfo=UTC)
    listing = make_listing(
        1,
        observed_at=T0 + timedelta(microseconds=7),
        images=["https://img.example/1.jpg", "https://img.example/ảnh 2.jpg"],
        rating=4.75,
        sold=12,
        list_price=150_000,
        description="Hàng chính hãng <b>",
        origin="Việt Nam",
        seller_extra={"is_official": True, "created_at": opened, "address": "12 Lê Lợi"},
    )
    result = repo.upsert_listings(session, None, [listing], now=T0)
    session.expire_all()
    row = session.get(ListingRow, result.listing_pks[("tiki", "1")])
    seller = session.get(Seller, result.seller_pks[("tiki", "s1")])
    assert row is not None and seller is not None
    assert row.images == ["https://img.example/1.jpg", "https://img.example/ảnh 2.jpg"]
    assert (row.rating, row.sold, row.list_price) == (4.75, 12, 150_000)
    assert (row.description, row.origin, row.currency) == ("Hàng chính hãng <b>", "Việt Nam", "VND")
    assert row.first_seen_at == row.last_seen_at == T0 + timedelta(microseconds=7)
    assert row.created_at == row.last_changed_at == T0
    assert row.first_seen_at.tzinfo is not None
    assert (seller.is_official, seller.created_at_platform, seller.address) == (True, opened, "12 Lê Lợi")
    assert seller.first_seen_at == T0 + timedelta(microseconds=7)


def test_seen_times_move_outward_only(session: Session) -> None:
    repo.upsert_listings(session, None, [make_listing(1, observed_at=T0)])
    repo.upsert_listings(session, None, [make_listing(1, observed_at=T0 - timedelta(days=3))])
    result = repo.upsert_listings(
        session, None, [make_listing(1, observed_at=T0 + timedelta(days=2))]
    )
    row = session.get(ListingRow, result.listing_pks[("tiki", "1")])
    assert row is not None
    session.refresh(row)
    assert row.first_seen_at == T0 - timedelta(days=3)
    assert row.last_seen_at == T0 + timedelta(days=2)


def test_listing_without_seller_id_is_stored_without_seller(session: Session) -> None:
    result = repo.upsert_listings(session, None, [make_listing(1, seller=None, platform="web")])
    assert result.seller_pks == {}
    row = session.get(ListingRow, result.listing_pks[("web", "1")])
    assert row is not None and row.seller_id is None


def test_same_ids_on_different_platforms_are_different_rows(session: Session) -> None:
    result = repo.upsert_listings(
        session, None, [make_listing(1, platform="tiki"), make_listing(1, platform="sendo")]
    )
    assert result.new == 2
    assert len(set(result.listing_pks.values())) == 2
    assert len(set(result.seller_pks.values())) == 2


def test_large_batch_is_chunked_under_bind_limits(session: Session) -> None:
    batch = [make_listing(n, seller=f"s{n % 50}") for n in range(1600)]
    result = repo.upsert_listings(session, None, batch)
    assert (result.new, result.seen, len(result.listing_pks)) == (1600, 1600, 1600)
    assert count(session, Seller) == 50
    assert count(session, ListingObservation) == 1600


def test_naive_observed_at_is_refused(session: Session) -> None:
    with pytest.raises(ValueError, match="naive"):
        repo.upsert_listings(session, None, [make_listing(1, observed_at=datetime(2026, 1, 1))])


def test_observations_point_at_the_scan_run(session: Session) -> None:
    run = repo.start_scan_run(session, "nightly", "tiki", {"keywords": ["ensure"]})
    result = repo.upsert_listings(session, run.id, [make_listing(1)])
    observation = session.scalars(select(ListingObservation)).one()
    assert observation.scan_run_id == run.id
    row = session.get(ListingRow, result.listing_pks[("tiki", "1")])
    assert row is not None and row.last_scan_run_id == run.id


def test_iter_listings_rebuilds_the_records(session: Session) -> None:
    batch = [
        make_listing(
            n, seller=f"s{n % 3}", images=[f"https://img/{n}.jpg"], sold=n, rating=4.5, gtin=None
        )
        for n in range(1, 8)
    ]
    result = repo.upsert_listings(session, None, batch)
    rebuilt = list(repo.iter_listings(session, batch_size=3))
    assert [pk for pk, _ in rebuilt] == sorted(result.listing_pks.values())
    by_id = {item.listing_id: item for _, item in rebuilt}
    for original in batch:
        assert by_id[original.listing_id].model_dump() == original.model_dump()

    s1 = result.seller_pks[("tiki", "s1")]
    only = list(repo.iter_listings(session, seller_pks=[s1], batch_size=2))
    assert {item.listing_id for _, item in only} == {"1", "4", "7"}
    assert [item.listing_id for _, item in repo.seller_listings(session, s1)] == ["1", "4", "7"]
    assert list(repo.iter_listings(session, seller_pks=[])) == []


def test_peer_prices(session: Session) -> None:
    repo.upsert_listings(
        session,
        None,
        [
            make_listing(1, price=100, brand="Ensure", category="Sữa"),
            make_listing(2, price=200, brand="ENSURE", category="Sữa"),
            make_listing(3, price=300, brand="Ensure", category="Khác"),
            make_listing(4, price=None, brand="Ensure", category="Sữa"),
            make_listing(5, price=500, brand="Abbott", category="Sữa"),
        ],
    )
    assert sorted(repo.peer_prices(session, "ensure", "Sữa")) == [100, 200]
    bulk = repo.peer_prices_bulk(
        session, [("Ensure", None), (None, "Sữa"), (None, None), ("Nope", "Sữa")]
    )
    assert sorted(bulk[("Ensure", None)]) == [100, 200, 300]
    assert sorted(bulk[(None, "Sữa")]) == [100, 200, 500]
    assert bulk[("Nope", "Sữa")] == []
    assert (None, None) not in bulk


# --------------------------------------------------------------------------- scores


def test_save_scores_keeps_history_and_replaces_current_signals(session: Session) -> None:
    result = repo.upsert_listings(session, None, [make_listing(1), make_listing(2)])
    pk1, pk2 = result.listing_pks[("tiki", "1")], result.listing_pks[("tiki", "2")]
    repo.save_scores(
        session,
        None,
        "r1",
        [
            (
                pk1,
                ScoredListing(
                    risk=0.9, flagged=True, signals=[signal(), signal("brand.lookalike", 0.9)]
                ),
            ),
            (pk2, ScoredListing(risk=0.1, flagged=False, signals=[])),
        ],
        scored_at=T0,
    )
    assert set(repo.flagged_listing_pks(session)) == {pk1}
    assert repo.flagged_listing_pks(session, code="brand.lookalike") == [pk1]

    repo.save_scores(
        session,
        None,
        "r2",
        [(pk1, ScoredListing(risk=0.3, flagged=False, signals=[signal("price.outlier", 0.3)]))],
    )
    row = session.get(ListingRow, pk1)
    assert row is not None
    session.refresh(row)
    assert (row.risk, row.flagged, row.rules_version) == (0.3, False, "r2")
    assert count(session, ListingScore) == 3
    codes = session.scalars(select(ListingSignal.code).where(ListingSignal.listing_id == pk1)).all()
    assert codes == ["price.outlier"]
    history = session.scalars(
        select(ListingScore).where(ListingScore.listing_id == pk1).order_by(ListingScore.id)
    ).all()
    assert [h.rules_version for h in history] == ["r1", "r2"]
    assert history[0].signals[0] == {
        "code": "text.slang",
        "detector": "text",
        "score": 0.8,
        "detail": "says 'hàng rep'",
        "detail_vi": "vi: says 'hàng rep'",
    }
    assert repo.flagged_listing_pks(session) == []


class Assessment:
    def __init__(self, risk: float, flagged: bool) -> None:
        self.risk = risk
        self.flagged = flagged
        self.signals = [signal("seller.no_identity", 0.5, "no business registration number")]
        self.flagged_listings = 3
        self.total_listings = 10


def test_save_seller_assessment_updates_latest_and_first_flagged(session: Session) -> None:
    result = repo.upsert_listings(session, None, [make_listing(1)])
    spk = result.seller_pks[("tiki", "s1")]
    repo.save_seller_assessment(session, spk, "r1", Assessment(0.2, False), assessed_at=T0)
    seller = session.get(Seller, spk)
    assert seller is not None and seller.first_flagged_at is None
    repo.save_seller_assessment(
        session, spk, "r1", Assessment(0.8, True), assessed_at=T0 + timedelta(days=1)
    )
    repo.save_seller_assessment(
        session, spk, "r2", Assessment(0.85, True), assessed_at=T0 + timedelta(days=2)
    )
    session.refresh(seller)
    assert (seller.risk, seller.flagged, seller.rules_version) == (0.85, True, "r2")
    assert seller.first_flagged_at == T0 + timedelta(days=1)
    assert count(session, SellerAssessment) == 3
    latest = repo.latest_assessment(session, spk)
    assert latest is not None and latest.risk == 0.85
    assert latest.signals[0]["code"] == "seller.no_identity"
    with pytest.raises(LookupError):
        repo.save_seller_assessment(session, 999_999, "r1", Assessment(0.1, False))


# --------------------------------------------------------------------------- runs, errors, requests


def test_scan_run_lifecycle(session: Session) -> None:
    run = repo.start_scan_run(session, "seller", "shopee", {"url": "https://shopee.vn/shop/1"})
    assert run.status == "running" and run.finished_at is None
    run.counts = {"requests": 3}
    repo.finish_scan_run(
        session, run.id, "partial", "captcha on page 2", {"blocks": {"captcha": 1}}
    )
    loaded = session.get(ScanRun, run.id)
    assert loaded is not None
    assert loaded.status == "partial" and loaded.reason == "captcha on page 2"
    assert loaded.counts == {"requests": 3, "blocks": {"captcha": 1}}
    assert loaded.finished_at is not None and loaded.finished_at >= loaded.started_at
    with pytest.raises(ValueError):
        repo.start_scan_run(session, "hourly", None, {})
    with pytest.raises(ValueError):
        repo.finish_scan_run(session, run.id, "running", None, {})
    with pytest.raises(LookupError):
        repo.finish_scan_run(session, 999_999, "ok", None, {})


def test_record_extraction_error_hashes_and_keeps_an_excerpt(session: Session) -> None:
    run = repo.start_scan_run(session, "nightly", "tiki", {})
    body = "<html>Vui lòng đăng nhập</html>" + "x" * 10_000
    row = repo.record_extraction_error(
        session,
        scan_run_id=run.id,
        url="https://tiki.vn/x",
        expected="product JSON",
        message="login wall",
        body=body,
    )
    assert row.body_sha256 == hashlib.sha256(body.encode()).hexdigest()
    assert row.body_excerpt is not None and row.body_excerpt.startswith("<html>Vui lòng")
    assert len(row.body_excerpt) == repo.BODY_EXCERPT_CHARS
    given = repo.record_extraction_error(
        session, None, "https://x", None, "boom", body_sha256="ab" * 32
    )
    assert given.body_sha256 == "ab" * 32 and given.body_excerpt is None
    assert count(session, ExtractionError) == 2


def test_evidence_is_indexed(session: Session) -> None:
    result = repo.upsert_listings(session, None, [make_listing(1)])
    evidence = repo.record_evidence(
        session,
        kind="screenshot",
        path="var/evidence/1.png",
        sha256="0" * 64,
        size=1234,
        listing_id=result.listing_pks[("tiki", "1")],
        media_type="image/png",
    )
    assert evidence.id is not None and evidence.captured_at.tzinfo is not None
    with pytest.raises(ValueError):
        repo.record_evidence(session, kind="video", path="x", sha256="0" * 64, size=1)


def test_scan_requests_are_claimed_once(session: Session) -> None:
    first = repo.request_scan(session, "https://shopee.vn/shop/1", "inspector1", platform="shopee")
    repo.request_scan(session, "https://shopee.vn/shop/2", "inspector1", platform="shopee")
    claimed = repo.claim_scan_request(session)
    assert claimed is not None and claimed.id == first.id and claimed.status == "running"
    second = repo.claim_scan_request(session)
    assert second is not None and second.id != first.id
    assert repo.claim_scan_request(session) is None
    done = repo.finish_scan_request(session, first.id, "done")
    assert done.status == "done" and done.finished_at is not None


# --------------------------------------------------------------------------- concurrency


def _upsert_concurrently(
    sessions: sessionmaker[Session], batches: list[list[Listing]], rounds: int
) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(batches))

    def worker(batch: list[Listing]) -> None:
        try:
            for _ in range(rounds):
                barrier.wait(timeout=30)
                with sessions.begin() as s:
                    repo.upsert_listings(s, None, batch)
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=worker, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


def _assert_nothing_lost_or_duplicated(
    sessions: sessionmaker[Session], batches: list[list[Listing]], rounds: int
) -> None:
    expected_keys = {(item.platform, item.listing_id) for batch in batches for item in batch}
    with sessions() as s:
        keys = s.execute(select(ListingRow.platform, ListingRow.listing_key)).all()
        assert len(keys) == len(expected_keys)
        assert {tuple(k) for k in keys} == expected_keys
        sellers = {item.seller.id for batch in batches for item in batch}
        assert count(s, Seller) == len(sellers)
        assert count(s, ListingObservation) == rounds * sum(len(b) for b in batches)


def _overlapping_batches() -> list[list[Listing]]:
    # 0..299 and 150..449: 150 listings (and their sellers) written by both at once.
    return [
        [make_listing(n, seller=f"s{n % 40}") for n in range(0, 300)],
        [make_listing(n, seller=f"s{n % 40}", price=120_000) for n in range(150, 450)],
    ]


@pytest.mark.postgres
def test_concurrent_overlapping_upserts_on_postgresql(pg_url: str) -> None:
    from storage.db import make_engine, upgrade

    upgrade(pg_url)
    engine = make_engine(pg_url, pool_size=4)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    batches = _overlapping_batches()
    try:
        errors = _upsert_concurrently(sessions, batches, rounds=5)
        assert errors == []
        _assert_nothing_lost_or_duplicated(sessions, batches, rounds=5)
    finally:
        engine.dispose()


def test_concurrent_overlapping_upserts_on_sqlite(sqlite_url: str) -> None:
    from storage.db import make_engine, upgrade

    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    batches = _overlapping_batches()
    try:
        errors = _upsert_concurrently(sessions, batches, rounds=3)
        assert errors == []
        _assert_nothing_lost_or_duplicated(sessions, batches, rounds=3)
    finally:
        engine.dispose()


_WRITER = """
import sys, time
from pathlib import Path
from datetime import UTC, datetime
from rules.record import Listing
from storage import repo
from storage.db import session_factory

url, first, last, rounds, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5])
batch = [
    Listing(platform="tiki", listing_id=str(n), title=f"item {n}", price=1000 + n,
            seller={"id": f"s{n % 40}"}, observed_at=datetime.now(UTC))
    for n in range(first, last)
]
sessions = session_factory(url)
deadline = time.monotonic() + 30
while not go.exists() and time.monotonic() < deadline:
    time.sleep(0.01)
for _ in range(rounds):
    with sessions.begin() as s:
        repo.upsert_listings(s, None, batch)
"""


@pytest.mark.postgres
def test_two_writer_processes_on_postgresql(pg_url: str, tmp_path: Any) -> None:
    """The scale-out case (DESIGN §4.8): two crawler processes, one PostgreSQL."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from storage.db import make_engine, upgrade

    upgrade(pg_url)
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
    }
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, pg_url, str(a), str(b), "4", str(go)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for a, b in ((0, 300), (150, 450))
    ]
    go.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err

    engine = make_engine(pg_url)
    try:
        sessions = sessionmaker(bind=engine)
        with sessions() as s:
            keys = s.scalars(select(ListingRow.listing_key)).all()
            assert sorted(keys, key=int) == [str(n) for n in range(450)]
            assert count(s, Seller) == 40
            assert count(s, ListingObservation) == 4 * 600
    finally:
        engine.dispose()
