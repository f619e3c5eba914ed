"""The web UI says what is true, in the officer's language (issue 14 item 14)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from review import queue as review_queue
from storage.db import session_factory
from storage.models import ReviewCase
from tests.web.web_client import login, post
from tests.web.web_seed import top_case


def test_queue_has_a_why_column_and_a_risk_filter_that_takes_two_decimals(client: TestClient) -> None:
    login(client, "ana")
    html = client.get("/queue?lang=vi").text
    assert "Lý do nghi vấn" in html
    assert len(re.findall(r'<td class="why"[^>]*><ul><li>', html)) >= 1
    assert 'name="risk_min" type="number" min="0" max="1" step="any"' in html
    assert client.get("/queue?risk_min=0.97").status_code == 200


def test_the_decision_dropdown_has_no_preselected_decision(client: TestClient, small_db: str) -> None:
    login(client, "ana")
    case_id, _ = top_case(small_db)
    html = client.get(f"/cases/{case_id}").text
    form = html[html.index('id="decide-form"'):]
    form = form[: form.index("</form>")]
    assert '<option value="" selected disabled>' in form
    assert re.search(r'<option value="(in_review|confirmed|dismissed|referred)"[^>]*selected', form) is None
    assert 'select name="decision" required' in form


def test_a_confirmed_case_offers_referral_and_correction(client: TestClient, small_db: str) -> None:
    login(client, "ana")
    case_id, _ = top_case(small_db)
    assert post(client, f"/cases/{case_id}/decide", {"decision": "confirmed", "note": "mua thử"}).status_code == 303  # type: ignore[attr-defined]
    html = client.get(f"/cases/{case_id}").text
    assert 'value="referred"' in html and 'value="dismissed"' in html
    assert post(client, f"/cases/{case_id}/decide", {"decision": "referred", "note": "chuyển đội QLTT"}).status_code == 303  # type: ignore[attr-defined]
    assert "Chuyển xử lý" in client.get(f"/cases/{case_id}").text


def test_the_vietnamese_case_page_has_no_raw_codes_or_english_system_notes(client: TestClient, small_db: str) -> None:
    login(client, "ana")
    case_id, _ = top_case(small_db)
    with session_factory(small_db)() as session, session.begin():
        case = session.get(ReviewCase, case_id)
        assert case is not None
        review_queue.sync_case(session, case.seller_id, risk=0.5, flagged=True, priority=1.0,
                               scanned_at=case.last_scanned_at)
    html = client.get(f"/cases/{case_id}?lang=vi").text
    visible = re.sub(r"<[^>]+>", " ", html)
    assert "seller flagged" not in visible and "risk 0." not in visible and "->" not in visible
    assert not re.search(r"\b(brand|text|price|barcode|seller)\.[a-z_]+\b", visible)
    assert "Người bán bị gắn cờ" in visible and "Điểm rủi ro" in visible
    assert "+07" in visible  # times are labelled


def test_a_refused_transition_is_said_in_vietnamese(client: TestClient, small_db: str) -> None:
    login(client, "ana")
    case_id, _ = top_case(small_db)
    post(client, f"/cases/{case_id}/decide", {"decision": "dismissed", "note": "không vi phạm"})
    post(client, f"/cases/{case_id}/decide", {"decision": "confirmed", "note": "thử"})
    html = client.get(f"/cases/{case_id}?lang=vi").text
    assert "Không thể chuyển hồ sơ từ «Bác bỏ» sang «Xác nhận vi phạm»" in html
    assert "cannot go from" not in html
