"""`python -m bench`: finds every benchmark module, rejects unknown names with a usage error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.__main__ import discover

ROOT = Path(__file__).resolve().parents[2]


def test_every_benchmark_module_is_found() -> None:
    names = discover()
    assert {"crawl", "store", "scaleout", "memory"} <= set(names)
    assert not {"common", "__main__", "__init__"} & set(names)


def test_unknown_benchmark_is_a_usage_error() -> None:
    proc = subprocess.run([sys.executable, "-m", "bench", "--only", "nope"], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert proc.returncode == 2
    assert "unknown benchmark(s): nope" in proc.stderr
    assert "crawl" in proc.stderr
