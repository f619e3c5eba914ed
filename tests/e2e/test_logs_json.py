"""Issue 17 item 6: with ``LISTINGWATCH_LOG_FORMAT=json`` a real `listingwatch demo` writes one JSON
object per stderr line, and every crawl line (Scrapy's loggers and ours, written by the spawned
crawl child) carries the id of the scan run the database stored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.db import session_factory
from storage.models import ScanRun

pytestmark = pytest.mark.slow


def test_demo_with_json_logs_puts_the_run_id_on_every_crawl_line(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'lw.db'}"
    env = {**os.environ, "LISTINGWATCH_LOG_FORMAT": "json", "LISTINGWATCH_LOG_LEVEL": "INFO"}
    result = subprocess.run(
        [sys.executable, "-m", "listingwatch", "demo", "--port", "0", "--out", str(tmp_path / "out"),
         "--db", db_url],
        env=env, capture_output=True, text=True, timeout=900, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    with session_factory(db_url)() as session:
        [run_id] = session.scalars(select(ScanRun.id)).all()

    records = []
    for number, line in enumerate(result.stderr.splitlines(), 1):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            raise AssertionError(f"stderr line {number} is not JSON: {line[:300]!r}") from None
    for record in records:
        assert {"timestamp", "level", "logger", "message"} <= set(record), record
        assert datetime.fromisoformat(record["timestamp"]).utcoffset() is not None

    crawl = [r for r in records if r["logger"].startswith(("scrapy", "crawler"))]
    assert len(crawl) > 20, [r["logger"] for r in records]
    assert [r for r in crawl if r.get("scan_run_id") != run_id] == []
    # the child's Scrapy lines (spider opened, stats) and the parent's crawl outcomes both
    assert any(r["logger"].startswith("scrapy.") and r.get("spider") for r in crawl)
    assert any(r["logger"] == "crawler.run" and r["message"].startswith("crawl demo-") for r in crawl)
    # the parent's scan lines while the run executes carry it too
    assert all(r.get("scan_run_id") == run_id for r in records if r["logger"] == "listingwatch.scan")
