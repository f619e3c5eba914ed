"""Issue 17 item 6: the log format is chosen on the command line or in the environment, for
every command; with JSON, even the CLI's own `error:` line on stderr is a JSON object."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k != "LISTINGWATCH_LOG_FORMAT"}
    return subprocess.run([sys.executable, "-m", "listingwatch", *args], env={**clean, **env},
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)


def test_json_logs_turn_the_cli_error_line_into_a_json_error(tmp_path: Path) -> None:
    result = _run(["serve", "--port", "70000"], tmp_path, LISTINGWATCH_LOG_FORMAT="JSON", FORCE_COLOR="1")
    assert result.returncode == 2
    [record] = [json.loads(line) for line in result.stderr.splitlines()]
    assert (record["level"], record["logger"]) == ("ERROR", "listingwatch.cli")
    assert record["message"] == "--port 70000 is not a TCP port (1-65535)"


def test_the_option_wins_over_the_environment_and_text_stays_as_before(tmp_path: Path) -> None:
    result = _run(["--log-format", "text", "serve", "--port", "70000"], tmp_path, LISTINGWATCH_LOG_FORMAT="json")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: --port 70000 is not a TCP port (1-65535)"


def test_an_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = _run(["rules", "check"], tmp_path, LISTINGWATCH_LOG_FORMAT="xml")
    assert result.returncode == 2 and "xml" in result.stderr
