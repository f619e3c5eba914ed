"""The command line end to end on the real PostgreSQL server, as on SQLite.

Each run gets a throwaway schema chosen through `search_path` in the URL's `options`; the
crawl runs in a spawned child process, so this also shows the schema reaches the child.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.scaleout.scaleout_helpers import cli, cli_env, read_back

PLATFORMS = ["-p", "demo-tiki", "-p", "demo-web"]


def _scan_queue_export(db_url: str, tmp_path: Path, name: str) -> tuple[pd.DataFrame, str]:
    env = cli_env(db_url)
    upgraded = cli(["db", "upgrade"], env, tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    scanned = cli(["scan", *PLATFORMS], env, tmp_path)
    assert scanned.returncode == 0, scanned.stderr[-3000:]
    queued = cli(["queue", "list", "--limit", "500"], env, tmp_path)
    assert queued.returncode == 0, queued.stderr[-2000:]
    target = tmp_path / f"{name}.csv"
    exported = cli(["export", "flagged-sellers", "--out", str(target)], env, tmp_path)
    assert exported.returncode == 0, exported.stderr[-2000:]
    rescored = cli(["rescore"], env, tmp_path)
    assert rescored.returncode == 0, rescored.stderr[-2000:]
    frame = pd.read_csv(target, encoding="utf-8-sig", dtype={"seller_id": str})
    return frame, queued.stdout


@pytest.mark.slow
@pytest.mark.postgres
def test_scan_queue_export_rescore_on_postgresql_as_on_sqlite(pg_url: str, tmp_path: Path) -> None:
    assert "search_path" in pg_url
    sqlite_url = f"sqlite:///{tmp_path / 'lw.db'}"
    lite_frame, lite_queue = _scan_queue_export(sqlite_url, tmp_path, "sqlite")
    pg_frame, pg_queue = _scan_queue_export(pg_url, tmp_path, "pg")

    lite, pg = read_back(sqlite_url), read_back(pg_url)
    assert len(pg.listing_keys) > 100
    assert pg.distinct == lite.distinct
    assert len(pg.listing_keys) == len(pg.distinct)
    [pg_run], [lite_run] = pg.runs, lite.runs
    assert pg_run["status"] == lite_run["status"] == "ok"
    for key in ("listings_new", "listings_seen", "flagged", "sellers_flagged", "sellers_queued"):
        assert pg_run["counts"][key] == lite_run["counts"][key], key

    # The analyst sees the same flagged sellers, in the same columns.
    assert len(pg_frame) > 0
    assert list(pg_frame.columns) == list(lite_frame.columns)
    key = ["platform", "seller_id"]
    assert sorted(map(tuple, pg_frame[key].values.tolist())) == sorted(map(tuple, lite_frame[key].values.tolist()))
    assert pg_frame.set_index(key)["risk"].sort_index().round(6).equals(
        lite_frame.set_index(key)["risk"].sort_index().round(6)
    )
    assert len(pg_queue.splitlines()) == len(lite_queue.splitlines())


@pytest.mark.slow
@pytest.mark.postgres
def test_schema_in_the_url_reaches_the_crawl_child(pg_url: str, tmp_path: Path) -> None:
    """Only the throwaway schema is written: a crawl child that lost `search_path` would write `public`."""
    from sqlalchemy import text

    from storage.db import make_engine
    from storage.testing import pg_test_url

    env = cli_env(pg_url)
    assert cli(["db", "upgrade"], env, tmp_path).returncode == 0
    scanned = cli(["scan", "-p", "demo-web"], env, tmp_path)
    assert scanned.returncode == 0, scanned.stderr[-3000:]
    schema = pg_url.split("search_path%3D", 1)[1].split("&", 1)[0] if "search_path%3D" in pg_url else \
        pg_url.split("search_path=", 1)[1].split("&", 1)[0]
    engine = make_engine(pg_test_url())
    try:
        with engine.connect() as conn:
            stored = conn.execute(text(f'SELECT count(*) FROM "{schema}".listings')).scalar_one()
            public = conn.execute(text(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'listings'"
            )).scalar_one()
    finally:
        engine.dispose()
    assert stored > 0
    if public:  # someone's database may have a public schema; ours must not have written to it
        with make_engine(pg_test_url()).connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM public.listings WHERE platform = 'demo-web'")).scalar_one() == 0
