"""Issue 17 item 1, done-when: a nightly job against the demo with a platform answering every
page with a captcha ends `partial` with the reason; one e-mail reaches the local SMTP server and
one POST the local webhook; the same event again inside the window sends nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import demo.server
import scheduler
from demo.server import DemoServer
from rules.loader import RuleSet, load_rules, load_watchlist
from storage.db import session_factory
from storage.models import Alert, AlertDelivery, ScanRun
from tests.alerts.conftest import SMTP, Webhook
from tests.scheduler.scheduler_helpers import write_watchlist

real_route = demo.server.route


def captcha_on_tiki(site: Any, path: str, query: Any, headers: Any) -> demo.server.Response:
    """Tiki answers every page with the captcha wall (HTTP 200); the other platforms are fine."""
    if path.startswith("/tiki/"):
        return site.static["/blocked/captcha"]
    return real_route(site, path, query, headers)


def blocked_tiki_watchlist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RuleSet:
    """The demo answers every Tiki page with a captcha; the rules watch demo-tiki nightly."""
    monkeypatch.setattr(demo.server, "route", captcha_on_tiki)
    path = write_watchlist(tmp_path / "w.yaml", {"demo-tiki": {
        "cron": "0 3 * * *", "request_budget": 20, "keywords": ["sữa"], "expected_min_listings": 5}})
    return load_rules().model_copy(update={"watchlist": load_watchlist(path)})


def use_daemon_context(db_url: str, rules: RuleSet, server: DemoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scheduler, "_CONTEXT", scheduler.DaemonContext(
        db_url=db_url, rules=rules, demo_base_url=server.base_url))


@pytest.mark.slow
def test_a_blocked_nightly_run_alerts_once_per_channel_and_not_again_in_the_window(
    db_url: str, smtp: SMTP, webhook: Webhook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LISTINGWATCH_ALERT_URLS", f"{smtp.url}, {webhook.url}")
    rules = blocked_tiki_watchlist(tmp_path, monkeypatch)
    with DemoServer() as server:
        use_daemon_context(db_url, rules, server, monkeypatch)
        scheduler.nightly_job("demo-tiki")
        with session_factory(db_url)() as session:
            run = session.scalars(select(ScanRun)).one()
            assert run.status == "partial", run.reason
            assert run.reason is not None and "captcha" in run.reason
        assert len(smtp.mailbox.messages) == 1
        assert len(webhook.posts) == 1
        mail = smtp.mailbox.messages[0]
        assert "partial" in str(mail["Subject"]) and mail.get_content_type() == "text/plain"
        text = mail.get_content()
        assert f"Lần quét #{run.id}, Hằng đêm (demo-tiki)" in text and "captcha" in text and "max_block_rate" in text
        assert webhook.posts[0]["path"] == "/hook" and "captcha" in webhook.posts[0]["message"]

        scheduler.nightly_job("demo-tiki")  # the same event, inside the window

    assert len(smtp.mailbox.messages) == 1 and len(webhook.posts) == 1
    with session_factory(db_url)() as session:
        runs = session.scalars(select(ScanRun).order_by(ScanRun.id)).all()
        assert [r.status for r in runs] == ["partial", "partial"]
        alerts = session.scalars(select(Alert).order_by(Alert.id)).all()
        assert [(a.kind, a.status, a.scan_run_id) for a in alerts] == [
            ("scan_run", "dispatched", runs[0].id), ("scan_run", "suppressed", runs[1].id)]
        deliveries = session.scalars(select(AlertDelivery).order_by(AlertDelivery.id)).all()
        assert [(d.channel, d.scheme, d.status, d.attempts) for d in deliveries] == [
            ("mailto://127.0.0.1", "mailto", "sent", 1), ("json://127.0.0.1", "json", "sent", 1)]
        assert all("example.org" not in d.channel for d in deliveries)
