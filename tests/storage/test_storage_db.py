"""Engines, URLs and migrations on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import select
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session, sessionmaker

from storage import db
from storage.models import Base, ScanRun

TABLES = {
    "alembic_version",
    "seller_networks",
    "seller_network_members",
    "seller_network_links",
    "web_sessions",
    "api_tokens",
    "service_heartbeats",
    "users",
    "scan_runs",
    "scan_requests",
    "sellers",
    "listings",
    "listing_observations",
    "listing_scores",
    "listing_signals",
    "seller_assessments",
    "evidence",
    "evidence_access",
    "extraction_errors",
    "review_cases",
    "case_events",
    "takedown_requests",
    "takedown_listings",
    "scoring_models",
    "alerts",
    "alert_deliveries",
}


def _head() -> str:
    head = ScriptDirectory.from_config(db.alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def _drift(url: str, metadata: sa.MetaData) -> list[object]:
    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def test_database_url_defaults_to_sqlite_under_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(db.ENV_DB_URL, raising=False)
    monkeypatch.chdir(tmp_path)
    url = db.database_url()
    assert url == f"sqlite:///{tmp_path / 'var' / 'listingwatch.db'}"
    assert (tmp_path / "var").is_dir()


def test_database_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(db.ENV_DB_URL, "postgresql://u@h/d")
    assert db.database_url() == "postgresql://u@h/d"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@h:5432/d", "postgresql+psycopg://u:p@h:5432/d"),
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_normalize_url_pins_psycopg(given: str, expected: str) -> None:
    assert db.normalize_url(given) == expected


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(sqlite_url: str) -> None:
    engine = db.make_engine(sqlite_url)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == db.SQLITE_BUSY_TIMEOUT_MS
    finally:
        engine.dispose()


def test_migrations_reach_head_without_drift(empty_db_url: str) -> None:
    assert db.current_revision(empty_db_url) is None
    db.upgrade(empty_db_url)
    db.upgrade(empty_db_url)  # idempotent
    assert db.current_revision(empty_db_url) == _head()
    engine = db.make_engine(empty_db_url)
    try:
        assert set(sa.inspect(engine).get_table_names()) == TABLES
    finally:
        engine.dispose()
    assert _drift(empty_db_url, Base.metadata) == []


def test_drift_check_is_live(db_url: str) -> None:
    """The no-drift assertion above would catch a model change the migrations lack."""
    metadata = sa.MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(metadata)
    sa.Table("sellers", metadata, sa.Column("extra", sa.Integer()), extend_existing=True)
    diffs = _drift(db_url, metadata)
    assert any(d[0] == "add_column" and d[3].name == "extra" for d in diffs if isinstance(d, tuple))


def test_one_open_case_index_is_partial_on_both_backends(db_url: str) -> None:
    engine = db.make_engine(db_url)
    try:
        indexes = {ix["name"]: ix for ix in sa.inspect(engine).get_indexes("review_cases")}
    finally:
        engine.dispose()
    index = indexes["uq_review_cases_one_open_per_seller"]
    assert index["unique"]
    where = str(
        index.get("dialect_options", {}).get(
            f"{sa.engine.make_url(db_url).get_backend_name()}_where", ""
        )
    )
    assert "open" in where and "in_review" in where


def test_upgrade_works_from_any_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    url = f"sqlite:///{tmp_path / 'db' / 'lw.db'}"
    db.upgrade(url)
    assert db.current_revision(url) == _head()


def test_timestamps_round_trip_timezone_aware_utc(sessions: sessionmaker[Session]) -> None:
    hanoi = timezone(timedelta(hours=7))
    started = datetime(2026, 11, 28, 9, 0, 0, 123456, tzinfo=hanoi)
    with sessions.begin() as s:
        run = ScanRun(kind="manual", platform="tiki", params={}, started_at=started, counts={})
        s.add(run)
        s.flush()
        run_id = run.id
    with sessions() as s:
        loaded = s.scalars(select(ScanRun).where(ScanRun.id == run_id)).one()
        assert loaded.started_at == started
        assert loaded.started_at.tzinfo is not None
        assert loaded.started_at.utcoffset() == timedelta(0)
        assert loaded.started_at == datetime(2026, 11, 28, 2, 0, 0, 123456, tzinfo=UTC)


def test_naive_timestamps_are_refused(session: Session) -> None:
    session.add(ScanRun(kind="manual", params={}, started_at=datetime(2026, 1, 1), counts={}))
    with pytest.raises(StatementError, match="naive datetime"):
        session.flush()


def test_session_factory_caches_one_engine_per_url(sqlite_url: str) -> None:
    db.upgrade(sqlite_url)
    first, second = db.session_factory(sqlite_url), db.session_factory(sqlite_url)
    assert first.kw["bind"] is second.kw["bind"]
    with first() as s:
        assert s.scalar(sa.text("SELECT count(*) FROM sellers")) == 0


def test_sqlite_begin_immediate_takes_the_write_lock_up_front(sqlite_url: str) -> None:
    db.upgrade(sqlite_url)
    engine = db.make_engine(sqlite_url)
    other = db.make_engine(sqlite_url)
    try:
        with Session(engine) as s:
            s.connection(execution_options={db.SQLITE_BEGIN_OPTION: "IMMEDIATE"})
            # Another writer now has to wait: the lock is held before any statement ran.
            with other.connect() as conn:
                conn.exec_driver_sql("PRAGMA busy_timeout=100")
                with pytest.raises(sa.exc.OperationalError, match="locked"):
                    conn.exec_driver_sql(
                        "INSERT INTO users (name, role, password_hash, active, created_at) "
                        "VALUES ('x', 'admin', 'h', 1, '2026-01-01 00:00:00')"
                    )
            s.rollback()
    finally:
        engine.dispose()
        other.dispose()
