"""Issue 17 done-when, the page half: the blocked nightly run of `test_alerts_nightly` (the
demo's Tiki answering every page with a captcha) as an analyst sees it in headless Chromium —
`partial` with the captcha reason on "Lần quét", and on the run's page the tripped block-rate
monitor and the alert delivered to the local webhook. The screenshot is kept for
docs/webapp.md when $LISTINGWATCH_SCREENSHOTS_DIR is set (docs/screenshots/run-blocked.png)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

import scheduler
from crawler.settings import CHROMIUM_PATH
from demo.server import DemoServer
from storage.db import session_factory
from storage.models import ScanRun
from tests.alerts.conftest import Webhook
from tests.alerts.test_alerts_nightly import blocked_tiki_watchlist, use_daemon_context
from tests.web.conftest import small_db, small_template  # noqa: F401  # fixtures: a seeded database with users
from tests.web.test_web_browser import SCREENSHOTS_ENV, _login, _page
from tests.web.web_client import LiveServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM_PATH).exists(), reason=f"no Chromium at {CHROMIUM_PATH}"),
]


def test_the_blocked_nightly_run_and_its_alert_on_the_runs_pages(
    browser: object, small_db: str, webhook: Webhook, tmp_path: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from playwright.sync_api import Page

    monkeypatch.setenv("LISTINGWATCH_ALERT_URLS", webhook.url)
    rules = blocked_tiki_watchlist(tmp_path, monkeypatch)
    with DemoServer() as server:
        use_daemon_context(small_db, rules, server, monkeypatch)
        scheduler.nightly_job("demo-tiki")
    with session_factory(small_db)() as session:
        run = session.scalars(select(ScanRun).where(ScanRun.kind == "nightly").order_by(ScanRun.id.desc())).first()
        assert run is not None and run.status == "partial" and "captcha" in (run.reason or "")
    assert len(webhook.posts) == 1

    with LiveServer(small_db) as live:
        page = _page(browser, live, width=1360)
        assert isinstance(page, Page)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        _login(page, live)
        page.click("nav >> text=Lần quét")
        page.wait_for_url("**/runs")
        row = page.locator(f"#run-{run.id}")
        assert "captcha" in row.inner_text()
        row.locator(f"a[href='/runs/{run.id}']").click()
        page.wait_for_url(f"**/runs/{run.id}")
        tripped = " ".join(page.locator("#run-monitors tr.monitor-fail").all_inner_texts())
        assert "bị chặn" in tripped and "demo-tiki" in tripped  # the block-rate monitor says why
        alerts = page.locator("#run-alerts").inner_text()
        assert "json://127.0.0.1" in alerts and webhook.url not in alerts  # the channel, never its full URL
        assert "đã gửi" in alerts  # the delivery's result in the officers' language
        shot = tmp_path / "run-blocked.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert errors == []
    target = os.environ.get(SCREENSHOTS_ENV)
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(target) / "run-blocked.png")
