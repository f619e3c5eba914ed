"""Fixtures for rule-loader tests: a writable copy of the packaged rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rules.loader import PACKAGE_DIR, clear_cache


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """The default rule files copied into tmp_path/rules (YAML only)."""
    target = tmp_path / "rules"
    target.mkdir()
    for src in PACKAGE_DIR.glob("*.yaml"):
        shutil.copy(src, target / src.name)
    clear_cache()
    return target
