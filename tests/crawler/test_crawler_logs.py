"""Issue 17 item 6: log lines as text or JSON, with the scan run id on every crawl line
(crawler/logs.py, the crawl child's logging in crawler/run.py)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import pytest

from crawler import logs
from crawler.run import CrawlSpec, log_fields, run_crawl
from demo.server import DemoServer


@pytest.fixture
def capture() -> Iterator[tuple[logging.Logger, logging.StreamHandler[io.StringIO], io.StringIO]]:
    """A logger of its own with a handler like the root's (formatter + context filter)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.ContextFilter())
    logger = logging.getLogger("test.crawler.logs")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield logger, handler, stream
    finally:
        logger.removeHandler(handler)


def _lines(stream: io.StringIO) -> list[str]:
    return stream.getvalue().splitlines()


def test_a_json_line_has_the_fixed_fields_and_the_exception_as_one_string(capture: Any) -> None:
    logger, handler, stream = capture
    handler.setFormatter(logs.formatter("json"))
    try:
        raise ValueError("bad price\non two lines")
    except ValueError:
        logger.exception("listing %s failed", "120552065")
    [line] = _lines(stream)
    data = json.loads(line)
    assert list(data)[:4] == ["timestamp", "level", "logger", "message"]
    assert datetime.fromisoformat(data["timestamp"]).utcoffset() is not None
    assert (data["level"], data["logger"], data["message"]) == ("ERROR", "test.crawler.logs",
                                                                "listing 120552065 failed")
    assert isinstance(data["exception"], str) and "ValueError: bad price" in data["exception"]
    assert "scan_run_id" not in data  # no run: no field


def test_bound_fields_reach_every_record_only_inside_the_isolated_call(capture: Any) -> None:
    logger, handler, stream = capture
    handler.setFormatter(logs.formatter("json"))

    @logs.isolated
    def a_scan(run_id: int) -> None:
        logs.bind(scan_run_id=run_id, platform="tiki", scan_request_id=None)
        logging.getLogger("test.crawler.logs.third_party").info("inside")  # a logger that knows nothing

    logging.getLogger("test.crawler.logs.third_party").propagate = True
    a_scan(12)
    logger.info("after")
    inside, after = (json.loads(line) for line in _lines(stream))
    assert (inside["scan_run_id"], inside["platform"]) == (12, "tiki") and "scan_request_id" not in inside
    assert "scan_run_id" not in after


def test_text_lines_keep_todays_format_and_name_the_run(capture: Any) -> None:
    logger, handler, stream = capture
    handler.setFormatter(logs.formatter("text"))
    handler.filters = [logs.ContextFilter({"scan_run_id": 7})]
    logger.warning("blocked: %s", "captcha")
    [line] = _lines(stream)
    assert line.endswith(" WARNING test.crawler.logs: [run 7] blocked: captcha")


def test_scrapy_spider_and_crawler_extras_become_names(capture: Any) -> None:
    logger, handler, stream = capture
    handler.setFormatter(logs.formatter("json"))
    spider = SimpleNamespace(name="tiki", platform_label="demo-tiki")
    logger.info("Crawled (200)", extra={"spider": spider})
    logger.info("Telnet console", extra={"crawler": SimpleNamespace(spider=spider)})
    for data in (json.loads(line) for line in _lines(stream)):
        assert (data["spider"], data["platform"]) == ("tiki", "demo-tiki") and "crawler" not in data


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="log format"):
        logs.formatter("xml")


def test_cli_messages_on_stderr_become_records(caplog: pytest.LogCaptureFixture) -> None:
    lines = logs.LogLines("test.crawler.logs.cli")
    with caplog.at_level(logging.INFO, logger="test.crawler.logs.cli"):
        lines.write("demo marketplace on http://127.0.0.1:1\nerror: the database is ")
        lines.write("locked\n")
        lines.write("no newline")
        lines.flush()
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("INFO", "demo marketplace on http://127.0.0.1:1"), ("ERROR", "the database is locked"),
        ("INFO", "no newline")]


def test_child_fields_name_the_run_and_a_single_platform_only() -> None:
    one = CrawlSpec(platform="demo-tiki", scan_run_id=3)
    assert log_fields([one]) == {"scan_run_id": 3, "platform": "demo-tiki", "spider": "tiki"}
    assert log_fields([one, CrawlSpec(platform="web", scan_run_id=3)]) == {"scan_run_id": 3}
    assert log_fields([CrawlSpec(platform="web")]) == {"platform": "web", "spider": "web"}


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_every_line_of_a_crawl_child_carries_the_run_id(fmt: str, capfd: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The spawned child writes to the inherited stderr: Scrapy's loggers, Twisted's, the
    spider's, ours. Every line (every record, in text mode) carries the run id it was given."""
    monkeypatch.setattr(logs, "_current_format", fmt)
    with DemoServer() as demo:
        spec = CrawlSpec(platform="demo-tiki", keywords=["sữa"], base_url=f"{demo.base_url}/tiki",
                         max_requests=3, scan_run_id=4242, settings={"LOG_LEVEL": "DEBUG"})
        capfd.readouterr()
        outcome = run_crawl(spec, timeout=120)
    assert outcome.requests > 0, outcome.reason
    err = capfd.readouterr().err
    if fmt == "json":
        records = [json.loads(line) for line in err.splitlines()]  # every line parses
        loggers = {r["logger"].split(".")[0] for r in records}
        assert "scrapy" in loggers, loggers
        assert records and all(r.get("scan_run_id") == 4242 for r in records), \
            [r for r in records if r.get("scan_run_id") != 4242][:3]
        assert any(r["logger"].startswith("scrapy.core") and r.get("spider") == "tiki" for r in records)
    else:
        starts = [line for line in err.splitlines() if line[:4].isdigit() and " " in line]  # a record's first line
        assert starts and all(": [run 4242] " in line for line in starts), \
            [line for line in starts if "[run 4242]" not in line][:3]
