"""A scan run that meets a listing twice stores one observation of it, and keeps both crawls'
facts: the shipped watchlist's demo-tiktok entry crawls one watched shop whole besides the
search, and that shop's listings are on the search pages too.

An earlier fix (reverted in 3260222) made the run's crawls share a "seen" set, and the shop
crawl dropped the copies that carry the shop page's profile; storage now merges the copies.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawler.platforms import demo_paths
from demo.server import DemoServer
from rules.loader import load_rules
from storage.db import make_engine
from storage.models import Listing, ListingObservation, Seller
from tests.crawler.crawler_helpers import need_chromium
from tests.scaleout.scaleout_helpers import big_watchlist, cli, cli_env, read_back

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_search_and_watched_shop_of_one_run_observe_each_listing_once(tmp_path: Path) -> None:
    need_chromium()
    [watched] = load_rules().watchlist.platforms["demo-tiktok"].sellers
    db_url = f"sqlite:///{tmp_path / 'lw.db'}"
    # Many keywords: the search pages certainly show the watched shop's listings too.
    watchlist = big_watchlist(tmp_path / "watchlist.yaml", ["demo-tiktok"])
    with DemoServer() as server:
        base = server.base_url + demo_paths()["demo-tiktok"]
        done = cli(["scan", "-p", "demo-tiktok", "--watchlist", str(watchlist), "--base-url", base],
                   cli_env(db_url), tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]

    stored = read_back(db_url)
    [run] = stored.runs
    progress = run["counts"]["progress"]
    assert len(progress["parts"]) == 2  # the search crawl and the shop crawl
    # The crawls emitted some listings twice (else this test proves nothing) ...
    assert progress["listings"] > len(stored.listing_keys) >= 10
    # ... and each is one observation, counted once.
    assert set(stored.observations_per_listing.values()) == {1}
    assert run["counts"]["listings_seen"] == len(stored.listing_keys)

    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            shop = conn.execute(select(Seller).where(Seller.platform == "demo-tiktok",
                                                     Seller.seller_key == watched)).one()
            # The shop page's profile (phone, address) stayed, whichever crawl stored last.
            assert shop.phone is not None and shop.address is not None
            listed = conn.execute(select(func.count(), func.count(Listing.price))
                                  .where(Listing.seller_id == shop.id)).one()
            observed = conn.scalar(select(func.count(ListingObservation.id)).join(Listing)
                                   .where(Listing.seller_id == shop.id))
    finally:
        engine.dispose()
    assert listed[0] >= 3 and listed[1] == listed[0]  # every listing of the shop kept a price
    assert observed == listed[0]
