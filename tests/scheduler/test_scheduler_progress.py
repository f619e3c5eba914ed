"""A scan run's live progress: every crawl keeps its own part, the totals are their sums.

Several crawls write one run's ``counts.progress`` (the platforms of one scan, a shared
crawl's coordinator and its workers); none may overwrite another, on SQLite or PostgreSQL.
"""

from __future__ import annotations

import threading
from typing import Any

from scrapy.settings import Settings

import scheduler
from crawler.extensions import CrawlWatch
from demo.server import DemoServer
from rules.loader import load_rules
from storage import repo, runs
from storage.db import session_factory
from storage.models import ScanRun


def _start(db_url: str) -> int:
    return runs.start_run(db_url, kind="manual", platform=None, params={})


def _progress(db_url: str, run_id: int) -> dict[str, Any]:
    with session_factory(db_url)() as session:
        run = session.get(ScanRun, run_id, populate_existing=True)
        assert run is not None
        return dict((run.counts or {}).get("progress") or {})


def _part(pages: int, listings: int, *, final: bool = False) -> dict[str, Any]:
    return {"pages": pages, "requests": pages + 1, "listings": listings, "final": final}


def test_two_crawls_progress_adds_up_instead_of_overwriting(db_url: str) -> None:
    run_id = _start(db_url)
    runs.record_progress(db_url, run_id, "coordinator:0:tiki", _part(10, 30))
    runs.record_progress(db_url, run_id, "worker-ab12:0:tiki", _part(7, 20))
    # A later report of a crawl replaces that crawl's part only.
    runs.record_progress(db_url, run_id, "coordinator:0:tiki", _part(12, 35, final=True))

    progress = _progress(db_url, run_id)
    assert progress["parts"] == {
        "coordinator:0:tiki": _part(12, 35, final=True),
        "worker-ab12:0:tiki": _part(7, 20),
    }
    assert (progress["pages"], progress["requests"], progress["listings"]) == (19, 21, 55)
    assert progress["final"] is False  # the worker's crawl is still going

    # The consumers read the sums: `scan-seller --wait` and the scheduler's request status.
    with session_factory(db_url)() as session, session.begin():
        request = repo.request_scan(session, "https://tiki.vn/cua-hang/x", "lan")
        request.scan_run_id = run_id
        request.status = "running"
        request_id = request.id
    seen = runs.request_progress(db_url, request_id)
    assert (seen.pages, seen.listings) == (19, 55)


def test_concurrent_writers_lose_no_part(db_url: str) -> None:
    """Two writers racing on the same row: every last report survives (row lock / write lock)."""
    run_id = _start(db_url)
    rounds = 25
    errors: list[BaseException] = []

    def crawl(key: str) -> None:
        try:
            for n in range(1, rounds + 1):
                runs.record_progress(db_url, run_id, key, _part(n, 2 * n, final=n == rounds))
        except BaseException as exc:  # surfaced below: a thread's failure must fail the test
            errors.append(exc)

    keys = ["coordinator:0:tiki", "worker-1:0:tiki", "coordinator:1:web"]
    threads = [threading.Thread(target=crawl, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    progress = _progress(db_url, run_id)
    assert progress["parts"] == {key: _part(rounds, 2 * rounds, final=True) for key in keys}
    assert progress["pages"] == 3 * rounds and progress["listings"] == 6 * rounds
    assert progress["final"] is True


def test_a_finished_run_takes_no_more_progress(db_url: str) -> None:
    run_id = _start(db_url)
    runs.record_progress(db_url, run_id, "coordinator:0:web", _part(3, 4, final=True))
    with session_factory(db_url)() as session, session.begin():
        repo.finish_scan_run(session, run_id, status="ok", counts={"requests": 4})
    runs.record_progress(db_url, run_id, "worker-late:0:web", _part(9, 9))
    assert set(_progress(db_url, run_id)["parts"]) == {"coordinator:0:web"}


class _Stats:
    def __init__(self, stats: dict[str, Any]) -> None:
        self.stats = stats

    def get_stats(self) -> dict[str, Any]:
        return self.stats


class _Crawler:
    def __init__(self, settings: dict[str, Any], spider: str, stats: dict[str, Any]) -> None:
        self.settings = Settings(settings)
        self.spidercls = type("Spider", (), {"name": spider})
        self.stats = _Stats(stats)


def test_the_crawl_watch_names_its_part_by_role_spec_and_spider(db_url: str) -> None:
    run_id = _start(db_url)
    base = {"LISTINGWATCH_SCAN_RUN_ID": run_id, "LISTINGWATCH_DB_URL": db_url}
    stats = {"downloader/response_count": 5, "downloader/request_count": 6, "crawler/listings": 9}
    coordinator = CrawlWatch(_Crawler({**base, "LISTINGWATCH_CRAWL_INDEX": 1}, "sendo", stats))
    worker = CrawlWatch(_Crawler(
        {**base, "LISTINGWATCH_CRAWL_INDEX": 1, "LISTINGWATCH_REDIS_ROLE": "worker-3f9a"}, "sendo", stats))
    coordinator.write_progress(final=True)
    worker.write_progress(final=False)
    progress = _progress(db_url, run_id)
    assert set(progress["parts"]) == {"coordinator:1:sendo", "worker-3f9a:1:sendo"}
    assert (progress["pages"], progress["requests"], progress["listings"]) == (10, 12, 18)


def test_a_scan_of_two_platforms_keeps_both_crawls_progress(db_url: str, demo: DemoServer) -> None:
    rules = load_rules()
    specs = scheduler.watchlist_specs(rules, platforms=["demo-sendo", "demo-lazada"], demo_base_url=demo.base_url)
    assert [s.platform for s in specs] == ["demo-sendo", "demo-lazada"]
    report = scheduler.execute_scan(specs, kind="manual", db_url=db_url, rules=rules, timeout=300)
    assert report.status == "ok", report.reason
    with session_factory(db_url)() as session:
        run = session.get(ScanRun, report.run_id)
        assert run is not None
        counts = dict(run.counts or {})
    progress = counts["progress"]
    assert set(progress["parts"]) == {"coordinator:0:sendo", "coordinator:1:lazada"}
    assert all(part["final"] and part["listings"] > 0 for part in progress["parts"].values())
    # The totals cover both crawls: the same requests the finished run counts.
    assert progress["requests"] == counts["requests"] == report.requests
    assert progress["listings"] >= counts["listings_seen"] > 0
    assert progress["final"] is True
