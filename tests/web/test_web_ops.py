"""Health, readiness and metrics endpoints (issue 17 item 5), as an operator's probes use them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from review.web import create_app
from storage import heartbeats
from storage.db import session_factory
from tests.web.web_client import LiveServer, login, settings

TOKEN = "metrics-token-for-tests"


def _beat(db_url: str, age_s: float) -> None:
    with session_factory(db_url)() as session, session.begin():
        heartbeats.beat(session, heartbeats.SCHEDULER, now=datetime.now(UTC) - timedelta(seconds=age_s))


def test_healthz_answers_without_login(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok\n"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_readyz_names_each_check_and_wants_a_fresh_scheduler(small_db: str) -> None:
    with TestClient(create_app(small_db, settings=settings()), follow_redirects=False) as c:
        never = c.get("/readyz")
        assert never.status_code == 503
        body = never.json()
        assert body["checks"]["database"]["ok"] and body["checks"]["schema"]["ok"]
        assert "listingwatch schedule" in body["checks"]["scheduler"]["reason"]
        _beat(small_db, age_s=10)
        assert c.get("/readyz").status_code == 200
        _beat(small_db, age_s=3600)
        stale = c.get("/readyz")
        assert stale.status_code == 503
        assert "older than 300 s" in stale.json()["checks"]["scheduler"]["reason"]


def test_readyz_fails_on_a_wrong_database_url(tmp_path: object) -> None:
    wrong = "postgresql+psycopg://nobody@127.0.0.1:1/none"  # nothing listens on port 1
    with TestClient(create_app(wrong, settings=settings()), follow_redirects=False) as c:
        response = c.get("/readyz")
        assert c.get("/healthz").status_code == 200
    assert response.status_code == 503
    database = response.json()["checks"]["database"]
    assert not database["ok"] and "unreachable" in database["reason"]


def test_readyz_fails_on_a_schema_behind_head(small_db: str) -> None:
    with session_factory(small_db)() as session, session.begin():
        session.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    _beat(small_db, age_s=0)
    with TestClient(create_app(small_db, settings=settings()), follow_redirects=False) as c:
        schema = c.get("/readyz").json()["checks"]["schema"]
    assert not schema["ok"] and "db upgrade" in schema["reason"]


def test_metrics_need_the_token_from_a_remote_client(small_db: str) -> None:
    # TestClient's peer is "testclient", not loopback: without a token it is refused.
    with TestClient(create_app(small_db, settings=settings()), follow_redirects=False) as c:
        assert c.get("/metrics").status_code == 403
    with TestClient(create_app(small_db, settings=settings(metrics_token=TOKEN)), follow_redirects=False) as c:
        assert c.get("/metrics").status_code == 403
        assert c.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
        login(c, "ana")
        c.get("/queue")
        response = c.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    families = {f.name: f for f in text_string_to_metric_families(response.text)}
    cases = {s.labels["status"]: s.value for s in families["listingwatch_cases"].samples}
    assert sum(cases.values()) > 0
    scans = families["listingwatch_scan_runs"].samples
    assert any(s.labels == {"kind": "manual", "status": "ok"} and s.value >= 1 for s in scans)
    assert families["listingwatch_listings"].samples[0].value > 0
    latency = families["listingwatch_http_request_seconds"].samples
    assert any(s.labels.get("route") == "/queue" and s.name.endswith("_count") and s.value >= 1 for s in latency)
    # Route templates, never raw paths with ids.
    assert all("/cases/1" not in s.labels.get("route", "") for s in latency)


def test_metrics_answer_a_loopback_client_without_token(small_db: str) -> None:
    with LiveServer(small_db) as server:
        response = httpx.get(f"{server.base_url}/metrics", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    names = {f.name for f in text_string_to_metric_families(response.text)}
    assert {"listingwatch_scan_runs", "listingwatch_cases", "listingwatch_scan_requests"} <= names
