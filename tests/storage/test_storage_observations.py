"""One observation per listing per scan run: copies of a listing that one run meets merge.

A run's search crawl and a watched shop's crawl both return the shop's listings; a listing can
be on two result pages; the processes of a shared crawl write the same run. Each copy used to
be an observation (two price points for one night). Runs on SQLite and PostgreSQL (`session`).
"""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage import repo
from storage.db import make_engine, upgrade
from storage.models import Listing as ListingRow
from storage.models import ListingObservation, Seller
from tests.storage.test_storage_repo import T0, count, make_listing

SHOP_PROFILE = {"phone": "0901234567", "address": "12 Hàng Bông, Hà Nội", "business_id": "0101234567",
                "is_official": False}


def _run(session: Session) -> int:
    return repo.start_scan_run(session, kind="nightly", platform="tiki").id


def _observations(session: Session, run_id: int | None = None) -> list[ListingObservation]:
    stmt = select(ListingObservation).order_by(ListingObservation.listing_id, ListingObservation.id)
    if run_id is not None:
        stmt = stmt.where(ListingObservation.scan_run_id == run_id)
    session.expire_all()
    return list(session.scalars(stmt))


def test_same_batch_twice_in_one_run_is_one_observation_each(session: Session) -> None:
    run = _run(session)
    batch = [make_listing(n) for n in range(1, 6)]
    first = repo.upsert_listings(session, run, batch)
    second = repo.upsert_listings(session, run, batch, now=T0 + timedelta(minutes=5))

    assert (first.new, first.changed, first.seen) == (5, 0, 5)
    assert (second.new, second.changed, second.seen) == (0, 0, 5)
    assert count(session, ListingRow) == 5
    assert [o.listing_id for o in _observations(session)] == sorted(first.listing_pks.values())


def test_two_batches_of_one_run_merge_later_non_null_values_win(session: Session) -> None:
    run = _run(session)
    # The search page: price and sold, no rating. The shop page later: rating and a new sold
    # count, no price.
    search = make_listing(1, price=100_000, sold=50, list_price=150_000)
    shop = make_listing(1, price=None, sold=55, rating=4.5, observed_at=T0 + timedelta(minutes=30),
                        seller_extra=SHOP_PROFILE)
    repo.upsert_listings(session, run, [search])
    result = repo.upsert_listings(session, run, [shop], now=T0 + timedelta(minutes=31))
    assert (result.new, result.changed) == (0, 0)  # no change: the shop page only lacked the price

    [observation] = _observations(session)
    assert (observation.price, observation.list_price, observation.sold, observation.rating) == (
        100_000, 150_000, 55, 4.5)
    assert observation.observed_at == T0 + timedelta(minutes=30)
    row = session.get(ListingRow, result.listing_pks[("tiki", "1")])
    assert row is not None
    assert (row.price, row.list_price, row.sold, row.rating) == (100_000, 150_000, 55, 4.5)
    seller = session.get(Seller, row.seller_id)
    assert seller is not None and (seller.phone, seller.address, seller.business_id) == (
        SHOP_PROFILE["phone"], SHOP_PROFILE["address"], SHOP_PROFILE["business_id"])

    # The shop crawl first, the search crawl after: the profile stays all the same.
    run2 = _run(session)
    repo.upsert_listings(session, run2, [make_listing(2, price=None, seller_extra=SHOP_PROFILE)])
    repo.upsert_listings(session, run2, [make_listing(2, price=90_000)], now=T0 + timedelta(minutes=1))
    row2 = session.get(ListingRow, repo.listing_pk(session, "tiki", "2"))
    assert row2 is not None and row2.price == 90_000 and row2.seller_id == row.seller_id
    session.expire_all()
    assert session.get(Seller, row.seller_id).phone == SHOP_PROFILE["phone"]  # type: ignore[union-attr]
    assert [o.price for o in _observations(session, run2)] == [90_000]


def test_copies_within_one_batch_merge(session: Session) -> None:
    run = _run(session)
    search = make_listing(1, price=100_000, images=["https://img/1.jpg"])
    shop = make_listing(1, price=None, rating=4.0, seller_extra=SHOP_PROFILE,
                        observed_at=T0 + timedelta(minutes=2))
    result = repo.upsert_listings(session, run, [search, make_listing(2), shop])
    assert (result.new, result.seen) == (2, 2)
    observations = _observations(session)
    assert len(observations) == 2
    first = next(o for o in observations if o.listing_id == result.listing_pks[("tiki", "1")])
    assert (first.price, first.rating, first.observed_at) == (100_000, 4.0, T0 + timedelta(minutes=2))
    row = session.get(ListingRow, first.listing_id)
    assert row is not None and row.images == ["https://img/1.jpg"] and row.price == 100_000
    assert session.get(Seller, row.seller_id).business_id == SHOP_PROFILE["business_id"]  # type: ignore[union-attr]


