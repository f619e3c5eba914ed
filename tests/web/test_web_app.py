"""The review web app through its HTTP interface (FastAPI TestClient), as a browser uses it."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from review.web import create_app
from review.web.charts import price_chart
from review.web.helpers import safe_href
from review.web.i18n import missing_keys
from review.web.security import LoginLimiter, RateLimit
from storage import repo
from storage.db import session_factory
from storage.models import CaseEvent, ReviewCase, ScanRequest, Seller, User
from tests.web.web_client import csrf_of, login, post, settings
from tests.web.web_seed import HOSTILE_TITLE, PASSWORD, top_case


def _case(db: str, case_id: int) -> ReviewCase:
    with session_factory(db)() as session:
        case = session.get(ReviewCase, case_id)
        assert case is not None
        return case


# --------------------------------------------------------------------------- access


def test_every_page_but_login_needs_a_session(client: TestClient) -> None:
    for path in ("/", "/queue", "/cases/1", "/stats", "/violators", "/scans", "/admin/users",
                 "/export/flagged-sellers.csv", "/violators.csv", "/evidence/1"):
        response = client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next="), path
    assert client.get("/login").status_code == 200


def test_post_without_a_session_is_refused(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)  # a real token of an anonymous session
    response = client.post("/cases/1/decide", data={"decision": "confirmed", "note": "x", "csrf_token": token})
    assert response.status_code == 401


def test_login_redirects_only_to_local_paths(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"name": "ana", "password": PASSWORD, "csrf_token": token,
                                           "next": "//evil.example/x"})
    assert response.status_code == 303
    assert response.headers["location"] == "/queue"


def test_session_cookie_is_httponly_and_samesite(small_db: str) -> None:
    with TestClient(create_app(small_db, settings=settings(secure_cookies=True)), follow_redirects=False) as c:
        cookie = c.get("/login").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie


def test_security_headers(client: TestClient) -> None:
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"


def test_wrong_password_is_refused(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"name": "ana", "password": "wrong password!", "csrf_token": token})
    assert response.status_code == 401
    assert client.get("/queue").status_code == 303


def test_login_attempts_are_rate_limited_per_user_and_ip(small_db: str) -> None:
    app = create_app(small_db, settings=settings(login_per_user_ip=RateLimit(3, 600), login_per_ip=RateLimit(100, 600)))
    with TestClient(app, follow_redirects=False) as c:
        token = csrf_of(c.get("/login").text)
        for _ in range(3):
            assert c.post("/login", data={"name": "ana", "password": "nope nope nope", "csrf_token": token}).status_code == 401
        blocked = c.post("/login", data={"name": "ana", "password": PASSWORD, "csrf_token": token})
        assert blocked.status_code == 429
        assert int(blocked.headers["retry-after"]) > 0
        # Another user from the same address is not locked out by ana's failures.
        other = c.post("/login", data={"name": "insp", "password": PASSWORD, "csrf_token": token})
        assert other.status_code == 303


def test_limiter_window_slides() -> None:
    now = [0.0]
    limiter = LoginLimiter(RateLimit(2, 60), RateLimit(10, 60), clock=lambda: now[0])
    limiter.failed("Ana", "1.2.3.4")
    limiter.failed("ana ", "1.2.3.4")
    assert limiter.retry_after("ana", "1.2.3.4") == pytest.approx(60)
    assert limiter.retry_after("ana", "5.6.7.8") is None
    now[0] = 61
    assert limiter.retry_after("ana", "1.2.3.4") is None


def test_forged_post_without_csrf_token_is_refused(client: TestClient, small_db: str) -> None:
    login(client, "ana")
    case_id, _ = top_case(small_db)
    for data in ({"decision": "confirmed", "note": "forged"},
                 {"decision": "confirmed", "note": "forged", "csrf_token": "not-the-token"}):
        response = client.post(f"/cases/{case_id}/decide", data=data)
        assert response.status_code == 403
    assert _case(small_db, case_id).status == "open"


def test_deactivated_user_loses_the_session(client: TestClient, small_db: str) -> None:
    login(client, "ana")
    assert client.get("/queue").status_code == 200
    with session_factory(small_db)() as session, session.begin():
        user = session.scalar(select(User).where(User.name == "ana"))
        assert user is not None
        user.active = False
    assert client.get("/queue").status_code == 303


def test_logout_ends_the_session(client: TestClient) -> None:
    login(client, "ana")
    assert post(client, "/logout", {}).status_code == 303
    assert client.get("/queue").status_code == 303


# --------------------------------------------------------------------------- queue


def test_queue_lists_open_cases_by_priority(client: TestClient, small_db: str) -> None:
    login(client, "ana")
    html = client.get("/queue").text
    case_id, _ = top_case(small_db)
    rows = [part.split('"')[0] for part in html.split('data-case="')[1:]]
    assert rows and rows[0] == str(case_id)
    assert "Sách giáo khoa" not in html  # the honest seller has no case


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("platform=demo-shopee", {"s-cos"}),
        ("category=milk", {"s-fake"}),
        ("province=H%C3%A0+N%E1%BB%99i", {"s-fake"}),
        ("risk_min=0.99", set()),
        ("risk_min=0.5&risk_max=1", {"s-fake", "s-cos"}),
        ("status=confirmed", set()),
        ("assignee=-", {"s-fake", "s-cos"}),
        ("assignee=insp", set()),
        ("date_from=2000-01-01&date_to=2000-01-02", set()),
    ],
)
def test_queue_filters(client: TestClient, small_db: str, query: str, expected: set[str]) -> None:
    login(client, "ana")
    html = client.get(f"/queue?{query}").text
    with session_factory(small_db)() as session:
        shown = {
            seller_key
            for case_id, seller_key in session.execute(
                select(ReviewCase.id, Seller.seller_key).join(Seller, ReviewCase.seller_id == Seller.id)
            )
            if f'data-case="{case_id}"' in html
        }
    assert shown == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [("risk_min=abc", "risk_min"), ("risk_max=2", "risk_max"), ("status=bogus", "status"),
     ("date_from=31/12/2026", "date_from"), ("category=nope", "category"), ("page=0", "page"),
     ("risk_min=0.9&risk_max=0.1", "risk_min")],
)
def test_bad_filters_say_which_field(client: TestClient, query: str, field: str) -> None:
    login(client, "ana")
    response = client.get(f"/queue?{query}")
    assert response.status_code == 400
    assert f"{field}:" in response.text


def test_queue_pages(small_db: str) -> None:
    with TestClient(create_app(small_db, settings=settings(per_page=1)), follow_redirects=False) as c:
        login(c, "ana")
        first = c.get("/queue").text
        second = c.get("/queue?page=2").text
        assert first.count('class="case-row"') == 1 and second.count('class="case-row"') == 1
        assert first.split('data-case="')[1][:3] != second.split('data-case="')[1][:3]
        assert "page=2" in first


def test_language_switch_is_remembered(client: TestClient) -> None:
    login(client, "ana")
    assert "Hàng đợi hồ sơ" in client.get("/queue").text
    assert "Case queue" in client.get("/queue?lang=en").text
    assert "Case queue" in client.get("/queue").text
    assert "Hàng đợi hồ sơ" in client.get("/queue?lang=vi").text


def test_every_label_exists_in_both_languages() -> None:
    assert missing_keys() == set()


# --------------------------------------------------------------------------- case page


def test_case_page_shows_facts_signals_history_evidence_timeline(client: TestClient, small_db: str) -> None:
    login(client, "ana")
    case_id, _ = top_case(small_db)
    html = client.get(f"/cases/{case_id}?lang=en").text
    assert "Sữa Ngoại Giá Sỉ" in html
    assert 'id="identity-missing"' in html and "Business registration no." in html
    assert 'data-code="barcode.missing"' in html or 'data-code="price.below_reference"' in html
    assert "<svg class=\"spark\"" in html and "<path d=\"M" in html  # a line: several prices
    assert 'href="/evidence/' in html
    assert 'id="timeline"' in html and "opened the case" in html


def test_hostile_title_is_escaped_and_javascript_urls_are_not_links(client: TestClient, small_db: str) -> None:
    login(client, "ana")
    case_id, _ = top_case(small_db)
    html = client.get(f"/cases/{case_id}").text
    assert HOSTILE_TITLE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34; onmouseover=&#34;x" in html
    assert "javascript:" not in html.lower()


def test_evidence_downloads_never_render_captured_html(client: TestClient, small_db: str) -> None:
    login(client, "ana")
    case_id, _ = top_case(small_db)
    html = client.get(f"/cases/{case_id}").text
    evidence_url = html.split('href="/evidence/')[1].split('"')[0]
    response = client.get(f"/evidence/{evidence_url}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"].startswith("attachment")
    assert "sandbox" in response.headers["content-security-policy"]
    assert len(response.headers["x-evidence-sha256"]) == 64


def test_evidence_is_served_to_inspectors_only_for_their_own_cases(small_db: str) -> None:
    """Issue 14, item 6: captures were served to every role."""
    case_id, _ = top_case(small_db)
    app = create_app(small_db, settings=settings())
    with TestClient(app, follow_redirects=False) as inspector, TestClient(app, follow_redirects=False) as analyst, \
            TestClient(app, follow_redirects=False) as other:
        login(analyst, "ana")
        evidence_url = analyst.get(f"/cases/{case_id}").text.split('href="/evidence/')[1].split('"')[0]
        assert analyst.get(f"/evidence/{evidence_url}").status_code == 200
        login(inspector, "insp")
        login(other, "insp2")
        assert inspector.get(f"/evidence/{evidence_url}").status_code == 404
        assert post(analyst, f"/cases/{case_id}/assign", {"assignee": "insp"}, page=f"/cases/{case_id}").status_code == 303
        assert inspector.get(f"/evidence/{evidence_url}").status_code == 200
        assert other.get(f"/evidence/{evidence_url}").status_code == 404


def test_evidence_from_the_store_is_verified_before_it_is_served(client: TestClient, small_db: str) -> None:
    store_mod = pytest.importorskip("storage.evidence_store", reason="no content-addressed evidence store")
    store = store_mod.EvidenceStore(store_mod.default_root(small_db))
    png = b"\x89PNG\r\n\x1a\n" + b"fake image bytes"
    stored = store.put(png, "png")
    with session_factory(small_db)() as session, session.begin():
        row = repo.record_evidence(session, kind="screenshot", path=stored.path, sha256=stored.sha256,
                                   size=stored.size, media_type="image/png")
        evidence_id = row.id
    login(client, "ana")
    shown = client.get(f"/evidence/{evidence_id}")
    assert shown.status_code == 200 and shown.headers["content-type"] == "image/png"
    assert shown.content == png and "content-disposition" not in shown.headers
    store.path(stored.path).write_bytes(png + b"tampered")
    assert client.get(f"/evidence/{evidence_id}").status_code == 409


# --------------------------------------------------------------------------- decisions and roles


def test_analyst_decides_with_a_note_and_the_timeline_shows_it(client: TestClient, small_db: str) -> None:
    login(client, "ana")
    case_id, _ = top_case(small_db)
    response = post(client, f"/cases/{case_id}/decide", {"decision": "confirmed", "note": "Hàng giả rõ ràng"},
                    page=f"/cases/{case_id}")
    assert response.status_code == 303
    html = client.get(f"/cases/{case_id}").text
    assert "Hàng giả rõ ràng" in html and "Xác nhận vi phạm" in html
    case = _case(small_db, case_id)
    assert case.status == "confirmed" and case.decision_note == "Hàng giả rõ ràng"
    with session_factory(small_db)() as session:
        event = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.kind == "status")).one()
    assert event.actor == "ana" and event.to_status == "confirmed"
    assert event.data["risk"] == pytest.approx(case.risk)  # the detector's view, kept apart


def test_decision_without_note_changes_nothing(client: TestClient, small_db: str) -> None:
    login(client, "ana")
    case_id, _ = top_case(small_db)
    post(client, f"/cases/{case_id}/decide", {"decision": "dismissed", "note": "   "}, page=f"/cases/{case_id}")
    assert _case(small_db, case_id).status == "open"
    assert "flash-error" in client.get(f"/cases/{case_id}").text


def test_inspector_decides_only_cases_assigned_to_them(small_db: str) -> None:
    case_id, _ = top_case(small_db)
    app = create_app(small_db, settings=settings())
    with TestClient(app, follow_redirects=False) as inspector, TestClient(app, follow_redirects=False) as analyst:
        login(inspector, "insp")
        page = inspector.get(f"/cases/{case_id}").text
        assert 'id="decide-form"' not in page and 'id="assign-form"' not in page
        refused = post(inspector, f"/cases/{case_id}/decide", {"decision": "referred", "note": "n"}, page=f"/cases/{case_id}")
        assert refused.status_code == 403
        assert post(inspector, f"/cases/{case_id}/assign", {"assignee": "insp"}, page=f"/cases/{case_id}").status_code == 403

        login(analyst, "ana")
        assert post(analyst, f"/cases/{case_id}/assign", {"assignee": "insp"}, page=f"/cases/{case_id}").status_code == 303
        assert 'id="decide-form"' in inspector.get(f"/cases/{case_id}").text
        done = post(inspector, f"/cases/{case_id}/decide", {"decision": "referred", "note": "chuyển đội 3"},
                    page=f"/cases/{case_id}")
        assert done.status_code == 303
    assert _case(small_db, case_id).status == "referred"


def test_role_pages(small_db: str) -> None:
    app = create_app(small_db, settings=settings())
    with TestClient(app, follow_redirects=False) as c:
        login(c, "insp")
        assert c.get("/export/flagged-sellers.csv").status_code == 403
        assert c.get("/admin/users").status_code == 403
        html = c.get("/queue").text
        assert 'id="export-csv"' not in html and "/admin/users" not in html
    with TestClient(app, follow_redirects=False) as c:
        login(c, "ana")
        assert c.get("/scans").status_code == 403
        assert "/scans" not in c.get("/queue").text


# --------------------------------------------------------------------------- scans


def test_inspector_requests_a_scan_and_watches_it(small_db: str) -> None:
    app = create_app(small_db, settings=settings())
    with TestClient(app, follow_redirects=False) as c, TestClient(app, follow_redirects=False) as other:
        login(c, "insp")
        response = post(c, "/scans", {"url": "https://tiki.vn/cua-hang/shop-x"}, page="/scans")
        assert response.status_code == 303
        status_url = response.headers["location"]
        page = c.get(status_url)
        assert page.headers["refresh"] == "5"
        assert 'id="scan-status"' in page.text and "Đang chờ" in page.text
        login(other, "insp2")
        assert other.get(status_url).status_code == 404  # another inspector's request
        assert "shop-x" not in other.get("/scans").text

        request_id = int(status_url.rsplit("/", 1)[1])
        with session_factory(small_db)() as session, session.begin():
            claimed = repo.claim_scan_request(session)
            assert claimed is not None and claimed.id == request_id
            run = repo.start_scan_run(session, "seller")
            repo.finish_scan_run(session, run.id, "ok", counts={"listings_seen": 17, "flagged": 4})
            repo.finish_scan_request(session, request_id, "done", scan_run_id=run.id)
        done = c.get(status_url + "?lang=en")
        assert "refresh" not in done.headers
        assert "Done" in done.text and ">17<" in done.text and ">4<" in done.text


@pytest.mark.parametrize("url", ["javascript:alert(1)", "tiki.vn/shop", "", "https://", "https://a b.vn/"])
def test_bad_scan_urls_are_refused(client: TestClient, small_db: str, url: str) -> None:
    login(client, "insp")
    response = post(client, "/scans", {"url": url}, page="/scans")
    assert response.status_code == 400 and "url:" in response.text
    with session_factory(small_db)() as session:
        assert session.scalar(select(ScanRequest.id)) is None


# --------------------------------------------------------------------------- exports


def test_csv_export_follows_filters_and_reads_back(client: TestClient, small_db: str) -> None:
    with session_factory(small_db)() as session, session.begin():
        seller = session.scalar(select(Seller).where(Seller.seller_key == "s-cos"))
        assert seller is not None
        seller.name = "=HYPERLINK(\"http://x\")"
    login(client, "ana")
    response = client.get("/export/flagged-sellers.csv?lang=en")
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(response.content), encoding="utf-8-sig", dtype=str)
    assert set(frame["seller_id"]) == {"s-fake", "s-cos"}
    assert frame.loc[frame["seller_id"] == "s-cos", "seller_name"].item().startswith("'=")
    only = pd.read_csv(io.BytesIO(client.get("/export/flagged-sellers.csv?platform=demo-tiki").content),
                       encoding="utf-8-sig", dtype=str)
    assert list(only["seller_id"]) == ["s-fake"]
    xlsx = client.get("/export/flagged-sellers.xlsx?platform=demo-tiki")
    assert xlsx.status_code == 200
    sheet = pd.read_excel(io.BytesIO(xlsx.content), dtype=str)
    assert list(sheet["seller_id"]) == ["s-fake"]


def test_violators_list_has_only_confirmed_cases_with_dates(client: TestClient, small_db: str) -> None:
    login(client, "ana")
    with session_factory(small_db)() as session:
        ids = {key: cid for cid, key in session.execute(
            select(ReviewCase.id, Seller.seller_key).join(Seller, ReviewCase.seller_id == Seller.id))}
    post(client, f"/cases/{ids['s-fake']}/decide", {"decision": "confirmed", "note": "đã xác minh"})
    post(client, f"/cases/{ids['s-cos']}/decide", {"decision": "dismissed", "note": "hàng thật"})
    html = client.get("/violators").text
    assert "s-fake" in html and "s-cos" not in html
    frame = pd.read_csv(io.BytesIO(client.get("/violators.csv?lang=en").content), encoding="utf-8-sig", dtype=str)
    assert list(frame["seller_id"]) == ["s-fake"]
    today = datetime.now(UTC) + timedelta(hours=7)
    assert frame["decided_at"].item() == today.strftime("%d/%m/%Y")
    assert "đã xác minh" not in html  # internal notes are not published


def test_statistics_page_draws_charts(client: TestClient) -> None:
    login(client, "ana")
    html = client.get("/stats?lang=en").text
    assert html.count('<svg class="chart"') == 8
    assert "Cases by platform" in html and "Flagged listings by week" in html
    assert "Milk and infant formula" in html


# --------------------------------------------------------------------------- admin


def test_admin_adds_and_deactivates_users_and_reloads_rules(client: TestClient, small_db: str) -> None:
    login(client, "boss")
    assert post(client, "/admin/users", {"name": "newbie", "role": "inspector", "password": "short"},
                page="/admin/users").status_code == 303
    assert "flash-error" in client.get("/admin/users").text
    post(client, "/admin/users", {"name": "newbie", "role": "inspector", "password": "long enough pw"}, page="/admin/users")
    with session_factory(small_db)() as session:
        newbie = session.scalar(select(User).where(User.name == "newbie"))
        assert newbie is not None and newbie.role == "inspector"
    post(client, f"/admin/users/{newbie.id}/active", {"active": "0"}, page="/admin/users")
    with session_factory(small_db)() as session:
        assert session.scalar(select(User.active).where(User.name == "newbie")) is False
    assert post(client, "/admin/rules/reload", {}, page="/admin/users").status_code == 303
    assert "flash-ok" in client.get("/admin/users").text


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("url", "expected"),
    [("https://tiki.vn/x", "https://tiki.vn/x"), ("javascript:alert(1)", None), (" JavaScript:x", None),
     ("data:text/html,x", None), ("//evil.example", None), ("http://a\nb", None), (None, None)],
)
def test_safe_href(url: str | None, expected: str | None) -> None:
    assert safe_href(url) == expected


def test_price_chart_geometry() -> None:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    chart = price_chart([(t0, 100), (t0 + timedelta(days=1), None), (t0 + timedelta(days=2), 50)])
    assert chart is not None
    assert [p.price for p in chart.points] == [100, 50]
    assert chart.points[0].y < chart.points[1].y  # higher price drawn higher
    assert price_chart([(t0, None)]) is None
