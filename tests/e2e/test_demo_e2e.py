"""The main job, as a user runs it: `listingwatch demo` on the embedded marketplace."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from demo.catalog import DemoSeller, build_catalog

pytestmark = pytest.mark.slow

EXPORT_COLUMNS = [
    "platform", "seller_id", "seller_name", "seller_url", "location", "risk", "flagged_listings",
    "total_listings", "top_signals", "example_listing_urls", "case_id", "case_status",
    "first_flagged_at", "last_scanned_at", "network_id", "network_size",
]


def _stored_seller_id(seller: DemoSeller) -> str:
    """How a crawl names a demo seller: stand-alone shops are known by host + shop path;
    Facebook pages by their username, every other platform by its own shop id."""
    if seller.platform == "demo-web":
        return "127.0.0.1" + seller.shop_url_path
    return seller.seller_id


def _run_demo(tmp_path: Path, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LISTINGWATCH_DB_URL": f"sqlite:///{tmp_path / 'lw.db'}"}
    return subprocess.run(
        # Port 0: other tests of the run may hold the default port (the README command uses it).
        [sys.executable, "-m", "listingwatch", "demo", "--port", "0", "--out", str(out)],
        env=env, capture_output=True, text=True, timeout=900, cwd=tmp_path,
    )


def _counts(db: Path) -> tuple[int, int, int]:
    with sqlite3.connect(db) as conn:
        listings = conn.execute("select count(*) from listings").fetchone()[0]
        open_cases = conn.execute(
            "select count(*) from review_cases where status in ('open', 'in_review')"
        ).fetchone()[0]
        observations = conn.execute("select count(*) from listing_observations").fetchone()[0]
    return listings, open_cases, observations


@pytest.fixture(scope="module")
def demo_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("demo")
    first = _run_demo(tmp, tmp / "out")
    assert first.returncode == 0, first.stderr[-4000:]
    counts_first = _counts(tmp / "lw.db")
    frame = pd.read_csv(tmp / "out" / "flagged_sellers.csv", encoding="utf-8-sig", dtype={"seller_id": str})
    second = _run_demo(tmp, tmp / "out2")
    assert second.returncode == 0, second.stderr[-4000:]
    return {
        "first": first, "second": second, "frame": frame,
        "counts_first": counts_first, "counts_second": _counts(tmp / "lw.db"),
    }


def test_export_has_the_design_columns(demo_runs: dict[str, object]) -> None:
    frame = demo_runs["frame"]
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == EXPORT_COLUMNS
    assert len(frame) > 0


def test_every_planted_counterfeiter_is_queued(demo_runs: dict[str, object]) -> None:
    frame = demo_runs["frame"]
    assert isinstance(frame, pd.DataFrame)
    queued = {(row.platform, row.seller_id) for row in frame.itertuples() if row.case_status == "open"}
    planted = {(s.platform, _stored_seller_id(s)) for s in build_catalog().sellers if s.role == "counterfeit"}
    assert planted, "the demo catalog plants no counterfeit seller"
    assert planted <= queued, f"not queued: {sorted(planted - queued)}"


def test_no_official_store_is_queued(demo_runs: dict[str, object]) -> None:
    frame = demo_runs["frame"]
    assert isinstance(frame, pd.DataFrame)
    queued = {(row.platform, row.seller_id) for row in frame.itertuples()}
    official = {(s.platform, _stored_seller_id(s)) for s in build_catalog().sellers if s.role == "official"}
    assert not (official & queued), f"official stores queued: {sorted(official & queued)}"


def test_summary_names_every_platform(demo_runs: dict[str, object]) -> None:
    first = demo_runs["first"]
    assert isinstance(first, subprocess.CompletedProcess)
    for platform in ("demo-tiki", "demo-web", "demo-shopee", "demo-sendo", "demo-lazada", "demo-tiktok",
                     "demo-facebook"):
        assert platform in first.stdout
    assert "sellers queued" in first.stdout


def test_second_run_changes_no_listing_or_case_counts(demo_runs: dict[str, object]) -> None:
    listings_1, cases_1, observations_1 = demo_runs["counts_first"]  # type: ignore[misc]
    listings_2, cases_2, observations_2 = demo_runs["counts_second"]  # type: ignore[misc]
    assert listings_1 >= 300
    assert (listings_2, cases_2) == (listings_1, cases_1)
    assert observations_2 == 2 * observations_1


def test_demo_shows_progress_and_what_to_do_next(demo_runs: dict[str, object]) -> None:
    """Issue 14 item 15: not ~100 s of silence; the run's pages, listings and evidence as they grow."""
    first = demo_runs["first"]
    assert isinstance(first, subprocess.CompletedProcess)
    lines = [line for line in first.stderr.splitlines() if line.startswith("scan run ")]
    assert any(" crawling: pages " in line for line in lines), first.stderr[-2000:]
    assert "evidence captures" in lines[-1]
    assert "listingwatch serve" in first.stdout and "flagged_sellers.csv" in first.stdout
