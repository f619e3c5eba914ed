"""Scan runs for the runs-page tests: nightly runs over a week (the chart), a partial one below
`min_listings` with blocks and extraction errors (one with a hostile URL), a failed one, a
running one and an on-demand one. Returns the ids the tests look for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import repo
from storage.db import session_factory

HOSTILE_REASON = '<script>alert("reason")</script>'
HOSTILE_URL = 'javascript:alert(1)//<img src=x onerror="y">'


def _counts(listings: dict[str, int], pages: dict[str, int], blocks: dict[str, int], errors: int) -> dict[str, object]:
    parts = {f"coordinator:{i}:{name.removeprefix('demo-')}": {"pages": n, "listings": listings.get(name, 0),
                                                              "final": True}
             for i, (name, n) in enumerate(pages.items())}
    return {"listings_by_platform": listings, "listings_seen": sum(listings.values()), "blocks": blocks,
            "errors": {"extraction": errors, "refused_requests": 0},
            "progress": {"pages": sum(pages.values()), "final": True, "parts": parts}}


def seed_runs(url: str) -> dict[str, int]:
    now = datetime.now(UTC)
    ids: dict[str, int] = {}
    asked = {"asked": [{"platform": "demo-tiki", "mode": "search", "keywords": ["sữa bột"]},
                       {"platform": "demo-shopee", "mode": "search", "keywords": ["son môi"]}]}
    with session_factory(url)() as session, session.begin():
        for night in range(6, 0, -1):
            start = now - timedelta(days=night, hours=1)
            run = repo.start_scan_run(session, "nightly", params=asked, started_at=start)
            shopee = 60 + 7 * night
            repo.finish_scan_run(session, run.id, "ok", counts=_counts(
                {"demo-tiki": 40 + night, "demo-shopee": shopee}, {"demo-tiki": 30, "demo-shopee": 45},
                {"captcha": night % 3}, 0), finished_at=start + timedelta(minutes=14, seconds=night))
        start = now - timedelta(hours=3)
        bad = repo.start_scan_run(session, "nightly", params=asked, started_at=start)
        for i in range(4):
            repo.record_extraction_error(session, bad.id, f"https://tiki.example/p/{i}", "product JSON",
                                         "no product data in the page", at=start)
        repo.record_extraction_error(session, bad.id, HOSTILE_URL, "product JSON", HOSTILE_REASON, at=start)
        repo.finish_scan_run(
            session, bad.id, "partial",
            reason=f"demo-tiki: blocked: captcha=9; errors: 5 {HOSTILE_REASON}",
            counts=_counts({"demo-tiki": 3, "demo-shopee": 58}, {"demo-tiki": 12, "demo-shopee": 40},
                           {"captcha": 9, "login": 1}, 5),
            finished_at=start + timedelta(minutes=21, seconds=5))
        ids["partial"] = bad.id
        failed = repo.start_scan_run(session, "manual", started_at=now - timedelta(hours=2))
        repo.finish_scan_run(session, failed.id, "failed", reason="no response received",
                             finished_at=now - timedelta(hours=2) + timedelta(seconds=31))
        ids["failed"] = failed.id
        seller = repo.start_scan_run(session, "seller", platform="tiki",
                                     params={"request_id": 7, "url": "https://tiki.vn/cua-hang/shop-x"},
                                     started_at=now - timedelta(hours=1))
        repo.finish_scan_run(session, seller.id, "ok", counts=_counts({"tiki": 4}, {"tiki": 3}, {}, 0),
                             finished_at=now - timedelta(hours=1) + timedelta(seconds=48))
        ids["seller"] = seller.id
        ids["running"] = repo.start_scan_run(session, "nightly", params=asked, started_at=now).id
    return ids
