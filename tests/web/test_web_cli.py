"""`listingwatch serve` as an operator starts it, and the session-key file it keeps."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from review.web.app import secret_from_file


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_serve_starts_the_app_and_refuses_anonymous_visitors(small_db: str, tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "LISTINGWATCH_SECRET_KEY"}
    env["LISTINGWATCH_DB_URL"] = small_db
    proc = subprocess.Popen(
        [sys.executable, "-m", "listingwatch", "serve", "--port", str(port)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/queue", timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(proc.stdout.read() if proc.stdout else "serve died") from None
                time.sleep(0.3)
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=%2Fqueue"
        key_file = tmp_path / "var" / "web-secret.key"
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_serve_refuses_a_bad_port() -> None:
    from typer.testing import CliRunner

    from listingwatch import app

    result = CliRunner().invoke(app, ["serve", "--port", "70000"])
    assert result.exit_code == 2


def test_secret_file_is_created_once_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "var" / "key"
    first = secret_from_file(path)
    assert len(first) >= 32 and secret_from_file(path) == first
    path.write_text("short")
    with pytest.raises(ValueError, match="shorter than 32"):
        secret_from_file(path)
