"""Helpers for scheduler tests."""

from __future__ import annotations

from pathlib import Path

import yaml

from demo.catalog import Catalog, DemoSeller


def counterfeiters(catalog: Catalog, platform: str) -> list[DemoSeller]:
    return [s for s in catalog.sellers_on(platform) if s.role == "counterfeit"]


def write_watchlist(path: Path, entries: dict[str, dict[str, object]], **top: object) -> Path:
    """A watchlist with only these (demo) entries: tests never reach a real marketplace."""
    data: dict[str, object] = {"schema_version": 1, "timezone": "Asia/Ho_Chi_Minh", "platforms": entries,
                               "on_demand": {"max_parallel": 2, "poll_seconds": 0.3, "handoff_seconds": 0,
                                             "request_budget": 200, "timeout_seconds": 300,
                                             "hosts": {"tiki": ["tiki.vn"]}}}
    data.update(top)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path
