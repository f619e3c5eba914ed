"""Alerts without a crawl: rules, messages, channels, storage, dedupe, retries, CLI, metrics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

import listingwatch
from review.alerts.channels import Channel, configured, scrub, send
from review.alerts.dispatch import dispatch, retry_due
from review.alerts.events import (
    AlertMessage,
    RunInfo,
    SellerInfo,
    TakedownInfo,
    flagged_seller_alert,
    plain,
    scan_run_alert,
    takedown_alert,
)
from rules.loader import RulesError, check_rules, load_alerts, load_monitors
from storage.db import session_factory
from storage.models import Alert, AlertDelivery
from tests.alerts.conftest import SMTP, Webhook

T0 = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)
HEALTH = frozenset({"milk", "supplements", "cosmetics"})


# --------------------------------------------------------------------------- rules


def _copy_rules(tmp_path: Path, alerts_yaml: str) -> Path:
    import shutil

    from rules.loader import PACKAGE_DIR

    target = tmp_path / "rules"
    shutil.copytree(PACKAGE_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (target / "alerts.yaml").write_text(alerts_yaml, encoding="utf-8")
    return target


def test_the_shipped_alerts_yaml_loads_and_is_checked() -> None:
    alerts = load_alerts()
    assert alerts.window_minutes > 0 and alerts.flagged_seller.health is not None
    assert check_rules() == []


def test_a_bad_alerts_yaml_names_file_line_and_field(tmp_path: Path) -> None:
    text = "schema_version: 1\nwindow_minutes: 60\nflagged_seller:\n  default: {min_risk: 1.5}\n"
    with pytest.raises(RulesError, match=r"alerts\.yaml:4: flagged_seller\.default\.min_risk"):
        load_alerts(_copy_rules(tmp_path, text))
    unknown = "schema_version: 1\nwindow_minutes: 60\nflagged_seller:\n  default: {min_risk: 0.9}\n" \
              "  categories:\n    milkk: {min_risk: 0.5}\n"
    with pytest.raises(RulesError, match="no category 'milkk'"):
        load_alerts(_copy_rules(tmp_path / "b", unknown))
    assert any("alerts.yaml" in p for p in check_rules(tmp_path / "b" / "rules"))


def test_backoff_grows_and_is_capped() -> None:
    retry = load_alerts().retry
    assert [retry.delay(n) for n in (1, 2, 3)] == [60, 120, 240]
    assert retry.delay(30) == retry.max_delay_seconds


# --------------------------------------------------------------------------- messages


def _run(status: str, blocks: int, pages: int = 10, listings: int = 0, reason: str | None = None) -> RunInfo:
    return RunInfo(7, "nightly", status, reason, "demo-tiki",
                   {"job": "nightly:demo-tiki", "asked": [{"platform": "demo-tiki"}]},
                   {"listings_by_platform": {"demo-tiki": listings}, "listings_seen": listings,
                    "blocks": {"captcha": blocks}, "progress": {"pages": pages}})


def test_scan_run_alerts_read_the_monitors_and_name_the_event_not_its_figures() -> None:
    alerts, monitors = load_alerts(), load_monitors()
    ok = _run("ok", 0, listings=100)
    assert scan_run_alert(ok, monitors, alerts) is None
    blocked = scan_run_alert(_run("partial", 8, reason="demo-tiki: blocked: captcha=8"), monitors, alerts)
    assert blocked is not None and "max_block_rate" in blocked.body and "captcha=8" in blocked.body
    again = scan_run_alert(_run("partial", 9, pages=12, reason="demo-tiki: blocked: captcha=9"), monitors, alerts)
    assert again is not None and again.dedupe_key == blocked.dedupe_key
    # An "ok" run whose block rate is at the monitor's fail level alerts too (per platform level).
    assert scan_run_alert(_run("ok", 3, pages=10, listings=100), monitors, alerts) is not None
    seller_scan = RunInfo(8, "seller", "partial", "blocked", "demo-tiki", {}, {})
    assert scan_run_alert(seller_scan, monitors, alerts) is None  # the inspector watches it on screen


def _seller(risk: float, category: str | None, name: str = "Shop") -> SellerInfo:
    return SellerInfo(1, 5, "demo-tiki", "s1", name, "http://127.0.0.1/s1", risk, risk, category)


def test_flagged_seller_thresholds_put_health_goods_first() -> None:
    alerts = load_alerts()
    assert flagged_seller_alert(_seller(0.7, "fashion"), HEALTH, alerts) is None
    assert flagged_seller_alert(_seller(0.9, "fashion"), HEALTH, alerts) is not None
    health = flagged_seller_alert(_seller(0.65, "cosmetics"), HEALTH, alerts)
    assert health is not None and "HÀNG SỨC KHỎE" in health.title and health.case_id == 5
    assert flagged_seller_alert(_seller(0.55, "cosmetics"), HEALTH, alerts) is None
    assert flagged_seller_alert(_seller(0.55, "milk"), HEALTH, alerts) is not None  # its own level
    assert health.dedupe_key == "flagged_seller:demo-tiki:s1"


def test_crawled_text_is_one_plain_cut_line() -> None:
    hostile = "<b>Shop</b>\r\nBcc: x@evil.example\u202e" + "A" * 500
    message = flagged_seller_alert(_seller(0.95, None, hostile), HEALTH, load_alerts())
    assert message is not None
    assert "\r" not in message.title and "\n" not in message.title and "\u202e" not in message.body
    assert all(not line.startswith("Bcc:") for line in message.body.splitlines())
    assert len(plain(hostile)) <= 120


def test_takedown_alert_only_when_escalated() -> None:
    alerts = load_alerts()
    info = TakedownInfo(3, 9, "demo-tiki", "escalated", T0, ["http://127.0.0.1/p1"])
    message = takedown_alert(info, alerts)
    assert message is not None and "còn 1 sản phẩm đang bán" in message.body
    assert takedown_alert(TakedownInfo(3, 9, "demo-tiki", "sent", T0), alerts) is None


# --------------------------------------------------------------------------- channels


def test_channels_parse_and_redact() -> None:
    urls = "mailto://user:s3cret@smtp.example.org?to=a@example.org, json://hooks.example.org/t0ken \n" \
           "tgram://123456:ABCDEF/987"
    channels = configured(urls)
    assert [c.label for c in channels][:2] == ["mailto://smtp.example.org", "json://hooks.example.org"]
    assert channels[2].label.startswith("tgram://#") and "123456" not in channels[2].label
    assert configured("") == [] and len(configured(f"{urls} {urls}")) == 3
    # A comma inside one URL is part of it (two recipients of one mail channel), not a separator.
    two = configured("mailtos://u:p@smtp.x.vn?to=a@x.vn,b@x.vn,json://127.0.0.1/h")
    assert [c.url for c in two] == ["mailtos://u:p@smtp.x.vn?to=a@x.vn,b@x.vn", "json://127.0.0.1/h"]
    assert scrub("failed for s3cret at tgram ABCDEF", channels[0]) == "failed for *** at tgram ABCDEF"
    assert "ABCDEF" not in scrub("sending to 123456:ABCDEF failed", channels[2])


# --------------------------------------------------------------------------- storage and delivery


def _message(key: str = "scan_run:x") -> AlertMessage:
    return AlertMessage("scan_run", key, "title", "body")


def test_one_failing_channel_does_not_block_the_others_and_is_retried_with_backoff(
    db_url: str, smtp: SMTP, webhook: Webhook
) -> None:
    alerts = load_alerts()
    broken = Channel("json://127.0.0.1:1/nobody")
    channels = [broken, Channel(smtp.url), Channel(webhook.url)]
    webhook.fail_next = 1
    result = dispatch(db_url, _message(), alerts, channels=channels, now=T0)
    assert [d.status for d in result.deliveries] == ["retrying", "sent", "retrying"]
    assert len(smtp.mailbox.messages) == 1 and webhook.posts == []
    with session_factory(db_url)() as session:
        rows = session.scalars(select(AlertDelivery).order_by(AlertDelivery.id)).all()
        assert rows[0].next_retry_at == T0 + timedelta(seconds=60) and rows[0].error
        assert "127.0.0.1:1" not in rows[0].channel and rows[0].channel == "json://127.0.0.1"
    assert retry_due(db_url, alerts, channels=channels, now=T0 + timedelta(seconds=30)) == []  # not due yet
    again = retry_due(db_url, alerts, channels=channels, now=T0 + timedelta(seconds=61))
    assert [(d.status, d.attempts) for d in again] == [("retrying", 2), ("sent", 2)]
    assert len(webhook.posts) == 1 and len(smtp.mailbox.messages) == 1  # the sent one is not re-sent
    with session_factory(db_url)() as session:
        row = session.scalars(select(AlertDelivery).where(AlertDelivery.status == "retrying")).one()
        assert row.next_retry_at == T0 + timedelta(seconds=61 + 120)
    for day in range(1, alerts.retry.max_attempts + 1):  # gives up after max_attempts tries in all
        retry_due(db_url, alerts, channels=channels, now=T0 + timedelta(days=day))
    with session_factory(db_url)() as session:
        statuses = session.scalars(select(AlertDelivery.status).order_by(AlertDelivery.id)).all()
    assert statuses == ["failed", "sent", "sent"]


def test_the_retry_job_never_sends_what_dispatch_is_still_sending(db_url: str, webhook: Webhook) -> None:
    """The daemon's retry job (another thread, or another daemon) fires while `dispatch` still
    works through its channels: it must not send the same message again, nor overwrite a result."""
    alerts = load_alerts()
    channels = [Channel(webhook.url)]

    def retry_meanwhile(channel: Channel, title: str, body: str) -> tuple[bool, str | None]:
        assert retry_due(db_url, alerts, channels=channels, now=T0 + timedelta(seconds=1)) == []
        return send(channel, title, body)

    result = dispatch(db_url, _message(), alerts, channels=channels, now=T0, sender=retry_meanwhile)
    assert [d.status for d in result.deliveries] == ["sent"] and len(webhook.posts) == 1
    # Two retry jobs that both saw a delivery due: only the one that takes the row sends.
    webhook.fail_next = 1
    dispatch(db_url, _message("other"), alerts, channels=channels, now=T0)
    due = T0 + timedelta(hours=1)
    first = retry_due(db_url, alerts, channels=channels, now=due)
    assert [d.status for d in first] == ["sent"]
    assert retry_due(db_url, alerts, channels=channels, now=due) == []
    assert len(webhook.posts) == 2


def test_duplicates_inside_the_window_are_stored_as_suppressed(db_url: str, webhook: Webhook) -> None:
    alerts = load_alerts()
    channels = [Channel(webhook.url)]
    assert dispatch(db_url, _message(), alerts, channels=channels, now=T0).status == "dispatched"
    assert dispatch(db_url, _message(), alerts, channels=channels, now=T0 + timedelta(minutes=5)).status == "suppressed"
    assert dispatch(db_url, _message("other"), alerts, channels=channels, now=T0).status == "dispatched"
    later = T0 + timedelta(minutes=alerts.window_minutes + 1)
    assert dispatch(db_url, _message(), alerts, channels=channels, now=later).status == "dispatched"
    assert len(webhook.posts) == 3
    with session_factory(db_url)() as session:
        assert session.scalars(select(Alert.status).order_by(Alert.id)).all() == [
            "dispatched", "suppressed", "dispatched", "dispatched"]


def test_a_channel_removed_from_the_environment_fails_its_retry(db_url: str) -> None:
    alerts = load_alerts()
    dispatch(db_url, _message(), alerts, channels=[Channel("json://127.0.0.1:1/x")], now=T0)
    results = retry_due(db_url, alerts, channels=[], now=T0 + timedelta(hours=1))
    assert [(r.status, r.error) for r in results] == [("failed", "channel no longer in $LISTINGWATCH_ALERT_URLS")]


# --------------------------------------------------------------------------- CLI and metrics

runner = CliRunner()


def test_alerts_test_reports_each_channel(db_url: str, smtp: SMTP, webhook: Webhook,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LISTINGWATCH_ALERT_URLS", raising=False)
    none = runner.invoke(listingwatch.app, ["alerts", "test", "--db", db_url])
    assert none.exit_code == 2 and "LISTINGWATCH_ALERT_URLS" in none.output
    monkeypatch.setenv("LISTINGWATCH_ALERT_URLS", f"{smtp.url} {webhook.url}")
    ok = runner.invoke(listingwatch.app, ["alerts", "test", "--db", db_url])
    assert ok.exit_code == 0, ok.output
    assert "mailto://127.0.0.1\tsent" in ok.stdout and "json://127.0.0.1\tsent" in ok.stdout
    assert len(smtp.mailbox.messages) == 1 and "test alert" in webhook.posts[0]["title"]
    monkeypatch.setenv("LISTINGWATCH_ALERT_URLS", f"{webhook.url} json://127.0.0.1:1/x")
    bad = runner.invoke(listingwatch.app, ["alerts", "test", "--db", db_url])
    assert bad.exit_code == 1 and "FAILED" in bad.stdout and len(webhook.posts) == 2
    listed = runner.invoke(listingwatch.app, ["alerts", "list", "--db", db_url])
    assert listed.exit_code == 0 and listed.stdout.count("\ttest\t") == 2
    with session_factory(db_url)() as session:  # a failed test is not retried
        assert session.scalars(select(AlertDelivery.status).where(AlertDelivery.status == "retrying")).all() == []


def test_metrics_count_deliveries_by_channel_and_result(db_url: str, webhook: Webhook) -> None:
    from fastapi.testclient import TestClient
    from prometheus_client.parser import text_string_to_metric_families

    from review.web import create_app
    from tests.web.web_client import settings

    alerts = load_alerts()
    channels = [Channel(webhook.url), Channel("json://127.0.0.1:1/x")]
    dispatch(db_url, _message(), alerts, channels=channels, now=T0)
    dispatch(db_url, _message(), alerts, channels=channels, now=T0 + timedelta(minutes=1))
    with TestClient(create_app(db_url, settings=settings(metrics_token="t")), follow_redirects=False) as c:
        response = c.get("/metrics", headers={"Authorization": "Bearer t"})
    assert response.status_code == 200
    assert 'listingwatch_alert_deliveries_total{channel="json",result="sent"} 1.0' in response.text
    families = {f.name: f for f in text_string_to_metric_families(response.text)}
    told = {(s.labels["channel"], s.labels["result"]): s.value for s in families["listingwatch_alert_deliveries"].samples}
    assert told == {("json", "sent"): 1}  # final results only: a counter never goes down
    waiting = {s.labels["channel"]: s.value for s in families["listingwatch_alert_deliveries_retrying"].samples}
    assert waiting == {"json": 1}
    raised = {(s.labels["kind"], s.labels["status"]): s.value for s in families["listingwatch_alerts"].samples}
    assert raised == {("scan_run", "dispatched"): 1, ("scan_run", "suppressed"): 1}
    assert "127.0.0.1:1" not in response.text
