"""Benchmark: listing upserts/s against a raw `executemany` insert of the same rows.

Ours: `storage.repo.upsert_listings` in the pipeline's batches (`DEFAULT_BATCH_SIZE`), one
transaction per batch, as a crawl stores them: sellers upserted, listings upserted with
ON CONFLICT, one observation per listing. Baseline: the DB-API cursor's `executemany`
INSERT of the same listing rows into a bare table with the same columns, same batches and
transactions. Run on SQLite (a file, WAL) and on PostgreSQL (a throwaway schema; skipped
with a note when the server does not answer).
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import Result, stopwatch

COLUMNS = ("platform", "listing_key", "seller_key", "url", "title", "brand", "category", "price",
           "list_price", "currency", "gtin", "images", "sold", "rating", "observed_at")


def listings(n: int) -> list[Any]:
    from detectors.record import Listing

    now = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
    return [
        Listing(
            platform="tiki", listing_id=str(1_000_000 + i), url=f"https://tiki.vn/p/{1_000_000 + i}",
            title=f"Sữa bột Similac IQ số {i % 5} 900g lô {i}", brand="Similac", category="Sữa",
            price=400_000 + i % 997, list_price=520_000, currency="VND", gtin=None,
            images=[f"https://img.example/{i}.jpg"], sold=i % 300, rating=4.5,
            seller={"id": str(i % (n // 25 + 1)), "name": f"Shop {i % (n // 25 + 1)}"}, observed_at=now,
        )
        for i in range(n)
    ]


def _row(item: Any) -> tuple[Any, ...]:
    return (item.platform, item.listing_id, item.seller.id, item.url, item.title, item.brand, item.category,
            item.price, item.list_price, item.currency, item.gtin, json.dumps(list(item.images)),
            item.sold, item.rating, item.observed_at.isoformat())


def _raw_insert(db_url: str, items: list[Any], batch: int) -> float:
    """Seconds to executemany-insert the rows through the bare DB-API connection."""
    from sqlalchemy import text

    from storage.db import make_engine

    engine = make_engine(db_url)
    is_pg = engine.dialect.name == "postgresql"
    mark = "%s" if is_pg else "?"
    types = {"price": "BIGINT", "list_price": "BIGINT", "sold": "BIGINT", "rating": "FLOAT"}
    ddl = ", ".join(f"{c} {types.get(c, 'TEXT')}" for c in COLUMNS)
    insert = f"INSERT INTO raw_listings ({', '.join(COLUMNS)}) VALUES ({', '.join([mark] * len(COLUMNS))})"
    rows = [_row(i) for i in items]
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS raw_listings"))
            conn.execute(text(f"CREATE TABLE raw_listings (id {'BIGSERIAL' if is_pg else 'INTEGER'} PRIMARY KEY, "
                              f"{ddl}, UNIQUE (platform, listing_key))"))
        raw = engine.raw_connection()
        try:
            with stopwatch() as took:
                for start in range(0, len(rows), batch):
                    cursor = raw.cursor()
                    if not is_pg:
                        cursor.execute("BEGIN")
                    cursor.executemany(insert, rows[start:start + batch])
                    raw.commit()
                    cursor.close()
        finally:
            raw.close()
        return took()
    finally:
        engine.dispose()


def _upserts(db_url: str, items: list[Any], batch: int) -> float:
    from sqlalchemy.orm import sessionmaker

    from storage import repo
    from storage.db import make_engine

    engine = make_engine(db_url)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    try:
        with sessions() as session, session.begin():
            run_id = repo.start_scan_run(session, kind="manual", platform="bench").id
        with stopwatch() as took:
            for start in range(0, len(items), batch):
                with sessions() as session, session.begin():
                    repo.upsert_listings(session, run_id, items[start:start + batch])
        return took()
    finally:
        engine.dispose()


def _measure(backend: str, db_url: str, items: list[Any], batch: int) -> Result:
    from storage.db import upgrade

    upgrade(db_url)
    raw_s = _raw_insert(db_url, items, batch)
    ours_s = _upserts(db_url, items, batch)
    n = len(items)
    return Result(
        name=f"store: listing upserts/s on {backend} vs raw executemany insert",
        value=n / ours_s, baseline=n / raw_s, unit="rows/s", target=0.5,
        note=f"{n} new listings in batches of {batch}; upsert also writes sellers and observations",
    )


def run(quick: bool) -> list[Result]:
    from pipeline.pipelines import DEFAULT_BATCH_SIZE
    from storage.testing import pg_schema, pg_unreachable_reason

    items = listings(2_000 if quick else 20_000)
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(_measure("SQLite", f"sqlite:///{Path(tmp) / 'store.db'}", items, DEFAULT_BATCH_SIZE))
    reason = pg_unreachable_reason()
    if reason is None:
        with pg_schema(prefix="lw_bench_") as url:
            results.append(_measure("PostgreSQL", url, items, DEFAULT_BATCH_SIZE))
    else:
        print(f"store: PostgreSQL skipped: {reason}")
    return results
