"""Benchmark: listing upserts/s against a raw `executemany` insert of the same rows.

Ours: `storage.repo.upsert_listings` in the pipeline's batches (`DEFAULT_BATCH_SIZE`), one
transaction per batch, as a crawl stores them: from the `Listing` records to sellers
upserted, listings upserted (ON CONFLICT … RETURNING, new/changed counted) and one
observation per listing. Measured twice: a first crawl (every listing new) and a re-crawl
of the same listings (every listing known: the nightly case).

Baselines, each timed in the same run on a fresh database of the same kind:
- *same rows* (the target's baseline): the DB-API cursor's `executemany` INSERT of exactly
  the rows our upsert leaves behind — sellers, listings, observations, into the project's
  own tables with their indexes — from ready-made tuples with the keys already known. This
  is the floor for putting that data into that schema; the ratio is what our upsert's
  conflict handling, key lookups and record conversion cost on top.
- *one bare table* (for information): the same listing rows into a table with no index but
  the key, as last session's figures used. It measures the schema (three tables, five
  indexes on listings) as much as the code, so it has no target.

Each figure is the best of `ROUNDS` alternating rounds, to damp a noisy machine. SQLite is a
file in WAL mode; PostgreSQL a throwaway schema (skipped with a note when the server does
not answer).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import Result, stopwatch

ROUNDS = 3

COLUMNS = ("platform", "listing_key", "seller_key", "url", "title", "brand", "category", "price",
           "list_price", "currency", "gtin", "images", "sold", "rating", "observed_at")

FIRST_CRAWL = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


def listings(n: int, *, observed_at: datetime = FIRST_CRAWL, price_cut_every: int = 0) -> list[Any]:
    """`n` listings; with `price_cut_every=k`, every k-th one 10,000 VND cheaper (a re-crawl)."""
    from rules.record import Listing

    # Sellers spread as in real search results: listings come in pairs from one seller, so a
    # batch of 200 holds ~100 sellers, and there are ~0.35 sellers per listing overall (the
    # saved Sendo and Tiki results in ../shared/realdata: 73-163 sellers per 200, 0.31-0.42).
    sellers = max(1, n * 35 // 100)

    def seller_of(i: int) -> str:
        return str((i // 2) * 7919 % sellers)

    return [
        Listing(
            platform="tiki", listing_id=str(1_000_000 + i), url=f"https://tiki.vn/p/{1_000_000 + i}",
            title=f"Sữa bột Similac IQ số {i % 5} 900g lô {i}", brand="Similac", category="Sữa",
            price=400_000 + i % 997 - (10_000 if price_cut_every and i % price_cut_every == 0 else 0), list_price=520_000, currency="VND", gtin=None,
            images=[f"https://img.example/{i}.jpg"], sold=i % 300, rating=4.5,
            seller={"id": seller_of(i), "name": f"Shop {seller_of(i)}"}, observed_at=observed_at,
        )
        for i in range(n)
    ]


def _batches(items: list[Any], batch: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), batch):
        yield items[start:start + batch]


# -- baselines -------------------------------------------------------------------------------


def _bare_table(db_url: str, items: list[Any], batch: int) -> float:
    """Seconds to executemany-insert the listing rows into one table with only its keys."""
    from storage.db import make_engine

    engine = make_engine(db_url)
    is_pg = engine.dialect.name == "postgresql"
    mark = "%s" if is_pg else "?"
    types = {"price": "BIGINT", "list_price": "BIGINT", "sold": "BIGINT", "rating": "FLOAT"}
    ddl = ", ".join(f"{c} {types.get(c, 'TEXT')}" for c in COLUMNS)
    insert = f"INSERT INTO raw_listings ({', '.join(COLUMNS)}) VALUES ({', '.join([mark] * len(COLUMNS))})"
    rows = [
        (i.platform, i.listing_id, i.seller.id, i.url, i.title, i.brand, i.category, i.price,
         i.list_price, i.currency, i.gtin, json.dumps(list(i.images)), i.sold, i.rating,
         i.observed_at.isoformat())
        for i in items
    ]
    try:
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute(f"CREATE TABLE raw_listings (id {'BIGSERIAL' if is_pg else 'INTEGER'} PRIMARY KEY, "
                           f"{ddl}, UNIQUE (platform, listing_key))")
            raw.commit()
            return _timed_batches(raw, is_pg, [(insert, rows[s:s + batch]) for s in range(0, len(rows), batch)])
        finally:
            raw.close()
    finally:
        engine.dispose()


def _same_rows(db_url: str, items: list[Any], batch: int) -> float:
    """Seconds to executemany-insert the sellers, listings and observations that our upsert
    writes for `items` (every column, the same values, the same scan run), into our own
    schema, with every key known in advance."""
    from sqlalchemy.orm import sessionmaker

    from storage import bulk, repo
    from storage.db import make_engine

    engine = make_engine(db_url)
    is_pg = engine.dialect.name == "postgresql"
    time = bulk.TimeCache(bulk.POSTGRESQL if is_pg else bulk.SQLITE)
    mark = "%s" if is_pg else "?"
    with sessionmaker(bind=engine)() as session, session.begin():
        run_id = repo.start_scan_run(session, kind="manual", platform="bench").id
    now = time(datetime.now(UTC))

    def insert(upsert: bulk.Upsert, *, with_id: bool) -> str:
        columns = (("id", "bigint"),) * with_id + upsert.columns
        marks = ", ".join(f"{mark}::jsonb" if kind == "jsonb" and is_pg else mark for _, kind in columns)
        return f"INSERT INTO {upsert.table} ({', '.join(name for name, _ in columns)}) VALUES ({marks})"

    seller_sql = insert(bulk.SELLERS, with_id=True)
    listing_sql = insert(bulk.LISTINGS, with_id=True)
    observation_sql = insert(bulk.OBSERVATIONS, with_id=False)
    seller_ids: dict[str, int] = {}
    work: list[tuple[str, list[tuple[Any, ...]]]] = []
    listing_id = 0
    for chunk in _batches(items, batch):
        sellers, listing_rows, observations = [], [], []
        for item in chunk:
            seen = time(item.observed_at)
            seller = item.seller
            if seller.id not in seller_ids:
                seller_ids[seller.id] = len(seller_ids) + 1
                sellers.append((seller_ids[seller.id], item.platform, seller.id, seller.name, seller.url,
                                seller.is_official, seller.location, seller.business_id, seller.phone,
                                seller.address, time(seller.created_at), seen, seen))
            listing_id += 1
            listing_rows.append((listing_id, item.platform, item.listing_id, seller_ids[seller.id], item.url,
                                 item.title, item.description, item.brand, item.category, item.price,
                                 item.list_price, item.currency, item.gtin, item.origin,
                                 json.dumps(list(item.images)), item.sold, item.rating, now, seen, seen, now,
                                 run_id))
            observations.append((listing_id, run_id, seen, item.price, item.list_price, item.sold, item.rating,
                                 item.title))
        work += [(seller_sql, sellers), (listing_sql, listing_rows), (observation_sql, observations)]
    try:
        raw = engine.raw_connection()
        try:
            return _timed_batches(raw, is_pg, work, statements_per_transaction=3)
        finally:
            raw.close()
    finally:
        engine.dispose()


def _timed_batches(raw: Any, is_pg: bool, work: list[tuple[str, list[tuple[Any, ...]]]], *,
                   statements_per_transaction: int = 1) -> float:
    with stopwatch() as took:
        for start in range(0, len(work), statements_per_transaction):
            cursor = raw.cursor()
            if not is_pg:
                cursor.execute("BEGIN")
            for sql, rows in work[start:start + statements_per_transaction]:
                if rows:
                    cursor.executemany(sql, rows)
            raw.commit()
            cursor.close()
    return took()


# -- ours ------------------------------------------------------------------------------------


def _upserts(db_url: str, crawls: list[list[Any]], batch: int) -> list[float]:
    """Seconds for each crawl in turn, stored through `upsert_listings` in pipeline batches."""
    from sqlalchemy.orm import sessionmaker

    from storage import repo
    from storage.db import make_engine

    engine = make_engine(db_url)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    seconds: list[float] = []
    try:
        for items in crawls:
            with sessions() as session, session.begin():
                run_id = repo.start_scan_run(session, kind="manual", platform="bench").id
            with stopwatch() as took:
                for chunk in _batches(items, batch):
                    with sessions() as session, session.begin():
                        repo.upsert_listings(session, run_id, chunk)
            seconds.append(took())
        return seconds
    finally:
        engine.dispose()


# -- the run ---------------------------------------------------------------------------------


def _measure(backend: str, fresh_db: Callable[[], AbstractContextManager[str]], n: int, batch: int) -> list[Result]:
    from storage.db import upgrade

    first = listings(n)
    again = listings(n, observed_at=FIRST_CRAWL + timedelta(days=1), price_cut_every=7)
    best: dict[str, float] = {}

    def keep(name: str, seconds: float) -> None:
        best[name] = min(best.get(name, seconds), seconds)

    for _ in range(ROUNDS):
        with fresh_db() as url:
            keep("bare", _bare_table(url, first, batch))
        with fresh_db() as url:
            upgrade(url)
            keep("same", _same_rows(url, first, batch))
        with fresh_db() as url:
            upgrade(url)
            new_s, recrawl_s = _upserts(url, [first, again], batch)
            keep("new", new_s)
            keep("recrawl", recrawl_s)
    note = (f"{n:,} listings of {len({i.seller.id for i in first}):,} sellers, batches of {batch}, "
            f"best of {ROUNDS}")
    same_rows = "vs raw executemany of the same rows (sellers, listings, observations)"
    return [
        Result(name=f"store: listing upserts/s on {backend}, first crawl, {same_rows}",
               value=n / best["new"], baseline=n / best["same"], unit="rows/s", target=0.5, note=note),
        Result(name=f"store: listing upserts/s on {backend}, re-crawl (all known, 1 in 7 prices moved), {same_rows}",
               value=n / best["recrawl"], baseline=n / best["same"], unit="rows/s", target=0.5, note=note),
        Result(name=f"store: listing upserts/s on {backend}, first crawl, vs raw executemany into one bare table",
               value=n / best["new"], baseline=n / best["bare"], unit="rows/s",
               note="information only: the baseline writes one table with no index but its keys"),
    ]


def run(quick: bool) -> list[Result]:
    from pipeline.pipelines import DEFAULT_BATCH_SIZE
    from storage.testing import pg_schema, pg_unreachable_reason

    n = 2_000 if quick else 20_000

    @contextmanager
    def sqlite_file() -> Iterator[str]:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / 'store.db'}"

    results = _measure("SQLite", sqlite_file, n, DEFAULT_BATCH_SIZE)
    reason = pg_unreachable_reason()
    if reason is None:
        results += _measure("PostgreSQL", lambda: pg_schema(prefix="lw_bench_"), n, DEFAULT_BATCH_SIZE)
    else:
        print(f"store: PostgreSQL skipped: {reason}")
    return results
