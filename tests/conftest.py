"""Shared database fixtures: SQLite in tmp_path always, PostgreSQL (throwaway schema) when reachable.

`db_url` is parametrized over both backends; its PostgreSQL variant carries
`@pytest.mark.postgres`. Without a server the PostgreSQL variants skip with the reason,
except in CI (`CI=true`), where the server is part of the machine and its absence fails.
"""

from __future__ import annotations

import os

# Evidence capture opens Chromium for every listing of a queued seller after each scan;
# only the evidence tests want that (they switch it back on), the rest test the scan.
os.environ.setdefault("LISTINGWATCH_EVIDENCE_CAPTURE", "0")

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_engine, upgrade
from storage.testing import pg_schema, pg_test_url, pg_unreachable_reason, running_in_ci


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The PostgreSQL test URL, or skip (fail in CI) when it does not answer."""
    reason = pg_unreachable_reason(pg_test_url())
    if reason is not None:
        if running_in_ci():
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    return pg_test_url()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An empty SQLite file (no schema yet)."""
    return f"sqlite:///{tmp_path / 'listingwatch.db'}"


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """An empty throwaway PostgreSQL schema (no tables yet), dropped after the test."""
    with pg_schema(pg_server) as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db_url(request: pytest.FixtureRequest) -> str:
    """An empty database of each backend."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def db_url(empty_db_url: str) -> str:
    """A database of each backend, migrated to head."""
    upgrade(empty_db_url)
    return empty_db_url


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    try:
        yield sessionmaker(bind=engine, expire_on_commit=False)
    finally:
        engine.dispose()


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session in an open transaction, rolled back after the test."""
    with sessions() as s:
        s.begin()
        try:
            yield s
        finally:
            s.rollback()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Chromium launched as the crawler launches it (`crawler.settings`), for the
    browser tests (they skip themselves when there is no Chromium at `crawler.browser.chromium_path()`)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    from crawler.browser import launch_chromium

    with sync_api.sync_playwright() as pw, launch_chromium(pw) as chromium:
        yield chromium
