"""The scan-runs page (issue 17 item 2) and honest on-demand requests (item 3): runs listed
with status, reason and monitor verdicts, the drill-down, escaping of crawl data, the
"waiting for the scheduler" hint driven by the heartbeat, and cancelling a queued request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from crawler.seller_urls import SellerURLError, validate_seller_url
from review.monitors import evaluate, run_facts
from review.web import create_app
from rules.loader import load_alerts, load_monitors, load_rules
from storage import repo
from storage.db import session_factory
from storage.heartbeats import SCHEDULER, beat
from storage.models import ScanRequest, ServiceHeartbeat
from tests.web.runs_seed import HOSTILE_REASON, HOSTILE_URL, seed_runs
from tests.web.web_client import login, post, public_resolver, settings


def test_runs_page_lists_every_run_with_status_reason_and_health(client: TestClient, small_db: str) -> None:
    ids = seed_runs(small_db)
    login(client, "ana")
    page = client.get("/runs")
    assert page.status_code == 200
    html = page.text
    assert 'href="/runs"' in html  # linked from the navigation
    # Newest first: the running run, then the seller scan, the failed and the partial one.
    order = [html.index(f'id="run-{ids[k]}"') for k in ("running", "seller", "failed", "partial")]
    assert order == sorted(order)
    row = html[html.index(f'id="run-{ids["partial"]}"'):]
    row = row[:row.index("</tr>")]
    assert "Không đầy đủ" in row and "demo-tiki: blocked: captcha=9" in row
    assert "demo-tiki: 12 trang, 3 sản phẩm" in row
    assert "captcha: 9" in row and "login: 1" in row
    # Extraction errors: the count and three sample URLs, not all five.
    assert "<strong>5</strong>" in row and "https://tiki.example/p/2" in row and "https://tiki.example/p/3" not in row
    # The monitor says why: demo-tiki yielded 3 listings, under the fail level of 5.
    assert "Không đạt" in row and "Số sản phẩm tối thiểu: demo-tiki: 3, dưới ngưỡng 5" in row
    assert "21:05" in row  # duration
    assert "Thất bại" in html and "no response received" in html
    failed = html[html.index(f'id="run-{ids["failed"]}"'):]
    assert "Chưa đánh giá" in failed[:failed.index("</tr>")]  # no figures: not judged, not "ok"
    assert "Đang chạy" in html and "Chưa đánh giá" in html  # a running run is not judged yet
    assert html.count('<svg class="chart"') == 2  # listings and blocks per night


def test_monitors_fail_a_run_below_min_listings_with_the_reason() -> None:
    facts = run_facts("nightly", "partial", None, {"asked": [{"platform": "tiki"}]},
                      {"listings_by_platform": {"tiki": 3}, "progress": {"pages": 10}})
    results = {r.name: r for r in evaluate(facts, load_monitors())}
    assert results["min_listings"].status == "fail"
    assert results["min_listings"].reason == "min_listings: tiki: 3, below the fail level 5"
    assert results["max_block_rate"].status == "ok"
    # Seller scans are not judged by platform-sized expectations.
    seller = run_facts("seller", "ok", "tiki", {}, {"listings_by_platform": {"tiki": 3}})
    assert "min_listings" not in {r.name for r in evaluate(seller, load_monitors())}


def test_a_run_page_shows_monitors_errors_and_what_was_asked(client: TestClient, small_db: str) -> None:
    ids = seed_runs(small_db)
    login(client, "insp")
    html = client.get(f"/runs/{ids['partial']}").text
    assert "Lần quét #" in html and "Không đầy đủ" in html
    assert "Số sản phẩm tối thiểu: demo-tiki: 3, dưới ngưỡng 5" in html
    assert "Tỷ lệ bị chặn tối đa: 19%, vượt ngưỡng 5%" in html  # 10 blocked of 52 pages
    assert "Số lỗi trích xuất tối đa: 5, vượt ngưỡng 1" in html
    assert "https://tiki.example/p/3" in html and "sữa bột" in html
    english = client.get(f"/runs/{ids['partial']}?lang=en").text
    assert "Minimum listings: demo-tiki: 3, below 5" in english
    seller = client.get(f"/runs/{ids['seller']}").text
    assert 'href="/scans/7"' in seller and "Số sản phẩm tối thiểu" not in seller
    assert client.get("/runs/999999").status_code == 404


def test_crawled_text_on_the_runs_pages_is_escaped(client: TestClient, small_db: str) -> None:
    ids = seed_runs(small_db)
    login(client, "ana")
    for path in ("/runs", f"/runs/{ids['partial']}"):
        html = client.get(path).text
        assert HOSTILE_REASON not in html and "&lt;script&gt;alert(&#34;reason&#34;)&lt;/script&gt;" in html
        assert 'href="javascript:' not in html and '<img src=x' not in html
    assert HOSTILE_URL not in client.get(f"/runs/{ids['partial']}").text


def test_the_runs_page_is_paginated(small_db: str) -> None:
    seed_runs(small_db)
    with TestClient(create_app(small_db, settings=settings(per_page=4)), follow_redirects=False) as c:
        login(c, "ana")
        first, last = c.get("/runs").text, c.get("/runs?page=3").text
        # 10 seeded runs + the seed's own 2: three pages of four, newest first.
        assert "Trang 1/3" in first and first.count('id="run-') == 4 and 'href="/runs?page=2"' in first
        assert "Trang 3/3" in last and last.count('id="run-') == 4 and "page=4" not in last
        assert "Trang 3/3" in c.get("/runs?page=99").text  # past the end: the last page
        assert c.get("/runs?page=abc").status_code == 400


def _queued(url: str, by: str = "insp") -> int:
    with session_factory(url)() as session, session.begin():
        return repo.request_scan(session, "https://tiki.vn/cua-hang/shop-x", by, platform="tiki",
                                 seller_key="shop-x").id


def _beat(url: str, age: timedelta) -> None:
    with session_factory(url)() as session, session.begin():
        beat(session, SCHEDULER, now=datetime.now(UTC) - age)


def test_a_queued_request_says_it_waits_for_the_scheduler_until_one_beats(client: TestClient, small_db: str) -> None:
    request_id = _queued(small_db)
    login(client, "insp")
    html = client.get(f"/scans/{request_id}").text
    assert "Đang chờ bộ lập lịch" in html and "<code>listingwatch schedule</code>" in html
    assert "chưa từng chạy" in html
    _beat(small_db, timedelta(minutes=9))  # a scheduler that stopped 9 minutes ago
    html = client.get(f"/scans/{request_id}").text
    assert "Đang chờ bộ lập lịch" in html and "Nhịp hoạt động gần nhất" in html
    _beat(small_db, timedelta(seconds=20))
    assert "Đang chờ bộ lập lịch" not in client.get(f"/scans/{request_id}").text
    with session_factory(small_db)() as session:
        assert session.get(ServiceHeartbeat, SCHEDULER) is not None


def test_the_waiting_limit_is_a_setting(small_db: str) -> None:
    request_id = _queued(small_db)
    _beat(small_db, timedelta(minutes=9))
    with TestClient(create_app(small_db, settings=settings(scheduler_waiting_min=15)),
                    follow_redirects=False) as c:
        login(c, "insp")
        assert "Đang chờ bộ lập lịch" not in c.get(f"/scans/{request_id}").text


def _status(url: str, request_id: int) -> str:
    with session_factory(url)() as session:
        return str(session.scalar(select(ScanRequest.status).where(ScanRequest.id == request_id)))


def test_a_queued_request_is_cancelled_by_its_requester_not_by_another_inspector(
    client: TestClient, small_db: str
) -> None:
    request_id = _queued(small_db)
    page = f"/scans/{request_id}"
    login(client, "insp2")
    refused = post(client, f"{page}/cancel", {}, page="/scans")
    assert refused.status_code == 404  # type: ignore[attr-defined]
    assert _status(small_db, request_id) == "queued"
    login(client, "insp")
    assert client.post(f"{page}/cancel", data={}).status_code == 403  # no CSRF token
    assert _status(small_db, request_id) == "queued"
    assert 'id="scan-cancel"' in client.get(page).text
    done = post(client, f"{page}/cancel", {}, page=page)
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert _status(small_db, request_id) == "failed"
    html = client.get(page).text
    assert "Đã hủy yêu cầu quét" in html and "cancelled by insp" in html
    assert 'id="scan-cancel"' not in html and "Đang chờ bộ lập lịch" not in html
    # Once it is no longer queued, cancelling again changes nothing and says so.
    post(client, f"{page}/cancel", {}, page=page)
    assert "không hủy được nữa" in client.get(page).text


def test_an_admin_may_cancel_an_inspectors_request(client: TestClient, small_db: str) -> None:
    request_id = _queued(small_db)
    login(client, "boss")
    post(client, f"/scans/{request_id}/cancel", {}, page=f"/scans/{request_id}")
    assert _status(small_db, request_id) == "failed"


def test_the_scan_form_gives_the_cli_validators_own_message(client: TestClient) -> None:
    """Issue 14 item 11: the form calls `validate_seller_url`, the CLI's check (not a copy)."""
    url = "https://shopee.vn/"
    try:
        validate_seller_url(url, load_rules(), resolver=public_resolver)
    except SellerURLError as exc:
        message = str(exc)
    else:
        raise AssertionError("the CLI accepted a URL with no seller in it")
    login(client, "insp")
    response = post(client, "/scans", {"url": url}, page="/scans")
    assert response.status_code == 400  # type: ignore[attr-defined]
    from html import escape

    assert escape(message, quote=True) in response.text  # type: ignore[attr-defined]


def test_a_run_page_shows_its_alerts_escaped_and_without_secrets(client: TestClient, small_db: str) -> None:
    from review.alerts.channels import Channel
    from review.alerts.dispatch import dispatch
    from review.alerts.events import AlertMessage

    run_id = next(iter(seed_runs(small_db).values()))
    hostile = AlertMessage("scan_run", "k", "partial <script>alert(1)</script>", "body", scan_run_id=run_id)
    dispatch(small_db, hostile, load_alerts(), channels=[Channel("json://user:s3cret@127.0.0.1:1/t0ken")],
             sender=lambda channel, title, body: (False, "refused"))
    login(client, "ana")
    page = client.get(f"/runs/{run_id}").text
    assert "partial &lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "json://127.0.0.1" in page and "lỗi, sẽ thử lại" in page and "refused" in page
    assert "s3cret" not in page and "t0ken" not in page
