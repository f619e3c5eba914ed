"""The statistics page's takedown table (issue 16 part 5), read back with pandas."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from fastapi.testclient import TestClient

from storage.db import session_factory
from tests.takedown.test_takedown_stats import seed
from tests.web.web_client import login


def test_statistics_page_shows_the_takedown_table(client: TestClient, small_db: str) -> None:
    with session_factory(small_db)() as session, session.begin():
        seed(session)
    login(client, "ana")
    page = client.get("/stats").text
    frame = pd.read_html(io.StringIO(page), attrs={"class": "takedown-stats"})[0]
    assert list(frame.columns)[:4] == ["Tháng", "Nền tảng", "Yêu cầu đã gửi", "Sản phẩm"]
    body: list[dict[str, Any]] = frame.iloc[:-1].to_dict("records")
    assert [(r["Tháng"], r["Nền tảng"], r["Gỡ trong 24 giờ"], r["Gỡ trễ hạn"], r["Vẫn còn bán"]) for r in body] == [
        ("2026-12", "demo-shopee", 1, 0, 0), ("2026-11", "demo-tiki", 1, 1, 1)]
    total = frame.iloc[-1]
    assert total["Yêu cầu đã gửi"] == 2 and total["Sản phẩm"] == 5 and total["Chưa kiểm tra được"] == 1


def test_case_timeline_says_what_reappeared(client: TestClient, small_db: str) -> None:
    """A "tái xuất hiện" event reads in the UI's language, from its data; crawled text stays inert."""
    from storage.models import CaseEvent
    from tests.web.web_seed import top_case

    case_id, _ = top_case(small_db)
    with session_factory(small_db)() as session, session.begin():
        session.add(CaseEvent(case_id=case_id, actor="system", kind="reappeared", note="english note",
                              from_status="confirmed", to_status="open",
                              data={"match": "same_product", "takedown_request_id": 7, "listing_key": "p1",
                                    "url": "http://127.0.0.1:1/x?<b>", "price": 450000, "platform": "demo-shopee"}))
    login(client, "ana")
    page = client.get(f"/cases/{case_id}").text
    assert "tái xuất hiện" in page and "gian hàng liên kết trên demo-shopee" in page and "450.000" in page
    assert "http://127.0.0.1:1/x?&lt;b&gt;" in page and "english note" not in page
    english = client.get(f"/cases/{case_id}?lang=en").text
    assert "re-appeared" in english and "the same product" in english
