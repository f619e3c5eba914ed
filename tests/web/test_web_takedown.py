"""Takedown requests in the web app (issue 16): the case page's button, roles, CSRF, the
takedown queue, documents and "mark as sent", through HTTP as a browser uses them."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from sqlalchemy import select

from storage.db import session_factory
from storage.models import CaseEvent, TakedownRequest
from tests.web.web_client import csrf_of, login, post
from tests.web.web_seed import HOSTILE_TITLE, top_case


def _confirm(client: TestClient, case_id: int) -> None:
    response = post(client, f"/cases/{case_id}/decide", {"decision": "confirmed", "note": "đã xác minh"},
                    page=f"/cases/{case_id}")
    assert response.status_code == 303  # type: ignore[attr-defined]


def test_analyst_drafts_sends_and_downloads(client: TestClient, small_db: str) -> None:
    login(client, "ana")
    case_id, _ = top_case(small_db)
    assert 'id="takedown-form"' not in client.get(f"/cases/{case_id}").text  # open case: not yet
    _confirm(client, case_id)
    page = client.get(f"/cases/{case_id}").text
    assert f'action="/cases/{case_id}/takedowns"' in page
    response = post(client, f"/cases/{case_id}/takedowns", {}, page=f"/cases/{case_id}")
    assert response.status_code == 303 and response.headers["location"] == f"/takedowns?case={case_id}"  # type: ignore[attr-defined]
    with session_factory(small_db)() as session:
        request = session.scalars(select(TakedownRequest).where(TakedownRequest.case_id == case_id)).one()
        request_id = request.id
    queue = client.get("/takedowns").text
    assert f'data-id="{request_id}"' in queue and "Bản nháp" in queue

    html = client.get(f"/takedowns/{request_id}/takedown-{request_id}.html")
    assert html.status_code == 200 and "attachment" in html.headers["content-disposition"]
    assert "Nghị định số 85/2021/NĐ-CP" in html.text and HOSTILE_TITLE not in html.text
    table = list(csv.DictReader(io.StringIO(
        client.get(f"/takedowns/{request_id}/takedown-{request_id}.csv").content.decode("utf-8-sig"))))
    assert table and all(row["request_id"] == str(request_id) for row in table)

    response = post(client, f"/takedowns/{request_id}/sent", {"via": "email ip@example.test"}, page="/takedowns")
    assert response.status_code == 303  # type: ignore[attr-defined]
    with session_factory(small_db)() as session:
        sent = session.get(TakedownRequest, request_id)
        assert sent is not None and sent.status == "sent" and sent.sent_by == "ana" and sent.deadline is not None
        kinds = [e.data["action"] for e in session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.kind == "takedown"))]
    assert kinds == ["drafted", "sent"]
    assert "Đã gửi" in client.get("/takedowns").text


def test_forged_and_unauthorised_posts_are_refused(client: TestClient, small_db: str) -> None:
    case_id, _ = top_case(small_db)
    login(client, "ana")
    _confirm(client, case_id)
    assert client.post(f"/cases/{case_id}/takedowns", data={}).status_code == 403  # no CSRF token
    login(client, "insp")  # an inspector the case is not assigned to
    page = client.get(f"/cases/{case_id}").text
    assert 'id="takedown-form"' not in page
    response = client.post(f"/cases/{case_id}/takedowns", data={"csrf_token": csrf_of(page)})
    assert response.status_code == 403
    with session_factory(small_db)() as session:
        assert session.scalars(select(TakedownRequest)).first() is None


def test_open_case_cannot_be_taken_down(client: TestClient, small_db: str) -> None:
    case_id, _ = top_case(small_db)
    login(client, "ana")
    response = post(client, f"/cases/{case_id}/takedowns", {}, page=f"/cases/{case_id}")
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert "only a confirmed" in client.get(f"/cases/{case_id}").text


def test_takedown_page_bounds_its_filter(client: TestClient) -> None:
    login(client, "ana")
    assert client.get("/takedowns?case=99999999999999999999").status_code in (400, 422)
    assert "Chưa có yêu cầu gỡ bỏ" in client.get("/takedowns?case=1").text


def test_escalated_requests_top_the_queue(client: TestClient, small_db: str) -> None:
    from datetime import UTC, datetime, timedelta

    from storage import repo

    case_id, _ = top_case(small_db)
    login(client, "ana")
    assert 'id="takedowns-escalated"' not in client.get("/queue").text
    _confirm(client, case_id)
    post(client, f"/cases/{case_id}/takedowns", {}, page=f"/cases/{case_id}")
    sent_at = datetime.now(UTC) - timedelta(hours=30)
    with session_factory(small_db)() as session, session.begin():
        request = session.scalars(select(TakedownRequest)).one()
        repo.mark_sent(session, request.id, actor="ana", via="email", deadline_hours=24, at=sent_at)
        row = request.listings[0]
        repo.record_check(session, request.id, [repo.ListingCheck(row.id, "still_online", "HTTP 200")], actor="system")
    queue = client.get("/queue").text
    assert queue.index('id="takedowns-escalated"') < queue.index("<h1>")
    takedowns = client.get("/takedowns").text
    assert "takedown-escalated" in takedowns and "Quá hạn" in takedowns
