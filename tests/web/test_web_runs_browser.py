"""The scan-runs page in headless Chromium: it renders (chart, table, a partial run's reasons)
with no script errors, and its screenshot is kept for docs/webapp.md when
$LISTINGWATCH_SCREENSHOTS_DIR is set (docs/screenshots/runs.png, run.png)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from crawler.settings import CHROMIUM_PATH
from tests.web.runs_seed import seed_runs
from tests.web.test_web_browser import SCREENSHOTS_ENV, _login, _page
from tests.web.web_client import LiveServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM_PATH).exists(), reason=f"no Chromium at {CHROMIUM_PATH}"),
]


def test_the_runs_page_in_a_browser(browser: object, small_db: str, tmp_path: Path) -> None:
    from playwright.sync_api import Page

    ids = seed_runs(small_db)
    with LiveServer(small_db) as live:
        page = _page(browser, live, width=1360)
        assert isinstance(page, Page)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("dialog", lambda d: (errors.append(d.message), d.dismiss()))
        _login(page, live)
        page.click("nav >> text=Lần quét")
        page.wait_for_url("**/runs")
        assert page.locator("#runs-chart svg.chart").count() == 2
        assert page.locator("#runs-table tbody tr").count() == len(ids) + 8
        partial = page.locator(f"#run-{ids['partial']}")
        assert "Không đạt" in partial.inner_text() and "dưới ngưỡng 5" in partial.inner_text()
        shot = tmp_path / "runs.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        page.click(f"#run-{ids['partial']} a[href='/runs/{ids['partial']}']")
        page.wait_for_url(f"**/runs/{ids['partial']}")
        assert page.locator("#run-monitors tr.monitor-fail").count() == 1  # min_listings on demo-tiki
        assert page.locator("#run-monitors tr.monitor-warn").count() == 2  # blocks, extraction errors
        page.screenshot(path=str(tmp_path / "run.png"), full_page=True)
        assert errors == []  # the hostile reason and URL stayed inert text
    target = os.environ.get(SCREENSHOTS_ENV)
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        for name in ("runs.png", "run.png"):
            shutil.copy(tmp_path / name, Path(target) / name)
