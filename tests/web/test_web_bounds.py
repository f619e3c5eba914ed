"""Out-of-range ids and dates, unexpected errors, scan URLs (issue 14 items 10 and 11)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from review.web import create_app, routes
from storage.db import session_factory
from storage.models import ScanRequest
from tests.web.web_client import login, post, settings


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/cases/99999999999999999999999", 404),
        ("/evidence/99999999999999999999999", 404),
        ("/scans/99999999999999999999999", 404),
        ("/cases/0", 404),
        ("/queue?date_from=0001-01-01", 400),
        ("/queue?date_to=9999-12-31", 400),
    ],
)
def test_out_of_range_ids_and_dates_are_404_or_400_with_headers(client: TestClient, path: str, status: int) -> None:
    login(client, "boss")
    response = client.get(path)
    assert response.status_code == status
    assert "content-security-policy" in response.headers
    assert response.headers["x-frame-options"] == "DENY"


def test_an_unexpected_error_still_answers_with_security_headers(small_db: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(routes.queries, "queue_page", broken)
    app = create_app(small_db, settings=settings())
    with TestClient(app, follow_redirects=False, raise_server_exceptions=False) as c:
        login(c, "boss")
        response = c.get("/queue")
    assert response.status_code == 500
    assert "boom" not in response.text
    assert "content-security-policy" in response.headers


@pytest.mark.parametrize(
    ("url", "needle"),
    [
        ("http://127.0.0.1:8080/shop/1", "url:"),
        ("https://example.com/some/shop", "url:"),
        ("https://shopee.vn/", "url:"),
    ],
)
def test_the_scan_form_refuses_what_the_cli_refuses(client: TestClient, small_db: str, url: str, needle: str) -> None:
    from crawler.seller_urls import SellerURLError, validate_seller_url
    from rules.loader import load_rules

    with pytest.raises(SellerURLError):
        validate_seller_url(url, load_rules(), resolver=lambda host: ["14.225.0.1"])
    login(client, "insp")
    response = post(client, "/scans", {"url": url}, page="/scans")
    assert response.status_code == 400 and needle in response.text  # type: ignore[attr-defined]
    with session_factory(small_db)() as session:
        assert session.scalar(select(ScanRequest.id)) is None


def test_the_scan_form_stores_the_recognised_seller(client: TestClient, small_db: str) -> None:
    login(client, "insp")
    response = post(client, "/scans", {"url": "https://tiki.vn/cua-hang/shop-x"}, page="/scans")
    assert response.status_code == 303  # type: ignore[attr-defined]
    with session_factory(small_db)() as session:
        row = session.scalar(select(ScanRequest))
        assert row is not None and row.platform == "tiki" and row.seller_key is not None
