"""Issue 16 part 5: the takedown statistics the steering committee reports, by platform and month,
on SQLite and PostgreSQL, through `takedown stats --json` and the statistics page, read back with
pandas (the page: tests/web/test_web_takedown_stats.py)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pandas as pd
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import listingwatch
from review.takedown.stats import listing_verdict, takedown_stats
from storage import repo
from storage.db import session_factory
from storage.models import Listing, ReviewCase, Seller

#: 20:00 UTC on 31 October is already 1 November in Vietnam: the month is November.
OCT31 = datetime(2026, 10, 31, 20, 0, tzinfo=UTC)
DEC1 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
H = timedelta(hours=1)


def _request(session: Session, platform: str, key: str, n: int) -> tuple[int, list[int]]:
    seller = Seller(platform=platform, seller_key=key, name=f"Shop {key}")
    session.add(seller)
    session.flush()
    refs = []
    for i in range(n):
        listing = Listing(platform=platform, listing_key=f"{key}-{i}", seller_id=seller.id, title=f"x{i}",
                          url=f"http://127.0.0.1:1/{key}/{i}.html")
        session.add(listing)
        session.flush()
        refs.append(repo.ListingRef(listing.id, listing.listing_key, str(listing.url)))
    case = ReviewCase(seller_id=seller.id, status="confirmed", risk=0.9, first_flagged_at=OCT31,
                      last_scanned_at=OCT31)
    session.add(case)
    session.flush()
    request = repo.create_takedown(session, case_id=case.id, platform=platform, listings=refs, actor="lan",
                                   authority={"authority": "Chi cục QLTT"}, at=OCT31 - 2 * H)
    return request.id, [row.id for row in request.listings]


def _check(session: Session, request_id: int, at: datetime, **by_row: str) -> None:
    repo.record_check(session, request_id, [repo.ListingCheck(int(k[1:]), s, s) for k, s in by_row.items()],
                      actor="system", at=at)


def seed(session: Session) -> None:
    """Tiki (November): removed before the deadline, removed after being seen online late, still
    online. Shopee (December): only blocked checks; removed then blocked (stays removed). Plus a
    draft that was never sent (not counted)."""
    tiki, (a, b, c) = _request(session, "demo-tiki", "t", 3)
    repo.mark_sent(session, tiki, actor="lan", via="email", deadline_hours=24, at=OCT31)
    _check(session, tiki, OCT31 + 2 * H, **{f"r{a}": "removed", f"r{b}": "still_online", f"r{c}": "still_online"})
    _check(session, tiki, OCT31 + 25 * H, **{f"r{a}": "removed", f"r{b}": "still_online", f"r{c}": "still_online"})
    _check(session, tiki, OCT31 + 30 * H, **{f"r{a}": "removed", f"r{b}": "removed", f"r{c}": "still_online"})
    shopee, (d, e) = _request(session, "demo-shopee", "s", 2)
    repo.mark_sent(session, shopee, actor="lan", via="portal", deadline_hours=24, at=DEC1)
    _check(session, shopee, DEC1 + 25 * H, **{f"r{d}": "unreachable", f"r{e}": "removed"})
    _check(session, shopee, DEC1 + 27 * H, **{f"r{d}": "unreachable", f"r{e}": "unreachable"})
    _request(session, "demo-tiki", "draft", 1)


EXPECTED = [
    {"platform": "demo-shopee", "month": "2026-12", "requests_sent": 1, "listings": 2, "removed_within_24h": 1,
     "removed_late": 0, "still_online": 0, "not_checked": 1, "reappearances": 0},
    {"platform": "demo-tiki", "month": "2026-11", "requests_sent": 1, "listings": 3, "removed_within_24h": 1,
     "removed_late": 1, "still_online": 1, "not_checked": 0, "reappearances": 0},
]


def test_listing_verdicts() -> None:
    deadline = DEC1 + 24 * H
    assert listing_verdict([], deadline) == "not_checked"
    assert listing_verdict([(DEC1 + 25 * H, "unreachable")], deadline) == "not_checked"
    assert listing_verdict([(DEC1 + 25 * H, "removed")], deadline) == "removed_within_24h"
    # Seen online before the deadline only: the platform still had time.
    assert listing_verdict([(DEC1 + H, "still_online"), (DEC1 + 25 * H, "removed")], deadline) == "removed_within_24h"
    assert listing_verdict([(DEC1 + 24 * H, "still_online"), (DEC1 + 26 * H, "removed")], deadline) == "removed_late"
    assert listing_verdict([(DEC1 + 25 * H, "removed"), (DEC1 + 26 * H, "still_online")], deadline) == "still_online"


def test_stats_by_platform_and_month(session: Session) -> None:
    seed(session)
    assert [r.as_dict() for r in takedown_stats(session)] == EXPECTED


def test_cli_json_reads_back_with_pandas(db_url: str) -> None:
    with session_factory(db_url)() as session, session.begin():
        seed(session)
    result = CliRunner().invoke(listingwatch.app, ["takedown", "stats", "--json", "--db", db_url])
    assert result.exit_code == 0, result.output
    frame = pd.read_json(io.StringIO(result.output), dtype={"month": str})
    assert frame.to_dict("records") == EXPECTED
    table = CliRunner().invoke(listingwatch.app, ["takedown", "stats", "--db", db_url])
    assert table.exit_code == 0 and "≤24h" in table.output and "appear" in table.output and "2026-11" in table.output