def test_a_later_copy_naming_no_seller_keeps_the_listing_at_its_shop(session: Session) -> None:
    run = _run(session)
    result = repo.upsert_listings(session, run, [make_listing(1, seller_extra=SHOP_PROFILE),
                                                 make_listing(1, seller=None)])
    row = session.get(ListingRow, result.listing_pks[("tiki", "1")])
    assert row is not None and row.seller_id == result.seller_pks[("tiki", "s1")]


def test_each_run_keeps_its_own_observation_and_a_new_run_takes_values_as_observed(session: Session) -> None:
    run1 = _run(session)
    repo.upsert_listings(session, run1, [make_listing(1, price=100_000)])
    repo.upsert_listings(session, run1, [make_listing(1, price=100_000)], now=T0 + timedelta(minutes=1))
    run2 = _run(session)
    result = repo.upsert_listings(session, run2, [make_listing(1, price=None)], now=T0 + timedelta(days=1))
    assert result.changed == 1  # a price gone in the next run is still a change
    assert [(o.scan_run_id, o.price) for o in _observations(session)] == [(run1, 100_000), (run2, None)]
    row = session.get(ListingRow, result.listing_pks[("tiki", "1")])
    assert row is not None and row.price is None


def test_without_a_run_every_call_adds_an_observation(session: Session) -> None:
    repo.upsert_listings(session, None, [make_listing(1)])
    repo.upsert_listings(session, None, [make_listing(1)], now=T0 + timedelta(minutes=1))
    run = _run(session)
    repo.upsert_listings(session, run, [make_listing(1)], now=T0 + timedelta(minutes=2))
    assert [o.scan_run_id for o in _observations(session)] == [None, None, run]


def test_a_run_counts_a_listing_seen_twice_once(session: Session) -> None:
    from pipeline.batch import score_scan
    from rules.loader import load_rules

    run = _run(session)
    repo.upsert_listings(session, run, [make_listing(n) for n in range(1, 4)])
    repo.upsert_listings(session, run, [make_listing(n) for n in range(2, 6)], now=T0 + timedelta(minutes=1))
    result = score_scan(session, load_rules(), run)
    assert result.listings_by_platform == {"tiki": 5} and result.listings_seen == 5
    assert count(session, ListingObservation) == 5


# --------------------------------------------------------------------------- concurrency


def _writers(url: str, rounds: int) -> None:
    """Two threads storing overlapping batches into one run at once, as two processes of a
    shared crawl do: no error, one observation per listing."""
    engine = make_engine(url, pool_size=4) if url.startswith("postgresql") else make_engine(url)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    try:
        with sessions.begin() as s:
            run = _run(s)
        batches = [[make_listing(n, seller=f"s{n % 30}") for n in range(0, 200)],
                   [make_listing(n, seller=f"s{n % 30}", price=120_000) for n in range(100, 300)]]
        errors: list[BaseException] = []
        start = threading.Barrier(len(batches))

        def write(batch: list[Any]) -> None:
            try:
                start.wait()
                for _ in range(rounds):
                    with sessions.begin() as s:
                        repo.upsert_listings(s, run, batch)
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(b,)) for b in batches]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert errors == []
        with sessions() as s:
            per_listing = s.execute(select(ListingObservation.listing_id, func.count())
                                    .group_by(ListingObservation.listing_id)).all()
            assert len(per_listing) == 300 and {n for _, n in per_listing} == {1}
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_concurrent_writers_of_one_run_on_postgresql(pg_url: str) -> None:
    upgrade(pg_url)
    _writers(pg_url, rounds=4)


def test_concurrent_writers_of_one_run_on_sqlite(sqlite_url: str) -> None:
    upgrade(sqlite_url)
    _writers(sqlite_url, rounds=2)


# --------------------------------------------------------------------------- migration 0011


def _before_0011(url: str) -> str:
    """The revision just before 0011 (0010 once the alerts branch is merged, else 0009)."""
    from alembic.script import ScriptDirectory

    from storage.db import alembic_config

    revision = ScriptDirectory.from_config(alembic_config(url)).get_revision("0011")
    assert revision is not None and isinstance(revision.down_revision, str)
    return revision.down_revision


