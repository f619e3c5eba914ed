from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REALDATA = Path(__file__).resolve().parents[3] / "shared" / "realdata"
CHROMIUM = "/usr/bin/chromium"


def realdata(relative: str) -> Path:
    """A file of ../shared/realdata, read in place; the test skips when it is absent."""
    path = REALDATA / relative
    if not path.exists():
        pytest.skip(f"real data not available: {path} (see ../shared/realdata/MANIFEST.md)")
    return path


def fixture(relative: str) -> Path:
    return FIXTURES / relative


def need_chromium() -> None:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.skip(f"no Chromium at {CHROMIUM}: browser tests need Debian's chromium package")
