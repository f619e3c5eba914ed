"""Issue 17 item 6: `listingwatch --log-format json serve` writes uvicorn's own lines (its error
log and every access line) as JSON objects through the same handler as ours; each request's
lines carry its request id (a proxy's X-Request-ID when well-formed), echoed in the answer."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import httpx
import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_serve_with_json_logs_writes_uvicorns_access_and_error_lines_as_json(small_db: str,
                                                                          tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "LISTINGWATCH_LOG_FORMAT"}
    env["LISTINGWATCH_DB_URL"] = small_db
    proc = subprocess.Popen(
        [sys.executable, "-m", "listingwatch", "--log-format", "json", "serve", "--port", str(port)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(proc.stderr.read() if proc.stderr else "serve died") from None
                time.sleep(0.3)
        answer = httpx.get(f"http://127.0.0.1:{port}/queue?page=2", headers={"X-Request-ID": "proxy-42.a_b"},
                           timeout=5)
        assert answer.status_code == 303 and answer.headers["x-request-id"] == "proxy-42.a_b"
        bad = httpx.get(f"http://127.0.0.1:{port}/healthz", headers={"X-Request-ID": "no spaces\tor tabs"}, timeout=5)
        assert bad.headers["x-request-id"] != "no spaces\tor tabs" and len(bad.headers["x-request-id"]) == 16
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    records = [json.loads(line) for line in err.splitlines()]  # every line of stderr is one object
    for record in records:
        assert {"timestamp", "level", "logger", "message"} <= set(record), record
        assert datetime.fromisoformat(record["timestamp"]).utcoffset() is not None
    access = [r for r in records if r["logger"] == "uvicorn.access"]
    assert [(r["method"], r["path"], r["status"], r["request_id"]) for r in access][-2:] == [
        ("GET", "/queue?page=2", 303, "proxy-42.a_b"), ("GET", "/healthz", 200, bad.headers["x-request-id"])]
    assert any(r["logger"] == "uvicorn.error" and "Application startup complete" in r["message"] for r in records)
    assert any(r["logger"] == "listingwatch.cli" and "review web app on" in r["message"] for r in records)
    assert all("color_message" not in r for r in records)