def test_migration_merges_duplicate_observations(empty_db_url: str) -> None:
    upgrade(empty_db_url, _before_0011(empty_db_url))
    engine = make_engine(empty_db_url)
    t = [(T0 + timedelta(minutes=m)).isoformat() for m in range(4)]
    if engine.dialect.name == "sqlite":
        t = [(T0 + timedelta(minutes=m)).replace(tzinfo=None).isoformat(" ", "microseconds") for m in range(4)]
    try:
        with engine.begin() as c:
            c.execute(sa.text(
                "INSERT INTO scan_runs (id, kind, started_at, status, params, counts) VALUES "
                "(1, 'nightly', :t, 'ok', '{}', '{}'), (2, 'nightly', :t, 'ok', '{}', '{}')"), {"t": t[0]})
            c.execute(sa.text(
                "INSERT INTO listings (id, platform, listing_key, title, currency, images, created_at, "
                "first_seen_at, last_seen_at, last_changed_at) VALUES "
                "(1, 'tiki', '1', 'a', 'VND', '[]', :t, :t, :t, :t), (2, 'tiki', '2', 'b', 'VND', '[]', :t, :t, :t, :t)"),
                {"t": t[0]})
            rows = [  # id, listing, run, observed_at, price, list_price, sold, rating, title
                (10, 1, 1, t[0], 100, 150, 5, None, "search"),
                (11, 1, 1, t[2], None, None, 6, 4.5, "shop"),
                (12, 1, 1, t[1], 90, None, None, None, None),  # earlier than 11: loses to it
                (13, 1, 2, t[3], 80, None, None, None, "next run"),
                (14, 2, 1, t[0], 70, None, None, None, "alone"),
                (15, 2, None, t[0], 60, None, None, None, "no run"),
                (16, 2, None, t[1], 61, None, None, None, "no run"),
            ]
            for row in rows:
                c.execute(sa.text(
                    "INSERT INTO listing_observations (id, listing_id, scan_run_id, observed_at, price, "
                    "list_price, sold, rating, title) VALUES (:i, :l, :r, :o, :p, :lp, :s, :ra, :ti)"),
                    dict(zip(("i", "l", "r", "o", "p", "lp", "s", "ra", "ti"), row, strict=True)))
    finally:
        engine.dispose()

    upgrade(empty_db_url)
    engine = make_engine(empty_db_url)
    try:
        with Session(engine) as s:
            got = [(o.id, o.listing_id, o.scan_run_id, o.observed_at, o.price, o.list_price, o.sold, o.rating,
                    o.title) for o in s.scalars(select(ListingObservation).order_by(ListingObservation.id))]
        indexes = {ix["name"]: ix for ix in sa.inspect(engine).get_indexes("listing_observations")}
    finally:
        engine.dispose()
    assert got == [
        (10, 1, 1, T0 + timedelta(minutes=2), 90, 150, 6, 4.5, "shop"),
        (13, 1, 2, T0 + timedelta(minutes=3), 80, None, None, None, "next run"),
        (14, 2, 1, T0, 70, None, None, None, "alone"),
        (15, 2, None, T0, 60, None, None, None, "no run"),
        (16, 2, None, T0 + timedelta(minutes=1), 61, None, None, None, "no run"),
    ]
    assert indexes["uq_listing_observations_listing_id_scan_run_id"]["unique"]


def test_the_unique_index_refuses_a_second_observation_of_a_run(db_url: str, tmp_path: Path) -> None:
    from sqlalchemy.exc import IntegrityError

    engine = make_engine(db_url)
    try:
        with Session(engine) as s, s.begin():
            run = _run(s)
            repo.upsert_listings(s, run, [make_listing(1)])
            pk = repo.listing_pk(s, "tiki", "1")
        with pytest.raises(IntegrityError), Session(engine) as s, s.begin():
            s.add(ListingObservation(listing_id=pk, scan_run_id=run, observed_at=T0))
    finally:
        engine.dispose()


def test_a_finished_request_counts_stored_listings_not_emitted_copies(db_url: str) -> None:
    from storage import runs
    from storage.db import session_factory

    with session_factory(db_url)() as s, s.begin():
        run = _run(s)
        repo.upsert_listings(s, run, [make_listing(n) for n in range(1, 4)])
        repo.upsert_listings(s, run, [make_listing(n) for n in range(2, 4)], now=T0 + timedelta(minutes=1))
        request = repo.request_scan(s, "https://tiki.vn/cua-hang/x", "lan")
        request.scan_run_id = run
        request.status = "running"
        request_id = request.id
    part = {"pages": 4, "requests": 5, "listings": 5, "final": False}
    runs.record_progress(db_url, run, "coordinator:0:tiki", part)
    assert runs.request_progress(db_url, request_id).listings == 5  # the pipeline may lag: emitted
    runs.record_progress(db_url, run, "coordinator:0:tiki", {**part, "final": True})
    assert runs.request_progress(db_url, request_id).listings == 3  # done: each listing once
