"""The JSON API `/api/v1` (issue 17 item 4) through HTTP: tokens, scopes, role checks,
the queue's cases and order, the scan-URL check, CSRF for cookie calls, the docs."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from review.api_tokens import create_token, revoke_token
from review.users import find_user, set_active
from review.web import create_app
from review.web.app import SECURITY_HEADERS
from storage.db import session_factory
from storage.models import ApiToken, ScanRequest
from tests.web.web_client import csrf_of, login, post, settings


def make_token(db_url: str, user: str, scope: str = "read") -> tuple[int, str]:
    with session_factory(db_url)() as session, session.begin():
        row, token = create_token(session, find_user(session, user), scope, created_by="test")
        return row.id, token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def queue_ids(client: TestClient, query: str) -> list[int]:
    """Case ids in the order the queue page shows them."""
    response = client.get(f"/queue?{query}")
    assert response.status_code == 200
    html = response.text
    return list(dict.fromkeys(int(n) for n in re.findall(r'href="/cases/(\d+)"', html)))


def test_without_a_token_the_api_answers_401_json_not_a_login_redirect(client: TestClient) -> None:
    for method, url in (("GET", "/api/v1/cases"), ("GET", "/api/v1/cases/1"), ("POST", "/api/v1/scans"),
                        ("GET", "/api/v1/openapi.json"), ("GET", "/api/v1/docs")):
        response = client.request(method, url, json={"url": "https://tiki.vn/cua-hang/shop-x"})
        assert response.status_code == 401, (method, url, response.text)
        assert response.json()["error"] == "unauthenticated"
        assert response.headers["www-authenticate"] == "Bearer"
        for name in SECURITY_HEADERS:
            assert name.lower() in response.headers
        assert response.headers["cache-control"] == "no-store"
    for header in ("Bearer lw_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz"):
        assert client.get("/api/v1/cases", headers={"Authorization": header}).status_code == 401


@pytest.mark.parametrize(
    "query",
    ["", "status=all", "platform=demo-shopee", "risk_min=0.1&status=all", "category=milk"],
)
def test_a_token_sees_the_same_cases_in_the_same_order_as_the_queue_page(
    client: TestClient, small_db: str, query: str
) -> None:
    _, token = make_token(small_db, "ana")
    login(client, "ana")
    expected = queue_ids(client, query)
    if query in ("", "status=all"):
        assert len(expected) >= 2  # the comparison is about something
    client.cookies.clear()  # the token alone
    response = client.get(f"/api/v1/cases?per_page=100&{query}", headers=bearer(token))
    assert response.status_code == 200, response.text
    body = response.json()
    assert [item["id"] for item in body["items"]] == expected
    assert (body["page"], body["per_page"], body["total"]) == (1, 100, len(expected))


def test_pages_split_the_same_order_and_end(client: TestClient, small_db: str) -> None:
    _, token = make_token(small_db, "ana")
    every = [c["id"] for c in client.get("/api/v1/cases?status=all&per_page=100", headers=bearer(token)).json()["items"]]
    assert len(every) >= 2
    paged = []
    for page in range(1, len(every) + 2):
        body = client.get(f"/api/v1/cases?status=all&per_page=1&page={page}", headers=bearer(token)).json()
        assert body["total"] == len(every)
        paged += [c["id"] for c in body["items"]]
    assert paged == every  # the page past the end is empty, not the last page again
    for bad in ("page=0", "per_page=101", "page=x", "risk_min=2"):
        response = client.get(f"/api/v1/cases?{bad}", headers=bearer(token))
        assert response.status_code == 400 and response.json()["error"] == "bad_request"


def test_case_detail_has_listings_with_explained_signals(client: TestClient, small_db: str) -> None:
    _, token = make_token(small_db, "insp")
    case_id = client.get("/api/v1/cases", headers=bearer(token)).json()["items"][0]["id"]
    body = client.get(f"/api/v1/cases/{case_id}", headers=bearer(token)).json()
    assert body["id"] == case_id and body["can_decide"] is False  # not assigned to this inspector
    signals = [s for listing in body["listings"] for s in listing["signals"]]
    assert signals
    for signal in signals:
        assert {"code", "score", "detail_vi", "detail_en", "label_vi", "label_en"} <= signal.keys()
        assert signal["detail_en"]
    # An inspector sees no capture of a case not assigned to them (as /evidence/<id> answers 404).
    assert all(listing["evidence"] == [] for listing in body["listings"])
    seller = client.get(f"/api/v1/sellers/{body['seller']['id']}", headers=bearer(token)).json()
    assert case_id in [c["id"] for c in seller["cases"]]
    assert client.get("/api/v1/cases/999999", headers=bearer(token)).status_code == 404
    assert client.get("/api/v1/sellers/99999999999999999999999", headers=bearer(token)).status_code == 404


def test_a_read_token_cannot_write(client: TestClient, small_db: str) -> None:
    _, token = make_token(small_db, "insp", "read")
    response = client.post("/api/v1/scans", json={"url": "https://tiki.vn/cua-hang/shop-x"}, headers=bearer(token))
    assert response.status_code == 403 and response.json()["error"] == "forbidden"
    with session_factory(small_db)() as session:
        assert session.scalar(select(ScanRequest.id)) is None


def test_roles_apply_to_tokens_as_to_pages(client: TestClient, small_db: str) -> None:
    _, analyst = make_token(small_db, "ana", "write")
    _, inspector = make_token(small_db, "insp", "write")
    # Analysts do not request scans; inspectors do not export (as on the pages).
    assert client.post("/api/v1/scans", json={"url": "https://tiki.vn/cua-hang/a"}, headers=bearer(analyst)).status_code == 403
    assert client.get("/api/v1/scans", headers=bearer(analyst)).status_code == 403
    assert client.get("/api/v1/export/flagged-sellers", headers=bearer(inspector)).status_code == 403
    export = client.get("/api/v1/export/flagged-sellers", headers=bearer(analyst)).json()
    assert export["columns"][:3] == ["platform", "seller_id", "seller_name"] and export["total"] >= 1
    # An inspector lists only the runs of their own requests.
    _, other = make_token(small_db, "insp2", "write")
    made = client.post("/api/v1/scans", json={"url": "https://tiki.vn/cua-hang/a"}, headers=bearer(inspector)).json()
    assert client.get(f"/api/v1/scans/requests/{made['id']}", headers=bearer(other)).status_code == 404
    assert client.get(f"/api/v1/scans/requests/{made['id']}", headers=bearer(inspector)).status_code == 200
    assert client.get("/api/v1/scans", headers=bearer(other)).json()["total"] == 0
    _, admin = make_token(small_db, "boss")
    assert client.get("/api/v1/scans", headers=bearer(admin)).json()["total"] >= 1  # the seed's runs


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/shop/1", "https://example.com/some/shop", "https://shopee.vn/", ""])
def test_post_scans_refuses_what_the_form_refuses_with_its_message(
    client: TestClient, small_db: str, url: str
) -> None:
    _, token = make_token(small_db, "insp", "write")
    response = client.post("/api/v1/scans", json={"url": url}, headers=bearer(token))
    assert response.status_code == 400 and response.json()["error"] == "bad_request"
    detail = response.json()["detail"]
    assert detail.startswith("url: ")
    login(client, "insp")
    form = post(client, "/scans", {"url": url}, page="/scans")
    assert form.status_code == 400  # type: ignore[attr-defined]
    assert detail.split(": ", 1)[1][:40].replace("'", "&#39;") in form.text  # type: ignore[attr-defined]
    with session_factory(small_db)() as session:
        assert session.scalar(select(ScanRequest.id)) is None


def test_post_scans_stores_the_recognised_seller(client: TestClient, small_db: str) -> None:
    _, token = make_token(small_db, "insp", "write")
    response = client.post("/api/v1/scans", json={"url": "https://tiki.vn/cua-hang/shop-x"}, headers=bearer(token))
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["platform"] == "tiki" and body["requested_by"] == "insp" and body["status"] == "queued"
    assert client.post("/api/v1/scans", json={}, headers=bearer(token)).status_code == 400


def test_revoked_and_deactivated_tokens_stop_working_and_use_is_recorded(
    client: TestClient, small_db: str
) -> None:
    token_id, token = make_token(small_db, "ana")
    _, insp_token = make_token(small_db, "insp")
    assert client.get("/api/v1/cases", headers=bearer(token)).status_code == 200
    factory = session_factory(small_db)
    with factory() as session:
        row = session.get(ApiToken, token_id)
        assert row is not None and row.last_used_at is not None
        assert datetime.now(UTC) - row.last_used_at < timedelta(minutes=1)
        assert token not in (row.token_hash, row.prefix) and token.startswith(row.prefix)
    with factory() as session, session.begin():
        revoke_token(session, token_id)
        set_active(session, find_user(session, "insp"), False)
    assert client.get("/api/v1/cases", headers=bearer(token)).status_code == 401
    assert client.get("/api/v1/cases", headers=bearer(insp_token)).status_code == 401


def test_cookie_calls_need_the_csrf_token_to_write_and_a_bad_bearer_never_falls_back(
    client: TestClient, small_db: str
) -> None:
    login(client, "insp")
    assert client.get("/api/v1/cases").status_code == 200  # the session works for reading
    url = {"url": "https://tiki.vn/cua-hang/shop-x"}
    refused = client.post("/api/v1/scans", json=url)
    assert refused.status_code == 403 and refused.json()["error"] == "csrf"
    assert client.post("/api/v1/scans", json=url, headers={"X-CSRF-Token": "forged"}).status_code == 403
    token = csrf_of(client.get("/scans").text)
    assert client.post("/api/v1/scans", json=url, headers={"X-CSRF-Token": token}).status_code == 202
    # A Bearer header is the only credential when present: a bad token with a good cookie is 401.
    assert client.get("/api/v1/cases", headers=bearer("lw_revoked-or-made-up")).status_code == 401
    # The header does not exempt the pages' forms from their CSRF check.
    response = client.post("/logout", headers=bearer("lw_anything"))
    assert response.status_code == 403


def test_openapi_and_docs_are_for_logged_in_users(client: TestClient, small_db: str) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 401
    assert client.get("/openapi.json").status_code in (302, 303, 404)
    login(client, "ana")
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/cases", "/api/v1/cases/{case_id}", "/api/v1/sellers/{seller_id}", "/api/v1/scans",
            "/api/v1/export/flagged-sellers"} <= set(schema["paths"])
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and "/api/v1/cases" in docs.text
    assert "script-src 'self'" in docs.headers["content-security-policy"]
    client.cookies.clear()
    _, token = make_token(small_db, "ana")
    assert client.get("/api/v1/openapi.json", headers=bearer(token)).status_code == 200


def test_the_admin_page_makes_shows_once_and_revokes_tokens(client: TestClient, small_db: str) -> None:
    login(client, "boss")
    response = post(client, "/admin/tokens", {"name": "insp", "scope": "write", "label": "script"}, page="/admin/users")
    assert response.status_code == 200  # type: ignore[attr-defined]
    shown = re.search(r'<code class="new-token">(lw_[^<]+)</code>', response.text)  # type: ignore[attr-defined]
    assert shown is not None
    token = shown.group(1)
    page = client.get("/admin/users").text
    assert token not in page and token[:11] in page  # afterwards: the prefix only
    with TestClient(create_app(small_db, settings=settings())) as other:
        assert other.get("/api/v1/cases", headers=bearer(token)).status_code == 200
        with session_factory(small_db)() as session:
            token_id = session.scalars(select(ApiToken.id)).one()
        post(client, f"/admin/tokens/{token_id}/revoke", {}, page="/admin/users")
        assert other.get("/api/v1/cases", headers=bearer(token)).status_code == 401
    login(client, "ana")
    assert post(client, "/admin/tokens", {"name": "ana", "scope": "write"}).status_code == 403  # type: ignore[attr-defined]
