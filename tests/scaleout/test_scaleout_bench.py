"""`python -m bench`: finds every benchmark module, rejects unknown names with a usage error."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.__main__ import discover

ROOT = Path(__file__).resolve().parents[2]


def test_every_benchmark_module_is_found() -> None:
    names = discover()
    assert {"crawl", "store", "scaleout", "memory"} <= set(names)
    assert not {"common", "__main__", "__init__"} & set(names)
    # Every module found must be runnable by `python -m bench` (evidence_storage once was not).
    import importlib

    assert [n for n in names if not callable(getattr(importlib.import_module(f"bench.{n}"), "run", None))] == []


def test_unknown_benchmark_is_a_usage_error() -> None:
    proc = subprocess.run([sys.executable, "-m", "bench", "--only", "nope"], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert proc.returncode == 2
    assert "unknown benchmark(s): nope" in proc.stderr
    assert "crawl" in proc.stderr


def test_store_benchmark_runs_on_sqlite_and_compares_like_with_like(tmp_path: Path) -> None:
    from contextlib import contextmanager

    from bench import store

    counter = iter(range(100))

    @contextmanager
    def fresh_db() -> Iterator[str]:
        yield f"sqlite:///{tmp_path / f'db{next(counter)}.db'}"

    results = store._measure("SQLite", fresh_db, 120, 50)
    assert [r.target for r in results] == [0.5, 0.5, None]
    assert all(r.value > 0 and r.baseline > 0 for r in results)
    assert "120 listings of 42 sellers" in results[0].note


def test_demo_latency_delays_each_response_and_refuses_negative() -> None:
    import time
    import urllib.request

    from demo.server import DemoServer

    with pytest.raises(ValueError, match="latency_s"):
        DemoServer(latency_s=-1)
    with DemoServer(latency_s=0.2) as server:
        started = time.monotonic()
        with urllib.request.urlopen(server.url("/robots.txt"), timeout=10) as response:
            response.read()
        assert time.monotonic() - started >= 0.2
